"""Output schemas shared by every area."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, computed_field

from devagenda.core.models import SourceKind, SourceLocation


def _in_utc(value: datetime) -> datetime:
    """SQLite returns stored timestamps without their zone; devagenda writes them in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# A moment, always with its zone in output (ISO 8601 with an offset).
UtcDateTime = Annotated[datetime, AfterValidator(_in_utc)]


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


class Coverage(BaseModel):
    """How many records a figure rests on: `known` of `total` records state the fact.

    Only a complete coverage makes an absent value a real "none"; otherwise it is "not
    stated in the loaded sources".
    """

    known: int
    total: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def unknown(self) -> int:
        return self.total - self.known

    @computed_field  # type: ignore[prop-decorator]
    @property
    def complete(self) -> bool:
        return self.known == self.total
