"""The report's language and year, read from the text, and the line that shows them.

Chinese text is mostly CJK characters; the first paragraph names the year the report
covers ("2023年度…的报告", "…for 2023"). The language is read from the whole text with web
addresses left out: a Chinese report quotes many English names and addresses, and a first
paragraph full of them must not make it English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from devagenda.reports.ingest.document import Language, Paragraph
from devagenda.reports.ingest.source import SourceLine

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
# Addresses and file names are Latin whatever the language of the text around them.
# ASCII classes only: Chinese text has no spaces, and "\S+" would backtrack over whole lines.
ADDRESS = re.compile(
    r"(?:https?://|www\.)[\x21-\x7e]+|[A-Za-z0-9_.-]+\.(?:int|org|com|net|pdf|docx?)\b[\x21-\x7e]*",
    re.I,
)
# Chinese reports still quote English names and addresses; a share this high is Chinese.
MIN_CJK_SHARE = 0.3
# Fewer letters than this and there is no telling what language a text is in.
MIN_LETTERS = 20
# A line shows its language when it has this many letters of it.
EVIDENCE_LETTERS = 10
YEAR_PATTERNS = {
    Language.ZH: (re.compile(r"(\d{4})年度"), re.compile(r"(?<!\d)(\d{4})年(?!代)")),
    Language.EN: (
        re.compile(r"\b(?:in|for|during|covering)\s+(?:the\s+year\s+)?(\d{4})\b", re.I),
        re.compile(r"\b((?:19|20)\d{2})\b"),
    ),
}
LANGUAGE_NAMES = {Language.ZH: "Chinese", Language.EN: "English"}


@dataclass(frozen=True)
class Evidence:
    """A value read from the text and the line that shows it."""

    line: int
    text: str  # the start of that line, for messages
    certain: bool = True  # said in so many words ("2023年度"), not a year merely named


def _letters(text: str) -> tuple[int, int]:
    text = ADDRESS.sub(" ", text)
    return len(CJK.findall(text)), len(LATIN.findall(text))


def detect_language(text: str) -> Language | None:
    """The language of the whole text; None when it has too few letters to tell."""
    cjk, latin = _letters(text)
    if cjk + latin < MIN_LETTERS:
        return None
    return Language.ZH if cjk >= MIN_CJK_SHARE * (cjk + latin) else Language.EN


def language_evidence(lines: list[SourceLine], language: Language) -> Evidence | None:
    """The first line written in `language`: what a refusal of a contradicting
    --language points to."""
    for line in lines:
        cjk, latin = _letters(line.text)
        if cjk + latin < EVIDENCE_LETTERS:
            continue
        if (detect_language(line.text) or Language.EN) is language:
            return Evidence(line.number, _excerpt(line.text))
    return None


def detect_year(paragraphs: list[Paragraph], language: Language) -> int | None:
    """The year named in the first paragraph, preferring "N年度" / "for N" wording."""
    found = year_evidence(paragraphs, language)
    return found[0] if found else None


def year_evidence(paragraphs: list[Paragraph], language: Language) -> tuple[int, Evidence] | None:
    if not paragraphs:
        return None
    first = paragraphs[0]
    for rank, pattern in enumerate(YEAR_PATTERNS[language]):
        found = pattern.search(first.text)
        if found:
            excerpt = _excerpt(first.text, found.start())
            return int(found.group(1)), Evidence(first.line, excerpt, certain=rank == 0)
    return None


def _excerpt(text: str, around: int = 0, width: int = 40) -> str:
    start = max(0, around - width // 2)
    excerpt = text[start : start + width].strip()
    return ("…" if start else "") + excerpt + ("…" if start + width < len(text) else "")
