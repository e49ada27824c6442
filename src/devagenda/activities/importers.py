"""What an activities import file holds, how its cells read, and how the public
activity-detail pages of WIPO's current IP-TAD become rows of the same file.

`devagenda activities import` takes CSV, XLSX, JSON and IP-TAD pages (saved as HTML or
as their text) and tells them apart by their content. Every format becomes the same
table of cells, checked by `ACTIVITY_SPEC` with the rules of `core.imports`; a JSON
record is numbered as its row would be in a spreadsheet (the first record is row 2).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from difflib import get_close_matches
from functools import cache
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

from devagenda.activities.models import ActivityMode, ActivityType
from devagenda.core.errors import InputError
from devagenda.core.imports import (
    CellError,
    Column,
    ImportSpec,
    Problem,
    items,
    reference,
    whole_number,
)

# -- the code lists (activities/data) ---------------------------------------------------------


@dataclass(frozen=True)
class Code:
    code: str
    name_en: str
    name_zh: str
    labels: tuple[str, ...]  # every spelling that names it, the code and names included


def _data_rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("devagenda.activities") / "data" / name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def subject_areas() -> dict[str, Code]:
    found = {}
    for row in _data_rows("subject_areas.csv"):
        aliases = tuple(a for a in row["aliases"].split("|") if a)
        labels = (row["code"], row["name_en"], row["name_zh"], *aliases)
        found[row["code"]] = Code(row["code"], row["name_en"], row["name_zh"], labels)
    return found


@cache
def languages() -> dict[str, Code]:
    return {
        row["code"]: Code(
            row["code"],
            row["name_en"],
            row["name_zh"],
            (row["code"], row["name_en"], row["name_zh"]),
        )
        for row in _data_rows("languages.csv")
    }


@cache
def unit_sectors() -> dict[str, str]:
    """The sector each known organising unit belongs to, by the unit's folded name."""
    return {_fold(row["name"]): row["sector"] for row in _data_rows("organising_units.csv")}


def _fold(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text).strip().casefold()


@cache
def _labels(kind: str) -> dict[str, str]:
    """The code each folded label of a code list names, built once per process."""
    codes = subject_areas() if kind == "subject_areas" else languages()
    return {_fold(label): code.code for code in codes.values() for label in code.labels}


def _one_of(text: str, labels: dict[str, str], what: str) -> str:
    """The code `text` names, or a CellError with the nearest labels."""
    found = labels.get(_fold(text))
    if found is not None:
        return found
    nearest = get_close_matches(_fold(text), list(labels), n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(n) for n in nearest)}?" if nearest else ""
    raise CellError(f"unknown {what} {text!r}{hint}")


# -- cells ---------------------------------------------------------------------------------------

_TYPE_LABELS = {
    **{_fold(t.value): t.value for t in ActivityType},
    **{
        _fold(label): t.value
        for t, labels in {
            ActivityType.MISSION: ("expert mission", "fact-finding mission", "mission"),
            ActivityType.TRAINING_COURSE: ("training course", "training", "course"),
            ActivityType.ADVISORY: ("advisory", "advisory services", "advice"),
            ActivityType.LEGISLATIVE_ASSISTANCE: (
                "legislative assistance",
                "legislative advice",
                "legislative advisory",
            ),
            ActivityType.CONFERENCE: ("conference", "symposium", "forum"),
            ActivityType.WEBINAR: ("webinar", "online seminar"),
            ActivityType.WORKSHOP: ("workshop",),
            ActivityType.SEMINAR: ("seminar",),
            ActivityType.STUDY: ("study", "survey"),
            ActivityType.OTHER: ("other", "meeting"),
        }.items()
        for label in labels
    },
}
_MODE_LABELS = {
    **{_fold(m.value): m.value for m in ActivityMode},
    "in person": "in_person",
    "face to face": "in_person",
    "online": "virtual",
    "remote": "virtual",
}
# Separators of a list whose items may hold commas (partner names, subject areas).
_STRICT_SEPARATORS = re.compile(r"\s*[|;；\n]\s*")


