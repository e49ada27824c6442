"""Searching the index: matching, facet counts, ranking, pages and highlighted snippets.

The user's query never reaches SQL text: it is parsed (`devagenda.search.query`), its words
are segmented like the documents, and each token goes into a full-text expression (FTS5 on
SQLite, a tsquery on PostgreSQL) quoted as a literal word, passed as a bound parameter.
Whatever the query holds, the worst outcome is no results and a notice saying why.

One full-text match per request returns the matching entry ids and scores, or, for a
query holding a common token, set operations on the process's id sets of those tokens
(`devagenda.search.postings`) with the engine asked only for the rarer parts; filters,
facet counts, the collapse of a record's languages into one hit, and the order of the page
are then worked out on the in-memory facet columns (`devagenda.search.facets`). Only the
page's own records are read back from the database.
"""

from __future__ import annotations

import json
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from devagenda.core.cursors import decode_cursor, encode_cursor
from devagenda.core.errors import InputError
from devagenda.core.sqlreader import bound_list
from devagenda.search import facets as columns
from devagenda.search.layout import FULL_TEXT_COLUMN, index_is_current
from devagenda.search.matching import (
    FTS5,
    TSQUERY,
    TSQUERY_TITLE,
    Contains,
    InOrder,
    Matches,
    Node,
    compile_query,
    contains_condition,
    expression,
    has_contains,
)
from devagenda.search.postings import EngineIds, Postings, Verify, evaluate, uses_postings
from devagenda.search.query import MAX_QUERY_CHARS, ParsedQuery, parse
from devagenda.search.schemas import (
    FacetCount,
    SearchHit,
    SearchNotice,
    SearchResults,
    SearchSuggestion,
)
from devagenda.search.segment import fold, is_han, segmenter, word_runs

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from devagenda.core.context import AppContext
    from devagenda.core.sqlreader import Reader

FACETS = columns.FACETS
MAX_LIMIT = 100
MAX_OFFSET = 2**31 - 1
SNIPPET_CHARS = 160
SNIPPET_LEAD = 30  # characters shown before the first match
TITLE_WEIGHT = 10.0  # a word in the title counts as much as ten in the body (SQLite)
RANKED_MATCHES = 5000  # matches scored for relevance; beyond, title matches first

__all__ = ["FACETS", "MAX_LIMIT", "MAX_QUERY_CHARS", "search", "search_with", "snippet"]


def search(session: Session, query: str, **options: Any) -> SearchResults:
    """`search_with` in a session's transaction, whose own writes are found too."""
    from devagenda.core.sqlreader import SessionReader
    from devagenda.search.sync import update_index

    update_index(session)
    return search_with(SessionReader(session), query, **options)


def search_with(
    reader: Reader,
    query: str,
    *,
    kinds: Sequence[str] | None = None,
    status: str | None = None,
    cluster: str | None = None,
    sector: str | None = None,
    country: str | None = None,
    year: int | None = None,
    language: str | None = None,
    display_language: str | None = None,
    limit: int = 20,
    cursor: str | None = None,
    keep_sets: bool = True,
) -> SearchResults:
    """Records matching `query` (all records when it is blank) and the filters, best
    first, with facet counts over the whole matching set. Each record is one hit, titled
    in `display_language` where it has that language. Reads with plain SQL, so that the
    command line runs it over sqlite3 without SQLAlchemy (`devagenda.core.sqlreader`).
    `keep_sets=False` skips the id sets of common tokens, which only a process serving
    many searches gains from."""
    offset = _offset(cursor)
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"must be between 1 and {MAX_LIMIT}", field="limit")
    _refuse_nul(
        kinds=kinds,
        status=status,
        cluster=cluster,
        sector=sector,
        country=country,
        language=language,
    )
    filters = columns.Filters(
        kinds=tuple(kinds or ()),
        status=status,
        cluster=cluster,
        sector=sector,
        country=country.upper() if country else None,
        year=year,
        language=language,
    )
    parsed = parse(query)
    matches = compile_query(reader, parsed)
    notices = [SearchNotice(code=n.code, message=n.text, subject=n.subject) for n in parsed.notices]
    if not index_is_current(reader):
        notices.append(
            SearchNotice(
                code="index_outdated",
                message="The search index was made by an earlier version of devagenda and "
                "may miss records: run `devagenda init` to rebuild it.",
            )
        )
    if query.strip() and parsed.blank:
        notices.append(
            SearchNotice(
                code="nothing_to_search",
                message="The query holds no words to search for.",
                subject=query[:MAX_QUERY_CHARS],
            )
        )
        return SearchResults(
            query=query, total=0, hits=[], facets={f: [] for f in FACETS}, notices=notices
        )
    snapshot = columns.snapshot(reader, sets=keep_sets)
    ids, scores = _matching(reader, matches, snapshot)
    counted = columns.count(snapshot, ids, scores, filters, offset=offset, limit=limit)
    hits = _hits(reader, counted, matches, display_language)
    results = SearchResults(
        query=query,
        total=counted.total,
        hits=hits[:limit],
        facets={
            name: [FacetCount(value=value, count=n) for value, n in values]
            for name, values in counted.facets.items()
        },
        next_cursor=encode_cursor(offset + limit) if len(counted.page) > limit else None,
        notices=notices,
        names=list(matches.names),
    )
    if counted.total == 0 and not parsed.blank:
        _suggest(reader, results, parsed, snapshot, ids, scores, filters)
    return results


