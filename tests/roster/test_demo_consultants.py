"""Demo consultants: names in several scripts, reproducible by seed, assignments linked
to demo activities, found by fuzzy name search, and removed exactly by `demo remove`."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text

from devagenda.demo.services import generate, remove
from devagenda.roster import names
from devagenda.roster.services import name_matches

TABLES = (
    "consultant",
    "consultant_nationality",
    "consultant_language",
    "consultant_field",
    "consultant_name_token",
    "consultant_fact_source",
    "assignment",
    "assignment_country",
)
SCRIPTS = {
    "chinese": re.compile(r"[\u4e00-\u9fff]"),
    "arabic": re.compile(r"[\u0600-\u06ff]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "latin with diacritics": re.compile(r"[À-ɏḀ-ỿ]"),
}


def _counts(context: Any) -> dict[str, int]:
    with context.engine.connect() as connection:
        return {t: connection.scalar(text(f"SELECT count(*) FROM {t}")) or 0 for t in TABLES}


def _rows(context: Any) -> list[Any]:
    with context.engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT c.code, c.name_latin, c.name_own, c.gender, c.email,"
                " (SELECT count(*) FROM assignment a WHERE a.consultant_id = c.id)"
                " FROM consultant c ORDER BY c.code"
            )
        ).all()


def test_demo_consultants_are_varied_linked_and_reproducible(databases) -> None:  # type: ignore[no-untyped-def]
    with databases.initialized_copy() as context:
        before = _counts(context)
        with context.transaction() as session:
            result = generate(session, {"consultants": 400, "activities": 150}, seed=9)
        assert result.rows == {"activities": 150, "consultants": 400}
        with context.engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM consultant WHERE demo")) == 400
            stored = connection.execute(
                text("SELECT name_latin, name_own, name_key FROM consultant")
            ).all()
            linked, unlinked_demo = connection.execute(
                text(
                    "SELECT count(a.activity_id), count(a.activity_id) - count(d.id)"
                    " FROM assignment a LEFT JOIN activity d ON d.id = a.activity_id AND d.demo"
                )
            ).one()
            unstated_gender = connection.scalar(
                text("SELECT count(*) FROM consultant WHERE gender IS NULL")
            )
            codes = connection.scalars(text("SELECT code FROM consultant")).all()
        every_name = " ".join(f"{latin} {own or ''}" for latin, own, _ in stored)
        for script, pattern in SCRIPTS.items():
            found = sum(1 for latin, own, _ in stored if pattern.search(f"{latin} {own or ''}"))
            assert found >= 20, script  # each script is a real share of the roster
        assert "Wang" in every_name and "Petrov" in every_name
        assert all(key == names.name_key(latin, own) for latin, own, key in stored)
        assert linked > 0 and unlinked_demo == 0  # links go to demo activities only
        assert 0 < unstated_gender < 400  # not stated is NULL, for some
        assert all(code.startswith("DEMO-C") for code in codes)
        with context.transaction() as session:
            wang = name_matches(session, "Wang Xiaoming")
            cyrillic = name_matches(session, "Иван Петров")
        assert wang and cyrillic
        first = _rows(context)
        with context.transaction() as session:
            removed = remove(session)
        assert removed.rows == {"consultants": 400, "activities": 150}
        assert _counts(context) == before
        with context.transaction() as session:
            generate(session, {"activities": 150, "consultants": 400}, seed=9)
        assert _rows(context) == first
        with context.transaction() as session:
            remove(session)
        with context.transaction() as session:
            generate(session, {"consultants": 400}, seed=10)  # without activities: unlinked
        assert _rows(context) != first
        with context.engine.connect() as connection:
            assert connection.scalar(text("SELECT count(activity_id) FROM assignment")) == 0
            assert connection.scalar(text("SELECT count(*) FROM assignment")) > 0


def test_imports_refuse_demo_codes_and_demo_consultants(databases, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest
    from tests.roster.conftest import varied_rows, write_csv

    from devagenda.roster.services import ConsultantsImportRefused, import_consultants

    with databases.initialized_copy() as context:
        with context.transaction() as session:
            generate(session, {"consultants": 20}, seed=4)
        with context.engine.connect() as connection:
            stored = connection.scalar(text("SELECT min(code) FROM consultant WHERE demo"))
        before = _counts(context)
        first, second = varied_rows(2)
        rows = [{**first, "code": stored}, {**second, "code": "demo-c-new"}]
        path = write_csv(tmp_path / "demo.csv", rows)
        with pytest.raises(ConsultantsImportRefused) as refused, context.transaction() as session:
            import_consultants(session, [path])
        lines = refused.value.lines()
        assert any("row 2, column 'code'" in line and "demo consultant" in line for line in lines)
        assert any(
            "row 3, column 'code'" in line and "kept for demo data" in line for line in lines
        )
        assert _counts(context) == before
