"""Matchmaking's rules: writing needs and offers, from an import or one at a time, who
may change them and see their contacts, and keeping each post's text embedding current
(suggestions read it; match.suggestions).

A row's `key` names its post: a stored key updates it, and only the columns the row
fills change. A post keeps its side: a need never turns into an offer, since whatever was
suggested or connected for it was suggested for a need. Countries are ISO alpha-2 codes
checked against the knowledge base, with the nearest codes suggested for an unknown one.
An edit through the API or the web is checked by the same rules (`check_post`, and the
import's own parsers per field), reporting every bad field at once.

A post written one at a time belongs to the account that wrote it. Imported posts belong
to no account, even when an account runs the import: the import states an organisation
as the owner, and the person loading a file of other people's posts is not their side (it
would see the contacts of every post connected with them and get their notices). An
import that updates an owned post keeps its owner.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import process
from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, object_session

from devagenda.accounts.permissions import Action, allowed, authorize
from devagenda.core.actor import current_actor
from devagenda.core.editing import Guard, Problems
from devagenda.core.errors import EditConflict, NotFoundError, PermissionDenied
from devagenda.core.imports import (
    FilesRefused,
    ImportResult,
    ImportRow,
    RowRejected,
    import_files,
    import_table,
    read_table,
    template,
)
from devagenda.core.listing import ColumnFacet, LinkFacet, ListSource, Sort
from devagenda.core.pagination import Listing, text_in
from devagenda.match import importers
from devagenda.match.models import (
    Connection,
    GreenCategory,
    KeyCounter,
    MatchPost,
    MatchPostCountry,
    MatchPostEmbedding,
    MatchPostField,
    MatchPostLanguage,
    OwnerType,
    Side,
    Support,
)
from devagenda.match.schemas import PostCreate, PostEdit, PostFilter, PostOut, PostSummary
from devagenda.reference.models import Country

TEXT_COLUMNS = ("title_zh", "title_en", "description_zh", "description_en")
_VALUE_COLUMNS = (
    *TEXT_COLUMNS,
    "owner",
    "owner_type",
    "support",
    "green_category",
    "valid_from",
    "valid_until",
    "contact",
)
# What a post's values hold besides its key and side: the import's other columns.
_WRITTEN = (*_VALUE_COLUMNS, "countries", "ip_fields", "languages")
_LISTS = ("countries", "ip_fields", "languages")
# Posts are encoded this many at a time: the encoder's cost per text falls with batches.
ENCODE_BATCH = 64


class MatchImportRefused(FilesRefused):
    """Some rows are bad; nothing was stored."""


def import_posts(
    session: Session, paths: Sequence[Path], *, replace: bool = False
) -> list[ImportResult]:
    """Load need and offer files (CSV or XLSX) in the caller's transaction, all or
    nothing; every file is checked even after a bad one, and rows that change stored
    posts are refused unless `replace` (core.imports.replacing). New and changed texts
    are encoded before returning, so that suggestions include them at once, and the
    owners of posted needs and offers are told of the new suggestions the rows bring."""
    from devagenda.match.notices import announce_for_owned_posts

    countries = _Countries(session)
    store = lambda db, row: _store_row(db, row, countries)  # noqa: E731
    results = import_files(
        session,
        "match_import",
        paths,
        lambda path: import_table(session, importers.POST_SPEC, str(path), read_table(path), store),
        MatchImportRefused,
        replace=replace,
    )
    encode_pending(session)
    if any(result.rows for result in results):
        announce_for_owned_posts(session)
    return results


def posts_template(kind: str) -> bytes:
    """An empty needs-and-offers import file (csv or xlsx) with every column."""
    return template(importers.POST_SPEC, kind)


def _store_row(session: Session, row: ImportRow, countries: _Countries) -> dict[str, int]:
    key = row.get("key")
    post = session.scalar(select(MatchPost).where(MatchPost.key == key))
    values = {column: row.get(column) for column in _WRITTEN if row.has(column)}
    problems = Problems()
    # Every check before any change: a rejected row leaves nothing behind in the session.
    alpha3 = check_post(post, row.get("side"), values, countries, problems, key=key)
    if problems.found:
        column, reason = next(iter(problems.found.items()))
        raise RowRejected(column, reason)
    if post is None:
        post = MatchPost(key=key, side=row.get("side"))
        session.add(post)
    write_post(session, post, values, alpha3)
    session.flush()
    return {row.get("side").value + "s": 1}


def check_post(
    post: MatchPost | None,
    side: Side | None,
    values: dict[str, Any],
    countries: _Countries,
    problems: Problems,
    *,
    key: str | None = None,
) -> list[str] | None:
    """The rules a post's values obey, for the import and for edits alike: a post keeps
    its side, has an owner and a title, known countries and a valid period. Returns the
    countries' alpha-3 codes (None: the values do not set them)."""
    if post is not None and side is not None and post.side != side:
        problems.add("side", f"{key} is stored as a {post.side.value}; a post keeps its side")
    if _stays_empty(post, values, ("owner",)):
        problems.add("owner", "a post needs its owner" if post else "a new post needs its owner")
    if _stays_empty(post, values, ("title_zh", "title_en")):
        field = "title_en" if "title_en" in values or "title_zh" not in values else "title_zh"
        problems.add(field, "a post needs a title in Chinese or English")
    alpha3 = None
    if "countries" in values:
        try:
            alpha3 = countries.resolve(values["countries"] or [])
        except RowRejected as rejected:
            problems.add("countries", str(rejected))
    start = values.get("valid_from", post.valid_from if post else None)
    end = values.get("valid_until", post.valid_until if post else None)
    if start is not None and end is not None and end < start:
        problems.add("valid_until", f"{end} is before valid_from {start}")
    return alpha3


