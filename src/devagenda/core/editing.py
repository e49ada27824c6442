"""What every editable record shares: collecting an edit's bad fields, the source an edit
states its facts on, and the version check that refuses a stale edit.

The catalogue's and the activities' editing services use these, so that a new editable
table gets the same rules (a source for every new fact, every bad field at once, 412 on a
stale version) without code of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from devagenda.core.errors import InvalidEdit, StaleVersion
from devagenda.core.imports import cited_location, stored_source
from devagenda.core.models import SourceKind, SourceLocation
from devagenda.core.provenance import normalize_symbol

# What a source field accepts besides a document symbol and a URL.
EDITOR_KNOWLEDGE = ("editor", "editor's knowledge", "editor’s knowledge")
EDITOR_SOURCE_KEY = "editor's knowledge"
# A WIPO document symbol: CDIP/31/4, WO/GA/55/12, CDIP/30/8 REV.
SYMBOL = re.compile(r"^[A-Z][A-Z0-9.]*(/[A-Z0-9.\- ]+)+$", re.IGNORECASE)
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
SOURCE_HINT = "a document symbol (CDIP/31/4), a URL, or 'editor' for your own knowledge"


class Problems:
    """The bad fields of one edit, collected so that all are reported together."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}

    def add(self, field: str, reason: str) -> None:
        self.found.setdefault(field, reason)

    def raise_any(self) -> None:
        if self.found:
            raise InvalidEdit(self.found)


def edit_location(session: Session, reference: str) -> SourceLocation:
    """Where an edit's facts are stated, as a source location: the same one an import
    citing the same document or URL uses, or the one shared by editors' own knowledge
    (the change log says which editor)."""
    text = reference.strip()
    if text.lower() in EDITOR_KNOWLEDGE:
        source = stored_source(
            session,
            SourceKind.EDITOR,
            EDITOR_SOURCE_KEY,
            title="Stated by an editor from their own knowledge; the change log names who",
        )
        location = session.scalar(
            select(SourceLocation).where(SourceLocation.source_id == source.id)
        )
        if location is None:
            location = SourceLocation(source_id=source.id)
            session.add(location)
            session.flush()
        return location
    return cited_location(session, normalize_symbol(text) if SYMBOL.match(text) else text)


def check_source(problems: Problems, reference: str | None, needed: bool) -> None:
    if reference is None:
        if needed:
            problems.add("source", f"say where the new facts are stated: {SOURCE_HINT}")
        return
    text = reference.strip()
    if text.lower() in EDITOR_KNOWLEDGE or _URL.match(text) or SYMBOL.match(text):
        return
    problems.add("source", f"{reference!r} is none of {SOURCE_HINT}")


@dataclass
class Guard:
    """The version an edit was based on: checked before anything is written, and again by
    the database, whose UPDATE of the record matches only that version. Either way a
    stale edit is a `StaleVersion` carrying the record as its GET returns it now."""

    session: Session
    record: Any
    expected: int | None
    current: Callable[[], Any]
    name: str

    def check(self) -> None:
        if self.expected is not None and self.record.version != self.expected:
            raise self._stale(self.expected)

    def flush(self) -> None:
        """Flush; a concurrent writer that got in between the read and this write makes
        the UPDATE match nothing: a stale version too, and nothing is kept."""
        try:
            self.session.flush()
        except StaleDataError:
            self.session.rollback()
            raise self._stale(self.expected or self.record.version) from None

    def _stale(self, expected: int) -> StaleVersion:
        state = self.current()
        return StaleVersion(
            f"{self.name} was changed by someone else after you read it (version {expected}, "
            f"now {state.version}): look at its current state, then apply your change again",
            record_type=type(self.record).__tablename__,
            record_key=self.name,
            version=state.version,
            current=state.model_dump(mode="json"),
        )
