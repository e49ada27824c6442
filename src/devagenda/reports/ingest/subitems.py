"""Listed items: "(i)", "i)", "（ii）", "i）", "(a)", on lines of their own or inside text.

The report mixes label styles, even within one list ("(iii)" then "iv)"), so every label
keeps its printed form and its style; the checker compares them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from devagenda.core.numerals import roman_to_int
from devagenda.reports.ingest.document import SubItem
from devagenda.reports.ingest.source import MarkedText

ROMAN = r"[ivx]{1,6}"
LETTER = r"[a-h]"
# "(i)" / "（i）" with either letter kind; "i)" / "i）" only with Roman numerals, which are
# unlikely to close a bracket by chance in running text.
INLINE_LABEL = re.compile(rf"[(（](?:{ROMAN}|{LETTER})[)）]|(?<![A-Za-z0-9_]){ROMAN}[)）]")
LINE_LABEL = re.compile(rf"^\s*([(（]?(?:{ROMAN}|{LETTER})[)）])[ \t\u3000]*(.*)$")
SENTENCE_END = re.compile(r"[。.](?:\s|$)|。")
# What joins the last items of a list: "；和", "; and", "，以及".
TRAILING_JOINER = re.compile(r"[\s；;，,、]*(?:以及|和|及|或者|或|and|or)?[\s；;，,、]*$")


@dataclass(frozen=True, slots=True)
class Label:
    printed: str
    ordinal: int
    style: str


def parse_label(printed: str) -> Label:
    """The ordinal and style of a label such as "(iv)" or "b)"."""
    core = printed.strip("()（）")
    roman = roman_to_int(core)
    if roman is not None and (len(core) > 1 or core in "ivx"):
        return Label(printed, roman, printed.replace(core, "i"))
    return Label(printed, ord(core) - ord("a") + 1, printed.replace(core, "a"))


def split_line_label(text: str) -> tuple[Label, str] | None:
    """A line that begins with a label: the label and the rest of the line."""
    found = LINE_LABEL.match(text)
    if found is None:
        return None
    return parse_label(found.group(1)), found.group(2)


def inline_items(text: MarkedText, line: int) -> list[SubItem]:
    """Items listed inside `text`.

    A list starts at an item numbered 1; an item ends where the next one starts or at
    the end of its sentence, without the "；和" that joins it to the next.
    """
    labels = [(found, parse_label(found.group())) for found in INLINE_LABEL.finditer(text.text)]
    items: list[SubItem] = []
    for index, (found, label) in enumerate(labels):
        if label.ordinal != 1 and not items:
            continue
        end = _item_end(text.text, found.end(), labels[index + 1 :])
        start, kept = _trim(text.text, found.end(), end)
        # A marker after the joiner ("讲习班；[footnoteRef:6](ii)") still closes this item.
        trailing = "".join(f"[footnoteRef:{n}]" for n in text.refs_between(kept, end))
        item = SubItem(
            label=label.printed,
            ordinal=label.ordinal,
            style=label.style,
            text=text.text[start:kept],
            line=line,
            footnotes=text.refs_between(found.start(), end),
            raw_text=text.raw(start, kept) + trailing,
        )
        items.append(item)
    return items


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding spaces and the joiner before the next item."""
    end = start + len(TRAILING_JOINER.sub("", text[start:end]))
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _item_end(text: str, start: int, later: list[tuple[re.Match[str], Label]]) -> int:
    sentence_end = SENTENCE_END.search(text, start)
    end = len(text) if sentence_end is None else sentence_end.start()
    if later:
        end = min(end, later[0][0].start())
    return end
