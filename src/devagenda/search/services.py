"""Searching the index: matching, facet counts, ranking, pages and highlighted snippets.

The user's query never reaches SQL text: it is segmented like the documents, and each
token goes into a full-text expression (FTS5 on SQLite, a tsquery on PostgreSQL) quoted as
a literal word, passed as a bound parameter. Whatever the query holds, the worst outcome
is no results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    String,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.orm import Session

from devagenda.core.errors import InputError
from devagenda.core.pagination import decode_cursor, encode_cursor
from devagenda.search.models import FULL_TEXT_COLUMN, SearchEntry, SearchEntryCountry
from devagenda.search.schemas import FacetCount, SearchHit, SearchResults
from devagenda.search.segment import Term, query_terms, token_spans
from devagenda.search.sync import update_index

FACETS = ("kind", "status", "cluster", "sector", "country", "year", "language")
MAX_QUERY_CHARS = 200  # longer queries are cut: they only cost time
MAX_LIMIT = 100
SNIPPET_CHARS = 160
SNIPPET_LEAD = 30  # characters shown before the first match

_ENTRY = SearchEntry.__table__
_ENTRY_COUNTRY = SearchEntryCountry.__table__


def search(
    session: Session,
    query: str,
    *,
    kinds: Sequence[str] | None = None,
    status: str | None = None,
    cluster: str | None = None,
    sector: str | None = None,
    country: str | None = None,
    year: int | None = None,
    language: str | None = None,
    limit: int = 20,
    cursor: str | None = None,
) -> SearchResults:
    """Records matching every word of `query` (all records when it is blank) and the
    filters, title matches first, with facet counts over the whole matching set."""
    offset = _offset(cursor)
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"must be between 1 and {MAX_LIMIT}", field="limit")
    filters = _filters(kinds, status, cluster, sector, country, year, language)
    terms = query_terms(query[:MAX_QUERY_CHARS])
    if query.strip() and not terms:
        return SearchResults(query=query, total=0, hits=[], facets={f: [] for f in FACETS})
    update_index(session)  # this transaction's own writes are found too
    full_text = _full_text(session, terms)
    facets = _facets(session, full_text.matching(*filters))
    rows = session.execute(full_text.ranked(*filters).limit(limit + 1).offset(offset)).all()
    words = {word for term in terms for word in (term.word, *term.parts)}
    hits = [_hit(row, words) for row in rows[:limit]]
    return SearchResults(
        query=query,
        total=sum(facet.count for facet in facets["kind"]),
        hits=hits,
        facets=facets,
        next_cursor=encode_cursor(offset + limit) if len(rows) > limit else None,
    )


def _offset(cursor: str | None) -> int:
    """Ranked hits have no unique sort key to continue after, so a search cursor, in the
    shared opaque format, holds how many hits came before the page."""
    if cursor is None:
        return 0
    after = decode_cursor(cursor)
    if not isinstance(after, int) or after < 0:
        raise InputError("not a cursor of this search", field="cursor")
    return after


def _filters(
    kinds: Sequence[str] | None,
    status: str | None,
    cluster: str | None,
    sector: str | None,
    country: str | None,
    year: int | None,
    language: str | None,
) -> list[ColumnElement[bool]]:
    equal = {
        _ENTRY.c.status: status,
        _ENTRY.c.cluster: cluster,
        _ENTRY.c.sector: sector,
        _ENTRY.c.year: year,
        _ENTRY.c.language: language,
    }
    _refuse_nul(
        kinds=kinds,
        status=status,
        cluster=cluster,
        sector=sector,
        country=country,
        language=language,
    )
    filters = [column == value for column, value in equal.items() if value is not None]
    if kinds:
        filters.append(_ENTRY.c.kind.in_(list(kinds)))
    if country is not None:
        mentions = select(_ENTRY_COUNTRY.c.entry_id).where(
            _ENTRY_COUNTRY.c.alpha3 == country.upper()
        )
        filters.append(_ENTRY.c.id.in_(mentions))
    return filters


def _refuse_nul(**values: str | Sequence[str] | None) -> None:
    """PostgreSQL refuses text holding NUL: name the filter rather than fail in the database."""
    for name, value in values.items():
        texts = [value] if isinstance(value, str) else list(value or ())
        if any("\x00" in text for text in texts):
            raise InputError("must not contain NUL characters", field=name)


# -- the engines' full-text search -------------------------------------------------------


@dataclass(frozen=True)
class _FullText:
    """One query on one engine: where the entries come from, which ones match, and how
    relevant each one is."""

    source: FromClause
    match: Sequence[ColumnElement[bool]]
    score: ColumnElement[float]
    order: Sequence[ColumnElement[Any]]  # most relevant first: title matches, then score

    def matching(self, *filters: ColumnElement[bool]) -> Select[Any]:
        columns = [_ENTRY.c.id, *(_ENTRY.c[name] for name in FACETS if name != "country")]
        return select(*columns).select_from(self.source).where(*self.match, *filters)

    def ranked(self, *filters: ColumnElement[bool]) -> Select[Any]:
        shown = ("kind", "key", "language", "title", "body", "url")
        return (
            select(*(_ENTRY.c[name] for name in shown), self.score.label("score"))
            .select_from(self.source)
            .where(*self.match, *filters)
            .order_by(*self.order, _ENTRY.c.id)
        )


def _full_text(session: Session, terms: list[Term]) -> _FullText:
    if not terms:
        return _FullText(
            source=_ENTRY,
            match=(),
            score=literal(0.0),
            order=(_ENTRY.c.kind, _ENTRY.c.title),
        )
    if session.get_bind().dialect.name == "sqlite":
        return _sqlite(terms)
    return _postgresql(terms)


def _expression(terms: list[Term], phrase: Callable[[str], str], all_of: str, any_of: str) -> str:
    """All terms; each one as its word, or else as all the shorter words inside it."""

    def term(t: Term) -> str:
        if not t.parts:
            return phrase(t.word)
        parts = f" {all_of} ".join(map(phrase, t.parts))
        return f"({phrase(t.word)} {any_of} ({parts}))"

    return f" {all_of} ".join(map(term, terms))


_FTS = table("search_fts", column("rowid"), column("search_fts"))


def _sqlite(terms: list[Term]) -> _FullText:
    """FTS5: every token a quoted string, so that no character of it is an operator.

    The full-text matches are materialized first: joined directly, the planner may probe
    FTS5 once per entry of a filtered kind, running the whole query each time.
    """

    def quoted(token: str) -> str:
        return '"' + token.replace('"', '""') + '"'

    def matching(expression: str) -> ColumnElement[bool]:
        return _FTS.c.search_fts.op("MATCH")(expression)

    everywhere = _expression(terms, quoted, "AND", "OR")
    found = (
        select(_FTS.c.rowid.label("id"), func.bm25(_FTS.c.search_fts).label("rank"))
        .where(matching(everywhere))
        .cte("full_text")
        .prefix_with("MATERIALIZED")
    )
    in_title = _ENTRY.c.id.in_(
        select(_FTS.c.rowid).where(matching(f"title_tokens : ({everywhere})"))
    )
    score = -found.c.rank  # bm25 is lower for better matches
    return _FullText(
        source=_ENTRY.join(found, found.c.id == _ENTRY.c.id),
        match=(),
        score=score,
        order=(in_title.desc(), score.desc()),
    )


def _postgresql(terms: list[Term]) -> _FullText:
    """A tsquery written as quoted lexemes (weight A marks title words), cast from a bound
    parameter: PostgreSQL's parser never reads the user's words."""

    def lexeme(token: str) -> str:
        return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"

    def title_lexeme(token: str) -> str:
        return lexeme(token) + ":A"

    vector = literal_column(f"{_ENTRY.name}.{FULL_TEXT_COLUMN}", TSVECTOR)
    everywhere = cast(_expression(terms, lexeme, "&", "|"), TSQUERY)
    in_title = vector.bool_op("@@")(cast(_expression(terms, title_lexeme, "&", "|"), TSQUERY))
    score = func.ts_rank(vector, everywhere)
    return _FullText(
        source=_ENTRY,
        match=(vector.bool_op("@@")(everywhere),),
        score=score,
        order=(in_title.desc(), score.desc()),
    )


# -- facets ------------------------------------------------------------------------------


def _facets(session: Session, matching: Select[Any]) -> dict[str, list[FacetCount]]:
    """Counts of each facet's values over the matching entries, in one statement."""
    matched = matching.cte("matched")

    def counts(name: str, value: ColumnElement[Any], source: FromClause) -> Select[Any]:
        return (
            select(literal(name, String).label("facet"), cast(value, String), func.count())
            .select_from(source)
            .where(value.is_not(None))
            .group_by(value)
        )

    country = _ENTRY_COUNTRY.c.alpha3
    by_country = matched.join(_ENTRY_COUNTRY, _ENTRY_COUNTRY.c.entry_id == matched.c.id)
    statements = [counts(name, matched.c[name], matched) for name in FACETS if name != "country"]
    statements.append(counts("country", country, by_country))
    facets: dict[str, list[FacetCount]] = {name: [] for name in FACETS}
    for name, value, count in session.execute(union_all(*statements)):
        facets[name].append(FacetCount(value=value, count=count))
    for values in facets.values():
        values.sort(key=lambda facet: (-facet.count, facet.value))
    return facets


# -- hits and snippets -------------------------------------------------------------------


def _hit(row: Any, words: set[str]) -> SearchHit:
    return SearchHit(
        kind=row.kind,
        key=row.key,
        language=row.language,
        title=row.title,
        snippet=snippet(_snippet_text(row.title, row.body, words), words),
        url=row.url,
        score=row.score,
    )


def _snippet_text(title: str, body: str, words: set[str]) -> str:
    """The body, unless only the title matches or there is no body."""
    if not body or (_marks(title, words) and not _marks(body, words)):
        return title
    return body


def snippet(text: str, words: set[str]) -> str:
    """HTML safe to insert as is: a window of `text` around the most matches, escaped,
    with the tokens in `words` marked."""
    marks = _marks(text, words)
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


def _marks(text: str, words: set[str]) -> list[tuple[int, int]]:
    """The character ranges of matching tokens; overlapping or touching ones merged."""
    merged: list[tuple[int, int]] = []
    for span in sorted((s.start, s.end) for s in token_spans(text) if s.token in words):
        if merged and span[0] <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], span[1]))
        else:
            merged.append(span)
    return merged


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
