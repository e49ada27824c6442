"""The report's language and year, when the caller does not say.

Chinese text is mostly CJK characters; the first paragraph names the year the report
covers ("2023年度…的报告", "…for 2023").
"""

from __future__ import annotations

import re

from devagenda.reports.ingest.document import Language, Paragraph

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
SAMPLE_CHARS = 5000
# Chinese reports still quote English names and addresses; a share this high is Chinese.
MIN_CJK_SHARE = 0.3
YEAR_PATTERNS = {
    Language.ZH: (re.compile(r"(\d{4})年度"), re.compile(r"(?<!\d)(\d{4})年(?!代)")),
    Language.EN: (
        re.compile(r"\b(?:in|for|during|covering)\s+(?:the\s+year\s+)?(\d{4})\b", re.I),
        re.compile(r"\b((?:19|20)\d{2})\b"),
    ),
}


def detect_language(text: str) -> Language:
    sample = text[:SAMPLE_CHARS]
    cjk = len(CJK.findall(sample))
    latin = len(LATIN.findall(sample))
    return Language.ZH if cjk and cjk >= MIN_CJK_SHARE * (cjk + latin) else Language.EN


def detect_year(paragraphs: list[Paragraph], language: Language) -> int | None:
    """The year named in the first paragraph, preferring "N年度" / "for N" wording."""
    if not paragraphs:
        return None
    for pattern in YEAR_PATTERNS[language]:
        found = pattern.search(paragraphs[0].text)
        if found:
            return int(found.group(1))
    return None