def _stays_empty(post: MatchPost | None, values: dict[str, Any], columns: Sequence[str]) -> bool:
    """Whether every one of `columns` is empty once `values` are written."""
    return all(
        not (values[column] if column in values else getattr(post, column, None))
        for column in columns
    )


def write_post(
    session: Session, post: MatchPost, values: dict[str, Any], alpha3: list[str] | None
) -> bool:
    """Write checked values (a column absent stays, None clears it). Returns whether what
    suggestions rest on changed (texts or constraints); changed texts lose their
    embedding, which encode_pending computes again."""
    before = _suggestion_basis(post)
    texts_before = tuple(getattr(post, column) for column in TEXT_COLUMNS)
    for column in _VALUE_COLUMNS:
        if column in values:
            setattr(post, column, values[column])
    texts_after = tuple(getattr(post, column) for column in TEXT_COLUMNS)
    if post.id is not None and texts_after != texts_before:
        session.execute(delete(MatchPostEmbedding).where(MatchPostEmbedding.post_id == post.id))
    if alpha3 is not None:
        _replace(post.countries, alpha3, "country_alpha3", MatchPostCountry)
        for link in post.countries:
            link.position = alpha3.index(link.country_alpha3)
    if "ip_fields" in values:
        _replace(post.fields, values["ip_fields"] or [], "field_code", MatchPostField)
    if "languages" in values:
        _replace(post.languages, values["languages"] or [], "language", MatchPostLanguage)
    return post.id is None or _suggestion_basis(post) != before


def _suggestion_basis(post: MatchPost) -> tuple[Any, ...]:
    """What suggestions for the post rest on: its texts and its hard constraints."""
    return (
        *(getattr(post, column) for column in TEXT_COLUMNS),
        post.support,
        post.valid_from,
        post.valid_until,
        tuple(link.country_alpha3 for link in post.countries),
        tuple(sorted(link.language for link in post.languages)),
    )


def _replace(links: list[Any], wanted: Sequence[str], attribute: str, model: type) -> None:
    """Make `links` hold exactly `wanted`, keeping the rows that stay (so the change
    log shows only what was added and removed)."""
    for link in [link for link in links if getattr(link, attribute) not in wanted]:
        links.remove(link)
    present = {getattr(link, attribute) for link in links}
    links.extend(model(**{attribute: value}) for value in wanted if value not in present)


