"""Output schemas shared by every area."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from devagenda.core.models import SourceKind, SourceLocation


class Provenance(BaseModel):
    """Where a fact is stated: the source (its key, kind, and for a report its year and
    language), the place inside it, and a citation."""

    model_config = ConfigDict(frozen=True)

    source: str
    source_kind: SourceKind
    year: int | None = None
    language: str | None = None
    paragraph: int | None = None
    sub_item: str | None = None
    footnote: int | None = None
    annex: str | None = None
    row: int | None = None
    line: int | None = None
    citation: str

    @classmethod
    def of(cls, location: SourceLocation) -> Provenance:
        source = location.source
        return cls(
            source=source.key,
            source_kind=source.kind,
            year=source.year,
            language=source.language,
            paragraph=location.paragraph,
            sub_item=location.sub_item,
            footnote=location.footnote,
            annex=location.annex,
            row=location.row,
            line=location.line,
            citation=location.describe(),
        )