def activity_type(text: str) -> ActivityType:
    return ActivityType(_one_of(text, _TYPE_LABELS, "activity type"))


def activity_mode(text: str) -> ActivityMode:
    return ActivityMode(_one_of(text, _MODE_LABELS, "mode (in person, virtual or hybrid)"))


def subject_area_codes(text: str) -> list[str]:
    labels = _labels("subject_areas")
    if _fold(text) in labels:
        return [labels[_fold(text)]]
    parts = (
        _STRICT_SEPARATORS.split(text.strip()) if _STRICT_SEPARATORS.search(text) else items(text)
    )
    return _unique(_one_of(part, labels, "IP subject area") for part in parts if part)


def language_codes(text: str) -> list[str]:
    labels = _labels("languages")
    return _unique(_one_of(part, labels, "language") for part in items(text.replace("/", ",")))


def names(text: str) -> list[str]:
    """Names that may hold commas: separated by |, ; or line breaks."""
    return [part for part in _STRICT_SEPARATORS.split(text.strip()) if part]


def recommendation_numbers(text: str) -> list[int]:
    numbers = sorted({whole_number(item.lstrip("Rr#")) for item in items(text)})
    wrong = [number for number in numbers if not 1 <= number <= 45]
    if wrong:
        raise CellError(f"{wrong[0]} is not a recommendation number (1-45)")
    return numbers


def expected_result_codes(text: str) -> list[str]:
    codes = items(text)
    for code in codes:
        if not re.fullmatch(r"\d\.\d{1,2}", code):
            raise CellError(f"{code!r} is not an expected result code (e.g. 4.1)")
    return _unique(codes)


def activity_date(text: str) -> date:
    """ISO (2016-05-02) or, as IP-TAD writes dates, day first (02/05/2016)."""
    match = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", text.strip())
    try:
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CellError(f"{text!r} is not a date (YYYY-MM-DD, or DD/MM/YYYY)") from None


def count(text: str) -> int:
    number = whole_number(text)
    if number < 0:
        raise CellError(f"{text!r} is not a count (0 or more)")
    return number


def sector_code(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_]{1,16}", text):
        raise CellError(f"{text!r} is not a sector code (e.g. RND)")
    return text.upper()


def code(text: str) -> str:
    if len(text) > 64 or not re.fullmatch(r"[\w.:/\-]+", text):
        raise CellError(f"{text!r} is not an activity code (letters, digits, - _ . : /)")
    return text


def line_text(limit: int) -> Callable[[str], str]:
    """A one-line text of at most `limit` characters, its spaces collapsed."""

    def parse(text: str) -> str:
        if len(text) > limit:
            raise CellError(f"at most {limit} characters")
        return " ".join(text.split())

    return parse


def _source(text: str) -> str:
    from devagenda.catalogue.services import normalize_symbol

    return reference(text, normalize_symbol)


def _unique(values: Any) -> list[Any]:
    return list(dict.fromkeys(values))


