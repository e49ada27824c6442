"""Editions as files to download from the web UI: which editions a year's report offers,
and each one's bytes, name and media type.

Every language with edition labels is offered. Where the report text is loaded in that
language the edition is the whole report; elsewhere it is the annexes only, which the
knowledge base holds in every language, so no download is a Chinese text under an English
title.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from devagenda.core.errors import NotFoundError
from devagenda.core.models import Source, SourceKind
from devagenda.reports.render import Format, Part, gather, render_bytes
from devagenda.reports.render.edition import Edition
from devagenda.reports.render.labels import LABELS

DOWNLOAD_FORMATS = (Format.PDF, Format.DOCX, Format.MARKDOWN)
MEDIA_TYPES = {
    Format.PDF: "application/pdf",
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.MARKDOWN: "text/markdown; charset=utf-8",
    Format.HTML: "text/html; charset=utf-8",
}
# Files already rendered, by the edition's content and the format: a PDF of the whole
# report takes seconds to lay out, and the same edition is asked for again and again. The
# key is everything the file is written from, so a change in the data is a new key, never a
# stale file.
CACHE_SIZE = 16
_rendered: OrderedDict[tuple[str, Format], bytes] = OrderedDict()
_rendered_lock = threading.Lock()


@dataclass(frozen=True)
class EditionChoice:
    language: str
    part: Part  # ALL where the report text is loaded in `language`, else ANNEXES


@dataclass(frozen=True)
class EditionFile:
    content: bytes
    filename: str
    media_type: str


def available_editions(session: Session, year: int) -> list[EditionChoice]:
    """The editions of the `year` report that can be built without falling back to
    another language's text (none when no report of that year is loaded)."""
    stored = set(
        session.scalars(
            select(Source.language).where(Source.kind == SourceKind.REPORT, Source.year == year)
        )
    )
    if not stored:
        return []
    return [
        EditionChoice(language, Part.ALL if language in stored else Part.ANNEXES)
        for language in LABELS
    ]


def edition_file(
    session: Session,
    *,
    year: int,
    language: str,
    format: Format,
    part: Part = Part.ALL,
    corrected: bool = False,
) -> EditionFile:
    """One edition as a file: refused, like `report build`, where its body would be
    another language's text."""
    if language not in LABELS:
        raise NotFoundError(f"no editions in {language!r} (known: {', '.join(LABELS)})")
    if not available_editions(session, year):
        raise NotFoundError(f"no report for {year} in the database")
    edition = gather(session, year=year, language=language, part=part, corrected=corrected)
    stem = (edition.symbol or f"dg-report-{year}").replace("/", "-").replace(" ", "")
    suffix = "" if part is Part.ALL else f"-{part.value}"
    suffix += "-corrected" if corrected else ""
    return EditionFile(
        content=_rendered_file(edition, format),
        filename=f"{stem}-{language}{suffix}.{format.value}",
        media_type=MEDIA_TYPES[format],
    )


def _rendered_file(edition: Edition, format: Format) -> bytes:
    key = (hashlib.sha256(repr(edition).encode("utf-8")).hexdigest(), format)
    with _rendered_lock:
        if key in _rendered:
            _rendered.move_to_end(key)
            return _rendered[key]
    content = render_bytes(edition, format)
    with _rendered_lock:
        _rendered[key] = content
        while len(_rendered) > CACHE_SIZE:
            _rendered.popitem(last=False)
    return content
