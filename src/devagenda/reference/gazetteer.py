"""An in-memory index of the names of countries and groups, in Chinese and English.

Reports name the same country in several ways (坦桑尼亚联合共和国, 坦桑尼亚, Tanzania...)
and Chinese text has no spaces between words, so finding names needs one place that knows
every spelling, prefers the longest name (尼日利亚 over 尼日尔's prefix, 几内亚比绍 over
几内亚) and knows the words that merely contain a name (南非洲 is southern Africa, not
South Africa; 发展中国家 is "developing countries", not China).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from devagenda.core.errors import NotFoundError

if TYPE_CHECKING:
    from devagenda.reference.importers import CountryRecord, GroupRecord

COUNTRY = "country"

# Words that contain a country's name but do not name the country. They are matched like
# names and then dropped, so that the name inside them is not reported either.
NOT_NAMES = (
    # Chinese: 发展中国家 (developing countries), 其中国际 (among them international),
    # 欧美国家/拉美国家 (European and American / Latin American countries)...
    "中国家",
    "中国际",
    "美国家",
    # ...and regions, seas, rivers, other places and a treaty.
    "南非洲",
    "印度洋",
    "印度支那",
    "西印度",
    "新几内亚",
    "几内亚湾",
    "刚果河",
    "刚果盆地",
    "尼日尔河",
    "乍得湖",
    "约旦河",
    "马里兰",
    "内蒙古",
    "海地区",
    "海地带",
    "新墨西哥",
    "法属圭亚那",
    "美属萨摩亚",
    "北爱尔兰",
    "朝鲜半岛",
    "新加坡条约",
    # English: places whose name contains a country's name.
    "New Guinea",
    "Gulf of Guinea",
    "Niger Delta",
    "Niger River",
    "Lake Chad",
    "Congo Basin",
    "Congo River",
    "Jordan River",
    "New Mexico",
    "American Samoa",
    "Northern Ireland",
    "Singapore Treaty",
)

_WORD_CHAR = "A-Za-z0-9"
_SEPARATOR = r"[\s\-]+"
# A Chinese name followed by 语 or 文 is a language (西班牙语, 葡萄牙文), but 文化, 文件... are
# ordinary words after a country's name.
_NOT_A_LANGUAGE = "(?!语|文(?![化件学献物明艺]))"
_QUOTES_AND_DASHES = str.maketrans(
    {"’": "'", "‘": "'", "`": "'", "´": "'", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-"}
)
_LEADING_PUNCTUATION = re.compile(r"^[\W_]+")
_OPENING_BRACKET = {")": "(", "]": "["}


@dataclass(frozen=True, slots=True)
class NamedEntry:
    """A country (key: alpha3) or a group (key: its code) and all the names it goes by."""

    key: str
    kind: str
    names: tuple[str, ...]
    name_en: str
    name_zh: str


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A name found in a text: text[start:end] is the name as written there."""

    start: int
    end: int
    text: str
    entry: NamedEntry


class Gazetteer:
    """Look up countries and groups by name: exactly, fuzzily, or inside running text.

    When two entries share a name, the one given first keeps it; `from_reference_data`
    gives countries first, so 中国 is the country, not WIPO's group "China".
    """

    def __init__(self, entries: Iterable[NamedEntry]) -> None:
        self.entries: tuple[NamedEntry, ...] = tuple(entries)
        self._by_key = {entry.key: entry for entry in self.entries}
        if len(self._by_key) != len(self.entries):
            raise ValueError("two entries have the same key")
        self._by_name: dict[str, NamedEntry] = {}
        for entry in self.entries:
            for name in entry.names:
                self._by_name.setdefault(normalize_name(name), entry)
        self._choices = list(self._by_name)
        self._choice_entries = list(self._by_name.values())

    @classmethod
    @functools.cache
    def from_reference_data(cls) -> Gazetteer:
        """The gazetteer of the shipped countries and groups (built once per process)."""
        from devagenda.reference.importers import read_countries, read_groups

        countries = [_country_entry(record) for record in read_countries()]
        groups = [_group_entry(record) for record in read_groups()]
        return cls([*countries, *groups])

    def entry(self, key: str) -> NamedEntry:
        """The entry with this alpha3 code or group code."""
        try:
            return self._by_key[key]
        except KeyError:
            raise NotFoundError(f"no country or group with key {key!r}") from None

    def resolve(self, name: str) -> NamedEntry | None:
        """The entry called exactly `name` (up to case, spacing, brackets...), or None."""
        return self._by_name.get(normalize_name(name))

    def candidates(self, name: str, limit: int = 5) -> list[tuple[NamedEntry, float]]:
        """The entries whose names are nearest to `name`, best first, with a 0-100 score.

        WRatio compares whole strings and, when lengths differ a lot, best partial
        alignments, so it ranks both a two-character Chinese name and a misspelt long
        English one sensibly. rapidfuzz is imported here: a name found exactly needs none.
        """
        from rapidfuzz import fuzz, process

        query = normalize_name(name)
        if not query or limit < 1:
            return []
        scored = process.extract(
            query, self._choices, scorer=fuzz.WRatio, processor=None, limit=None
        )
        best: dict[str, tuple[NamedEntry, float]] = {}
        for _choice, score, index in scored:
            entry = self._choice_entries[index]
            if entry.key not in best:
                best[entry.key] = (entry, score)
                if len(best) == limit:
                    break
        return list(best.values())

    def find_in_text(self, text: str) -> list[NameMatch]:
        """Every country or group named in `text`, left to right, without overlaps.

        At each position the longest known name wins. Latin-script names must stand as
        whole words and match case as written ("Niger" is not in "Nigeria", "chad" is not
        Chad). Full-width and half-width forms, accents and dash styles are alike.
        """
        by_surface, pattern = self._text_index
        matches = []
        for found in pattern.finditer(_fold_text(text)):
            entry = by_surface.get(_surface(found.group()))
            if entry is not None:
                start, end = found.span()
                matches.append(NameMatch(start, end, text[start:end], entry))
        return matches

    @functools.cached_property
    def _text_index(self) -> tuple[dict[str, NamedEntry | None], re.Pattern[str]]:
        """Names as matched in running text, and the pattern that finds them.

        Built on first use: compiling the pattern takes ~50 ms, which callers that only
        resolve names should not pay.
        """
        by_surface: dict[str, NamedEntry | None] = dict.fromkeys(map(_surface, NOT_NAMES))
        for entry in self.entries:
            for name in entry.names:
                by_surface.setdefault(_surface(name), entry)
        return by_surface, re.compile(_trie_pattern(by_surface))


