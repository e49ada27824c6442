"""Provenance records for the data files devagenda ships: one Source per file, one
SourceLocation per row that a stored text comes from."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from devagenda.core.models import Source, SourceKind, SourceLocation


def dataset_source(session: Session, file_name: str, title: str) -> Source:
    """The provenance record of a shipped data file, created on first use."""
    key = f"devagenda/reference/data/{file_name}"
    source = session.scalar(select(Source).filter_by(kind=SourceKind.DATASET, key=key))
    if source is None:
        source = Source(kind=SourceKind.DATASET, key=key, title=title)
        session.add(source)
        session.flush()
    return source


def row_location(session: Session, source: Source, line: int) -> SourceLocation:
    location = session.scalar(select(SourceLocation).filter_by(source_id=source.id, line=line))
    if location is None:
        location = SourceLocation(source_id=source.id, line=line)
        session.add(location)
        session.flush()
    return location


def normalize_symbol(symbol: str) -> str:
    """Document symbols as WIPO writes them: upper case, single spaces ("CDIP/30/8 REV.")."""
    return " ".join(symbol.upper().split())
