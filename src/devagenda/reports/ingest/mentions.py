"""Web addresses, document symbols, countries and recommendations named in the report.

Addresses are printed with and without a scheme ("www.wipo.int/…", "tppm.wipo.int");
symbols look like "CDIP/31/4", "CDIP/30/8 REV." or "WO/GA/55/12"; countries are found by
the gazetteer, which knows every spelling and the words that only contain a name.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from devagenda.reports.ingest.document import CountryMention, Location, RecommendationMention

if TYPE_CHECKING:
    from devagenda.reference.gazetteer import Gazetteer

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
    return [
        CountryMention(match.text, match.entry.key, location)
        for match in gazetteer.find_in_text(text)
        if match.entry.kind == COUNTRY_KIND
    ]


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
