"""The needs and offers that suggestions rank, held in memory per process.

`match.suggestions.suggest` filters the other side's posts by the hard constraints and
ranks them by one product of their vectors. Reading some 3,000 candidate vectors through
the database costs about 250 ms at 100,000 offers; held as NumPy arrays here, the filter
and the product take a few milliseconds, and only the posts returned are read.

**What is held.** Per side and per chunk of CHUNK_SIZE post ids (as
`core.memory_facets` chunks its lists), a `Block`: the posts' ids, keys, kind of support,
last valid day, their countries and languages as (row, code) pairs, and their vectors
as one float32 matrix. A post without an embedding yet is held without a vector
(`encoded` false) and is no candidate, as the SQL join makes it none.

**Noticing writes, in this process and others.** Several `devagenda serve` processes
share one database, so what one holds must follow what another writes. The idea is the
list chunks' (`core.memory_facets`): one small query per request tells whether anything
changed, and only what changed is read again. The change tokens of the lists are written
by triggers, which the match tables do not have; but every write to a post or its
countries and languages already writes a change-log entry (`core.changelog`) in the
writing transaction, so the entries are the feed: each request reads the entries after
the last one seen and re-reads the posts they name (an import or bulk run, which names
no posts, reloads everything). A country's region comes from the reference data, whose
updates give the activities list's chunk -1 a new token (migration 0018): that token is
read too.

Entry ids are taken when a transaction writes, not when it commits, so on PostgreSQL an
entry can become visible after a later one: the ids skipped below the last one seen are
kept as gaps and read again until every transaction running when they were skipped has
ended (the snapshot's xmin has passed them). SQLite commits one writer at a time, so its
ids become visible in order and leave no gaps. What is held is read through a connection
of its own, so it only ever holds committed data; what the caller's own transaction has
written and not yet committed (a post just created, a vector just encoded) is read
through the caller's session for that call alone.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, bindparam, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from devagenda.core import changelog
from devagenda.core.chunks import Vocabulary
from devagenda.core.memory_facets import CHUNK_SIZE, WHOLE_LIST
from devagenda.match.models import MatchPost, Side, Support
from devagenda.reference.codes import WipoRegion

DIMENSIONS = 512
NO_DAY = np.iinfo(np.int64).max  # valid_until not stated: valid every day
NO_SUPPORT = -1
SUPPORT_CODES = {support.value: code for code, support in enumerate(Support)}
REGION_CODES = {region.value: code for code, region in enumerate(WipoRegion)}
# The tables whose rows the filter reads; an entry for one names its post.
POST_TABLE = "match_post"
PART_TABLES = frozenset({"match_post_country", "match_post_language"})
HELD_TABLES = frozenset({POST_TABLE, *PART_TABLES})
REGIONS_LIST = "activity"  # whose chunk -1 token changes when a country is updated
GAP_WINDOW = 10_000  # at a first load, the latest entry ids checked for gaps (PostgreSQL)
BATCH = 5_000  # ids per IN list
_EPOCH = np.datetime64("1970-01-01", "D")


@dataclass(frozen=True)
class Block:
    """Posts of one side in id order; the pairs name rows of this block."""

    ids: np.ndarray  # int64, ascending
    keys: np.ndarray  # object: the posts' keys
    vectors: np.ndarray  # (rows, DIMENSIONS) float32; zeros where not encoded
    encoded: np.ndarray  # bool
    support: np.ndarray  # int16: SUPPORT_CODES, NO_SUPPORT when not stated
    valid_until: np.ndarray  # int64 days since 1970, NO_DAY when not stated
    country_rows: np.ndarray  # int32
    country_codes: np.ndarray  # int32: codes of the held country vocabulary
    language_rows: np.ndarray  # int32
    language_codes: np.ndarray  # int32

    @property
    def size(self) -> int:
        return len(self.ids)

    def nbytes(self) -> int:
        arrays = [self.ids, self.vectors, self.encoded, self.support, self.valid_until]
        arrays += [self.country_rows, self.country_codes, self.language_rows]
        return sum(a.nbytes for a in [*arrays, self.language_codes]) + 8 * len(self.keys)

    def take(self, rows: np.ndarray) -> Block:
        """The block of the rows `rows` (positions, in the order given)."""
        place = np.full(self.size, -1, np.int64)
        place[rows] = np.arange(len(rows))

        def pairs(owners: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            moved = place[owners] if len(owners) else np.zeros(0, np.int64)
            kept = moved >= 0
            return moved[kept].astype(np.int32), codes[kept]

        return Block(
            self.ids[rows],
            self.keys[rows],
            self.vectors[rows],
            self.encoded[rows],
            self.support[rows],
            self.valid_until[rows],
            *pairs(self.country_rows, self.country_codes),
            *pairs(self.language_rows, self.language_codes),
        )

    def slice(self, low: int, high: int) -> Block:
        """Rows low to high as views of these arrays; the pairs must be sorted by row."""
        countries = np.searchsorted(self.country_rows, [low, high])
        languages = np.searchsorted(self.language_rows, [low, high])
        return Block(
            self.ids[low:high],
            self.keys[low:high],
            self.vectors[low:high],
            self.encoded[low:high],
            self.support[low:high],
            self.valid_until[low:high],
            self.country_rows[countries[0] : countries[1]] - low,
            self.country_codes[countries[0] : countries[1]],
            self.language_rows[languages[0] : languages[1]] - low,
            self.language_codes[languages[0] : languages[1]],
        )

    def without(self, ids: Iterable[int]) -> Block:
        gone = np.fromiter(ids, np.int64)
        return self.take(np.flatnonzero(~np.isin(self.ids, gone)))


def _empty_block() -> Block:
    none = np.zeros(0, np.int32)
    return Block(
        np.zeros(0, np.int64),
        np.zeros(0, object),
        np.zeros((0, DIMENSIONS), np.float32),
        np.zeros(0, bool),
        np.zeros(0, np.int16),
        np.zeros(0, np.int64),
        none,
        none,
        none,
        none,
    )


def _joined(blocks: Sequence[Block]) -> Block:
    """The blocks as one, in id order."""
    blocks = [b for b in blocks if b.size]
    if not blocks:
        return _empty_block()
    if len(blocks) == 1:
        return blocks[0]
    offsets = np.cumsum([0, *(b.size for b in blocks)])[:-1]

    def rows(name: str) -> np.ndarray:
        parts = [getattr(b, name) + offset for b, offset in zip(blocks, offsets, strict=True)]
        return np.concatenate(parts).astype(np.int32)

    def stacked(name: str) -> np.ndarray:
        return np.concatenate([getattr(b, name) for b in blocks])

    whole = Block(
        stacked("ids"),
        stacked("keys"),
        stacked("vectors"),
        stacked("encoded"),
        stacked("support"),
        stacked("valid_until"),
        rows("country_rows"),
        stacked("country_codes"),
        rows("language_rows"),
        stacked("language_codes"),
    )
    return whole.take(np.argsort(whole.ids, kind="stable"))


@dataclass
class Countries:
    """The countries' codes in the held pairs and the WIPO region of each code."""

    codes: Vocabulary = field(default_factory=Vocabulary)
    regions: np.ndarray = field(default_factory=lambda: np.full(1, -1, np.int16))

    def read(self, connection: Connection) -> None:
        rows = connection.execute(text("SELECT alpha3, wipo_region FROM country")).all()
        region_of = {alpha3: REGION_CODES[str(region)] for alpha3, region in rows}
        for alpha3 in sorted(region_of):
            self.codes.code(alpha3)
        self.regions = np.array(
            [-1 if value is None else region_of.get(value, -1) for value in self.codes.values],
            np.int16,
        )


