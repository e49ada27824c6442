"""One edition of a report, as every output format shows it: title, notices, the report
text, the annexes and the footnotes they print.

The formats differ only in how they write this down, so what is shown (and what the
edition must say about fallbacks and unofficial translations) is decided once, here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from devagenda.core.errors import InputError
from devagenda.reports import services
from devagenda.reports.render import annexes
from devagenda.reports.render.cover import CoverLines, cover_lines
from devagenda.reports.render.labels import labels_for
from devagenda.reports.schemas import (
    AnnexOneRow,
    AnnexTwoGroup,
    HeadingOut,
    LocalizedText,
    NoteRun,
    ReportTextOut,
    Run,
    TextFootnoteOut,
    TextParagraphOut,
)
from devagenda.reports.symbols import report_cover


class Part(StrEnum):
    ALL = "all"  # the report text, then the annexes
    ANNEXES = "annexes"
    REPORT = "report"  # the report text only


@dataclass(frozen=True)
class Edition:
    year: int
    language: str
    labels: dict[str, str]
    title: str
    symbol: str | None  # the document symbol, None when not stated
    cover: CoverLines
    corrected: bool  # Annex I gives standard titles where the report printed others
    notices: list[str]
    report: ReportTextOut | None
    annex_one: list[AnnexOneRow]
    annex_two: list[AnnexTwoGroup]
    # Footnotes of the report that no paragraph refers to: the report prints them in
    # Annex I (the star, the source of the expected results), so Annex I's title carries
    # them.
    annex_notes: list[int]
    footnotes: list[TextFootnoteOut]  # those the edition prints, in number order

    def label(self, key: str, **values: object) -> str:
        return self.labels[key].format(**values)

    def fallback_note(self, text: LocalizedText) -> str | None:
        """What to print after a text that is not in the edition's language."""
        if not text.fallback:
            return None
        return self.label("fallback_note", language=self.labels[f"language_{text.language}"])

    def running_head(self, annex: str | None = None) -> tuple[str, str]:
        """The running head's text before and after the page number: of the report's
        pages, or of an annex's ("annex_one", "annex_two"), which numbers its own pages
        as UN documents do ("CDIP/32/2 Annex I, page 2")."""
        symbol = self.symbol or self.labels["symbol_not_stated"]
        if annex is None:
            before, after = self.labels["running_head"].split("{page}")
            return before.format(symbol=symbol), after
        before, after = self.labels["annex_running_head"].split("{page}")
        return before.format(symbol=symbol, annex=self.labels[annex]), after

    def annex_first_head(self, annex: str) -> str:
        """The running head of an annex's first page: the symbol and the annex's name."""
        symbol = self.symbol or self.labels["symbol_not_stated"]
        return self.label("annex_first_running_head", symbol=symbol, annex=self.labels[annex])

    def corrected_note(self, printed: str) -> str:
        return self.label("corrected_note", printed=printed)

    def heading_text(self, heading: HeadingOut) -> str:
        if heading.numeral is None:
            return heading.title
        labels = labels_for(self.report.language if self.report else self.language)
        return labels["chapter"].format(numeral=heading.numeral, title=heading.title)


def gather(
    session: Session,
    *,
    year: int,
    language: str,
    part: Part,
    corrected: bool = False,
    allow_fallback: bool = False,
) -> Edition:
    """Read what `part` of the `year` edition in `language` shows.

    An edition whose body would be another language's report is refused unless
    `allow_fallback`: a Chinese text under an English title is not an English edition.
    """
    labels = labels_for(language)
    report = services.report_document(session, year, language) if part is not Part.ANNEXES else None
    if report is not None and report.fallback and not allow_fallback:
        raise InputError(
            f"no {labels_for('en')[f'language_{language}']} edition of the {year} report is "
            f"loaded, so its text would be the {labels_for('en')[f'language_{report.language}']}"
            " one: ingest that edition, build only the annexes (--part annexes), or pass "
            "--allow-fallback to print the other language's text with a notice",
            field="language",
        )
    with_annexes = part is not Part.REPORT
    annex_one = (
        annexes.annex_one(session, year, language, corrected=corrected) if with_annexes else []
    )
    annex_two = services.annex_two(session, year, language) if with_annexes else []
    annex_notes, footnotes = (
        printed_footnotes(report, with_annexes=with_annexes) if report else ([], [])
    )
    title_key = "annexes_title" if part is Part.ANNEXES else "report_title"
    cover = report_cover(session, year)
    said = notices(labels, report, annex_one, annex_two)
    if count := annexes.corrections(annex_one):
        said.append(labels["corrected_notice"].format(count=count))
    return Edition(
        year=year,
        language=language,
        labels=labels,
        title=labels[title_key].format(year=year),
        symbol=cover.symbol,
        cover=cover_lines(cover, labels, language),
        corrected=corrected,
        notices=said,
        report=report,
        annex_one=annex_one,
        annex_two=annex_two,
        annex_notes=annex_notes,
        footnotes=footnotes,
    )


def printed_footnotes(
    report: ReportTextOut, *, with_annexes: bool
) -> tuple[list[int], list[TextFootnoteOut]]:
    """The footnotes Annex I carries (those no paragraph refers to), and all the footnotes
    the edition prints."""
    referenced = set(referenced_notes(report))
    stored = {footnote.number for footnote in report.footnotes}
    if missing := referenced - stored:
        raise InputError(
            f"{report.source} refers to footnotes it does not contain: {sorted(missing)}"
        )
    annex_notes = sorted(stored - referenced) if with_annexes else []
    printed = referenced | set(annex_notes)
    return annex_notes, [f for f in report.footnotes if f.number in printed]


def referenced_notes(report: ReportTextOut) -> list[int]:
    """The footnote numbers the report's paragraphs refer to, in reading order."""
    runs: list[Run] = []
    for block in report.blocks:
        if isinstance(block, TextParagraphOut):
            runs += block.runs
            for item in block.sub_items:
                runs += item.runs
    return [run.number for run in runs if isinstance(run, NoteRun)]


def notices(
    labels: dict[str, str],
    report: ReportTextOut | None,
    annex_one: list[AnnexOneRow],
    annex_two: list[AnnexTwoGroup],
) -> list[str]:
    """What the top of the edition must say: texts in another language, unofficial
    translations."""
    recommendations = [row.text for row in annex_one]
    results = {ref.code: ref.title for row in annex_one for ref in row.expected_results}
    projects = [row.title for group in annex_two for row in group.rows]
    texts = [*recommendations, *results.values(), *projects]
    said = []
    if report is not None and report.fallback:
        name = labels[f"language_{report.language}"]
        said.append(labels["report_fallback_notice"].format(language=name))
    if fallbacks := sum(text.fallback for text in texts):
        said.append(labels["fallback_notice"].format(count=fallbacks))
    unofficial = [
        labels[key].format(count=count)
        for key, group in (
            ("unofficial_recommendations", recommendations),
            ("unofficial_expected_results", list(results.values())),
            ("unofficial_projects", projects),
        )
        if (count := sum(text.unofficial for text in group))
    ]
    if unofficial:
        items = labels["list_separator"].join(unofficial)
        said.append(labels["unofficial_notice"].format(items=items))
    return said