def normalize_name(name: str) -> str:
    """The form names are compared in: NFKC, case-folded, no accents, single spaces,
    no surrounding punctuation or quotes, no leading English "the"."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _strip_accents(text).translate(_QUOTES_AND_DASHES).replace("-", " ")
    text = _strip_edges(" ".join(text.split()))
    if text.startswith("the "):
        text = _strip_edges(text[4:])
    return text


def _strip_edges(text: str) -> str:
    """Without surrounding punctuation, but keeping a closing bracket that closes one
    inside the name, as in "bolivia (plurinational state of)"."""
    text = _LEADING_PUNCTUATION.sub("", text)
    while text and not text[-1].isalnum():
        opening = _OPENING_BRACKET.get(text[-1])
        if opening and text.count(opening) >= text.count(text[-1]):
            break
        text = text[:-1]
    return text


def _country_entry(record: CountryRecord) -> NamedEntry:
    return NamedEntry(
        key=record.alpha3,
        kind=COUNTRY,
        names=_unique(record.name_en, record.name_zh, *record.aliases_en, *record.aliases_zh),
        name_en=record.name_en,
        name_zh=record.name_zh,
    )


def _group_entry(record: GroupRecord) -> NamedEntry:
    return NamedEntry(
        key=record.code,
        kind=record.kind.value,
        names=_unique(record.name_en, record.name_zh, *record.aliases_en, *record.aliases_zh),
        name_en=record.name_en,
        name_zh=record.name_zh,
    )


def _unique(*names: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(char for char in decomposed if not unicodedata.combining(char))
    )


@functools.cache
def _fold_char(char: str) -> str:
    """One character as matching sees it; always one character, so offsets stay valid."""
    folded = _strip_accents(unicodedata.normalize("NFKC", char)).translate(_QUOTES_AND_DASHES)
    if folded.isspace():
        return " "
    return folded if len(folded) == 1 else char


def _fold_text(text: str) -> str:
    return text.translate({ord(char): _fold_char(char) for char in set(text)})


def _surface(name: str) -> str:
    """A name as it is matched in running text: folded, case kept, one space between
    words (hyphens count as spaces), without a leading "the"."""
    words = re.split(_SEPARATOR, _fold_text(name).strip())
    if len(words) > 1 and words[0] in ("the", "The"):
        words = words[1:]
    return " ".join(words)


def _trie_pattern(surfaces: Iterable[str]) -> str:
    """One regular expression for all names, shaped as a trie.

    A plain alternation of ~2,500 names would be tried name by name at every position;
    a trie lets the regex engine follow one branch per character. Continuing a name is
    tried before ending it, so the longest name at a position wins.
    """
    trie: dict = {}
    for surface in surfaces:
        node = trie
        for char in surface:
            node = node.setdefault(char, {})
        node[""] = {}
    first_chars = "".join(sorted(trie))
    # The look-ahead lets the engine skip, at C speed, the positions no name starts at.
    return f"(?=[{re.escape(first_chars)}])" + _node_pattern(trie, at_start=True)


def _node_pattern(node: dict, *, at_start: bool = False, last: str = "") -> str:
    branches = []
    for char, child in sorted(node.items(), key=lambda item: item[0] == ""):
        if char == "":
            branches.append(_end_guard(last))
            continue
        atom = _SEPARATOR if char == " " else re.escape(char)
        if at_start and re.fullmatch(f"[{_WORD_CHAR}]", char):
            atom = f"(?<![{_WORD_CHAR}]){atom}"
        branches.append(atom + _node_pattern(child, last=char))
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _end_guard(last: str) -> str:
    """What must not follow a name that ends with `last`."""
    if re.fullmatch(f"[{_WORD_CHAR}]", last):
        return f"(?![{_WORD_CHAR}])"
    if unicodedata.name(last, "").startswith("CJK UNIFIED IDEOGRAPH"):
        return _NOT_A_LANGUAGE
    return ""