class _Countries:
    """ISO alpha-2 codes to the knowledge base's alpha-3 keys, with suggestions."""

    def __init__(self, session: Session) -> None:
        self.alpha3: dict[str, str] = {}
        self.names: dict[str, str] = {}
        for country in session.scalars(select(Country)):
            self.alpha3[country.alpha2] = country.alpha3
            self.names[country.alpha2] = country.name("en")

    def resolve(self, codes: Sequence[str]) -> list[str]:
        found = []
        for code in codes:
            if code not in self.alpha3:
                raise RowRejected("countries", f"unknown country code {code!r}{self._hint(code)}")
            found.append(self.alpha3[code])
        return found

    def _hint(self, code: str) -> str:
        near = [c for c in self.alpha3 if c[0] == code[0] or c[1] == code[1]]
        near = [c for c, _, _ in process.extract(code, near, limit=3)] if near else []
        shown = ", ".join(f"{c} ({self.names[c]})" for c in near)
        return f"; did you mean {shown}?" if shown else ""


def post_text(post: MatchPost) -> str:
    """What the encoder reads: the title and description in each language stated."""
    parts = (post.title_zh, post.description_zh, post.title_en, post.description_en)
    return "\n".join(part for part in parts if part)


def encode_pending(session: Session) -> int:
    """Encode every post whose embedding is missing (new or changed texts)."""
    from devagenda.match.suggestions import encode_texts

    encoded = exists().where(MatchPostEmbedding.post_id == MatchPost.id)
    pending = list(session.scalars(select(MatchPost).where(~encoded)))
    for start in range(0, len(pending), ENCODE_BATCH):
        batch = pending[start : start + ENCODE_BATCH]
        vectors = encode_texts([post_text(post) for post in batch])
        session.add_all(
            MatchPostEmbedding(post_id=post.id, vector=vector.tobytes())
            for post, vector in zip(batch, vectors, strict=True)
        )
    session.flush()
    return len(pending)


def find_post(session: Session, key: str) -> MatchPost:
    post = session.scalar(select(MatchPost).where(MatchPost.key == key))
    if post is None:
        raise NotFoundError(
            f"no need or offer has the key {key!r}; `devagenda match import` adds them"
        )
    return post


# -- writing one post ------------------------------------------------------------------------


def can_post() -> bool:
    """Whether the current actor may post needs and offers: any account."""
    return allowed(Action.POST_MATCH)


def _moderates() -> bool:
    """Editors and administrators: every post. A focal point's grant to edit records is
    for records of their countries, and a post's countries are those it is for, not
    theirs: they change their own posts only (no record counts as theirs here)."""
    return allowed(Action.EDIT_RECORD, countries=())


def _owns(post: MatchPost) -> bool:
    user_id = current_actor().user_id
    return user_id is not None and post.owner_account_id == user_id


def can_change(post: MatchPost) -> bool:
    """Whether the current actor may change or delete `post`: its owner account, or an
    editor or administrator."""
    return can_post() and (_moderates() or _owns(post))


def authorize_side(post: MatchPost, what: str) -> None:
    """Refuse unless the current actor may act for `post` (can_change): anonymous gets
    a refusal that asks to log in, another account one that says whose post it is."""
    actor = authorize(Action.POST_MATCH)
    if not can_change(post):
        raise PermissionDenied(
            f"refused: {actor.label} ({actor.role.value}) may {what} their own account's "
            f"posts only, and {post.key} is not one of them",
            action=Action.POST_MATCH.value,
            authenticated=True,
        )


def create_post(session: Session, data: PostCreate) -> MatchPost:
    """A new need or offer, owned by the current actor's account; its suggestions are
    computed at once and both sides of each new pair are told (match.notices)."""
    actor = authorize(Action.POST_MATCH)
    problems = Problems()
    side = _parse("side", data.side, problems)
    key = _parse("key", data.key, problems) if data.key else None
    if key is not None and session.scalar(select(MatchPost.id).where(MatchPost.key == key)):
        problems.add("key", f"{key} is taken: choose another key, or leave it out")
    values = _values(data, problems)
    alpha3 = check_post(None, side, values, _Countries(session), problems)
    problems.raise_any()
    post = MatchPost(key=key or _next_key(session, side), side=side, owner_account_id=actor.user_id)
    session.add(post)
    write_post(session, post, values, alpha3)
    session.flush()
    _suggestions_changed(session, post)
    return post


def update_post(
    session: Session, key: str, data: PostEdit, expected_version: int | None
) -> MatchPost:
    """Change what `data` sets (a field left out stays, null clears it); a stale
    `expected_version` is refused. New suggestions are announced as on creation."""
    authorize(Action.POST_MATCH)  # anonymous: 401 before anything is looked up
    post = find_post(session, key)
    authorize_side(post, "change")
    guard = _guard(session, post, expected_version)
    guard.check()
    problems = Problems()
    values = _values(data, problems)
    with session.no_autoflush:
        alpha3 = check_post(post, None, values, _Countries(session), problems, key=key)
    problems.raise_any()
    changed = write_post(session, post, values, alpha3)
    guard.flush()
    if changed:
        _suggestions_changed(session, post)
    return post