def warm(context: AppContext) -> None:
    """Load what the first search would otherwise wait for: jieba's dictionary and the
    index's facet columns (both kept for the life of the process)."""
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError

    from devagenda.core.sqlreader import SessionReader

    segmenter()
    try:
        with context.sessions() as session:
            columns.snapshot(SessionReader(session))
    except (DBAPIError, SQLAlchemyTimeoutError):
        # A database not initialized yet has no index, and a busy pool has no connection
        # to spare: the first search loads the columns instead.
        pass


def _offset(cursor: str | None) -> int:
    """Ranked hits have no unique sort key to continue after, so a search cursor, in the
    shared opaque format, holds how many hits came before the page."""
    if cursor is None:
        return 0
    after = decode_cursor(cursor)
    if not isinstance(after, int) or not 0 <= after <= MAX_OFFSET:
        raise InputError("not a cursor of this search", field="cursor")
    return after


def _refuse_nul(**values: str | Sequence[str] | None) -> None:
    """PostgreSQL refuses text holding NUL: name the filter rather than fail in the database."""
    for name, value in values.items():
        texts = [value] if isinstance(value, str) else list(value or ())
        if any("\x00" in text for text in texts):
            raise InputError("must not contain NUL characters", field=name)


# -- matching ----------------------------------------------------------------------------