ACTIVITY_SPEC = ImportSpec(
    name="activities",
    keys=("code",),
    columns=(
        Column(
            "code",
            "the activity's code, e.g. its IP-TAD id; a stored code updates",
            "IPTAD-3409",
            required=True,
            parse=code,
        ),
        Column(
            "title_en",
            "the title in English",
            "National Seminar on Patent Information",
            parse=line_text(1000),
        ),
        Column("title_zh", "the title in Chinese", "专利信息国家研讨会", parse=line_text(1000)),
        Column("description_en", "the description in English", "The seminar ...", parse=str),
        Column("description_zh", "the description in Chinese", "研讨会……", parse=str),
        Column(
            "type",
            "mission, workshop, seminar, training course, advisory, legislative "
            "assistance, study, conference, webinar or other",
            "seminar",
            parse=activity_type,
        ),
        Column(
            "ip_subject_areas",
            "IP subject areas, separated by |",
            "Patents | Trademarks",
            parse=subject_area_codes,
        ),
        Column(
            "organising_unit",
            "the division or office that organised it",
            "Division for Asia and the Pacific",
            parse=line_text(200),
        ),
        Column("sector", "code of the WIPO sector (RND, PTS...)", "RND", parse=sector_code),
        Column(
            "start_date", "first day (YYYY-MM-DD or DD/MM/YYYY)", "2016-05-02", parse=activity_date
        ),
        Column(
            "end_date", "last day (YYYY-MM-DD or DD/MM/YYYY)", "2016-05-03", parse=activity_date
        ),
        Column("mode", "in person, virtual or hybrid", "in person", parse=activity_mode),
        Column("venue_city", "the city it was held in", "Colombo", parse=line_text(200)),
        Column(
            "host_country",
            "the host country, by name (en or zh) or ISO code",
            "Sri Lanka",
            parse=line_text(200),
        ),
        Column(
            "beneficiaries",
            "beneficiary countries or groups, by name or code, separated by |",
            "Sri Lanka | Maldives",
            parse=line_text(5000),
        ),
        Column(
            "languages",
            "languages it was held in, by name or ISO 639-1 code",
            "English",
            parse=language_codes,
        ),
        Column("participants", "how many took part", "45", parse=count),
        Column("participants_women", "how many of them were women, when known", "21", parse=count),
        Column("participants_men", "how many of them were men, when known", "24", parse=count),
        Column(
            "funding_source",
            "who paid, e.g. a funds-in-trust",
            "FIT Japan IP Global",
            parse=line_text(200),
        ),
        Column(
            "partners",
            "partner organizations, separated by |",
            "National IP Office of Sri Lanka",
            parse=names,
        ),
        Column(
            "recommendations",
            "numbers of the DA recommendations it implements",
            "1, 10",
            parse=recommendation_numbers,
        ),
        Column(
            "expected_results",
            "codes of the MTSP expected results it serves",
            "4.1, 4.2",
            parse=expected_result_codes,
        ),
        Column(
            "projects",
            "DA projects it is part of, by catalogue code or id",
            "DA_1_10_12_40",
            parse=items,
        ),
        Column(
            "source",
            "where these facts are stated: a document symbol or a URL",
            "https://www.wipo.int/tad/en/activitydetails.jsp?id=3409",
            required=True,
            parse=_source,
        ),
    ),
)
# Pages cite themselves: their URL when they hold one, else the saved file's name.
PAGE_SPEC = replace(
    ACTIVITY_SPEC,
    name="ip_tad_pages",
    columns=tuple(
        replace(c, parse=line_text(2000)) if c.name == "source" else c
        for c in ACTIVITY_SPEC.columns
    ),
)


# -- telling formats apart ----------------------------------------------------------------------

FORMATS = ("csv", "xlsx", "json", "page-html", "page-text")
_PAGE_LABEL_LINE = re.compile(r"^\s*(title|date from|venue city|wipo sector)\s*:", re.I | re.M)


def detect_format(path: Path) -> str:
    """The format of `path` from its content: a workbook, JSON, an IP-TAD page (HTML or
    its text) or CSV; the extension is not trusted."""
    if not path.is_file():
        raise InputError("file not found", path=str(path))
    with path.open("rb") as handle:  # the head tells: a large file is not read whole
        data = handle.read(DETECT_BYTES)
        complete = not handle.read(1)
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    text = decode(path, data if complete else _whole_characters(data))
    head = text.lstrip()[:500].lower()
    if head.startswith(("[", "{")):
        return "json"
    if head.startswith(("<!doctype html", "<html", "<head", "<body", "<div", "<table", "<?xml")):
        return "page-html"
    if len(_PAGE_LABEL_LINE.findall(text)) >= 2:
        return "page-text"
    return "csv"


DETECT_BYTES = 1 << 16


