"""Matchmaking's rules: writing needs and offers from an import, and keeping each post's
text embedding current (suggestions read it; match.suggestions).

A row's `key` names its post: a stored key updates it, and only the columns the row
fills change. A post keeps its side: a need never turns into an offer, since whatever was
suggested or connected for it was suggested for a need. Countries are ISO alpha-2 codes
checked against the knowledge base, with the nearest codes suggested for an unknown one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rapidfuzz import process
from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from devagenda.accounts.permissions import Action, allowed
from devagenda.core.errors import NotFoundError
from devagenda.core.imports import (
    FilesRefused,
    ImportResult,
    ImportRow,
    RowRejected,
    import_files,
    import_table,
    read_table,
)
from devagenda.core.listing import ColumnFacet, LinkFacet, ListSource, Sort
from devagenda.core.pagination import Listing, text_in
from devagenda.match import importers
from devagenda.match.models import (
    GreenCategory,
    MatchPost,
    MatchPostCountry,
    MatchPostEmbedding,
    MatchPostField,
    MatchPostLanguage,
    OwnerType,
    Side,
    Support,
)
from devagenda.match.schemas import PostFilter, PostOut, PostSummary
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
    are encoded before returning, so that suggestions include them at once."""
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
    return results


def _store_row(session: Session, row: ImportRow, countries: _Countries) -> dict[str, int]:
    key = row.get("key")
    post = session.scalar(select(MatchPost).where(MatchPost.key == key))
    if post is not None and post.side != row.get("side"):
        raise RowRejected("side", f"{key} is stored as a {post.side.value}; a post keeps its side")
    if post is None and not row.has("owner"):
        raise RowRejected("owner", "a new post needs its owner")
    if post is None and not (row.has("title_zh") or row.has("title_en")):
        raise RowRejected("title_en", "a new post needs a title in Chinese or English")
    # Every check before any change: a rejected row leaves nothing behind in the session.
    alpha3 = countries.resolve(row.get("countries")) if row.has("countries") else None
    start = row.get("valid_from", post.valid_from if post else None)
    end = row.get("valid_until", post.valid_until if post else None)
    if start is not None and end is not None and end < start:
        raise RowRejected("valid_until", f"{end} is before valid_from {start}")
    if post is None:
        post = MatchPost(key=key, side=row.get("side"))
        session.add(post)
    texts_before = tuple(getattr(post, column) for column in TEXT_COLUMNS)
    for column in _VALUE_COLUMNS:
        if row.has(column):
            setattr(post, column, row.get(column))
    texts_after = tuple(getattr(post, column) for column in TEXT_COLUMNS)
    if post.id is not None and texts_after != texts_before:
        # Encoded again by encode_pending.
        session.execute(delete(MatchPostEmbedding).where(MatchPostEmbedding.post_id == post.id))
    if alpha3 is not None:
        _replace(post.countries, alpha3, "country_alpha3", MatchPostCountry)
        for link in post.countries:
            link.position = alpha3.index(link.country_alpha3)
    if row.has("ip_fields"):
        _replace(post.fields, row.get("ip_fields"), "field_code", MatchPostField)
    if row.has("languages"):
        _replace(post.languages, row.get("languages"), "language", MatchPostLanguage)
    session.flush()
    return {row.get("side").value + "s": 1}


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


# -- reading ----------------------------------------------------------------------------------


def contact_allowed() -> bool:
    """Whether the current actor may see posts' contact details: editors and
    administrators (the two sides of a connection, once connections name accounts)."""
    return allowed(Action.READ_PERSONAL)


def _summary(post: MatchPost) -> PostSummary:
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
    )


def _summaries(_session: Session, posts: Sequence[MatchPost]) -> list[PostSummary]:
    return [_summary(post) for post in posts]


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
    shown = contact_allowed()
    return PostOut(
        **_summary(post).model_dump(),
        description_zh=post.description_zh,
        description_en=post.description_en,
        contact_shown=shown,
        contact=post.contact if shown else None,
    )
