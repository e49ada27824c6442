"""The closed lists of values that reference records use: WIPO regions, development
statuses, kinds of group and of name.

Kept apart from the models so that code reading reference data without SQLAlchemy (the
command line's quick name lookup, `devagenda.reference.resolution`) can use them too.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable


class WipoRegion(enum.StrEnum):
    AFRICA = "africa"
    ARAB = "arab"
    ASIA_PACIFIC = "asia_pacific"
    LATIN_AMERICA_CARIBBEAN = "latin_america_caribbean"
    TRANSITION_DEVELOPED = "transition_developed"


class DevelopmentStatus(enum.StrEnum):
    LDC = "ldc"
    DEVELOPING = "developing"
    TRANSITION = "transition"
    DEVELOPED = "developed"


class GroupKind(enum.StrEnum):
    """What sort of body a group is: a WIPO group of member states or an organization."""

    REGIONAL_GROUP = "regional_group"
    IGO = "igo"


class NameKind(enum.StrEnum):
    OFFICIAL = "official"  # the name UN documents use in that language
    ALIAS = "alias"  # any other name people write


def official_name(names: Iterable[tuple[str, str, str]], language: str, fallback: str) -> str:
    """The official name in `language`, else the English one, else `fallback` (a code).
    `names` are (language, name, kind) in their stored order."""
    official = {lang: name for lang, name, kind in names if kind == NameKind.OFFICIAL}
    return official.get(language) or official.get("en") or fallback
