"""Small readers of Chinese report text shared by the checks.

Nothing separates words in Chinese, so these helpers lean on what the report's
typography does give: punctuation, list labels, quotation marks and measure words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from devagenda.core.numerals import chinese_to_int
from devagenda.reports.ingest.document import Location, Paragraph, ReportDocument, SubItem

# A count as printed: "1,530", "19" or "十九", "两".
NUMBER = r"[0-9][0-9,]*|[零一二两三四五六七八九十百千万]+"
# The measure words that follow a count of things in these reports.
MEASURE = r"[个项门份名次场家位部种所件篇本届]"
COUNT = re.compile(rf"(?P<number>{NUMBER})(?P<measure>{MEASURE})")


def parse_number(text: str) -> int | None:
    """The value of "1,530", "十九", "五百万"; None for anything else."""
    text = text.replace(",", "")
    return int(text) if text.isdigit() else chinese_to_int(text) or None


def depth_zero_index(text: str, char: str) -> int:
    """Index of the first `char` outside quotes and brackets, or -1."""
    depth = 0
    for index, current in enumerate(text):
        if current in "“‘《（([":
            depth += 1
        elif current in "”’》）)]":
            depth = max(0, depth - 1)
        elif current == char and depth == 0:
            return index
    return -1


# ---------------------------------------------------------------- list labels

# A label stands at the start of a text or after punctuation or a conjunction: "；(ii)",
# "和iii)", "以：i)". The open bracket is optional ("i)"), the close one is not.
_LABEL_SHAPE = r"(?P<open>[(（]?)(?P<body>[ivx]{1,6}|[a-h])(?P<close>[)）])"
_LABEL = re.compile(rf"(?:^|(?<=[：:；;，,。、\s和及或/])){_LABEL_SHAPE}")
_LABEL_ALONE = re.compile(_LABEL_SHAPE)


def to_roman(value: int) -> str:
    """Lower-case Roman numeral, as list labels print them: 4 -> "iv"."""
    out = ""
    for number, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while value >= number:
            out += letters
            value -= number
    return out


_ROMAN_VALUES = {to_roman(n): n for n in range(1, 40)}


@dataclass(frozen=True)
class Label:
    """A list label as printed ("(ii)", "iv）"), with its value and shape."""

    printed: str
    ordinal: int
    kind: str  # "roman" or "letter"
    style: str  # the shape with the value replaced: "(i)", "i）", "(a)"
    location: Location
    context: str = ""  # the label and the words after it, for messages


def label_of(printed: str, location: Location, letters: bool, context: str = "") -> Label | None:
    """Read one label; `letters` prefers a, b, c... when the list so far uses them."""
    match = _LABEL_ALONE.fullmatch(printed.strip())
    if not match:
        return None
    opening, body, closing = match["open"], match["body"], match["close"]
    roman = _ROMAN_VALUES.get(body)
    if len(body) == 1 and (letters or roman is None):
        ordinal = ord(body) - ord("a") + 1
        return Label(printed, ordinal, "letter", f"{opening}a{closing}", location, context)
    if roman is None:
        return None
    return Label(printed, roman, "roman", f"{opening}i{closing}", location, context)


def inline_labels(text: str, location: Location) -> list[Label]:
    """The list labels inside running text, in reading order."""
    labels: list[Label] = []
    for match in _LABEL.finditer(text):
        letters = bool(labels) and labels[-1].kind == "letter"
        context = text[match.start() : match.end() + 12]
        label = label_of(match.group(0), location, letters, context)
        if label:
            labels.append(label)
    return labels


def split_lists(labels: list[Label]) -> list[list[Label]]:
    """Cut a run of labels into lists: a list starts again at i or a."""
    lists: list[list[Label]] = []
    for label in labels:
        if not lists or label.ordinal == 1 or label.kind != lists[-1][-1].kind:
            lists.append([label])
        else:
            lists[-1].append(label)
    return lists


# ------------------------------------------------------------ units of text


@dataclass(frozen=True)
class TextUnit:
    """A paragraph's own text, one of its sub-items, or a footnote body."""

    text: str
    raw_text: str  # with [footnoteRef:N] markers, or "" when the reader gave none
    location: Location


def paragraph_unit(paragraph: Paragraph) -> TextUnit:
    location = Location(line=paragraph.line, paragraph=paragraph.number)
    return TextUnit(paragraph.text, paragraph.raw_text, location)


def sub_item_unit(paragraph: Paragraph, item: SubItem) -> TextUnit:
    location = Location(line=item.line, paragraph=paragraph.number, sub_item=item.label)
    return TextUnit(item.text, item.raw_text, location)


def line_sub_items(paragraph: Paragraph) -> list[SubItem]:
    """Sub-items that start a line of their own; inline ones are read from the text."""
    return [item for item in paragraph.sub_items if item.line != paragraph.line]


def narrative_units(doc: ReportDocument) -> Iterator[TextUnit]:
    """Every paragraph and line sub-item of the narrative, in reading order."""
    for paragraph in doc.paragraphs:
        yield paragraph_unit(paragraph)
        for item in line_sub_items(paragraph):
            yield sub_item_unit(paragraph, item)


def footnote_units(doc: ReportDocument) -> Iterator[TextUnit]:
    for note in doc.footnotes:
        location = Location(line=note.line, paragraph=note.paragraph, footnote=note.number)
        yield TextUnit(note.text, "", location)


def all_units(doc: ReportDocument) -> Iterator[TextUnit]:
    yield from narrative_units(doc)
    yield from footnote_units(doc)


# ------------------------------------------------------------ names

_PUNCTUATION = re.compile(r"[\s，,。、：:；;“”‘’\"'《》·—\-–()（）【】\[\]！？!?/]")
_PARENTHETICAL = re.compile(r"（[^（）]*）|\([^()]*\)")
_PHASE = re.compile(r"[—\-–]*第([一二三四五六七八九十])阶段$")
_PROJECT_SUFFIX = re.compile(r"(?:的)?(?:发展议程)?(?:试点)?项目$")


def split_phase(title: str) -> tuple[str, int | None]:
    """("版权与数字环境中的内容分发", 2) from "版权与数字环境中的内容分发项目——第二阶段"."""
    title = title.strip().rstrip("。")
    match = _PHASE.search(title)
    if not match:
        return title, None
    return title[: match.start()], parse_number(match.group(1))


def project_key(title: str) -> str:
    """A project title without punctuation, asides in brackets, "关于" and "项目"."""
    base, _ = split_phase(title)
    base = _PUNCTUATION.sub("", _PARENTHETICAL.sub("", base))
    base = base.removeprefix("关于")
    return _PROJECT_SUFFIX.sub("", base)


def loose_key(title: str) -> str:
    """The characters of a project key, sorted, without 的 and with 与/及 read as 和.

    Two titles with the same loose key differ only in word order or particles.
    """
    key = project_key(title).replace("的", "")
    return "".join(sorted(key.replace("与", "和").replace("及", "和")))


def quote(text: str, limit: int = 60) -> str:
    """Chinese text for a message, shortened in the middle when long."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 12] + "…" + text[-11:]
    return f"“{text}”"
