"""Check a Director General's report for the slips a report editor looks for.

In the style of the IATI validator, `lint_document` runs every registered check over a
`ReportDocument` and returns a `LintReport` of findings, each with a severity, a stable
code, a location and a message quoting the text concerned. A message is a key into the
catalogue of templates in `devagenda.reports.messages` and its parameters, so that it reads
in English and in Chinese. Findings verified consistent are not reported.

Check codes are ``DA-<FAMILY>-<NNN>``: DA for Development Agenda report, a family, and a
number that is never reused. Families, one module each:

- ``NUM`` numbering (``numbering.py``): paragraphs, chapters, list items, annex rows.
- ``FTN`` footnotes (``footnotes.py``): references and bodies.
- ``NAM`` names (``names.py``): one thing named one way.
- ``CNT`` counts (``counts.py``): stated counts against lists, sums and annexes.
- ``STA`` status (``status.py``): projects' status in the narrative against Annex II.
- ``STR`` structure (``structure.py``): the parts every report has (the loader's rule).

Severities: *error*, the document contradicts itself or is broken; *warning*, probably a
mistake; *advisory*, worth a look.
"""

from __future__ import annotations

from pathlib import Path

from devagenda.reference.gazetteer import Gazetteer
from devagenda.reports.ingest import read_report
from devagenda.reports.ingest.document import ReportDocument
from devagenda.reports.lint import counts, footnotes, names, numbering, status, structure
from devagenda.reports.lint.findings import Check, Finding, LintContext, LintReport, Severity

CHECKS: list[Check] = [
    *structure.CHECKS,
    *numbering.CHECKS,
    *footnotes.CHECKS,
    *names.CHECKS,
    *counts.CHECKS,
    *status.CHECKS,
]


def lint_document(doc: ReportDocument, *, gazetteer: Gazetteer | None = None) -> LintReport:
    """Run every check over `doc`; country checks need `gazetteer`."""
    context = LintContext(doc, gazetteer)
    return LintReport.of(finding for one in CHECKS for finding in one.run(context))


def lint_report(path: str | Path) -> LintReport:
    """Read the report at `path` and check it, with the shipped country index."""
    gazetteer = Gazetteer.from_reference_data()
    document = read_report(path, gazetteer=gazetteer, tolerant=True)
    return lint_document(document, gazetteer=gazetteer)


__all__ = [
    "CHECKS",
    "Check",
    "Finding",
    "LintReport",
    "Severity",
    "lint_document",
    "lint_report",
]
