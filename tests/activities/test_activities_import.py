"""Importing activities: CSV, XLSX, JSON and IP-TAD pages, all or nothing, by code."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.activities.conftest import PAGES, SEMINAR, WEBINAR
from tests.helpers import snapshot

from devagenda.activities.importers import ACTIVITY_SPEC, detect_format, parse_page
from devagenda.activities.models import Activity, ActivityMode, ActivityType
from devagenda.activities.services import (
    ActivitiesImportRefused,
    activities_template,
    get_activity,
    import_activities,
)
from devagenda.core.context import AppContext
from devagenda.core.imports import ImportWouldReplace
from devagenda.search import sync
from devagenda.search.models import SearchEntry
from devagenda.search.services import search


def _import(context: AppContext, *paths: Path, replace: bool = False) -> None:
    with context.transaction() as session:
        import_activities(session, list(paths), replace=replace)


def _by_code(context: AppContext, code: str) -> dict:  # type: ignore[type-arg]
    with context.transaction() as session:
        activity_id = session.scalar(select(Activity.id).where(Activity.code == code))
        assert activity_id is not None, code
        return get_activity(session, activity_id).model_dump()


def _count(context: AppContext) -> int:
    with context.transaction() as session:
        return session.scalar(select(func.count()).select_from(Activity)) or 0


@pytest.mark.parametrize("kind", ["csv", "xlsx", "json"])
def test_each_format_stores_every_fact_with_its_source(
    initialized_database: AppContext, files: Callable[..., Path], kind: str
) -> None:
    # The name says nothing of the format: it is told by the content.
    path = files(kind, [SEMINAR, WEBINAR], name="activities.dat")
    assert detect_format(path) == kind
    _import(initialized_database, path)
    seminar = _by_code(initialized_database, "TAD-1")
    assert seminar["title_zh"] == "专利信息国家研讨会"
    assert seminar["type"] is ActivityType.SEMINAR and seminar["mode"] is ActivityMode.IN_PERSON
    assert seminar["host_country"] == "LKA"  # named in Chinese
    assert seminar["beneficiaries"] == ["LKA", "MDV"]  # by ISO alpha-2 and by name
    assert seminar["subject_areas"] == ["patents", "trademarks"]
    assert seminar["languages"] == ["en", "si"]
    assert (seminar["participants"], seminar["participants_women"]) == (45, 21)
    assert seminar["partners"] == [
        "National IP Office of Sri Lanka",
        "University of Colombo, Faculty of Law",
    ]
    assert seminar["recommendations"] == [1, 10]
    assert seminar["fact_sources"]["start_date"]["source"] == SEMINAR["source"]
    assert seminar["link_sources"]["beneficiaries"][1]["source"]["source"] == SEMINAR["source"]
    webinar = _by_code(initialized_database, "TAD-2")
    assert webinar["beneficiaries"] == ["KEN", "UGA", "AFRICAN_GROUP"]
    # A gender split not stated is not zero.
    assert webinar["participants"] == 120
    assert webinar["participants_women"] is None and webinar["participants_men"] is None
    assert webinar["host_country"] is None and webinar["end_date"] is None
    assert webinar["fact_sources"]["type"]["source"] == "CDIP/31/2"


def test_the_key_column_turns_rows_into_updates(
    initialized_database: AppContext, files: Callable[..., Path]
) -> None:
    _import(initialized_database, files("csv", [SEMINAR, WEBINAR]))
    version = _by_code(initialized_database, "TAD-1")["version"]
    corrected = {
        "code": "TAD-1",
        "participants": "50",
        "languages": "English",
        "source": "CDIP/31/2",
    }
    path = files("csv", [corrected], name="corrected.csv")
    with pytest.raises(ImportWouldReplace) as refused:
        _import(initialized_database, path)
    assert [str(item) for item in refused.value.replaced] == [
        "corrected.csv row 2 (code TAD-1): participants (was '45'), language si removed"
    ]
    assert _by_code(initialized_database, "TAD-1")["version"] == version  # nothing stored
    _import(initialized_database, path, replace=True)
    assert _count(initialized_database) == 2
    seminar = _by_code(initialized_database, "TAD-1")
    assert seminar["participants"] == 50
    assert seminar["languages"] == ["en"]  # a stated list replaces the stored one
    assert seminar["venue_city"] == "Colombo"  # an empty cell states nothing
    assert seminar["fact_sources"]["participants"]["source"] == "CDIP/31/2"
    assert seminar["fact_sources"]["venue_city"]["source"] == SEMINAR["source"]
    assert seminar["version"] > version


def test_an_import_larger_than_an_index_batch_is_indexed_once_per_activity(
    initialized_database: AppContext, files: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The index reads, deletes and writes two records at a time: five span three batches.
    monkeypatch.setattr(sync, "_LOAD_BATCH", 2)
    rows = [
        {**SEMINAR, "code": f"TAD-{n}", "title_en": f"Seminar on patents {n}"} for n in range(5)
    ]
    _import(initialized_database, files("csv", rows))
    renamed = [{**row, "title_en": f"Workshop on designs {n}"} for n, row in enumerate(rows)]
    _import(initialized_database, files("csv", renamed, name="renamed.csv"), replace=True)
    with initialized_database.transaction() as session:
        ids = set(session.scalars(select(Activity.id)))
        entries = Counter(
            session.scalars(select(SearchEntry.key).where(SearchEntry.kind == "activity"))
        )
        assert entries == {str(id_): 2 for id_ in ids}  # en and zh, the old ones replaced
        found = {hit.url for hit in search(session, "designs", kinds=["activity"]).hits}
        assert found == {f"/activities/{id_}" for id_ in ids}
        assert not search(session, "patents", kinds=["activity"]).hits


def test_bad_rows_in_any_file_store_nothing_and_are_all_reported(
    initialized_database: AppContext, files: Callable[..., Path]
) -> None:
    bad = [
        SEMINAR,
        {**WEBINAR, "host_country": "Kenia"},
        {**WEBINAR, "code": "TAD-3", "recommendations": "46"},
        {
            **WEBINAR,
            "code": "TAD-4",
            "participants": "10",
            "participants_women": "8",
            "participants_men": "5",
        },
        {**WEBINAR, "code": "TAD-5", "languages": "Klingon"},
        {**WEBINAR, "code": "TAD-6", "type": "Semminar", "source": ""},
        # Problems found while storing are all named too, not only the first.
        {**WEBINAR, "code": "TAD-7", "host_country": "Kenia", "projects": "DA_99_99"},
    ]
    good_page = PAGES / "activity-3409.html"
    before = snapshot(initialized_database)
    with pytest.raises(ActivitiesImportRefused) as refused:
        _import(initialized_database, good_page, files("csv", bad), PAGES / "bad" / "misspelt.txt")
    assert snapshot(initialized_database) == before
    by_file = {Path(r.path).name: r.problems for r in refused.value.refusals}
    assert set(by_file) == {"activities.csv", "misspelt.txt"}
    where = {(p.row, p.column) for p in by_file["activities.csv"]}
    assert {
        (3, "host_country"),
        (4, "recommendations"),
        (5, "participants"),
        (6, "languages"),
        (7, "type"),
        (7, "source"),
        (8, "host_country"),
        (8, "projects"),
    } <= where
    reasons = " ".join(p.reason for p in by_file["activities.csv"])
    assert "Kenya" in reasons  # did you mean
    assert "english" in " ".join(p.reason for p in by_file["misspelt.txt"]).lower()
    lines = refused.value.lines()
    assert any("misspelt.txt: line 3, field 'Type'" in line for line in lines)


def test_ip_tad_pages_with_missing_and_several_values(initialized_database: AppContext) -> None:
    pages = sorted(PAGES.glob("*.*"))
    _import(initialized_database, *pages)
    seminar = _by_code(initialized_database, "IPTAD-3409")
    assert seminar["title_en"].startswith("National Seminar on Patent Information, Colombo")
    description = seminar["descriptions"][0]["text"]
    assert description.count("\n\n") == 1 and "PATENTSCOPE & ARDI" in description
    assert "Contact us" not in description and "analytics" not in str(seminar)
    assert (str(seminar["start_date"]), str(seminar["end_date"])) == ("2016-05-02", "2016-05-03")
    assert seminar["organising_unit"] == "Division for Asia and the Pacific"
    assert seminar["sector"] == "RND"  # the division belongs to one sector
    assert seminar["fact_sources"]["type"]["source"].endswith("activitydetails.jsp?id=3409")
    with initialized_database.transaction() as session:
        activities = session.scalars(select(Activity).order_by(Activity.id)).all()
        by_title = {a.text_in("en"): a.id for a in activities}
    workshop = get_activity_by_title(initialized_database, by_title, "Sub-Regional Workshop")
    assert workshop["start_date"] is None and workshop["venue_city"] is None  # not on the page
    assert workshop["type"] is ActivityType.WORKSHOP  # the first of two
    assert workshop["host_country"] == "KEN" and workshop["beneficiaries"] == ["KEN", "UGA"]
    assert workshop["subject_areas"] == ["geographical_indications", "trademarks"]
    assert workshop["languages"] == ["en", "fr"]
    mission = get_activity_by_title(initialized_database, by_title, "Advisory Mission")
    assert mission["type"] is ActivityType.ADVISORY
    # Two divisions of different sectors: the unit is kept, the sector is not guessed.
    assert mission["organising_unit"].count(";") == 1 and mission["sector"] is None
    assert "IP-TAD page saved as" in mission["fact_sources"]["type"]["source"]
    # Importing the same pages again updates them.
    _import(initialized_database, *pages)
    assert _count(initialized_database) == 3


def get_activity_by_title(context: AppContext, by_title: dict, start: str) -> dict:  # type: ignore[type-arg]
    activity_id = next(i for title, i in by_title.items() if title.startswith(start))
    with context.transaction() as session:
        return get_activity(session, activity_id).model_dump()


def test_a_page_is_read_from_its_text_alone() -> None:
    page = parse_page("p.txt", "Title: A\nType: Mission\nDate From: 01/02/2020\nFooter line")
    assert page.cells["start_date"] == page.cells["end_date"] == "01/02/2020"
    assert page.cells["type"] == "Mission" and "description_en" not in page.cells
    assert page.lines["type"] == 2


def test_templates_have_every_column(tmp_path: Path) -> None:
    names = [column.name for column in ACTIVITY_SPEC.columns]
    csv_text = activities_template("csv").decode("utf-8-sig")
    assert csv_text.strip().split(",") == names
    from openpyxl import load_workbook

    path = tmp_path / "template.xlsx"
    path.write_bytes(activities_template("xlsx"))
    sheet = load_workbook(path).worksheets[0]
    assert [cell.value for cell in sheet[1]] == names
