"""Groups and organizations named in the report are mentions like countries, and a brand
that contains a country's name is not a mention of that country."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devagenda.core.context import AppContext
from devagenda.reference.gazetteer import Gazetteer
from devagenda.reference.services import get_group_detail
from devagenda.reports.ingest import read_report
from devagenda.reports.ingest.document import Location, ReportDocument
from devagenda.reports.ingest.mentions import find_names

REPORT = Path(__file__).resolve().parents[2] / "data" / "reports" / "dg-report-da-2023.zh.txt"
HERE = Location(line=1, paragraph=1)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_reference_data()


@pytest.fixture(scope="module")
def doc(gazetteer: Gazetteer) -> ReportDocument:
    return read_report(REPORT, gazetteer=gazetteer)


def places(doc: ReportDocument, code: str) -> list[tuple[int | None, int | None, str]]:
    return [
        (m.location.paragraph, m.location.footnote, m.text)
        for m in doc.group_mentions
        if m.code == code
    ]


def test_groups_named_in_paragraphs_and_footnotes(doc: ReportDocument) -> None:
    assert (7, None, "东南亚国家联盟") in places(doc, "ASEAN")
    assert (7, None, "东盟") in places(doc, "ASEAN")
    assert places(doc, "EAPO") == [(7, None, "欧亚专利组织"), (7, None, "欧亚专利组织")]
    assert (22, 35, "非洲地区知识产权组织") in places(doc, "ARIPO")
    assert (22, 35, "ARIPO") in places(doc, "ARIPO")
    assert (19, None, "非洲集团") in places(doc, "AFRICAN_GROUP")
    assert places(doc, "GROUP_B") == [(45, None, "B集团")]
    assert (64, None, "OAPI") in places(doc, "OAPI")
    assert {m.code for m in doc.group_mentions} >= {"GRULAC", "ECOWAS", "WAEMU", "ANDEAN"}
    # Partners of the UN system, by full name and by the short form printed after it.
    assert places(doc, "FAO")[:2] == [(70, None, "粮食及农业组织"), (70, None, "粮农组织")]
    assert len(places(doc, "WHO")) == 10
    # 中国 is the country, not WIPO's group "China".
    assert "CHINA" not in {m.code for m in doc.group_mentions}


def test_annex_two_titles_are_read_for_names(doc: ReportDocument) -> None:
    in_annex = [m for m in doc.group_mentions + doc.country_mentions if m.location.annex]
    assert {m.location.annex for m in in_annex} == {"II"}
    waemu = [m for m in doc.group_mentions if m.location.annex and m.code == "WAEMU"]
    assert [m.text for m in waemu] == ["西非经济货币联盟", "西非经货联"]
    assert "BFA" in {m.alpha3 for m in doc.country_mentions if m.location.annex}


def test_a_brand_with_a_country_name_is_not_that_country(
    doc: ReportDocument, gazetteer: Gazetteer
) -> None:
    footnote_48 = [m.text for m in doc.country_mentions if m.location.footnote == 48]
    assert footnote_48 == ["不丹", "不丹", "韩国"]
    brand, _ = find_names("位于不丹布姆唐的“Aqua Bhutan”泉水", HERE, gazetteer)
    assert [m.alpha3 for m in brand] == ["BTN"]
    quoted_alone, _ = find_names("the delegation of “Bhutan” and Bhutan", HERE, gazetteer)
    assert [m.alpha3 for m in quoted_alone] == ["BTN", "BTN"]


@pytest.fixture(scope="module")
def loaded(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """A copy of the 2023 report's database for this module."""
    with databases.report_copy() as context:
        yield context


def test_group_pages_show_their_mentions(loaded: AppContext) -> None:
    with loaded.sessions() as session:
        asean = get_group_detail(session, "ASEAN")
        waemu = get_group_detail(session, "waemu")
    assert len(asean.mentions) == 15
    assert all(m.group == "ASEAN" and m.country is None for m in asean.mentions)
    assert all(m.text in m.snippet for m in asean.mentions)
    assert (22, "(i)", None) in {(m.paragraph, m.sub_item, m.footnote) for m in asean.mentions}
    in_annex = [m for m in waemu.mentions if m.annex == "II"]
    assert [m.text for m in in_annex] == ["西非经济货币联盟", "西非经货联"]
    assert all("布基纳法索" in m.snippet for m in in_annex)
    assert all("annex II row" in m.citation for m in in_annex)
