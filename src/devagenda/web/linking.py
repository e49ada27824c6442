"""Turning report text into HTML whose entities are links: countries and groups, document
symbols, recommendation numbers and printed web addresses.

What is linked is what ingestion stored as named at that paragraph or footnote (the
addresses and symbols as printed, the countries and groups by key), found again in the
text the way ingestion found it: countries by the same gazetteer (which knows that
发展中国家 does not name China), recommendations by the same patterns. So the text and
the country and recommendation pages agree. Where two matches overlap, the earlier, then
the longer wins. All text is escaped; only the links are markup.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup, escape

from devagenda.reference.gazetteer import COUNTRY, Gazetteer
from devagenda.reports.ingest.mentions import (
    RECOMMENDATION_COUNT,
    RECOMMENDATIONS_EN,
    RECOMMENDATIONS_ZH,
)

_NUMBER = re.compile(r"\d{1,2}")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    start: int
    end: int
    href: str
    external: bool = False


def recommendation_links(text: str) -> Iterator[Link]:
    """Each recommendation number the text cites, found as ingestion finds them (of a
    range "1至3", the two printed numbers)."""
    for pattern in (RECOMMENDATIONS_ZH, RECOMMENDATIONS_EN):
        for found in pattern.finditer(text):
            offset = found.start(1)
            for number in _NUMBER.finditer(found.group(1)):
                if 1 <= int(number.group()) <= RECOMMENDATION_COUNT:
                    href = f"/recommendations/{int(number.group())}"
                    yield Link(offset + number.start(), offset + number.end(), href)


def actor_href(kind: str, key: str) -> str:
    """The page of a country (alpha-3) or of a group of states (its code)."""
    return f"/countries/{key}" if kind == COUNTRY else f"/groups/{key}"


def mention_links(text: str, keys: Collection[str]) -> Iterator[Link]:
    """The countries and groups named in `text` whose keys are in `keys`."""
    if not keys:
        return
    for match in Gazetteer.from_reference_data().find_in_text(text):
        if match.entry.key in keys:
            yield Link(match.start, match.end, actor_href(match.entry.kind, match.entry.key))


def name_links(text: str, names: Mapping[str, str], *, external: bool = False) -> Iterator[Link]:
    """Every occurrence of each printed name (a symbol, an address), linked."""
    for name, href in names.items():
        for found in re.finditer(re.escape(name), text):
            yield Link(found.start(), found.end(), href, external)


def web_address(printed: str) -> str:
    """A printed address as a link target: "www.wipo.int/tisc" -> "https://www.wipo.int/tisc"."""
    return printed if _SCHEME.match(printed) else f"https://{printed}"


def linked(text: str, *finders: Iterable[Link]) -> Markup:
    """`text` escaped, with the non-overlapping matches of `finders` as links."""
    chosen: list[Link] = []
    candidates = sorted((link for found in finders for link in found), key=_reading_order)
    for link in candidates:
        if not chosen or link.start >= chosen[-1].end:
            chosen.append(link)
    html: list[Markup] = []
    position = 0
    for link in chosen:
        html.append(escape(text[position : link.start]))
        html.append(_anchor(link, text[link.start : link.end]))
        position = link.end
    html.append(escape(text[position:]))
    return Markup("").join(html)


def _reading_order(link: Link) -> tuple[int, int]:
    return link.start, link.start - link.end  # earlier first, then longer first


def _anchor(link: Link, text: str) -> Markup:
    if link.external:
        return Markup('<a class="external" href="{}" rel="noopener noreferrer">{}</a>').format(
            link.href, text
        )
    return Markup('<a href="{}">{}</a>').format(link.href, text)


@dataclass(frozen=True)
class Named:
    """What ingestion stored as named at one paragraph or footnote."""

    actors: frozenset[str] = frozenset()  # country alpha-3 and group codes
    documents: tuple[str, ...] = ()  # document symbols, as printed
    addresses: tuple[str, ...] = ()  # web addresses, as printed


def report_text(text: str, named: Named) -> Markup:
    """A paragraph's or footnote's text with every entity it names linked."""
    return linked(
        text,
        name_links(text, {a: web_address(a) for a in named.addresses}, external=True),
        mention_links(text, named.actors),
        name_links(text, {symbol: document_href(symbol) for symbol in named.documents}),
        recommendation_links(text),
    )


def document_href(symbol: str) -> str:
    return "/documents/" + quote(symbol, safe="/")
