"""What a matchmaking import file holds and how its cells read.

`devagenda match import` takes CSV or XLSX, checked by `POST_SPEC` with the rules of
`core.imports`: one row per need or offer, `key` updating a stored post. Countries are
ISO alpha-2 codes separated by |, checked against the knowledge base when the row is
stored (match.services), with suggestions for an unknown code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from devagenda.activities.importers import language_codes, line_text, subject_area_codes
from devagenda.core.imports import CellError, Column, ImportSpec, iso_date
from devagenda.match.models import GreenCategory, OwnerType, Side, Support

E = TypeVar("E", bound=StrEnum)
_KEY = re.compile(r"^[\w.:/\-]{1,64}$")
_ALPHA2 = re.compile(r"^[A-Za-z]{2}$")
# Spellings people write for the kinds of support, besides the stored values.
_SUPPORT_ALIASES = {
    "ppp": Support.PARTNERSHIP,
    "public-private partnership": Support.PARTNERSHIP,
    "public private partnership": Support.PARTNERSHIP,
    "license": Support.LICENCE,
    "joint venture": Support.JOINT_VENTURE,
    "资金": Support.FINANCIAL,
    "技术": Support.TECHNICAL,
    "公私伙伴关系": Support.PARTNERSHIP,
    "许可": Support.LICENCE,
    "合作": Support.COLLABORATION,
    "合资": Support.JOINT_VENTURE,
    "出售": Support.SALE,
}


def choice(kind: type[E], what: str, aliases: dict[str, E]) -> Callable[[str], E]:
    """A cell naming one member of `kind` by its value (spaces for _) or an alias."""

    def parse(text: str) -> E:
        folded = text.strip().casefold()
        if folded in aliases:
            return aliases[folded]
        try:
            return kind(folded.replace(" ", "_").replace("-", "_"))
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            raise CellError(f"{text!r} is not a {what}: one of {allowed}") from None

    return parse


def key(text: str) -> str:
    if not _KEY.match(text):
        raise CellError(f"{text!r} is not a key (letters, digits, - _ . : /, at most 64)")
    return text


def alpha2_codes(text: str) -> list[str]:
    """ISO alpha-2 codes separated by |; whether each is a known country is checked when
    the row is stored."""
    codes = [part.strip().upper() for part in text.split("|") if part.strip()]
    for code in codes:
        if not _ALPHA2.match(code):
            raise CellError(f"{code!r} is not an ISO alpha-2 country code (e.g. KE | PE)")
    return list(dict.fromkeys(codes))


def _ip_fields(text: str) -> list[str]:
    return subject_area_codes(text)


POST_SPEC = ImportSpec(
    name="match",
    keys=("key",),
    # The owner who posts a need or an offer is its source: rows cite no document.
    source="key",
    columns=(
        Column("key", "the post's key; a stored key updates", "NEED-12", required=True, parse=key),
        Column(
            "side",
            "need (posted by a seeker) or offer (posted by a provider)",
            "need",
            required=True,
            parse=choice(Side, "side", {"需求": Side.NEED, "提供": Side.OFFER}),
        ),
        Column("title_zh", "the title in Chinese", "专利审查员培训资金", parse=line_text(300)),
        Column(
            "title_en", "the title in English", "Funding to train examiners", parse=line_text(300)
        ),
        Column("description_zh", "the description in Chinese", "", parse=line_text(5000)),
        Column("description_en", "the description in English", "", parse=line_text(5000)),
        Column(
            "owner",
            "who posts it (needed for a new post)",
            "Kenya IP Institute",
            parse=line_text(200),
        ),
        Column(
            "owner_type",
            "ip_office, university, sme, community, donor, firm, expert, government or ngo",
            "ip_office",
            parse=choice(OwnerType, "kind of owner", {}),
        ),
        Column("countries", "ISO alpha-2 codes separated by |", "KE | UG", parse=alpha2_codes),
        Column(
            "ip_fields",
            "IP fields (the IP subject areas of activities), separated by |",
            "Patents",
            parse=_ip_fields,
        ),
        Column(
            "support",
            "financial, technical, partnership; for green technologies also licence, "
            "collaboration, joint_venture or sale",
            "financial",
            parse=choice(Support, "kind of support", _SUPPORT_ALIASES),
        ),
        Column(
            "green_category",
            "WIPO GREEN's category: energy, water, agriculture, transport, buildings, "
            "pollution_waste or products_materials",
            "",
            parse=choice(GreenCategory, "green category", {}),
        ),
        Column(
            "languages",
            "languages, by name or ISO 639-1 code, separated by |",
            "en | zh",
            parse=language_codes,
        ),
        Column(
            "valid_from", "first day the post is valid (YYYY-MM-DD)", "2024-01-01", parse=iso_date
        ),
        Column(
            "valid_until", "last day the post is valid (YYYY-MM-DD)", "2024-12-31", parse=iso_date
        ),
        Column(
            "contact",
            "how to reach the owner; seen by the two sides and editors",
            "",
            parse=line_text(500),
        ),
    ),
)
