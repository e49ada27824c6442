"""Activities tests: files to import, written from rows, and the shipped sample pages."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest

PAGES = Path(__file__).parent.parent / "data" / "ip-tad"
HEADER = [
    "code",
    "title_en",
    "title_zh",
    "type",
    "ip_subject_areas",
    "organising_unit",
    "sector",
    "start_date",
    "end_date",
    "mode",
    "venue_city",
    "host_country",
    "beneficiaries",
    "languages",
    "participants",
    "participants_women",
    "participants_men",
    "funding_source",
    "partners",
    "recommendations",
    "expected_results",
    "projects",
    "source",
]


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column, "") or None for column in header])
    workbook.save(path)
    return path


def write_json(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"activities": records}, ensure_ascii=False), encoding="utf-8")
    return path


SEMINAR = {
    "code": "TAD-1",
    "title_en": "National Seminar on Patent Information",
    "title_zh": "专利信息国家研讨会",
    "type": "Seminar",
    "ip_subject_areas": "Patents | Trademarks",
    "organising_unit": "Division for Asia and the Pacific",
    "sector": "RND",
    "start_date": "2023-05-02",
    "end_date": "2023-05-03",
    "mode": "in person",
    "venue_city": "Colombo",
    "host_country": "斯里兰卡",
    "beneficiaries": "LK | Maldives",
    "languages": "English, si",
    "participants": "45",
    "participants_women": "21",
    "participants_men": "24",
    "funding_source": "FIT Japan IP Global",
    "partners": "National IP Office of Sri Lanka | University of Colombo, Faculty of Law",
    "recommendations": "1, 10",
    "source": "https://www.wipo.int/tad/en/activitydetails.jsp?id=1",
}
WEBINAR = {
    "code": "TAD-2",
    "title_en": "Webinar on Copyright for Creative Industries in Africa",
    "type": "webinar",
    "ip_subject_areas": "Copyright and Related Rights",
    "organising_unit": "Division for Africa",
    "start_date": "2023-09-12",
    "mode": "virtual",
    "beneficiaries": "Kenya | Uganda | African Group",
    "languages": "en | fr",
    "participants": "120",
    "source": "CDIP/31/2",
}


@pytest.fixture
def files(tmp_path: Path) -> Callable[..., Path]:
    """Write rows as a file of a format: files("csv", [row, ...], name=...)."""
    writers = {"csv": write_csv, "xlsx": write_xlsx}

    def write(kind: str, rows: list[dict[str, str]], name: str | None = None) -> Path:
        path = tmp_path / (name or f"activities.{kind}")
        if kind == "json":
            return write_json(path, rows)  # type: ignore[arg-type]
        return writers[kind](path, rows)

    return write


# -- a database of varied activities, users of each role and their tokens -------------------

COUNTRIES = ("KEN", "UGA", "LKA", "PER", "EGY", "UZB", "")
TYPES = ("seminar", "workshop", "training course", "advisory", "webinar", "")
MODES = ("in person", "virtual", "hybrid", "")
AREAS = ("patents", "trademarks | copyright", "geographical indications", "")
UNITS = ("Division for Africa", "Division for Asia and the Pacific", "")
FUNDING = ("FIT Japan IP Global", "FIT Republic of Korea", "")
ACCOUNTS = {
    "reader@example.org": ("reader", ()),
    "focal@example.org": ("focal-point", ("KEN",)),
    "editor@example.org": ("editor", ()),
    "admin@example.org": ("admin", ()),
}


def varied_rows(count: int = 24, project: str = "") -> list[dict[str, str]]:
    """Activities whose facts vary independently, some of them not stated; every fifth
    is part of `project` (a catalogue code) when one is given."""
    rows = []
    for n in range(count):
        host = COUNTRIES[n % len(COUNTRIES)]
        beneficiaries = [c for c in (COUNTRIES[(n + 1) % 7], COUNTRIES[(n + 3) % 7]) if c]
        year = 2021 + n % 3
        rows.append(
            {
                "code": f"V-{n:02d}",
                "title_en": f"Activity {n} on {AREAS[n % 4] or 'IP'}",
                "type": TYPES[n % len(TYPES)],
                "ip_subject_areas": AREAS[n % len(AREAS)],
                "organising_unit": UNITS[n % len(UNITS)],
                "sector": ("RND", "PTS", "")[n % 3],
                "start_date": f"{year}-{1 + n % 12:02d}-10" if n % 5 else "",
                "end_date": f"{year}-{1 + n % 12:02d}-12" if n % 5 else "",
                "mode": MODES[n % len(MODES)],
                "host_country": host,
                "beneficiaries": " | ".join(beneficiaries) if n % 4 else "",
                "languages": ("en", "fr | en", "es", "")[n % 4],
                "participants": str(10 + n) if n % 2 else "",
                "funding_source": FUNDING[n % len(FUNDING)],
                "recommendations": ("1, 10", "12", "")[n % 3],
                "expected_results": ("4.1", "", "2.1, 4.1", "")[n % 4],
                "projects": project if n % 5 == 1 else "",
                "source": "CDIP/31/2",
            }
        )
    return rows