def _whole_characters(data: bytes) -> bytes:
    """`data` without a UTF-8 character cut at its end."""
    for cut in range(4):
        try:
            (data[: len(data) - cut] if cut else data).decode("utf-8")
            return data[: len(data) - cut] if cut else data
        except UnicodeDecodeError as error:
            if error.reason != "unexpected end of data":
                return data  # truly not UTF-8: decoding says where
    return data


def decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 text ({error.reason} at byte {error.start}): save it as UTF-8",
            path=str(path),
        ) from None


def read_json_table(path: Path, records: str = "activities") -> list[list[str]]:
    """A JSON array of records (or {"activities": [...]}, `records` naming the key) as a
    table: the keys are the columns; a list value is one cell, its items separated by |."""
    return json_table(path, read_json_records(path, records))


def read_json_records(path: Path, records: str = "activities") -> list[dict[str, Any]]:
    """The records of a JSON file: an array of objects, or {records: [...]}."""
    try:
        data = json.loads(decode(path, path.read_bytes()))
    except json.JSONDecodeError as error:
        raise InputError(
            f"malformed JSON: {error.msg}", path=str(path), line=error.lineno
        ) from None
    if isinstance(data, dict) and isinstance(data.get(records), list):
        data = data[records]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InputError(
            f'JSON must be an array of records, or {{"{records}": [...]}}', path=str(path)
        )
    return data


def json_table(path: Path, data: list[dict[str, Any]]) -> list[list[str]]:
    """Records as a table of cells, numbered as spreadsheet rows (the first is row 2)."""
    header = _unique(key for record in data for key in record)
    table = [[str(key) for key in header]]
    for number, record in enumerate(data, start=1):
        table.append([_json_cell(path, number, key, record.get(key)) for key in header])
    return table