def _matching(
    reader: Reader, matches: Matches, snapshot: columns.Snapshot
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Entry ids and scores of the entries the query matches; (None, None) for all."""
    if matches.required is None and matches.excluded is None:
        return None, None
    if matches.required is not None:
        ids, scores = _run(reader, matches.required, snapshot.common)
    else:
        ids, scores = snapshot.ids, np.zeros(len(snapshot.ids))
    if matches.excluded is not None and len(ids):
        excluded = _ids(reader, matches.excluded, snapshot.common)
        keep = ~np.isin(ids, excluded, assume_unique=True)
        ids, scores = ids[keep], scores[keep]
    return ids, scores


def _run(reader: Reader, node: Node, common: Postings) -> tuple[np.ndarray, np.ndarray]:
    """Ids (sorted) and scores of the entries matching `node`.

    A node holding a common token is matched from the process's id sets
    (`devagenda.search.postings`), asking the engine only for its rarer parts, and scored
    cheaply there. Otherwise the engine matches it: relevance scores (bm25, ts_rank) cost
    about 5 µs per matching entry, so they are computed for at most RANKED_MATCHES
    entries (the engine stops reading after one more); a larger match is read as ids
    only, which is ten times cheaper, and ranks title matches first, then the index's
    own order.
    """
    engine = _SQLITE if reader.dialect == "sqlite" else _POSTGRESQL
    if uses_postings(node, common):
        ids, scores = evaluate(node, common, _engine_ids(reader), _verify(reader))
        assert scores is not None
        return ids, scores
    ranked = engine.statement(node, ranked=True)
    if ranked is None:
        return np.zeros(0, np.int64), np.zeros(0)
    rows = reader.rows(f"{ranked.sql} LIMIT {RANKED_MATCHES + 1}", **ranked.params)
    if len(rows) <= RANKED_MATCHES:
        ids = np.fromiter((row[0] for row in rows), np.int64, len(rows))
        scores = np.fromiter((row[1] for row in rows), np.float64, len(rows))
        order = np.argsort(ids, kind="stable")
        return ids[order], scores[order]
    ids = np.sort(_id_array(reader, engine.statement(node, ranked=False)))
    in_title = engine.statement(node, ranked=False, title_only=True)
    titled = _id_array(reader, in_title) if in_title is not None else np.zeros(0)
    return ids, np.isin(ids, titled).astype(np.float64)


def _ids(reader: Reader, node: Node, common: Postings) -> np.ndarray:
    """Sorted ids of the entries matching `node`, unscored."""
    if uses_postings(node, common):
        return evaluate(node, common, _engine_ids(reader), _verify(reader), scored=False)[0]
    return _engine_ids(reader)(node, False)


def _engine_ids(reader: Reader) -> EngineIds:
    """The engine's sorted ids for a node, in the title only when asked."""
    engine = _SQLITE if reader.dialect == "sqlite" else _POSTGRESQL

    def ids(node: Node, title_only: bool) -> np.ndarray:
        statement = engine.statement(node, ranked=False, title_only=title_only)
        return np.unique(_id_array(reader, statement))

    return ids


def _verify(reader: Reader) -> Verify:
    """A phrase or substring test on given entries only, which the database receives as
    one JSON or array parameter. On PostgreSQL a phrase is the tsquery's; on SQLite, where
    FTS5 would run the whole match again for every id, it is the tokens in order in the
    stored token text (the text FTS5 reads: title tokens then body tokens, one space
    apart), which is what an FTS5 phrase matches."""
    sqlite = reader.dialect == "sqlite"

    def verify(node: Contains | InOrder, ids: np.ndarray) -> np.ndarray:
        if not len(ids):
            return ids
        params: dict[str, object] = {"ids": json.dumps(ids.tolist())}
        if sqlite:
            among = "search_entry.id IN (SELECT value FROM json_each(:ids))"
        else:
            among = (
                "search_entry.id IN (SELECT CAST(value AS INTEGER)"
                " FROM jsonb_array_elements_text(CAST(:ids AS JSONB)))"
            )
        if isinstance(node, Contains):
            condition = contains_condition(node, lambda _: "1 = 1", params)
        elif sqlite:
            params["phrase"] = " " + " ".join(node.tokens) + " "
            condition = "instr(' ' || search_entry.tokens || ' ', :phrase) > 0"
        else:
            params["phrase"] = expression(node, TSQUERY)
            condition = f"search_entry.{FULL_TEXT_COLUMN} @@ CAST(:phrase AS TSQUERY)"
        sql = f"SELECT search_entry.id AS id FROM search_entry WHERE {among} AND {condition}"
        statement = Statement(sql, params)
        return np.unique(_id_array(reader, statement))

    return verify


def _id_array(reader: Reader, statement: Statement | None) -> np.ndarray:
    """The ids `statement` selects, fetched as one comma-separated string: a hundred
    thousand rows cost the driver far more than one string of the same ids."""
    if statement is None:
        return np.zeros(0, np.int64)
    joined = (
        "group_concat(id)" if reader.dialect == "sqlite" else "string_agg(CAST(id AS VARCHAR), ',')"
    )
    ((text,),) = reader.rows(
        f"SELECT {joined} FROM ({statement.sql}) AS matched", **statement.params
    )
    if not text:
        return np.zeros(0, np.int64)
    return np.array(text.split(","), dtype=np.int64)


@dataclass(frozen=True)
class Statement:
    """SQL text selecting `id` (and `score` when ranked), with its parameters."""

    sql: str
    params: dict[str, object] = field(default_factory=dict)


class _Engine:
    """How one database engine matches a query tree."""

    def statement(self, node: Node, *, ranked: bool, title_only: bool = False) -> Statement | None:
        raise NotImplementedError


class _Sqlite(_Engine):
    """FTS5. With a Contains condition the matches are materialized first: joined
    directly, the planner may probe FTS5 once per entry, running the whole query each
    time. bm25 is lower for better matches."""

    def statement(self, node: Node, *, ranked: bool, title_only: bool = False) -> Statement | None:
        text = expression(node, FTS5)
        if text is None:
            return None
        if title_only:
            text = f"title_tokens : ({text})"
        params: dict[str, object] = {"match": text}
        score = f", -bm25(search_fts, {TITLE_WEIGHT}, 1.0) AS score" if ranked else ""
        found = (
            f"SELECT search_fts.rowid AS id{score} FROM search_fts WHERE search_fts MATCH :match"
        )
        if not has_contains(node):
            return Statement(found, params)

        def matches(child: Node) -> str:
            name = f"match_{len(params)}"
            params[name] = expression(child, FTS5) or '""'
            return (
                "search_entry.id IN"
                f" (SELECT search_fts.rowid FROM search_fts WHERE search_fts MATCH :{name})"
            )

        columns_out = "full_text.id, full_text.score" if ranked else "full_text.id"
        condition = contains_condition(node, matches, params)
        return Statement(
            f"WITH full_text AS MATERIALIZED ({found}) SELECT {columns_out} FROM full_text"
            f" JOIN search_entry ON search_entry.id = full_text.id WHERE {condition}",
            params,
        )


class _Postgresql(_Engine):
    """A tsquery cast from a bound parameter: PostgreSQL's parser never reads the user's
    words. Title words weigh "A" in the vector, which ts_rank counts ten times."""

    def statement(self, node: Node, *, ranked: bool, title_only: bool = False) -> Statement | None:
        text = expression(node, TSQUERY_TITLE if title_only else TSQUERY)
        if text is None:
            return None
        vector = f"search_entry.{FULL_TEXT_COLUMN}"
        params: dict[str, object] = {"match": text}

        def matches(child: Node) -> str:
            name = f"match_{len(params)}"
            params[name] = expression(child, TSQUERY) or "''"
            return f"{vector} @@ CAST(:{name} AS TSQUERY)"

        score = f", ts_rank({vector}, CAST(:match AS TSQUERY)) AS score" if ranked else ""
        sql = (
            f"SELECT search_entry.id AS id{score} FROM search_entry"
            f" WHERE {vector} @@ CAST(:match AS TSQUERY)"
        )
        if has_contains(node):
            sql += f" AND {contains_condition(node, matches, params)}"
        return Statement(sql, params)


_SQLITE = _Sqlite()
_POSTGRESQL = _Postgresql()


# -- hits and snippets -------------------------------------------------------------------


class _HitRow(NamedTuple):
    id: int
    record: int
    kind: str
    key: str
    language: str
    title: str
    body: str
    url: str


def _hits(
    reader: Reader, counted: columns.Counted, matches: Matches, display_language: str | None
) -> list[SearchHit]:
    """One hit per record of the page: titled in `display_language` where the record has
    it, the snippet from its best matching entry (in that language if one matched)."""
    if not counted.page:
        return []
    params: dict[str, object] = {}
    records = bound_list(params, "record", counted.page)
    rows = [
        _HitRow(*row)
        for row in reader.rows(
            f"SELECT {', '.join(_HitRow._fields)} FROM search_entry WHERE record IN {records}",
            **params,
        )
    ]
    entries: dict[int, list[Any]] = {}
    for row in rows:
        entries.setdefault(row.record, []).append(row)
    on_page = np.isin(counted.matched_records, counted.page)
    score_of = dict(
        zip(
            counted.matched_ids[on_page].tolist(),
            counted.matched_scores[on_page].tolist(),
            strict=True,
        )
    )
    hits = []
    for record in counted.page:
        own = sorted(entries.get(record, []), key=lambda row: row.id)
        if not own:
            continue  # deleted since the columns were read
        matched = [row for row in own if row.id in score_of] or own

        def preference(row: Any) -> tuple[bool, float]:
            return (row.language == display_language, score_of.get(row.id, 0.0))

        shown = max(matched, key=preference)
        titled = next((row for row in own if row.language == display_language), shown)
        hits.append(
            SearchHit(
                kind=shown.kind,
                key=shown.key,
                language=titled.language,
                title=titled.title,
                snippet=snippet(
                    _snippet_text(shown.title, shown.body, matches),
                    matches.marked,
                    matches.marked_prefixes,
                    matches.marked_phrases,
                ),
                snippet_language=shown.language,
                url=shown.url,
                score=score_of.get(shown.id, 0.0),
            )
        )
    return hits


def _snippet_text(title: str, body: str, matches: Matches) -> str:
    """The body, unless only the title matches or there is no body."""
    marked = (matches.marked, matches.marked_prefixes, matches.marked_phrases)
    if not body or (_marks(title, *marked) and not _marks(body, *marked)):
        return title
    return body


# -- when nothing is found ---------------------------------------------------------------


def _suggest(
    reader: Reader,
    results: SearchResults,
    parsed: ParsedQuery,
    snapshot: columns.Snapshot,
    ids: np.ndarray | None,
    scores: np.ndarray | None,
    filters: columns.Filters,
) -> None:
    """What would find something: the query without its filters, any of its words instead
    of all of them, each word alone, the word as a prefix."""
    if filters != columns.Filters():
        unfiltered = columns.count(snapshot, ids, scores, columns.Filters(), offset=0, limit=1)
        results.total_without_filters = unfiltered.total
    candidates: list[str] = []
    plain = [c.items[0].text for c in parsed.required if len(c.items) == 1]
    if len(parsed.required) > 1 and len(plain) == len(parsed.required):
        candidates.append(" OR ".join(plain))
    if len(plain) == 1 and not parsed.excluded:
        candidates.append(plain[0] + "*")
    suggestions: list[SearchSuggestion] = []
    for candidate in candidates:
        found, found_scores = _matching(reader, compile_query(reader, parse(candidate)), snapshot)
        total = columns.count(snapshot, found, found_scores, filters, offset=0, limit=1).total
        if total:
            suggestions.append(SearchSuggestion(query=candidate, total=total))
    results.suggestions = suggestions


def snippet(
    text: str,
    words: Set[str],
    prefixes: Set[str] = frozenset(),
    phrases: Set[tuple[str, ...]] = frozenset(),
) -> str:
    """HTML safe to insert as is: a window of `text` around the most matches, escaped,
    with the tokens in `words`, or starting with one of `prefixes`, and each run of words
    that reads one of `phrases` marked."""
    marks = _marks(text, words, prefixes, phrases)
    start, end = _window(len(text), marks)
    html = ["…" if start > 0 else ""]
    position = start
    for mark_start, mark_end in marks:
        if start <= mark_start and mark_end <= end:
            html.append(escape(text[position:mark_start]))
            html.append(f"<mark>{escape(text[mark_start:mark_end])}</mark>")
            position = mark_end
    html.append(escape(text[position:end]))
    html.append("…" if end < len(text) else "")
    return "".join(html)


def _marks(
    text: str,
    words: Set[str],
    prefixes: Set[str] = frozenset(),
    phrases: Set[tuple[str, ...]] = frozenset(),
) -> list[tuple[int, int]]:
    """The character ranges of matching words and phrases; overlapping or touching ones
    merged.

    Chinese words are found as substrings, other words by their folded stems: no need to
    segment the text again with jieba, which a command-line search would have to load.
    """
    starts = tuple(p for p in prefixes if not is_han(p))
    spans: list[tuple[int, int]] = []
    folded = [(start, end, fold(run)) for start, end, run in word_runs(text)]
    for start, end, tokens in folded:
        if any(t in words or (starts and t.startswith(starts)) for t in tokens):
            spans.append((start, end))
    spans += _phrase_spans(folded, phrases)
    for han in (w for w in (*words, *prefixes) if is_han(w)):
        position = text.find(han)
        while position != -1:
            spans.append((position, position + len(han)))
            position = text.find(han, position + 1)
    merged: list[tuple[int, int]] = []
    for span in sorted(spans):
        if merged and span[0] <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], span[1]))
        else:
            merged.append(span)
    return merged


