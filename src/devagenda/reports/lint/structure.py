"""Structure (``STR``): the parts every Director General's report has.

The same rule the loader refuses a file by (`devagenda.reports.ingest.completeness`), so
that `devagenda lint` says in advance why an ingest would be refused.
"""

from __future__ import annotations

from collections.abc import Iterator

from devagenda.reports.ingest.completeness import MAY_BE_MISSING_FROM_A_DRAFT, missing_parts
from devagenda.reports.ingest.document import Location
from devagenda.reports.lint.findings import Flag, LintContext, Severity, check
from devagenda.reports.messages import message


@check("DA-STR-001", Severity.ERROR)
def required_parts(context: LintContext) -> Iterator[Flag]:
    """A report has numbered paragraphs, sector chapters, Annex I, Annex II, a stated year
    and one language; without them it is refused (a draft loads with --partial)."""
    for missing in missing_parts(context.doc):
        key = (
            "structure.missing_part"
            if missing.part in MAY_BE_MISSING_FROM_A_DRAFT
            else "structure.missing_required_part"
        )
        yield Flag(Location(line=missing.line), message(key, part=message(f"part.{missing.part}")))


CHECKS = [required_parts]
