"""Report generation: an edition of the report, its annexes or both, from the knowledge
base, as HTML, Markdown, Word or PDF."""

from __future__ import annotations

import tempfile
from enum import StrEnum
from importlib import import_module
from pathlib import Path

from sqlalchemy.orm import Session

from devagenda.core.errors import DevagendaError, InputError
from devagenda.reports.render.edition import Edition, Part, gather


class Format(StrEnum):
    HTML = "html"
    MARKDOWN = "md"
    DOCX = "docx"
    PDF = "pdf"


# Each writer's module, imported when that format is written: python-docx, Jinja2 and
# WeasyPrint stay out of the commands that only name a format.
WRITERS = {
    Format.HTML: ("devagenda.reports.render.html", "write_html"),
    Format.MARKDOWN: ("devagenda.reports.render.markdown", "write_markdown"),
    Format.DOCX: ("devagenda.reports.render.docx", "write_docx"),
}
EXTENSIONS = {
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".docx": Format.DOCX,
    ".pdf": Format.PDF,
}


def output_format(out: Path, format: Format | str | None) -> Format:
    """The format to write: the one asked for, else the one `out`'s extension names; a
    format that contradicts the extension is refused rather than written under a wrong
    name."""
    named = EXTENSIONS.get(out.suffix.lower())
    if format is None:
        if named is None:
            known = ", ".join(EXTENSIONS)
            raise InputError(
                f"cannot tell the format from the file name: end it in one of {known}, "
                "or pass --format",
                path=str(out),
                field="out",
            )
        return named
    chosen = Format(format)
    if named is not None and named is not chosen:
        raise InputError(
            f"--format {chosen.value} contradicts the file's extension {out.suffix!r} "
            f"({named.value}): change one of them, or leave out --format",
            path=str(out),
            field="format",
        )
    return chosen


def build_report(
    session: Session,
    *,
    year: int,
    language: str,
    out: Path,
    format: Format | str | None = None,
    part: Part | str = Part.ALL,
    corrected: bool = False,
    allow_fallback: bool = False,
) -> Path:
    """Write the `year` edition in `language` to `out` and return the path written.

    The edition reproduces the source; `corrected` prints Annex I with the standard
    expected-result titles and marks every cell it changes.
    """
    out = Path(out)
    chosen = output_format(out, format)
    edition = gather(
        session,
        year=year,
        language=language,
        part=Part(part),
        corrected=corrected,
        allow_fallback=allow_fallback,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    _write(edition, chosen, out)
    return out


def render_bytes(edition: Edition, format: Format) -> bytes:
    """The edition as the bytes of a file in `format` (for downloads)."""
    with tempfile.TemporaryDirectory(prefix="devagenda-edition-") as folder:
        out = Path(folder) / f"edition.{format.value}"
        _write(edition, format, out)
        return out.read_bytes()


def _write(edition: Edition, format: Format, out: Path) -> None:
    if format is not Format.PDF:
        module, name = WRITERS[format]
        getattr(import_module(module), name)(edition, out)
        return
    # WeasyPrint takes most of a second to import and needs Pango: only PDF output pays.
    try:
        from devagenda.reports.render.pdf import write_pdf
    except OSError as error:  # cffi cannot load the Pango library
        raise DevagendaError(
            f"PDF output needs Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0): {error}"
        ) from error
    write_pdf(edition, out)


__all__ = ["Format", "Part", "build_report", "gather", "output_format", "render_bytes"]
