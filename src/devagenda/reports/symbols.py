"""The document symbol of each year's report and the facts its cover prints.

A report's text export has no cover, so the symbol and the session it was prepared for come
from the shipped reference data (reference/data/report_symbols.csv, with its sources) or
from the user (`devagenda ingest --symbol`), which takes precedence. What neither states
stays None, and the edition prints "not stated" for it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from devagenda.catalogue.models import CdipSession
from devagenda.catalogue.services import normalize_symbol
from devagenda.core.csvdata import CsvRow, read_csv, require_unique
from devagenda.core.errors import InputError, NotFoundError
from devagenda.core.models import Source, SourceKind
from devagenda.reference.importers import shipped_file
from devagenda.reports.models import ReportSymbol

SYMBOL_FILE = "report_symbols.csv"
SYMBOL_COLUMNS = (
    "year",
    "symbol",
    "place_en",
    "place_zh",
    "session_start",
    "session_end",
    "original_language",
    "document_date",
    "decision_en",
    "decision_zh",
    "source",
)
# A CDIP document symbol: committee, session, document number, and an optional suffix
# such as "REV." or "CORR.".
CDIP_SYMBOL = re.compile(r"CDIP/(?P<session>\d{1,3})/\d{1,3}(?: [A-Z.]+)?")
LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")


@dataclass(frozen=True)
class SymbolRecord:
    """One row of the shipped symbols file."""

    year: int
    symbol: str
    place: dict[str, str]  # by language; empty when not stated
    session_start: date | None
    session_end: date | None
    original_language: str | None
    document_date: date | None
    decision: dict[str, str]  # by language; empty when not stated
    source: str
    line: int


@dataclass(frozen=True)
class Cover:
    """What the cover of a year's report prints; None is "not stated"."""

    year: int
    symbol: str | None
    symbol_origin: str | None  # "reference data" or "set by ingest --symbol"
    session: int | None
    place: dict[str, str]
    session_start: date | None
    session_end: date | None
    original_language: str | None
    document_date: date | None
    decision: dict[str, str]


def check_symbol(symbol: str, *, field: str = "symbol") -> str:
    """The symbol as WIPO writes it, if it is a CDIP document symbol."""
    normalized = normalize_symbol(symbol)
    if not CDIP_SYMBOL.fullmatch(normalized):
        raise InputError(
            f"{symbol!r} is not a CDIP document symbol (expected e.g. CDIP/32/2)", field=field
        )
    return normalized


def _record(row: CsvRow) -> SymbolRecord:
    original = row.text("original_language", required=False) or None
    if original is not None and original not in LANGUAGES:
        raise row.error("original_language", f"expected one of {', '.join(LANGUAGES)}")
    try:
        symbol = check_symbol(row.text("symbol"))
    except InputError as error:
        raise row.error("symbol", str(error)) from None
    return SymbolRecord(
        year=row.integer("year"),
        symbol=symbol,
        place={
            language: value
            for language in ("en", "zh")
            if (value := row.text(f"place_{language}", required=False))
        },
        session_start=row.optional_date("session_start"),
        session_end=row.optional_date("session_end"),
        original_language=original,
        document_date=row.optional_date("document_date"),
        decision={
            language: value
            for language in ("en", "zh")
            if (value := row.text(f"decision_{language}", required=False))
        },
        source=row.text("source"),
        line=row.line,
    )


@functools.cache
def shipped_symbols() -> dict[int, SymbolRecord]:
    """The shipped symbols file by report year (read once per process)."""
    source = shipped_file(SYMBOL_FILE)
    records = [_record(row) for row in read_csv(source, SYMBOL_COLUMNS)]
    require_unique(source, records, "year", lambda record: record.year)
    return {record.year: record for record in records}


def set_report_symbol(session: Session, year: int, symbol: str) -> str:
    """Give the `year` report its document symbol; returns it as stored."""
    normalized = check_symbol(symbol)
    stored = session.get(ReportSymbol, year)
    if stored is None:
        session.add(ReportSymbol(year=year, symbol=normalized))
    else:
        stored.symbol = normalized
    session.flush()
    return normalized


def set_symbol_of_report(session: Session, source_key: str, symbol: str) -> str:
    """Give the report stored as `source_key` ("dg-report/2023/zh") its symbol; every
    language edition of that year shares it."""
    source = session.scalar(
        select(Source).where(Source.kind == SourceKind.REPORT, Source.key == source_key)
    )
    if source is None or source.year is None:
        raise NotFoundError(f"no report {source_key!r} in the database")
    return set_report_symbol(session, source.year, symbol)


def report_cover(session: Session, year: int) -> Cover:
    """The cover facts of the `year` report: the user's symbol first, then the shipped
    record; the session's place and dates only from a record for that same symbol, its
    dates else from what the loaded reports state about the session."""
    given = session.scalar(select(ReportSymbol).where(ReportSymbol.year == year))
    record = shipped_symbols().get(year)
    symbol = given.symbol if given else record.symbol if record else None
    if record is not None and record.symbol != symbol:
        record = None  # the user named another document: the file says nothing about it
    found = CDIP_SYMBOL.fullmatch(symbol) if symbol else None
    number = int(found["session"]) if found else None
    known = session.get(CdipSession, number) if number is not None else None
    origin = None
    if symbol:
        origin = "set by ingest --symbol" if given else "reference data"
    start = record.session_start if record else None
    end = record.session_end if record else None
    return Cover(
        year=year,
        symbol=symbol,
        symbol_origin=origin,
        session=number,
        place=record.place if record else {},
        session_start=start or (known.start_date if known else None),
        session_end=end or (known.end_date if known else None),
        original_language=record.original_language if record else None,
        document_date=record.document_date if record else None,
        decision=record.decision if record else {},
    )