def _json_cell(path: Path, number: int, key: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return " | ".join(str(v) for v in value)
    if isinstance(value, str | int | float):
        return str(value)
    raise InputError(
        f"record {number}, {key!r}: a value must be text, a number or a list of them",
        path=str(path),
    )


# -- IP-TAD activity-detail pages --------------------------------------------------------------

# The page's labels, and the field of ours each fills.
PAGE_LABELS = {
    "Title": "title_en",
    "Description": "description_en",
    "Type": "type",
    "IP Subject Area": "ip_subject_areas",
    "IP Subject Areas": "ip_subject_areas",
    "WIPO Sector": "organising_unit",
    "Date From": "dates",
    "Venue City": "venue_city",
    "Venue/Host Country": "host_country",
    "Beneficiary Country": "beneficiaries",
    "Beneficiary Countries": "beneficiaries",
    "Activity held in Language": "languages",
    "Mode": "mode",
    "Number of Participants": "participants",
}
_FIELD_OF_LABEL = {label.lower(): field for label, field in PAGE_LABELS.items()}
_LABEL = re.compile(
    r"^\s*(" + "|".join(re.escape(label) for label in PAGE_LABELS) + r")\s*:\s*(.*)$", re.I
)
_ACTIVITY_URL = re.compile(r"https?://[^\s\"'<>]*activitydetails\.jsp\?id=(\d+)", re.I)
_ACTIVITY_ID = re.compile(r"activitydetails\.jsp\?id=(\d+)", re.I)
_DATES = re.compile(r"^\s*(\S+)\s*(?:[-–]|to)\s*(\S+)\s*$")
_PAGE_COLUMNS = tuple(c.name for c in ACTIVITY_SPEC.columns)


@dataclass
class Page:
    """An IP-TAD page read into our columns, with the line each field starts on."""

    name: str
    cells: dict[str, str]
    lines: dict[str, int]

    def row(self) -> list[str]:
        return [self.cells.get(column, "") for column in _PAGE_COLUMNS]


class PageProblem(Problem):
    """A problem of a page: its line and the page's label rather than a row and column."""

    def __str__(self) -> str:
        where = f"line {self.row}" + (f", field {self.column!r}" if self.column else "")
        return f"{where}: {self.reason}"


def read_page(path: Path, kind: str) -> Page:
    raw = decode(path, path.read_bytes())
    text = html_text(raw) if kind == "page-html" else raw
    return parse_page(path.name, text, raw)


def parse_page(name: str, text: str, raw: str = "") -> Page:
    """The fields of one page. A description runs until the next label (it has several
    paragraphs); another field is one line, or the first line after an empty label (HTML
    puts a value in the table cell after its label's). Other lines are left out."""
    fields: dict[str, list[str]] = {}
    lines: dict[str, int] = {}
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _LABEL.match(line)
        if match:
            current = _FIELD_OF_LABEL[match.group(1).lower()]
            lines.setdefault(current, number)
            fields.setdefault(current, []).append(match.group(2).strip())
        elif current == "description_en" or (current and not any(fields[current])):
            fields[current].append(line.strip())  # a value in the block after its label
        else:
            current = None  # one-line fields end at their line: a footer is no value
    values = {field: _joined(parts, field == "description_en") for field, parts in fields.items()}
    return Page(name, _page_cells(name, values, raw or text), lines)


def _joined(parts: list[str], paragraphs: bool) -> str:
    if not paragraphs:
        return " ".join(part for part in parts if part)
    text = "\n".join(parts).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def _page_cells(name: str, values: dict[str, str], raw: str) -> dict[str, str]:
    cells = {k: v for k, v in values.items() if v and k != "dates"}
    url = _ACTIVITY_URL.search(raw)
    found_id = _ACTIVITY_ID.search(raw)
    if found_id:
        cells["code"] = f"IPTAD-{found_id.group(1)}"
    else:  # stable over re-imports of the same page, so that they update
        seed = "|".join((values.get("title_en", ""), values.get("dates", ""))).encode()
        cells["code"] = f"IPTAD-page-{hashlib.sha256(seed).hexdigest()[:12]}"
    cells["source"] = url.group(0) if url else f"IP-TAD page saved as {name}"
    dates = values.get("dates", "")
    span = _DATES.match(dates)
    if span:
        cells["start_date"], cells["end_date"] = span.group(1), span.group(2)
    elif dates:
        cells["start_date"] = cells["end_date"] = dates
    if "type" in cells:  # one type per activity: the first a page names
        cells["type"] = items(cells["type"])[0]
    if "host_country" in cells:
        countries = _page_list(cells["host_country"])
        cells["host_country"] = countries[0]
        if len(countries) > 1 and "beneficiaries" not in cells:
            cells["beneficiaries"] = " | ".join(countries)
    elif "beneficiaries" in cells:
        cells["beneficiaries"] = " | ".join(_page_list(cells["beneficiaries"]))
    if "organising_unit" in cells:
        units = _page_list(cells["organising_unit"])
        cells["organising_unit"] = "; ".join(units)
        sectors = {unit_sectors().get(_fold(unit)) for unit in units}
        if len(sectors) == 1 and None not in sectors:
            cells["sector"] = sectors.pop()  # type: ignore[assignment]
    return cells


def _page_list(text: str) -> list[str]:
    """Several values in one field: separated by commas, semicolons or slashes."""
    return [part for part in re.split(r"\s*[,;/|]\s*", text) if part]


def page_table(pages: list[Page]) -> list[list[str]]:
    return [list(_PAGE_COLUMNS), *(page.row() for page in pages)]


def page_problem(page: Page, problem: Problem) -> PageProblem:
    """A problem of a page's row told with the page's line and label."""
    labels: dict[str, str] = {}
    for label, name in PAGE_LABELS.items():
        labels.setdefault(name, label)
    field = {"start_date": "dates", "end_date": "dates"}.get(problem.column or "", problem.column)
    line = page.lines.get(field or "", 1)
    label = labels.get(field or "")
    return PageProblem(line, label or problem.column, problem.reason)


class _TextOfHtml(HTMLParser):
    """The visible text of a page, a line per block and a space between table cells."""

    BLOCKS = frozenset(
        {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "dl", "dt"}
    )
    HIDDEN = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th", "dd", "span", "label"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(lines)
