"""Business rules of the catalogue: finding projects by title, and their status history."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from devagenda.catalogue.importers import read_project_titles
from devagenda.catalogue.models import (
    CdipSession,
    DatePrecision,
    Document,
    Project,
    ProjectStatus,
    ProjectStatusChange,
)
from devagenda.core.models import TextStatus

# Two titles of one project may differ by a word or a punctuation mark between editions
# and between the narrative and the annex; below this score they are different projects.
SAME_PROJECT_SCORE = 90

_PHASE_SUFFIX = re.compile(r"(——|—|-|–)?\s*(第[一二三四五]阶段|phase\s+[ivx\d]+)\s*$", re.I)
_NOISE = re.compile(r"[\s“”\"'‘’「」《》（）()、，,：:；;。.\-—–·]+")
_PROJECT_WORD = re.compile(r"(的?项目|试点项目|project)$", re.I)


def title_key(title: str) -> str:
    """A project title reduced to what identifies it: no punctuation, phase or "project"."""
    text = unicodedata.normalize("NFKC", title).strip().casefold()
    text = _PHASE_SUFFIX.sub("", text)
    text = _NOISE.sub("", text)
    return _PROJECT_WORD.sub("", text)


class ProjectIndex:
    """The projects of a database, looked up by title and phase while loading a report."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_phase: dict[int, dict[str, Project]] = {}
        for project in session.scalars(select(Project)):
            self._index(project)

    def _index(self, project: Project) -> None:
        keys = self.by_phase.setdefault(project.phase, {})
        for text in project.texts:
            keys.setdefault(title_key(text.text), project)

    def find(self, title: str, phase: int) -> Project | None:
        keys = self.by_phase.get(phase, {})
        key = title_key(title)
        if key in keys:
            return keys[key]
        best = process.extractOne(key, list(keys), scorer=fuzz.ratio) if keys else None
        if best and best[1] >= SAME_PROJECT_SCORE:
            return keys[best[0]]
        return None

    def find_or_create(
        self, title: str, phase: int, language: str, source_location_id: int | None
    ) -> Project:
        project = self.find(title, phase)
        if project is None:
            project = Project(phase=phase, status=ProjectStatus.PROPOSED)
            project.set_text(language, title, TextStatus.OFFICIAL, source_location_id)
            self.session.add(project)
            self._index(project)
        return project


def link_predecessors(session: Session) -> None:
    """A phase-n project follows the phase-(n-1) project with the same title."""
    index = ProjectIndex(session)
    for project in session.scalars(select(Project).where(Project.phase > 1)):
        if project.predecessor_id is not None:
            continue
        for text in project.texts:
            earlier = index.find(text.text, project.phase - 1)
            if earlier is not None:
                project.predecessor = earlier
                break


def record_status(
    session: Session,
    project: Project,
    status: ProjectStatus,
    on_date: date | None,
    precision: DatePrecision | None,
    source_location_id: int | None,
) -> None:
    """Add a step to the project's history (once per source location) and update its status."""
    for change in project.status_history:
        if change.status is status and change.source_location_id == source_location_id:
            break
    else:
        project.status_history.append(
            ProjectStatusChange(
                status=status,
                on_date=on_date,
                date_precision=precision,
                source_location_id=source_location_id,
            )
        )
    project.status = current_status(project.status_history)


_PRECISION_ORDER = {None: 0, DatePrecision.YEAR: 1, DatePrecision.MONTH: 2, DatePrecision.DAY: 3}


def current_status(history: list[ProjectStatusChange]) -> ProjectStatus:
    """The latest stated status.

    On the same date a precisely dated statement ("as of 31 December", the annex) beats a
    loosely dated one ("in December"), and then the later stage of life wins.
    """
    latest = max(
        history,
        key=lambda c: (c.on_date or date.min, _PRECISION_ORDER[c.date_precision], c.status.rank),
    )
    return latest.status


def apply_project_translations(session: Session) -> int:
    """Give projects the shipped English titles where no official English title exists."""
    by_key = {title_key(r.title_zh): r for r in read_project_titles()}
    updated = 0
    for project in session.scalars(select(Project)):
        texts = {t.language: t for t in project.texts}
        chinese = texts.get("zh")
        record = by_key.get(title_key(chinese.text)) if chinese else None
        english = texts.get("en")
        if record is None or (english and english.status is TextStatus.OFFICIAL):
            continue
        if english is None or english.text != record.title_en:
            project.set_text("en", record.title_en, record.title_en_status)
            updated += 1
    return updated


def get_or_create_session(session: Session, number: int) -> CdipSession:
    cdip = session.get(CdipSession, number)
    if cdip is None:
        cdip = CdipSession(number=number)
        session.add(cdip)
    return cdip


def get_or_create_document(session: Session, symbol: str) -> Document:
    """Documents are keyed by their symbol as WIPO writes it (upper case, single spaces)."""
    symbol = " ".join(symbol.upper().split())
    document = session.scalar(select(Document).where(Document.symbol == symbol))
    if document is None:
        match = re.match(r"CDIP/(\d+)/", symbol)
        number = int(match.group(1)) if match else None
        document = Document(symbol=symbol)
        if number is not None:
            document.session = get_or_create_session(session, number)
        session.add(document)
    return document