def post_as_edited(session: Session, key: str) -> PostOut:
    """The post as an edit names its values: countries by ISO alpha-2 code, as PostEdit
    takes them (they are stored by alpha-3), so that a form filled with it saves as is."""
    post = get_post(session, key)
    alpha2 = dict(
        session.execute(
            select(Country.alpha3, Country.alpha2).where(Country.alpha3.in_(post.countries))
        ).all()
    )
    return post.model_copy(update={"countries": [alpha2[code] for code in post.countries]})


def delete_post(session: Session, key: str, expected_version: int | None) -> None:
    """Delete a post with its countries, fields and languages (each logged). A post with
    connections stays: the counts the report quotes rest on them; end it instead by
    setting `valid_until`."""
    authorize(Action.POST_MATCH)  # anonymous: 401 before anything is looked up
    post = find_post(session, key)
    authorize_side(post, "delete")
    guard = _guard(session, post, expected_version)
    guard.check()
    connected = session.scalar(
        select(func.count())
        .select_from(Connection)
        .where(or_(Connection.need_id == post.id, Connection.offer_id == post.id))
    )
    if connected:
        raise EditConflict(
            f"{key} has {connected} connection(s), which the matchmaking counts keep: "
            "end the post instead by setting valid_until",
            record_type=MatchPost.__tablename__,
            record_key=key,
            version=post.version,
            current=get_post(session, key).model_dump(mode="json"),
        )
    session.delete(post)
    guard.flush()


def _guard(session: Session, post: MatchPost, expected: int | None) -> Guard:
    key = post.key
    return Guard(session, post, expected, lambda: get_post(session, key), key)


def _parse(column: str, value: Any, problems: Problems) -> Any:
    """A value read by the import's own parser for `column` (the same aliases, limits
    and messages); None and empty text clear. Lists are read item by item."""
    if value is None or value == "" or value == []:
        return None
    parse = importers.POST_SPEC.column(column).parse
    try:
        if column in _LISTS:
            return list(dict.fromkeys(code for item in value for code in parse(item)))
        if isinstance(value, date):
            return value
        return parse(value) or None
    except ValueError as error:  # CellError is a ValueError
        problems.add(column, str(error))
        return None


def _values(data: PostEdit, problems: Problems) -> dict[str, Any]:
    """The columns the edit sets, parsed; the bad ones are left out and reported."""
    values: dict[str, Any] = {}
    for column in _WRITTEN:
        if column in data.model_fields_set:
            before = len(problems.found)
            value = _parse(column, getattr(data, column), problems)
            if len(problems.found) == before:
                values[column] = value
    return values


def _next_key(session: Session, side: Side) -> str:
    """NEED-n or OFFER-n from the side's counter (models.KeyCounter). A key taken by an
    import (which names its own keys) moves the counter past the highest number stored;
    two processes making the first counter row at once make one (ON CONFLICT)."""
    prefix = f"{side.value.upper()}-"
    taken = update(KeyCounter).where(KeyCounter.side == side)
    number = session.scalar(
        taken.values(last_number=KeyCounter.last_number + 1).returning(KeyCounter.last_number)
    )
    if number is None:  # the side's first new post: the counter starts above its keys
        start = {"side": side, "last_number": _highest_number(session, prefix)}
        dialect = session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        session.execute(insert(KeyCounter).values(start).on_conflict_do_nothing())
        return _next_key(session, side)
    if session.scalar(select(MatchPost.id).where(MatchPost.key == f"{prefix}{number}")):
        highest = max(number, _highest_number(session, prefix)) + 1
        session.execute(taken.values(last_number=highest))
        number = highest
    return f"{prefix}{number}"


def _highest_number(session: Session, prefix: str) -> int:
    keys = session.scalars(select(MatchPost.key).where(MatchPost.key.startswith(prefix)))
    return max((int(k[len(prefix) :]) for k in keys if k[len(prefix) :].isdigit()), default=0)


