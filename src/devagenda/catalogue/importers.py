"""Reading the catalogue's shipped data files, and what a catalogue import file holds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from devagenda.catalogue.codes import CodeError, normalize_code
from devagenda.catalogue.models import OutputKind
from devagenda.core.csvdata import read_csv, require_unique
from devagenda.core.imports import (
    CellError,
    Column,
    ImportSpec,
    amount,
    iso_date,
    items,
    reference,
    whole_number,
)
from devagenda.core.models import TextStatus
from devagenda.reference.importers import shipped_file


@dataclass(frozen=True)
class RecommendationRecord:
    number: int
    cluster: str
    immediate: bool
    text_en: str
    text_en_status: TextStatus
    line: int


@dataclass(frozen=True)
class ProjectTitleRecord:
    """An English title for a project, keyed by its Chinese title as Annex II prints it."""

    group: str
    row: int
    title_zh: str
    title_en: str
    title_en_status: TextStatus
    line: int


def read_recommendations(path: Path | str | None = None) -> list[RecommendationRecord]:
    path = path or shipped_file("recommendations.csv")
    records: list[RecommendationRecord] = []
    for row in read_csv(path, ("number", "cluster", "immediate", "text_en", "text_en_status")):
        number = row.integer("number")
        if not 1 <= number <= 45:
            raise row.error("number", f"{number} is not a recommendation number (1-45)")
        records.append(
            RecommendationRecord(
                number=number,
                cluster=row.one_of("cluster", "ABCDEF"),
                immediate=row.boolean("immediate"),
                text_en=row.text("text_en"),
                text_en_status=row.choice("text_en_status", TextStatus),
                line=row.line,
            )
        )
    require_unique(path, records, "number", lambda r: r.number)
    return records


def read_project_titles(path: Path | str | None = None) -> list[ProjectTitleRecord]:
    path = path or shipped_file("projects_en.csv")
    records = [
        ProjectTitleRecord(
            group=row.one_of("group", ("completed_evaluated", "ongoing", "approved")),
            row=row.integer("row"),
            title_zh=row.text("title_zh"),
            title_en=row.text("title_en"),
            title_en_status=row.choice("title_en_status", TextStatus),
            line=row.line,
        )
        for row in read_csv(path, ("group", "row", "title_zh", "title_en", "title_en_status"))
    ]
    require_unique(path, records, "title_zh", lambda r: (r.group, r.title_zh))
    return records


# -- the catalogue import file (`devagenda catalogue import`) --------------------------------


@dataclass(frozen=True)
class OutputItem:
    kind: OutputKind
    title: str
    url: str | None


def _recommendation_numbers(text: str) -> list[int]:
    numbers = sorted({whole_number(item) for item in items(text)})
    wrong = [number for number in numbers if not 1 <= number <= 45]
    if wrong:
        raise CellError(f"{wrong[0]} is not a recommendation number (1-45)")
    return numbers


def _session_number(text: str) -> int:
    match = re.fullmatch(r"(?:CDIP\s*/?\s*)?(\d{1,4})", text.strip(), re.IGNORECASE)
    if match is None or int(match.group(1)) < 1:
        raise CellError(f"{text!r} is not a CDIP session (e.g. 30 or CDIP/30)")
    return int(match.group(1))


def _sector_code(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_]{1,16}", text):
        raise CellError(f"{text!r} is not a sector code (e.g. RND)")
    return text.upper()


def _phase(text: str) -> int:
    number = whole_number(text)
    if not 1 <= number <= 9:
        raise CellError(f"{text!r} is not a phase (1, 2, ...)")
    return number


def _outputs(text: str) -> list[OutputItem]:
    """`kind: title [URL]` items, one per line or separated by `|` (titles hold commas)."""
    found = []
    for item in re.split(r"\s*(?:\||\n)\s*", text.strip()):
        kind, colon, rest = item.partition(":")
        if not colon or not rest.strip():
            raise CellError(f"{item!r} is not 'kind: title' (kinds: {_OUTPUT_KINDS})")
        try:
            output_kind = OutputKind(kind.strip().lower())
        except ValueError:
            raise CellError(
                f"unknown output kind {kind.strip()!r} (kinds: {_OUTPUT_KINDS})"
            ) from None
        title, url = rest.strip(), None
        match = re.fullmatch(r"(.*?)\s+(https?://\S+)", title)
        if match:
            title, url = match.group(1), match.group(2)
        found.append(OutputItem(output_kind, title, url))
    return found


_OUTPUT_KINDS = ", ".join(kind.value for kind in OutputKind)


def _code(text: str) -> str:
    try:
        return normalize_code(text)
    except CodeError as error:
        raise CellError(str(error)) from None


def _source(text: str) -> str:
    from devagenda.catalogue.services import normalize_symbol  # services imports this module

    return reference(text, normalize_symbol)


CATALOGUE_SPEC = ImportSpec(
    name="catalogue",
    keys=("code", "title_zh", "title_en"),
    columns=(
        Column(
            "code",
            "WIPO catalogue code; it names the recommendations the project implements",
            "DA_1_10_12_40",
            parse=_code,
        ),
        Column(
            "title_zh",
            "the Chinese title as the report prints it (finds the project when no code does)",
            "知识产权与公有领域",
        ),
        Column(
            "title_en",
            "the English title (finds the project when no code or Chinese title does)",
            "Intellectual Property and the Public Domain",
        ),
        Column("phase", "the phase, when a title has several (default: 1)", "2", parse=_phase),
        Column(
            "recommendations",
            "numbers of the recommendations it implements, separated by commas",
            "16, 20",
            parse=_recommendation_numbers,
        ),
        Column(
            "approved_session", "the CDIP session that approved it", "CDIP/4", parse=_session_number
        ),
        Column("start_date", "when it started (YYYY-MM-DD)", "2010-01-01", parse=iso_date),
        Column("end_date", "when it ended (YYYY-MM-DD)", "2013-04-30", parse=iso_date),
        Column("sector", "code of the WIPO sector that reports on it", "RND", parse=_sector_code),
        Column(
            "proposers",
            "countries or groups that proposed it, by name or code",
            "Peru, Cameroon",
            parse=items,
        ),
        Column(
            "beneficiaries",
            "countries or groups it benefits, by name or code",
            "Bhutan, Malawi",
            parse=items,
        ),
        Column("budget_chf", "the approved budget in Swiss francs", "1018000", parse=amount),
        Column(
            "outputs",
            "studies, guides, tools...: 'kind: title URL', separated by | or line breaks",
            "study: Scoping Study on Copyright https://www.wipo.int/...",
            parse=_outputs,
        ),
        Column(
            "source",
            "where these facts are stated: a document symbol or a URL",
            "CDIP/4/3 REV.",
            required=True,
            parse=_source,
        ),
    ),
)
