"""Structure (``STR``): the parts every Director General's report has.

The same rule the loader refuses a file by (`devagenda.reports.ingest.completeness`), so
that `devagenda lint` says in advance why an ingest would be refused.
"""

from __future__ import annotations

from collections.abc import Iterator

from devagenda.reports.ingest.completeness import MAY_BE_MISSING_FROM_A_DRAFT, missing_parts
from devagenda.reports.ingest.document import Location
from devagenda.reports.lint.findings import Flag, LintContext, Severity, check


@check("DA-STR-001", Severity.ERROR)
def required_parts(context: LintContext) -> Iterator[Flag]:
    """A report has numbered paragraphs, sector chapters, Annex I, Annex II, a stated year
    and one language; without them it is refused (a draft loads with --partial)."""
    for missing in missing_parts(context.doc):
        yield Flag(
            Location(line=missing.line),
            f"The report has no {missing.description}: `devagenda ingest` refuses it "
            "unless --partial is given."
            if missing.part in MAY_BE_MISSING_FROM_A_DRAFT
            else f"The report has no {missing.description}: `devagenda ingest` refuses it.",
        )


CHECKS = [required_parts]