def _suggestions_changed(session: Session, post: MatchPost) -> None:
    from devagenda.match.notices import announce_suggestions

    encode_pending(session)
    announce_suggestions(session, post)


# -- reading ----------------------------------------------------------------------------------


def contact_allowed(post: MatchPost) -> bool:
    """Whether the current actor may see the post's contact details: editors and
    administrators, its owner account, and the owner of a post connected with it (the
    two sides)."""
    session = object_session(post)
    assert session is not None
    return post.id in _contacts_readable(session, [post])


def _contacts_readable(session: Session, posts: Sequence[MatchPost]) -> set[int]:
    """Of `posts`, the ids whose contact details the current actor may see (one query
    for a whole page)."""
    if allowed(Action.READ_PERSONAL):
        return {post.id for post in posts}
    user_id = current_actor().user_id
    if user_id is None:
        return set()
    readable = {post.id for post in posts if post.owner_account_id == user_id}
    ids = [post.id for post in posts if post.id not in readable]
    if ids:
        mine = select(MatchPost.id).where(MatchPost.owner_account_id == user_id)
        pairs = session.execute(
            select(Connection.need_id, Connection.offer_id).where(
                or_(
                    and_(Connection.need_id.in_(ids), Connection.offer_id.in_(mine)),
                    and_(Connection.offer_id.in_(ids), Connection.need_id.in_(mine)),
                )
            )
        )
        for need_id, offer_id in pairs:
            readable.update({need_id, offer_id} & set(ids))
    return readable


def _summary(post: MatchPost, contact_shown: bool) -> PostSummary:
    return PostSummary(
        key=post.key,
        side=post.side,
        version=post.version,
        title_zh=post.title_zh,
        title_en=post.title_en,
        owner=post.owner,
        owner_type=post.owner_type,
        support=post.support,
        green_category=post.green_category,
        countries=[link.country_alpha3 for link in post.countries],
        ip_fields=[link.field_code for link in post.fields],
        languages=[link.language for link in post.languages],
        valid_from=post.valid_from,
        valid_until=post.valid_until,
        contact_shown=contact_shown,
        contact=post.contact if contact_shown else None,
    )


def _summaries(session: Session, posts: Sequence[MatchPost]) -> list[PostSummary]:
    readable = _contacts_readable(session, posts)
    return [_summary(post, post.id in readable) for post in posts]


def _pairs(model: Any, value: Any) -> Any:
    return select(model.post_id.label("owner"), value.label("value"))


def _facets() -> tuple[Any, ...]:
    return (
        ColumnFacet("support", MatchPost.support, Support),
        ColumnFacet("green_category", MatchPost.green_category, GreenCategory),
        ColumnFacet("owner_type", MatchPost.owner_type, OwnerType),
        LinkFacet(
            "country",
            MatchPost.id,
            _pairs(MatchPostCountry, MatchPostCountry.country_alpha3),
            not_stated=True,
            unique_pairs=True,
        ),
        LinkFacet(
            "ip_field",
            MatchPost.id,
            _pairs(MatchPostField, MatchPostField.field_code),
            not_stated=True,
            unique_pairs=True,
        ),
        LinkFacet(
            "language",
            MatchPost.id,
            _pairs(MatchPostLanguage, MatchPostLanguage.language),
            not_stated=True,
            unique_pairs=True,
        ),
    )


def post_source(
    session: Session, side: Side, filters: PostFilter | None = None
) -> ListSource[PostSummary]:
    """The needs (or offers) for the database to filter, count and order. Every filter
    is a facet, so `filters` only names the side here."""
    query = select(MatchPost).where(MatchPost.side == side)
    text = text_in(*(getattr(MatchPost, c) for c in (*TEXT_COLUMNS, "owner")))
    listing = Listing(session, query, MatchPost.id, _summaries, text)  # type: ignore[arg-type]
    sorts = {"key": Sort(MatchPost.key, nullable=False), "valid_until": Sort(MatchPost.valid_until)}
    return ListSource(listing, facets=_facets(), sorts=sorts)


def get_post(session: Session, key: str) -> PostOut:
    """One post; its contact details only for those who may read them."""
    post = find_post(session, key)
    return PostOut(
        **_summary(post, contact_allowed(post)).model_dump(),
        description_zh=post.description_zh,
        description_en=post.description_en,
    )
