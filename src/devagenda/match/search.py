"""What matchmaking puts in the search index: one entry per need or offer and language
(zh, en), titled with its side, with its descriptions, owner and IP fields, under its
countries. The contact details are personal data and stay out: the index is public."""

from __future__ import annotations

from sqlalchemy.orm import Session, selectinload

from devagenda.activities.importers import subject_areas
from devagenda.match.models import (
    MatchPost,
    MatchPostCountry,
    MatchPostField,
    Side,
)
from devagenda.search.registry import EntryData, Indexer, part_of, register

LANGUAGES = ("en", "zh")
_SIDE_NAMES = {
    ("en", Side.NEED): "Need",
    ("en", Side.OFFER): "Offer",
    ("zh", Side.NEED): "需求",
    ("zh", Side.OFFER): "提供",
}


def post_entries(_session: Session, post: MatchPost) -> list[EntryData]:
    areas = subject_areas()
    entries = []
    for language in LANGUAGES:
        own, other = (
            (post.title_zh, post.title_en) if language == "zh" else (post.title_en, post.title_zh)
        )
        title = own or other or post.key
        separator = "：" if language == "zh" else ": "
        fields = [
            (areas[f.field_code].name_zh if language == "zh" else areas[f.field_code].name_en)
            if f.field_code in areas
            else f.field_code
            for f in post.fields
        ]
        body = (post.description_zh, post.description_en, other, post.owner, *fields)
        entries.append(
            EntryData(
                language=language,
                title=_SIDE_NAMES[language, post.side] + separator + title,
                body="\n".join(part for part in body if part),
                url=f"/match/posts/{post.key}",
                year=post.valid_from.year if post.valid_from else None,
                countries=tuple(link.country_alpha3 for link in post.countries),
                names=(post.key,),
            )
        )
    return entries


register(
    Indexer(
        kind="match_post",
        model=MatchPost,
        build=post_entries,
        parts={
            MatchPostCountry: part_of(MatchPost, lambda link: link.post_id),
            MatchPostField: part_of(MatchPost, lambda link: link.post_id),
        },
        options=(
            selectinload(MatchPost.countries),
            selectinload(MatchPost.fields),
        ),
    )
)
