"""The text export of a report's Word file, turned into source lines and footnote bodies.

One paragraph a line; `[N: text]` after a paragraph holds footnote N's body, which may
rarely run on to the next line (a footnote of two paragraphs); a leading tab starts a
table cell.
"""

from __future__ import annotations

import re

from devagenda.reports.ingest.source import FOOTNOTE_REF, FootnoteBody, Source, SourceLine

# A body opens at line start, after a space or after the previous body's "]".
BODY_START = re.compile(r"(?<![^\s\]])\[(\d{1,6}):")
# A body closes at a "]" that only whitespace or the next body follows.
BODY_END = re.compile(r"\](?=\s*(?:\[\d{1,6}:|$))")
# A body left open takes at most this many following lines, none of which looks like the
# start of something else.
MAX_CONTINUATION_LINES = 2
STARTS_ELSEWHERE = re.compile(r"^(?:\t|\s*\d{1,3}[.、]\s)")


def read_text_export(text: str, name: str) -> Source:
    """Split `text` (already decoded, "\\n" line ends) into lines and footnote bodies."""
    raw_lines = text.split("\n")
    lines: list[SourceLine] = []
    bodies: list[FootnoteBody] = []
    index = 0
    while index < len(raw_lines):
        number = index + 1
        raw = raw_lines[index].rstrip()
        start = BODY_START.search(raw)
        main = raw if start is None else raw[: start.start()].rstrip()
        index += 1
        if start is not None:
            index += _read_bodies(raw[start.start() :], number, raw_lines[index:], bodies)
        cell_start = main.startswith("\t")
        lines.append(SourceLine(number, main[1:] if cell_start else main, cell_start))
    return Source(name, lines, bodies)


def _read_bodies(rest: str, line: int, following: list[str], bodies: list[FootnoteBody]) -> int:
    """Collect the bodies in `rest`; return how many following lines the last one used."""
    used = 0
    while (start := BODY_START.search(rest)) is not None:
        content = rest[start.end() :]
        end = BODY_END.search(content)
        if end is None:
            text, used, rest = _run_on(content, following)
        else:
            text, rest = content[: end.start()], content[end.end() :]
        bodies.append(FootnoteBody(int(start.group(1)), _clean_body(text), line))
    return used


def _run_on(content: str, following: list[str]) -> tuple[str, int, str]:
    """A body still open at the end of its line: the text it takes from the next lines."""
    for count, line in enumerate(following[:MAX_CONTINUATION_LINES], start=1):
        if STARTS_ELSEWHERE.match(line) or FOOTNOTE_REF.search(line):
            break
        end = BODY_END.search(line)
        if end is not None:
            taken = [content, *following[: count - 1], line[: end.start()]]
            return "\n".join(part.strip() for part in taken), count, line[end.end() :]
    return content, 0, ""


def _clean_body(text: str) -> str:
    return "\n".join(part.strip() for part in text.split("\n")).strip()
