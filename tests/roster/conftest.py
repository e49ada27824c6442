"""Roster tests: import files written from rows, a varied roster with accounts of each
role, and the API over it."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from devagenda.accounts.services import create_token, create_user
from devagenda.activities.editing import create_activity
from devagenda.activities.schemas import ActivityCreate
from devagenda.api import create_app
from devagenda.catalogue.schemas import TextIn
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.context import AppContext
from devagenda.roster.services import import_consultants

ADMIN = Actor(label="operator:test", role=Role.ADMIN)
PASSWORD = "correct horse battery staple"
ACCOUNTS = {
    "reader@example.org": ("reader", ()),
    "focal@example.org": ("focal-point", ("KEN",)),
    "editor@example.org": ("editor", ()),
    "admin@example.org": ("admin", ()),
}
ROLES = ("anonymous", "reader", "focal-point", "editor", "admin")
PERSONAL_ROLES = ("editor", "admin")
HEADER = [
    "code",
    "name_latin",
    "name_own",
    "gender",
    "nationalities",
    "languages",
    "ip_fields",
    "email",
    "phone",
    "address",
    "assignments",
    "source",
]
ACTIVITY_CODE = "IPTAD-77"
GIVEN = ("Amina", "Carlos", "Ivan", "Fatima", "Kwame", "Priya", "Olga", "Juan")
FAMILY = ("Okafor", "Mendes", "Petrov", "Haddad", "Mensah", "Sharma", "Ivanova", "Pérez")
GENDERS = ("female", "male", "female", "male", "", "other", "female")
NATIONALITIES = ("Kenya", "China | Peru", "Peru", "Spain", "Egypt", "", "KE")
LANGUAGES = ("en", "fr | en", "es", "", "zh, en")
FIELDS = (
    "Patents",
    "Trademarks | Copyright",
    "Geographical Indications",
    "",
    "Patents | IP Policy",
)
# Names a fuzzy search must find across scripts.
NAMED = [
    ("Wang Xiaoming", "王小明"),
    ("María García López", ""),
    ("Li Na", "李娜"),
    ("Zhang Wei", "张伟"),
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
    path.write_text(json.dumps({"consultants": records}, ensure_ascii=False), encoding="utf-8")
    return path


def assignments_of(n: int) -> str:
    """Assignments varying with n: none, one, or two (one for the stored activity)."""
    if n % 4 == 0:
        return ""
    year = 2021 + n % 3
    first = f"{year}: {('Kenya', 'Uganda | Kenya', 'Peru')[n % 3]}:: Task {n}"
    if n % 4 == 1:
        return first
    return f"{first}\n{year + 1}: Sri Lanka: {ACTIVITY_CODE}: Training of examiners"


def varied_rows(count: int = 32) -> list[dict[str, str]]:
    rows = []
    for n in range(count):
        latin, own = NAMED[n] if n < len(NAMED) else (f"{GIVEN[n % 8]} {FAMILY[n // 8]}", "")
        rows.append(
            {
                "code": f"IPROC-{n:03d}",
                "name_latin": latin,
                "name_own": own,
                "gender": GENDERS[n % len(GENDERS)],
                "nationalities": NATIONALITIES[n % len(NATIONALITIES)],
                "languages": LANGUAGES[n % len(LANGUAGES)],
                "ip_fields": FIELDS[n % len(FIELDS)],
                "email": f"expert{n}@example.org" if n % 3 else "",
                "phone": "+41 22 338 9111" if n % 5 == 0 else "",
                "address": f"Street {n}, Geneva" if n % 2 else "",
                "assignments": assignments_of(n),
                "source": "https://www.wipo.int/roc/en/",
            }
        )
    return rows


def add_activity(context: AppContext) -> int:
    with acting_as(ADMIN), context.transaction() as session:
        data = ActivityCreate(
            titles={"en": TextIn(text="Training of patent examiners")},
            code=ACTIVITY_CODE,
            host_country="LKA",
            source="editor",
        )
        return create_activity(session, data).id


@pytest.fixture(scope="module")
def roster(databases, tmp_path_factory) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """A database with an activity, the varied roster and an account of each role."""
    context = AppContext.for_url(databases.initialized_url())
    add_activity(context)
    path = write_csv(tmp_path_factory.mktemp("roster") / "roster.csv", varied_rows())
    with acting_as(ADMIN), context.transaction() as session:
        import_consultants(session, [path])
        for email, (role, countries) in ACCOUNTS.items():
            create_user(session, email=email, role=role, password=PASSWORD, countries=countries)
    yield context
    context.engine.dispose()


@pytest.fixture(scope="module")
def headers(roster: AppContext) -> dict[str, dict[str, str]]:
    """Authorization headers by role."""
    found: dict[str, dict[str, str]] = {"anonymous": {}}
    with acting_as(ADMIN), roster.transaction() as session:
        for email, (role, _countries) in ACCOUNTS.items():
            found[role] = {"Authorization": f"Bearer {create_token(session, email).token}"}
    return found


@pytest.fixture(scope="module")
def api(roster: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(roster), base_url="http://127.0.0.1") as client:
        yield client