def _phrase_spans(
    folded: list[tuple[int, int, tuple[str, ...]]], phrases: Set[tuple[str, ...]]
) -> list[tuple[int, int]]:
    """Where the tokens of a phrase follow one another, as the engine's phrase match
    reads them (punctuation between words does not count)."""
    if not phrases:
        return []
    tokens = [(start, end, token) for start, end, run in folded for token in run]
    spans = []
    for phrase in phrases:
        size = len(phrase)
        for index in range(len(tokens) - size + 1):
            if tuple(token for _, _, token in tokens[index : index + size]) == phrase:
                spans.append((tokens[index][0], tokens[index + size - 1][1]))
    return spans


def _window(length: int, marks: list[tuple[int, int]]) -> tuple[int, int]:
    """The stretch of SNIPPET_CHARS holding the most marks (the earliest of equals)."""
    if not marks:
        return 0, min(length, SNIPPET_CHARS)

    def marks_from(first: int) -> int:
        start = max(0, marks[first][0] - SNIPPET_LEAD)
        return sum(1 for _, end in marks[first:] if end <= start + SNIPPET_CHARS)

    best = max(range(len(marks)), key=lambda i: (marks_from(i), -i))
    start = max(0, marks[best][0] - SNIPPET_LEAD)
    end = max(min(length, start + SNIPPET_CHARS), marks[best][1])
    return start, end
