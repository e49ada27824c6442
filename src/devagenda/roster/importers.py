"""What a consultants import file holds and how its cells read.

`devagenda consultants import` takes CSV, XLSX and JSON, told apart by their content, all
checked by `CONSULTANT_SPEC` with the rules of `core.imports`. Assignments are one cell
(`assignments`), one assignment per line of the cell (Alt+Enter in a spreadsheet) or,
on one line, separated by `;`; each reads `year: countries: activity: task`, the
countries separated by `|`, and any part may be left empty:

    2023: Kenya | Uganda: IPTAD-123: Drafting the national IP policy
    2022: Peru:: Training of patent examiners

A secretariat user keeps one row per consultant that way, which is how the roster is
exchanged; the task is last, so that it may hold colons. In JSON, `assignments` may also
be a list of such texts or of objects {"year", "countries", "activity", "task"}.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devagenda.activities.importers import (
    decode,
    json_table,
    language_codes,
    line_text,
    names,
    read_json_records,
    subject_area_codes,
)
from devagenda.core.errors import InputError
from devagenda.core.imports import CellError, Column, ImportSpec, reference, whole_number
from devagenda.roster.models import Gender

FIRST_YEAR, LAST_YEAR = 1970, 2100
_GENDER_LABELS = {
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
    "woman": Gender.FEMALE,
    "女": Gender.FEMALE,
    "女性": Gender.FEMALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "man": Gender.MALE,
    "男": Gender.MALE,
    "男性": Gender.MALE,
    "other": Gender.OTHER,
    "其他": Gender.OTHER,
}
_NOT_STATED = {"not stated", "unknown", "未说明", "不详"}
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()./\-]{5,40}$")
_CODE = re.compile(r"^[\w.:/\-]{1,64}$")


@dataclass(frozen=True)
class AssignmentCells:
    """One assignment as the cell states it; countries and activity still as written."""

    year: int | None
    countries: tuple[str, ...]
    activity: str | None
    task: str | None


def gender(text: str) -> Gender | None:
    """female, male or other (or 女, 男...); "not stated" clears a stored value."""
    folded = text.strip().casefold()
    if folded in _NOT_STATED:
        return None
    if folded not in _GENDER_LABELS:
        raise CellError(f"{text!r} is not a gender: female, male, other or not stated")
    return _GENDER_LABELS[folded]


def email(text: str) -> str:
    if len(text) > 320 or not _EMAIL.match(text):
        raise CellError(f"{text!r} is not an e-mail address (name@example.org)")
    return text


def phone(text: str) -> str:
    if not _PHONE.match(text):
        raise CellError(f"{text!r} is not a phone number (digits, spaces, + - ( ) .)")
    return " ".join(text.split())


def code(text: str) -> str:
    if not _CODE.match(text):
        raise CellError(f"{text!r} is not a consultant code (letters, digits, - _ . : /)")
    return text


def year(text: str) -> int:
    value = whole_number(text)
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise CellError(f"{text!r} is not a year ({FIRST_YEAR}-{LAST_YEAR})")
    return value


def assignments(text: str) -> list[AssignmentCells]:
    """The assignments of a cell (see the module's note); an empty line is skipped."""
    lines = text.splitlines() if "\n" in text.strip() else text.split(";")
    found = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(":", 3)]
        if len(parts) < 2:
            raise CellError(
                f"assignment {number} {line.strip()[:60]!r}: write year: countries: activity: "
                "task (e.g. 2023: Kenya | Uganda: IPTAD-123: Drafting the IP policy)"
            )
        parts += [""] * (4 - len(parts))
        when, countries, activity, task = parts
        try:
            stated_year = year(when) if when else None
        except CellError as error:
            raise CellError(f"assignment {number}: {error}") from None
        if len(task) > 2000:
            raise CellError(f"assignment {number}: a task of at most 2000 characters")
        found.append(
            AssignmentCells(
                stated_year,
                tuple(names(countries)) if countries else (),
                activity or None,
                " ".join(task.split()) or None,
            )
        )
    return found


def _source(text: str) -> str:
    from devagenda.catalogue.services import normalize_symbol

    return reference(text, normalize_symbol)


CONSULTANT_SPEC = ImportSpec(
    name="consultants",
    keys=("code",),
    columns=(
        Column(
            "code",
            "the consultant's code in the roster; a stored code updates",
            "IPROC-1043",
            required=True,
            parse=code,
        ),
        Column(
            "name_latin",
            "the name in Latin script (needed for a new consultant)",
            "Wang Xiaoming",
            parse=line_text(200),
        ),
        Column("name_own", "the name in the person's own script", "王小明", parse=line_text(200)),
        Column(
            "gender",
            "female, male or other; personal data, seen by editors only",
            "male",
            parse=gender,
        ),
        Column(
            "nationalities",
            "countries of nationality, by name (en or zh) or ISO code, separated by |; "
            "personal data",
            "China",
            parse=line_text(1000),
        ),
        Column(
            "languages",
            "languages the consultant works in, by name or ISO 639-1 code",
            "Chinese, English",
            parse=language_codes,
        ),
        Column(
            "ip_fields",
            "IP fields of expertise (the IP subject areas of activities), separated by |",
            "Patents | Technology Transfer",
            parse=subject_area_codes,
        ),
        Column("email", "e-mail address; personal data", "wang@example.org", parse=email),
        Column("phone", "telephone number; personal data", "+86 10 1234 5678", parse=phone),
        Column("address", "postal address; personal data", "Beijing", parse=line_text(1000)),
        Column(
            "assignments",
            "one per line (or separated by ;): year: countries: activity: task",
            "2023: Kenya | Uganda: IPTAD-123: Drafting the national IP policy",
            parse=assignments,
        ),
        Column(
            "source",
            "where these facts are stated: a document symbol or a URL",
            "https://www.wipo.int/roc/en/",
            required=True,
            parse=_source,
        ),
    ),
)


def detect_format(path: Path) -> str:
    """csv, xlsx or json, from the content; the extension is not trusted."""
    if not path.is_file():
        raise InputError("file not found", path=str(path))
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    head = decode(path, data).lstrip()[:200].lower()
    if head.startswith(("[", "{")):
        return "json"
    if head.startswith(("<!doctype", "<html", "<?xml")):
        raise InputError(
            "an HTML or XML page is not a consultants file: save it as CSV, XLSX or JSON",
            path=str(path),
        )
    return "csv"


def read_json_table(path: Path) -> list[list[str]]:
    """A JSON array of consultants (or {"consultants": [...]}) as a table of cells."""
    records = read_json_records(path, "consultants")
    for number, record in enumerate(records, start=1):
        if "assignments" in record:
            record["assignments"] = _assignment_lines(path, number, record["assignments"])
    return json_table(path, records)


def _assignment_lines(path: Path, number: int, value: Any) -> Any:
    if not isinstance(value, list):
        return value
    lines = []
    for item in value:
        if isinstance(item, str):
            lines.append(item)
        elif isinstance(item, dict) and set(item) <= {"year", "countries", "activity", "task"}:
            countries = item.get("countries") or []
            if isinstance(countries, str):
                countries = [countries]
            lines.append(
                ": ".join(
                    (
                        str(item.get("year") or ""),
                        " | ".join(str(c) for c in countries),
                        str(item.get("activity") or ""),
                        str(item.get("task") or ""),
                    )
                )
            )
        else:
            raise InputError(
                f"record {number}, 'assignments': each must be a text or an object with "
                "year, countries, activity and task",
                path=str(path),
            )
    return "\n".join(lines)
