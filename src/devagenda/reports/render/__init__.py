"""Report generation: an edition of the report, its annexes or both, from the knowledge
base, as HTML, Markdown, Word or PDF."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session

from devagenda.core.errors import DevagendaError
from devagenda.reports.render.docx import write_docx
from devagenda.reports.render.edition import Edition, Part, gather
from devagenda.reports.render.html import write_html
from devagenda.reports.render.markdown import write_markdown


class Format(StrEnum):
    HTML = "html"
    MARKDOWN = "md"
    DOCX = "docx"
    PDF = "pdf"


WRITERS = {Format.HTML: write_html, Format.MARKDOWN: write_markdown, Format.DOCX: write_docx}


def build_report(
    session: Session,
    *,
    year: int,
    language: str,
    format: Format | str,
    out: Path,
    part: Part | str = Part.ALL,
) -> Path:
    """Write the `year` edition in `language` to `out` and return the path written."""
    edition = gather(session, year=year, language=language, part=Part(part))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _write(edition, Format(format), out)
    return out


def _write(edition: Edition, format: Format, out: Path) -> None:
    if format is not Format.PDF:
        WRITERS[format](edition, out)
        return
    # WeasyPrint takes most of a second to import and needs Pango: only PDF output pays.
    try:
        from devagenda.reports.render.pdf import write_pdf
    except OSError as error:  # cffi cannot load the Pango library
        raise DevagendaError(
            f"PDF output needs Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0): {error}"
        ) from error
    write_pdf(edition, out)


__all__ = ["Format", "Part", "build_report"]