@dataclass
class _State:
    """One database's posts as this process holds them."""

    blocks: dict[tuple[Side, int], Block]
    countries: Countries
    languages: Vocabulary
    upto: int  # every entry id up to here has been read, except the gaps
    gaps: dict[int, int]  # entry id -> the snapshot's xmax when it was skipped
    regions_token: str | None
    pending: frozenset[int]  # posts held without an embedding

    def nbytes(self) -> int:
        return sum(block.nbytes() for block in self.blocks.values())


@dataclass(frozen=True)
class Own:
    """What a suggestion needs to know of the post it is for."""

    side: Side
    support: Support | None
    countries: tuple[str, ...]
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Ranked:
    """The posts that pass the constraints (in no particular order) and their scores."""

    ids: np.ndarray
    keys: np.ndarray
    scores: np.ndarray


def scores(vectors: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Each row's dot product with `vector`. Not a BLAS product: that sums a row in an
    order that depends on where the row sits in the matrix, so that two equal vectors
    could score a last bit apart and a tie be broken by position instead of by key.
    einsum sums every row alike, whichever rows are asked for."""
    return np.einsum("ij,j->i", vectors, vector)


class HeldPosts:
    """What one process holds of the posts of each database. Tests make several to play
    several processes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, _State] = {}
        # Whole loads and re-reads of posts per database, for tests and benchmarks.
        self.reads: Counter[str] = Counter()

    def ranked(self, session: Session, own: Own, vector: np.ndarray, today: date) -> Ranked | None:
        """The other side's posts that meet `own`'s hard constraints on `today`, as
        `session` sees them, scored against `vector`; None when they cannot be held for
        it (then the caller asks the database)."""
        engine = _engine(session)
        if engine is None:
            return None
        mine = _own_writes(session)
        if mine is None:
            return None
        state = self.state(engine)
        if state.pending:  # embeddings the caller's transaction may have written
            mine |= _encoded(session.connection(), state.pending)
        other = Side.OFFER if own.side == Side.NEED else Side.NEED
        blocks = [b for (side, _), b in sorted(state.blocks.items()) if side == other]
        if mine:
            blocks = [block.without(mine) for block in blocks]
            countries = Countries(_copy(state.countries.codes), state.countries.regions)
            languages = _copy(state.languages)
            read = _read_posts(session.connection(), mine, countries, languages)
            blocks += [b for (side, _), b in read.items() if side == other]
        else:
            countries, languages = state.countries, state.languages
        day = _day(today)
        ids, keys, found = [np.zeros(0, np.int64)], [np.zeros(0, object)], [np.zeros(0, np.float32)]
        for block in blocks:
            rows = _passing(block, own, day, countries, languages)
            ids.append(block.ids[rows])
            keys.append(block.keys[rows])
            # A whole block is scored in place: no copy of its vectors.
            matrix = block.vectors if len(rows) == block.size else block.vectors[rows]
            found.append(scores(matrix, vector))
        return Ranked(np.concatenate(ids), np.concatenate(keys), np.concatenate(found))

    def nbytes(self, engine: Engine) -> int:
        """The bytes held for one database (0 when nothing is)."""
        state = self._states.get(engine.url.render_as_string())
        return 0 if state is None else state.nbytes()

    def state(self, engine: Engine) -> _State:
        """The database's posts as committed now: loaded on first use, then brought up to
        date from the change log."""
        name = engine.url.render_as_string()
        with self._lock, engine.connect() as connection:
            state = self._states.get(name)
            state = self._load(connection) if state is None else self._refresh(connection, state)
            self._states[name] = state
            connection.rollback()
            return state

    def reads_of(self, engine: Engine) -> int:
        return self.reads[engine.url.render_as_string()]

    def warm(self, engine: Engine) -> None:
        """Load a database's posts before the first suggestion asks for them (seconds at
        100,000 posts; a suggestion asked meanwhile waits for this load, not a second).
        A database without posts, or not set up yet, is left to the first call."""
        try:
            with engine.connect() as connection:
                if connection.execute(text("SELECT 1 FROM match_post LIMIT 1")).first() is None:
                    return
            self.state(engine)
        except SQLAlchemyError:
            return  # no match tables yet, or the database went away: nothing to hold

    def _load(self, connection: Connection) -> _State:
        """Every post, read after the log's position so that no later write is missed."""
        upto, gaps = _log_position(connection)
        token = _regions_token(connection)
        countries, languages = Countries(), Vocabulary()
        countries.read(connection)
        blocks = _read_posts(connection, None, countries, languages)
        self._count_read(connection)
        return _State(blocks, countries, languages, upto, gaps, token, _pending(blocks))

    def _refresh(self, connection: Connection, state: _State) -> _State:
        """The state brought up to date. The blocks are replaced, never changed in place,
        so that a call ranking the ones it took meanwhile sees one state throughout."""
        entries, last, snapshot = _new_entries(connection, state)
        if last < state.upto and not entries:  # the log was replaced (a restore)
            return self._load(connection)
        touched, everything = _touched(entries)
        _settle(state, entries, snapshot)
        token = _regions_token(connection)
        if token != state.regions_token:
            state.countries.read(connection)
            state.regions_token = token
        if everything:
            blocks = _read_posts(connection, None, state.countries, state.languages)
            state.blocks = blocks
            state.pending = _pending(blocks)
            self._count_read(connection)
            return state
        if state.pending:  # encoded since, by another process: no entry tells
            touched |= _encoded(connection, state.pending)
        if touched:
            self._reread(connection, state, touched)
        return state

    def _count_read(self, connection: Connection) -> None:
        self.reads[connection.engine.url.render_as_string()] += 1

    def _reread(self, connection: Connection, state: _State, ids: set[int]) -> None:
        read = _read_posts(connection, ids, state.countries, state.languages)
        chunks = {post_id // CHUNK_SIZE for post_id in ids}
        blocks = dict(state.blocks)
        for side in Side:
            for chunk in chunks:
                held = blocks.get((side, chunk), _empty_block())
                inside = [i for i in ids if i // CHUNK_SIZE == chunk]
                block = _joined([held.without(inside), read.get((side, chunk), _empty_block())])
                if block.size:
                    blocks[(side, chunk)] = block
                else:
                    blocks.pop((side, chunk), None)
        state.blocks = blocks
        state.pending = _pending(blocks)
        self._count_read(connection)


PROCESS = HeldPosts()


def _copy(vocabulary: Vocabulary) -> Vocabulary:
    """A vocabulary a call may grow without growing the held one."""
    return Vocabulary(list(vocabulary.values), dict(vocabulary.codes))


def _engine(session: Session) -> Engine | None:
    """The engine to read committed data through: none for a session bound to one
    connection (a test's outer transaction) or for an in-memory SQLite database, whose
    one connection would show the caller's uncommitted writes."""
    bind = session.get_bind()
    if not isinstance(bind, Engine):
        return None
    if bind.dialect.name == "sqlite":
        database = bind.url.database
        if not database or database == ":memory:" or "mode=memory" in str(bind.url):
            return None
    return bind


def _own_writes(session: Session) -> set[int] | None:
    """The posts the session's transaction has written to and not committed, which the
    held state cannot show; None when it cannot tell which (a run under way or logged,
    which names tables, not posts)."""
    session.flush()
    if changelog.current_run(session) is not None:
        return None
    transaction = changelog.current_transaction(session)
    if transaction is None:
        return set()
    rows = session.execute(
        text(
            "SELECT action, record_type, record_key, parent_key, changed_fields "
            "FROM change_entry WHERE transaction_id = :transaction"
        ),
        {"transaction": transaction},
    ).all()
    touched, everything = _touched(rows)
    return None if everything else touched


def _touched(entries: Sequence[Any]) -> tuple[set[int], bool]:
    """The posts the entries name, and whether one of them is a run over the held tables."""
    touched: set[int] = set()
    for entry in entries:
        if entry.action == changelog.ChangeAction.RUN.value:
            tables = entry.changed_fields
            if isinstance(tables, str):  # SQLite's JSON is text
                tables = json.loads(tables)
            if HELD_TABLES & set(tables or ()):
                return set(), True
        elif entry.record_type == POST_TABLE:
            touched.add(int(entry.record_key))
        elif entry.record_type in PART_TABLES and entry.parent_key is not None:
            touched.add(int(entry.parent_key))
    return touched, False


def _snapshot(connection: Connection) -> tuple[int, int] | None:
    """PostgreSQL's (xmin, xmax) now: transactions below xmin have ended; every one that
    has begun is below xmax. None on SQLite, which needs no gaps."""
    if connection.dialect.name != "postgresql":
        return None
    low, high = connection.execute(
        text(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text, "
            "pg_snapshot_xmax(pg_current_snapshot())::text"
        )
    ).one()
    return int(low), int(high)


def _log_position(connection: Connection) -> tuple[int, dict[int, int]]:
    """The last entry id visible now, and (PostgreSQL) the ids below it not visible yet
    among the latest GAP_WINDOW, which running transactions may still commit."""
    snapshot = _snapshot(connection)
    upto = connection.execute(text("SELECT coalesce(max(id), 0) FROM change_entry")).scalar_one()
    gaps: dict[int, int] = {}
    if snapshot is not None:
        seen = set(
            connection.execute(
                text("SELECT id FROM change_entry WHERE id > :low"), {"low": upto - GAP_WINDOW}
            ).scalars()
        )
        low = max(upto - GAP_WINDOW, 0)
        gaps = {i: snapshot[1] for i in range(low + 1, upto) if i not in seen}
    return int(upto), gaps


def _new_entries(connection: Connection, state: _State) -> tuple[list[Any], int, Any]:
    """The entries after the last one read, and those of the gaps that have appeared;
    the log's last id; the snapshot the gaps are judged by."""
    snapshot = _snapshot(connection)
    columns = "id, action, record_type, record_key, parent_key, changed_fields"
    query = f"SELECT {columns} FROM change_entry WHERE id > :upto"
    entries = list(connection.execute(text(query), {"upto": state.upto}).all())
    gaps = sorted(state.gaps)
    for start in range(0, len(gaps), BATCH):
        statement = text(f"SELECT {columns} FROM change_entry WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True)
        )
        entries += connection.execute(statement, {"ids": gaps[start : start + BATCH]}).all()
    last = connection.execute(text("SELECT coalesce(max(id), 0) FROM change_entry")).scalar_one()
    return entries, int(last), snapshot


def _settle(state: _State, entries: Sequence[Any], snapshot: tuple[int, int] | None) -> None:
    """Move the position past the entries read; on PostgreSQL, keep the ids skipped as
    gaps, and forget the gaps no running transaction can fill any more."""
    seen = {int(entry.id) for entry in entries}
    top = max([state.upto, *seen])
    for entry_id in seen:
        state.gaps.pop(entry_id, None)
    if snapshot is None:
        state.gaps.clear()
    else:
        low, high = snapshot
        state.gaps = {i: tag for i, tag in state.gaps.items() if tag > low}
        state.gaps.update({i: high for i in range(state.upto + 1, top) if i not in seen})
    state.upto = top


def _regions_token(connection: Connection) -> str | None:
    return connection.execute(
        text("SELECT token FROM list_chunk WHERE list_name = :name AND chunk = :chunk"),
        {"name": REGIONS_LIST, "chunk": WHOLE_LIST},
    ).scalar_one_or_none()


def _encoded(connection: Connection, ids: Iterable[int]) -> set[int]:
    """Those of `ids` that have an embedding now."""
    wanted = sorted(ids)
    found: set[int] = set()
    statement = text("SELECT post_id FROM match_post_embedding WHERE post_id IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )
    for start in range(0, len(wanted), BATCH):
        found.update(
            connection.execute(statement, {"ids": wanted[start : start + BATCH]}).scalars()
        )
    return found


def _pending(blocks: dict[tuple[Side, int], Block]) -> frozenset[int]:
    return frozenset(int(i) for block in blocks.values() for i in block.ids[~block.encoded])


def _day(value: Any) -> int:
    if value is None:
        return int(NO_DAY)
    return int((np.datetime64(str(value)[:10], "D") - _EPOCH).astype(np.int64))


def _read_posts(
    connection: Connection, ids: set[int] | None, countries: Countries, languages: Vocabulary
) -> dict[tuple[Side, int], Block]:
    """The posts `ids` (None: every post) as blocks by side and chunk. Read in side and
    id order, so that each block is a slice of the arrays read: no copy of the vectors."""
    posts = _rows(connection, "SELECT id, key, side, support, valid_until FROM match_post", ids)
    placed = _rows(
        connection, "SELECT post_id, country_alpha3 FROM match_post_country", ids, "post_id"
    )
    spoken = _rows(connection, "SELECT post_id, language FROM match_post_language", ids, "post_id")
    if any(alpha3 not in countries.codes.codes for _, alpha3 in placed):
        countries.read(connection)  # a country added since the last read
    posts.sort(key=lambda row: (row[2], row[0]))
    order = np.fromiter((row[0] for row in posts), np.int64, len(posts))
    matrix, encoded = _vectors(connection, ids, order)
    whole = Block(
        order,
        np.array([row[1] for row in posts], object),
        matrix,
        encoded,
        np.array([SUPPORT_CODES.get(row[3], NO_SUPPORT) for row in posts], np.int16),
        np.array([_day(row[4]) for row in posts], np.int64),
        *_pairs(order, placed, countries.codes),
        *_pairs(order, spoken, languages),
    )
    needs = sum(1 for row in posts if row[2] == Side.NEED.value)
    blocks = {}
    for side, start, end in ((Side.NEED, 0, needs), (Side.OFFER, needs, len(posts))):
        chunks = order[start:end] // CHUNK_SIZE
        bounds = np.flatnonzero(np.diff(chunks)) + 1
        for low, high in zip([0, *bounds], [*bounds, end - start], strict=True):
            if high > low:
                blocks[(side, int(chunks[low]))] = whole.slice(start + low, start + high)
    return blocks


def _rows(
    connection: Connection, query: str, ids: set[int] | None, column: str = "id"
) -> list[Any]:
    """The rows of `query` for the posts `ids`; for every post, fetched by the driver's
    own cursor (several times faster than SQLAlchemy's rows at 100,000)."""
    if ids is None:
        cursor = connection.connection.cursor()
        try:
            cursor.execute(query)
            return cursor.fetchall()
        finally:
            cursor.close()
    wanted = sorted(ids)
    statement = text(f"{query} WHERE {column} IN :ids").bindparams(bindparam("ids", expanding=True))
    found = []
    for start in range(0, len(wanted), BATCH):
        found += [
            tuple(row)
            for row in connection.execute(statement, {"ids": wanted[start : start + BATCH]})
        ]
    return found


def _vectors(
    connection: Connection, ids: set[int] | None, order: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The posts' vectors, one row per post of `order` (zeros where none is stored), read
    a batch at a time straight into the matrix."""
    matrix = np.zeros((len(order), DIMENSIONS), np.float32)
    encoded = np.zeros(len(order), bool)
    query = "SELECT post_id, vector FROM match_post_embedding"
    if ids is not None:
        batches = [_rows(connection, query, ids, "post_id")]
    else:
        cursor = _streaming_cursor(connection)
        cursor.execute(query)
        batches = iter(lambda: cursor.fetchmany(BATCH), [])
    try:
        for batch in batches:
            owners = np.fromiter((row[0] for row in batch), np.int64, len(batch))
            rows, inside = _positions(order, owners)
            blob = b"".join(
                row[1] for row, kept in zip(batch, inside.tolist(), strict=True) if kept
            )
            matrix[rows] = np.frombuffer(blob, np.float32).reshape(-1, DIMENSIONS)
            encoded[rows] = True
    finally:
        if ids is None:
            cursor.close()
    return matrix, encoded


def _streaming_cursor(connection: Connection) -> Any:
    """A driver cursor that hands rows over a batch at a time. psycopg's own cursor
    fetches every row before the first (200 MB of vectors at 100,000 posts, held twice
    while they are copied); a named one is a server-side cursor, which streams them.
    SQLite's cursor steps through its rows anyway."""
    if connection.dialect.name == "postgresql":
        return connection.connection.driver_connection.cursor(name="match_vectors")
    return connection.connection.cursor()


def _positions(order: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of `owners` is in `order` (distinct ids in any order), for the owners
    it holds; and which owners it holds."""
    if not len(order):
        return np.zeros(0, np.int64), np.zeros(len(owners), bool)
    by_id = np.argsort(order, kind="stable")
    at = np.minimum(np.searchsorted(order[by_id], owners), len(order) - 1)
    inside = order[by_id[at]] == owners
    return by_id[at[inside]], inside


def _pairs(
    order: np.ndarray, links: list[Any], vocabulary: Vocabulary
) -> tuple[np.ndarray, np.ndarray]:
    """(row, code) pairs of the links whose post is among `order`, sorted by row."""
    if not links:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    owners = np.fromiter((row[0] for row in links), np.int64, len(links))
    rows, inside = _positions(order, owners)
    codes = vocabulary.codes_of([row[1] for row in links])[inside]
    by_row = np.argsort(rows, kind="stable")
    return rows[by_row].astype(np.int32), codes[by_row]


def _passing(
    block: Block, own: Own, day: int, countries: Countries, languages: Vocabulary
) -> np.ndarray:
    """The rows of `block` that meet the hard constraints, as
    `match.suggestions.candidate_filters` states them in SQL."""
    keep = block.encoded & ((block.valid_until == NO_DAY) | (block.valid_until >= day))
    if own.support is not None:
        code = SUPPORT_CODES[own.support.value]
        keep &= (block.support == NO_SUPPORT) | (block.support == code)
    if own.countries:
        codes = [countries.codes.codes.get(alpha3) for alpha3 in own.countries]
        regions = countries.regions[[c for c in codes if c is not None]]
        near = np.isin(countries.regions[block.country_codes], regions[regions >= 0])
        keep &= _none_or_any(block.size, block.country_rows, near)
    if own.languages:
        wanted = [languages.codes[v] for v in own.languages if v in languages.codes]
        shared = np.isin(block.language_codes, wanted)
        keep &= _none_or_any(block.size, block.language_rows, shared)
    return np.flatnonzero(keep)


def _none_or_any(size: int, rows: np.ndarray, hits: np.ndarray) -> np.ndarray:
    """Per row: it has no pairs, or one of its pairs is a hit."""
    stated = np.zeros(size, bool)
    stated[rows] = True
    hit = np.zeros(size, bool)
    hit[rows[hits]] = True
    return ~stated | hit


def own_facts(post: MatchPost) -> Own:
    return Own(
        post.side,
        post.support,
        tuple(link.country_alpha3 for link in post.countries),
        tuple(link.language for link in post.languages),
    )
