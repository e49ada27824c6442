"""The checker's messages in Chinese and English, from one catalogue, and findings stored
before the catalogue existed (migration 0014's data upgrade), on SQLite and PostgreSQL."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, update
from tests.helpers import load_report
from tests.reports.message_words import english_words
from typer.testing import CliRunner

from devagenda.cli import app
from devagenda.core.context import AppContext
from devagenda.core.schema import alembic_config
from devagenda.reports import content
from devagenda.reports.ingest.completeness import Part
from devagenda.reports.ingest.document import EventKind, ProjectGroup
from devagenda.reports.lint import LintReport, lint_report
from devagenda.reports.lint.numbering import numeral_style
from devagenda.reports.messages import LANGUAGES, TEMPLATES, Message, message, placeholders
from devagenda.reports.models import ReportFinding

SOURCES = Path(__file__).parents[2] / "src" / "devagenda" / "reports"
REPORT = Path(__file__).parents[2] / "data" / "reports" / "dg-report-da-2023.zh.txt"


def _sample(key: str) -> Message:
    """`key`'s message with 2 for every parameter (numbers take format specs)."""
    return Message(key, dict.fromkeys(placeholders(TEMPLATES[key]["en"]), 2))


def test_every_template_has_both_languages_with_the_same_parameters() -> None:
    for key, templates in TEMPLATES.items():
        assert set(templates) == set(LANGUAGES), key
        assert placeholders(templates["en"]) == placeholders(templates["zh"]), key


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_chinese_templates_add_no_english(key: str) -> None:
    assert english_words(_sample(key)) == [], TEMPLATES[key]["zh"]


def test_the_check_for_english_catches_an_untranslated_template(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(TEMPLATES, "footnotes.no_text", dict(TEMPLATES["footnotes.no_text"]))
    monkeypatch.setitem(TEMPLATES["footnotes.no_text"], "zh", "Footnote {number} 没有文本。")
    assert english_words(message("footnotes.no_text", number=3)) == ["Footnote"]


def _keys_in_sources() -> set[str]:
    """Every catalogue key a check or the completeness rule names literally."""
    files = [*sorted((SOURCES / "lint").glob("*.py")), SOURCES / "ingest" / "completeness.py"]
    found: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in TEMPLATES:
                found.add(node.value)
    return found


def test_every_template_is_used_and_every_named_key_exists() -> None:
    spelled_out = {
        *(f"group.{group}" for group in ProjectGroup),
        *(f"event.{kind}" for kind in EventKind),
        *(f"part.{part}" for part in Part),
        *(f"numeral.{numeral_style(n).lower()}" for n in ("2", "IV", "三")),
        "annex.I",
        "annex.II",
    }
    assert spelled_out <= set(TEMPLATES)
    assert _keys_in_sources() | spelled_out == set(TEMPLATES)
    for path in (SOURCES / "lint").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "message":
                first = node.args[0]
                if isinstance(first, ast.Constant):
                    assert first.value in TEMPLATES, (path.name, first.value)


def test_english_plurals_nesting_and_json() -> None:
    assert message("names.times", count=1).render("en") == "1 time"
    assert message("names.times", count=3).render("en") == "3 times"
    assert message("names.times", count=1).render("zh") == "共1次"
    gap = message("sequence.gap", number="v", missing=["iii", "iv"])
    nested = message("numbering.paragraphs", problem=gap)
    assert nested.render("en") == "Paragraph numbering: v comes where iii, iv should be."
    assert nested.render("zh") == "段落编号：编号v出现在本应是iii、iv的位置。"
    assert Message.from_json(nested.to_json()) == nested
    with pytest.raises(KeyError):
        message("no.such.key")


@pytest.fixture(scope="module")
def report_2023() -> LintReport:
    return lint_report(REPORT)


def test_every_finding_on_the_2023_report_reads_in_both_languages(
    report_2023: LintReport,
) -> None:
    assert len(report_2023.findings) == 16
    for finding in report_2023.findings:
        assert english_words(finding.text) == [], finding.message_in("zh")
        assert finding.message_in("zh") != finding.message
    projects = [f for f in report_2023.findings if f.code == "DA-NAM-003"]
    assert projects[0].message.startswith("Paragraph 19 iv) names the project “秘鲁")
    assert projects[0].message_in("zh").startswith("第19段iv)项所称的项目为“秘鲁")


def test_lint_prints_the_messages_in_either_language(report_2023: LintReport) -> None:
    runner = CliRunner()
    tisc = next(f for f in report_2023.findings if f.code == "DA-CNT-006")
    english = runner.invoke(app, ["lint", str(REPORT)])
    chinese = runner.invoke(app, ["lint", str(REPORT), "--lang", "zh"])
    assert english.exit_code == chinese.exit_code == 1  # the report has an error
    assert tisc.message in english.stdout and tisc.message_in("zh") not in english.stdout
    assert tisc.message_in("zh") in chinese.stdout and tisc.message not in chinese.stdout
    as_json = runner.invoke(app, ["lint", str(REPORT), "--json"])
    listed = json.loads(as_json.stdout)["findings"]
    assert [f["message_zh"] for f in listed] == [f.message_in("zh") for f in report_2023.findings]
    bad = runner.invoke(app, ["lint", str(REPORT), "--lang", "fr"])
    assert bad.exit_code == 2


# -- stored findings -------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(databases, report_2023_path: Path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = load_report(databases.new_url(), report_2023_path)
    yield context
    context.engine.dispose()


def test_findings_are_stored_with_their_key_and_read_in_both_languages(
    loaded: AppContext, report_2023: LintReport
) -> None:
    with loaded.sessions() as session:
        stored = content.report_findings(session, 2023, "zh")
    assert [f.message for f in stored] == [f.message for f in report_2023.findings]
    assert [f.message_zh for f in stored] == [f.message_in("zh") for f in report_2023.findings]
    assert {f.message_key for f in stored} == {f.text.key for f in report_2023.findings}


def test_the_upgrade_recovers_the_keys_of_findings_stored_before_it(
    loaded: AppContext, report_2023: LintReport
) -> None:
    config = alembic_config(loaded.engine)
    command.downgrade(config, "0013")  # to the revision before 0014, the finding messages
    command.upgrade(config, "head")
    with loaded.sessions() as session:
        stored = content.report_findings(session, 2023, "zh")
    assert [f.message_zh for f in stored] == [f.message_in("zh") for f in report_2023.findings]

    # A finding whose wording the checker no longer gives keeps its English message.
    with loaded.transaction() as session:
        changed = session.scalars(select(ReportFinding).order_by(ReportFinding.id)).first()
        assert changed is not None
        session.execute(
            update(ReportFinding)
            .where(ReportFinding.id == changed.id)
            .values(message="An older wording.")
        )
    command.downgrade(config, "0013")  # to the revision before 0014, the finding messages
    command.upgrade(config, "head")
    with loaded.sessions() as session:
        stored = content.report_findings(session, 2023, "zh")
        row = session.get(ReportFinding, changed.id)
        assert row is not None and row.message_key is None
    older = [f for f in stored if f.message == "An older wording."]
    assert len(older) == 1 and older[0].message_zh is None and older[0].message_key is None
    assert sum(f.message_zh is not None for f in stored) == 15
