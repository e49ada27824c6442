"""The shared list machinery on its own: cursors and the flattening of records into CSV."""

from __future__ import annotations

from datetime import date

import pytest

from devagenda.api.listing import csv_cells, csv_columns
from devagenda.catalogue.models import DatePrecision, ProjectStatus, StatementKind
from devagenda.catalogue.schemas import ProjectOut, Provenance, StatusChangeOut
from devagenda.core.errors import InputError
from devagenda.core.models import SourceKind
from devagenda.core.pagination import decode_cursor, encode_cursor
from devagenda.reference.schemas import CountryOut


@pytest.mark.parametrize("key", [1, 2_147_483_647, "AFG", "CDIP/31/4", "坦桑尼亚"])
def test_cursors_round_trip_and_are_url_safe(key: int | str) -> None:
    cursor = encode_cursor(key)
    assert decode_cursor(cursor) == key
    assert all(c.isalnum() or c in "-_" for c in cursor)


@pytest.mark.parametrize(
    "cursor", ["", "!!!", "bm90IGpzb24", "eyJiZWZvcmUiOjF9", "eyJhZnRlciI6dHJ1ZX0"]
)
def test_foreign_cursors_are_input_errors(cursor: str) -> None:
    with pytest.raises(InputError) as raised:
        decode_cursor(cursor)
    assert raised.value.field == "cursor"


def test_csv_columns_come_from_the_class() -> None:
    columns = csv_columns(ProjectOut)
    assert columns[:4] == ["id", "version", "code", "phase"]
    assert "predecessor.title_zh" in columns
    assert "status_history.source.citation" in columns
    assert "recommendations.number" in columns
    assert "outputs.url" in columns
    assert len(columns) == len(set(columns))


def test_csv_cells_join_lists_and_nested_records() -> None:
    where = Provenance(
        source="dg-report/2023/zh",
        source_kind=SourceKind.REPORT,
        paragraph=19,
        sub_item="i)",
        citation="dg-report/2023/zh ¶19 i)",
    )
    history = [
        StatusChangeOut(
            id=1,
            status=ProjectStatus.APPROVED,
            kind=StatementKind.EVENT,
            date=date(2023, 4, 28),
            precision=DatePrecision.DAY,
            as_of_year=None,
            source=where,
        ),
        StatusChangeOut(
            id=2,
            status=ProjectStatus.APPROVED,
            kind=StatementKind.YEAR_END,
            date=None,
            precision=None,
            as_of_year=2023,
            source=None,
        ),
    ]
    project = ProjectOut.model_construct(
        **{**dict.fromkeys(ProjectOut.model_fields), "status_history": history, "proposers": []}
    )
    cells = csv_cells(project)
    assert cells["status_history.id"] == "1; 2"
    assert cells["status_history.status"] == "approved; approved"
    assert cells["status_history.kind"] == "event; year_end"
    assert cells["status_history.date"] == "2023-04-28; "
    assert cells["status_history.as_of_year"] == "; 2023"
    assert cells["status_history.precision"] == "day; "
    assert cells["status_history.source.citation"] == "dg-report/2023/zh ¶19 i); "
    assert "proposers.key" not in cells
    assert set(cells) <= set(csv_columns(ProjectOut))


def test_csv_cells_of_a_mapping() -> None:
    aliases = {"en": ["Tanzania", "Tanzania, United Republic of"], "zh": ["坦桑尼亚"]}
    country = CountryOut.model_construct(
        **{**dict.fromkeys(CountryOut.model_fields), "aliases": aliases}
    )
    cells = csv_cells(country)
    assert cells["aliases"] == "en: Tanzania, Tanzania, United Republic of; zh: 坦桑尼亚"
