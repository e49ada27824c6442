"""Importing needs and offers: CSV and XLSX alike; a file with bad rows stores nothing and
names every problem with its row, column and reason; a stored key updates."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.match.conftest import count, load, post, write_csv, write_xlsx

from devagenda.core.context import AppContext
from devagenda.core.imports import ImportWouldReplace
from devagenda.match.services import MatchImportRefused

NEED_1_VECTOR = (
    "SELECT vector FROM match_post_embedding JOIN match_post ON id = post_id WHERE key = 'NEED-1'"
)
ROWS = [
    post(
        "NEED-1",
        "need",
        title_zh="专利审查员培训资金",
        owner_type="ip_office",
        countries="KE | UG",
        ip_fields="Patents",
        support="financial",
        languages="en | zh",
        valid_from="2024-01-01",
        valid_until="2026-12-31",
    ),
    post(
        "OFFER-1",
        "offer",
        title_en="Solar power licence",
        support="licence",
        green_category="energy",
        countries="PE",
    ),
]


@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_each_format_stores_the_posts_and_their_parts(
    context: AppContext, tmp_path: Path, writer: object
) -> None:
    path = writer(tmp_path / f"posts.{writer.__name__.removeprefix('write_')}", ROWS)  # type: ignore[operator]
    (result,) = load(context, path)
    assert result.rows == 2
    assert result.facts == {"needs": 1, "offers": 1}
    assert count(context, "SELECT count(*) FROM match_post_embedding") == 2
    assert count(context, "SELECT count(*) FROM match_post_country") == 3
    codes = count(
        context,
        "SELECT country_alpha3 FROM match_post_country WHERE position = 1",
    )
    assert codes == "UGA"
    assert count(context, "SELECT green_category FROM match_post WHERE key = 'OFFER-1'") == "energy"
    assert count(context, "SELECT title_en FROM match_post WHERE key = 'NEED-1'") is None


def test_a_stored_key_updates_only_what_the_row_states(context: AppContext, tmp_path: Path) -> None:
    load(context, write_csv(tmp_path / "first.csv", ROWS))
    before = count(context, NEED_1_VECTOR)
    header = ["key", "side", "title_en", "countries"]
    row = {
        "key": "NEED-1",
        "side": "need",
        "title_en": "Funding to train examiners",
        "countries": "TZ",
    }
    again = write_csv(tmp_path / "again.csv", [row], header)
    with pytest.raises(ImportWouldReplace) as refused:
        load(context, again)
    # Filling the empty English title replaces nothing; the two countries are replaced.
    assert [str(item) for item in refused.value.replaced] == [
        "again.csv row 2 (key NEED-1): country KEN removed, country UGA removed"
    ]
    assert count(context, "SELECT count(*) FROM match_post_country") == 3  # nothing stored
    load(context, again, replace=True)
    assert count(context, "SELECT count(*) FROM match_post") == 2
    assert (
        count(context, "SELECT title_zh FROM match_post WHERE key = 'NEED-1'")
        == "专利审查员培训资金"
    )
    assert count(context, "SELECT support FROM match_post WHERE key = 'NEED-1'") == "financial"
    assert count(context, "SELECT count(*) FROM match_post_country") == 2  # TZA and PER
    after = count(context, NEED_1_VECTOR)
    assert after is not None and bytes(after) != bytes(before)  # the new text was encoded


def test_bad_rows_store_nothing_and_are_all_named(context: AppContext, tmp_path: Path) -> None:
    rows = [
        *ROWS,
        post("NEED-2", "need", title_en="x", countries="XK"),  # not in the knowledge base
        post("NEED-3", "wish", title_en="x"),
        post("NEED-4", "need", title_en="x", support="money"),
        post("NEED-5", "need", title_en="x", valid_from="2024-05-01", valid_until="2024-01-01"),
        {"key": "NEED-6", "side": "need", "title_en": "no owner"},
        post("NEED-7", "need"),
    ]
    with pytest.raises(MatchImportRefused) as refused:
        load(context, write_csv(tmp_path / "bad.csv", rows))
    problems = {(p.row, p.column): p.reason for r in refused.value.refusals for p in r.problems}
    assert set(problems) == {
        (4, "countries"),
        (5, "side"),
        (6, "support"),
        (7, "valid_until"),
        (8, "owner"),
        (9, "title_en"),
    }
    assert "did you mean" in problems[(4, "countries")]
    assert "financial" in problems[(6, "support")]
    assert count(context, "SELECT count(*) FROM match_post") == 0


def test_a_post_keeps_its_side(context: AppContext, tmp_path: Path) -> None:
    load(context, write_csv(tmp_path / "first.csv", ROWS))
    turned = [post("NEED-1", "offer", title_en="now an offer")]
    with pytest.raises(MatchImportRefused) as refused:
        load(context, write_csv(tmp_path / "turned.csv", turned))
    (line,) = refused.value.lines()
    assert line.endswith("row 2, column 'side': NEED-1 is stored as a need; a post keeps its side")
    assert count(context, "SELECT side FROM match_post WHERE key = 'NEED-1'") == "need"
