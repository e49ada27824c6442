"""Suggestions: across Chinese and English the right pair ranks first; the hard
constraints (kind of support, country or region, language, validity) filter, so that a
candidate breaking one never ranks above one that meets them; reasons name what matched."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from tests.match.conftest import load, post, write_csv
from typer.testing import CliRunner

from devagenda.cli import app
from devagenda.core.context import AppContext
from devagenda.match.suggestions import suggest

# Each need's right offer is written in the other language, and its IP field differs
# from none of the others, so only the texts tell them apart.
PAIRS = [
    (
        "我们需要资金支持建设专利审查员培训中心",
        "Funding for a training centre for patent examiners",
    ),
    (
        "寻求太阳能发电技术许可，用于农村电气化",
        "Licence for solar photovoltaic power for rural electrification",
    ),
    (
        "需要帮助制定大学知识产权政策和技术转让办公室",
        "Advisory support to draft university IP policies and technology transfer offices",
    ),
    (
        "寻求节水灌溉技术，帮助小农户",
        "Drip irrigation technology that saves water for smallholder farmers",
    ),
    (
        "为手工艺品社区建立地理标志和品牌",
        "Branding and geographical indications for craft communities",
    ),
]
EN_NEEDS = [
    ("Recycling plastic waste into building materials", "将塑料废物回收制成建筑材料的技术"),
    ("An online database of traditional knowledge", "建立传统知识在线数据库的技术援助"),
]


def _bilingual_rows() -> list[dict[str, str]]:
    rows = []
    for number, (need, offer) in enumerate(PAIRS, start=1):
        rows.append(post(f"NEED-{number}", "need", title_zh=need, ip_fields="Patents"))
        rows.append(post(f"OFFER-{number}", "offer", title_en=offer, ip_fields="Patents"))
    for number, (need, offer) in enumerate(EN_NEEDS, start=len(PAIRS) + 1):
        rows.append(post(f"NEED-{number}", "need", title_en=need))
        rows.append(post(f"OFFER-{number}", "offer", title_zh=offer))
    return rows


@pytest.fixture
def bilingual(context: AppContext, tmp_path: Path) -> AppContext:
    load(context, write_csv(tmp_path / "posts.csv", _bilingual_rows()))
    return context


def test_each_need_ranks_its_offer_in_the_other_language_first(bilingual: AppContext) -> None:
    total = len(PAIRS) + len(EN_NEEDS)
    with bilingual.transaction() as session:
        for number in range(1, total + 1):
            found = suggest(session, f"NEED-{number}")
            assert len(found) == total
            assert found[0].key == f"OFFER-{number}", [s.key for s in found]
            assert found[0].score > found[1].score
            # And the other way round: the offer's best need is the one it answers.
            assert suggest(session, f"OFFER-{number}")[0].key == f"NEED-{number}"


def test_reasons_name_the_shared_fields_terms_and_constraints(bilingual: AppContext) -> None:
    with bilingual.transaction() as session:
        best = suggest(session, "NEED-2")[0]
    assert best.reasons.shared_fields == ["patents"]
    assert {"太阳能 / solar", "农村 / rural", "电气化 / electrification"} <= set(
        best.reasons.matching_terms
    )
    assert best.reasons.constraints == [
        "kind of support: not stated",
        "countries: not stated",
        "languages: not stated",
    ]


NEED_TEXT = "寻求太阳能发电技术许可，用于农村电气化"
RIGHT_TEXT = "Licence for solar photovoltaic power for rural electrification"
WEAK_TEXT = "Copyright training for musicians"


def _constraint_rows() -> list[dict[str, str]]:
    need = dict(countries="KE", support="licence", languages="en | zh")
    return [
        post("NEED-1", "need", title_zh=NEED_TEXT, **need),
        # The same text as the right offer, but each breaks one constraint.
        post("WRONG-SUPPORT", "offer", title_en=RIGHT_TEXT, countries="KE", support="financial"),
        post("WRONG-REGION", "offer", title_en=RIGHT_TEXT, countries="PE", support="licence"),
        post("WRONG-LANGUAGE", "offer", title_en=RIGHT_TEXT, countries="KE", languages="fr"),
        post("EXPIRED", "offer", title_en=RIGHT_TEXT, valid_until="2020-12-31"),
        post("OTHER-NEED", "need", title_en=RIGHT_TEXT),
        # Meet every constraint: the same country, and the same region (Uganda).
        post("COUNTRY", "offer", title_en=WEAK_TEXT, countries="KE", support="licence"),
        post("REGION", "offer", title_en=WEAK_TEXT, countries="UG", languages="en"),
    ]


def test_an_offer_breaking_a_constraint_never_ranks_above_one_meeting_them(
    context: AppContext, tmp_path: Path
) -> None:
    load(context, write_csv(tmp_path / "posts.csv", _constraint_rows()))
    with context.transaction() as session:
        found = suggest(session, "NEED-1", today=date(2025, 6, 1))
    assert sorted(s.key for s in found) == ["COUNTRY", "REGION"]
    reasons = {s.key: s.reasons.constraints for s in found}
    assert reasons["COUNTRY"] == [
        "kind of support: licence",
        "country: KEN",
        "languages: not stated",
    ]
    assert reasons["REGION"] == [
        "kind of support: not stated",
        "region: africa",
        "language: en",
    ]


def test_suggest_command_prints_json_best_first(bilingual: AppContext) -> None:
    result = CliRunner().invoke(
        app,
        [
            "--database-url",
            bilingual.settings.database_url,
            "match",
            "suggest",
            "NEED-1",
            "--limit",
            "3",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["suggestions"][0]["key"] == "OFFER-1"
    assert len(data["suggestions"]) == 3
    assert "patents" in data["suggestions"][0]["reasons"]["shared_fields"]


def test_suggest_for_an_unknown_key_is_one_line(bilingual: AppContext) -> None:
    result = CliRunner().invoke(
        app, ["--database-url", bilingual.settings.database_url, "match", "suggest", "NOPE"]
    )
    assert result.exit_code != 0
    assert "no need or offer has the key 'NOPE'" in result.output
    assert "Traceback" not in result.output
