"""Web addresses, document symbols, countries and recommendations named in the report.

Addresses are printed with and without a scheme ("www.wipo.int/…", "tppm.wipo.int");
symbols look like "CDIP/31/4", "CDIP/30/8 REV." or "WO/GA/55/12"; countries and groups
are found by the gazetteer, which knows every spelling and the words that only contain a
name. A Latin-script name inside a quoted brand or title ("“Aqua Bhutan”泉水") is part of
that name, not a mention of the country.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from devagenda.reports.ingest.document import (
    CountryMention,
    GroupMention,
    Location,
    RecommendationMention,
)

if TYPE_CHECKING:
    from devagenda.reference.gazetteer import Gazetteer, NameMatch

URL_CHARS = r"[^\s\u3000-\uffff\[\]\"<>]"
URL = re.compile(
    rf"(?:https?://|www\d{{0,3}}\.){URL_CHARS}+"
    rf"|(?<![A-Za-z0-9_./@-])(?:[a-z0-9-]+\.)+(?:int|org|com|net|edu|gov|info)(?:/{URL_CHARS}*)?",
    re.IGNORECASE,
)
URL_TRAILING = ".,;:)'"
SYMBOL = re.compile(
    r"(?<![A-Za-z0-9_/.-])[A-Z]{2,6}(?:/(?:\d{1,3}|[A-Z]{1,5})){2,4}"
    r"(?:\s?(?:REV|Rev|CORR|Corr)\.?(?:\s?\d)?)?(?![A-Za-z0-9_/])"
)
COUNTRY_KIND = "country"
QUOTED_NAME = re.compile(r"“([^”\n]{1,80})”|\"([^\"\n]{1,80})\"")
LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z .'-]*")
RECOMMENDATION_COUNT = 45
# "建议4、10、11和45", "发展议程建议19、30和31", "建议1至3"; English "Recommendations 1, 10
# and 12", "Recommendation 45".
_NUMBER_LIST = r"\d{1,2}(?:\s*(?:、|，|,|和|及|与|至|-|–|and|to)\s*\d{1,2})*"
RECOMMENDATIONS_ZH = re.compile(rf"建议\s*({_NUMBER_LIST})(?!\d|\.\d)")
RECOMMENDATIONS_EN = re.compile(rf"\b[Rr]ecommendations?\s+({_NUMBER_LIST})(?!\d|\.\d)")
_RANGE = re.compile(r"(\d{1,2})\s*(?:至|-|–|to)\s*(\d{1,2})")


def find_urls(text: str) -> list[str]:
    """Web addresses in `text`, as printed, without trailing punctuation."""
    return [found.group().rstrip(URL_TRAILING) for found in URL.finditer(text)]


def find_symbols(text: str) -> list[str]:
    """Document symbols in `text` outside web addresses, as printed."""
    return [found.group().strip() for found in SYMBOL.finditer(mask_urls(text))]


def mask_urls(text: str) -> str:
    """`text` with web addresses blanked out, offsets unchanged."""
    return URL.sub(lambda found: " " * len(found.group()), text)


def find_countries(text: str, location: Location, gazetteer: Gazetteer) -> list[CountryMention]:
    """Countries named in `text` (groups and organizations are left out)."""
    return find_names(text, location, gazetteer)[0]


def find_names(
    text: str, location: Location, gazetteer: Gazetteer
) -> tuple[list[CountryMention], list[GroupMention]]:
    """The countries and the groups named in `text`, each in reading order."""
    countries: list[CountryMention] = []
    groups: list[GroupMention] = []
    for match in names_in_text(text, gazetteer):
        if match.entry.kind == COUNTRY_KIND:
            countries.append(CountryMention(match.text, match.entry.key, location))
        else:
            groups.append(GroupMention(match.text, match.entry.key, location))
    return countries, groups


def names_in_text(text: str, gazetteer: Gazetteer) -> list[NameMatch]:
    """The gazetteer's matches in `text`, without names inside quoted Latin-script brands
    and titles: "Aqua Bhutan" names water, not Bhutan."""
    matches = gazetteer.find_in_text(text)
    quoted = [
        found.span(1) if found.group(1) is not None else found.span(2)
        for found in QUOTED_NAME.finditer(text)
        if LATIN_NAME.fullmatch(found.group(1) or found.group(2) or "")
    ]
    if not quoted:
        return matches
    starts = [start for start, _ in quoted]
    return [match for match in matches if not _inside_longer_name(match, quoted, starts, text)]


def _inside_longer_name(
    match: NameMatch, quoted: list[tuple[int, int]], starts: list[int], text: str
) -> bool:
    """Whether the match stands inside a quoted name that says more than the name."""
    index = bisect.bisect_right(starts, match.start) - 1
    if index < 0:
        return False
    start, end = quoted[index]
    return match.end <= end and text[start:end].strip() != match.text


def find_recommendations(
    text: str, location: Location, *, english: bool = False
) -> list[RecommendationMention]:
    """Recommendations cited by number; ranges ("1至3") count every number in them."""
    pattern = RECOMMENDATIONS_EN if english else RECOMMENDATIONS_ZH
    mentions = []
    for found in pattern.finditer(text):
        for number in dict.fromkeys(_numbers(found.group(1))):
            if 1 <= number <= RECOMMENDATION_COUNT:
                mentions.append(RecommendationMention(number, found.group(), location))
    return mentions


def _numbers(listing: str) -> list[int]:
    numbers: list[int] = []
    for first, last in _RANGE.findall(listing):
        numbers.extend(range(int(first), int(last) + 1))
    numbers.extend(int(n) for n in re.findall(r"\d{1,2}", _RANGE.sub(" ", listing)))
    return sorted(numbers)
