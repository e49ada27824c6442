"""Full-text search: segmentation, index sync on ORM writes, facets, escaping, pages."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from devagenda.catalogue.models import (
    CdipSession,
    Project,
    ProjectBeneficiary,
    ProjectStatus,
    ProjectTitle,
)
from devagenda.core.context import AppContext
from devagenda.core.errors import InputError
from devagenda.core.models import Source, TextStatus
from devagenda.core.schema import metadata
from devagenda.reports.load import ingest_report, remove_report
from devagenda.search.matching import Term, han_terms
from devagenda.search.models import SearchEntry, SearchEntryCountry, include_name
from devagenda.search.query import parse
from devagenda.search.segment import tokenize
from devagenda.search.services import search, snippet
from devagenda.search.sync import rebuild_index

PERU_ZH = "秘鲁及其他发展中国家的知识产权与美食旅游业"
PERU_EN = "Intellectual Property and Gastronomic Tourism in Peru"
HOSTILE = [
    '"',
    '"美食',
    "*",
    "gastro*",
    "NEAR(",
    "NEAR(美食 旅游, 2)",
    "title_tokens: 美食",
    "'; DROP TABLE search_entry; --",
    "<script>alert(1)</script>",
    "美食 & | ! :* ()",
    "\\'\\",
    "\x00",
    "a" * 5000,
    "OR AND NOT",
]


def add_project(
    session: Session,
    zh: str,
    en: str | None = None,
    *,
    status: ProjectStatus = ProjectStatus.ONGOING,
    sector: str | None = None,
    beneficiaries: tuple[str, ...] = (),
    approved: date | None = None,
) -> Project:
    project = Project(phase=1, status=status, sector_code=sector)
    project.set_text("zh", zh)
    if en is not None:
        project.set_text("en", en, TextStatus.UNOFFICIAL_TRANSLATION)
    project.beneficiaries = [
        ProjectBeneficiary(country_alpha3=code, position=i) for i, code in enumerate(beneficiaries)
    ]
    if approved is not None:
        cdip = session.get(CdipSession, 99) or CdipSession(number=99)
        cdip.start_date = approved
        project.approved_session = cdip
    session.add(project)
    session.flush()
    return project


def keys(session: Session, query: str, **filters: object) -> set[tuple[str, str, str]]:
    return {(h.kind, h.key, h.language) for h in search(session, query, **filters).hits}


# -- segmentation ------------------------------------------------------------------------


def test_documents_and_queries_are_segmented_alike() -> None:
    document = set(tokenize(PERU_ZH + " " + PERU_EN))
    assert {"美食", "旅游", "旅游业", "知识产权", "gastronom", "tourism", "peru"} <= document
    assert {t.word for t in han_terms("美食旅游")} <= document
    assert tokenize("Côte d'Ivoire, ＣＤＩＰ/31/4") == ["cote", "d", "ivoir", "cdip", "31", "4"]
    assert han_terms("发展中国家") == [Term("发展中国家", ("发展", "中国", "国家"))]
    assert parse("\"'; <>*").blank


def test_jieba_is_not_loaded_on_import() -> None:
    code = (
        "import sys, devagenda.search.services, devagenda.core.context;"
        "assert 'jieba' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_snippet_escapes_text_and_marks_matches() -> None:
    html = snippet("<b>美食</b> & 旅游业", {"美食", "旅游"})
    assert html == "&lt;b&gt;<mark>美食</mark>&lt;/b&gt; &amp; <mark>旅游</mark>业"
    long = "无关的内容。" * 60 + "美食旅游业" + "其他内容。" * 60
    cut = snippet(long, {"美食"})
    assert cut.startswith("…") and cut.endswith("…") and "<mark>美食</mark>" in cut
    assert len(cut) < 200


# -- the index follows ORM writes --------------------------------------------------------


def test_finds_a_project_by_chinese_and_english_words(session: Session) -> None:
    project = add_project(session, PERU_ZH, PERU_EN, beneficiaries=("PER",))
    chinese = search(session, "美食旅游")
    assert [(h.kind, h.key, h.language) for h in chinese.hits] == [
        ("project", str(project.id), "zh")
    ]
    assert chinese.hits[0].url == f"/projects/{project.id}"
    assert "<mark>美食旅游</mark>" in chinese.hits[0].snippet
    english = search(session, "gastronomic")
    assert [(h.key, h.language) for h in english.hits] == [(str(project.id), "en")]
    assert "<mark>Gastronomic</mark>" in english.hits[0].snippet
    assert ("project", str(project.id), "en") in keys(session, "GASTRONOMIC tourism")


def test_records_whose_title_matches_come_first(session: Session) -> None:
    project = add_project(session, "秘鲁美食旅游", beneficiaries=("PER",))
    hits = search(session, "秘鲁").hits
    assert {(h.kind, h.key) for h in hits[:2]} == {("country", "PER"), ("project", str(project.id))}
    assert all(h.score > 0 for h in hits)


def test_facets_count_the_matching_records(session: Session) -> None:
    first = add_project(
        session,
        "知识产权与美食旅游业",
        status=ProjectStatus.EVALUATED,
        sector="RND",
        beneficiaries=("PER", "MAR"),
        approved=date(2019, 5, 13),
    )
    add_project(
        session,
        "美食旅游与地理标志",
        status=ProjectStatus.ONGOING,
        sector="BDS",
        beneficiaries=("PER",),
    )
    results = search(session, "美食旅游")
    facets = {name: {f.value: f.count for f in values} for name, values in results.facets.items()}
    assert results.total == 2
    assert facets["kind"] == {"project": 2}
    assert facets["status"] == {"evaluated": 1, "ongoing": 1}
    assert facets["sector"] == {"RND": 1, "BDS": 1}
    assert facets["country"] == {"PER": 2, "MAR": 1}
    assert facets["year"] == {"2019": 1}
    assert facets["language"] == {"zh": 2}
    assert results.facets["country"][0].value == "PER"  # most frequent first
    narrowed = search(session, "美食旅游", country="mar", year=2019, status="evaluated")
    assert [h.key for h in narrowed.hits] == [str(first.id)]
    browsing = search(session, "", country="MAR", kinds=["project"])
    assert narrowed.facets["country"] == browsing.facets["country"]


def test_an_empty_query_lists_every_record_the_filters_allow(session: Session) -> None:
    results = search(session, "  ", kinds=["recommendation"], cluster="B", language="en")
    assert results.total == 9  # recommendations 15 to 23
    assert {h.key for h in results.hits} == {str(n) for n in range(15, 24)}
    immediate = search(session, "", kinds=["recommendation"], status="immediate")
    assert immediate.total == 19


def test_reference_records_are_indexed(session: Session) -> None:
    assert ("country", "TZA", "zh") in keys(session, "坦桑尼亚")  # an alias
    assert ("country", "BOL", "en") in keys(session, "plurinational bolivia")
    assert ("sector", "PTS", "zh") in keys(session, "专利")
    assert ("expected_result", "4.1", "en") in keys(
        session, "4 1", kinds=["expected_result"], display_language="en"
    )
    clusters = search(session, "technology transfer", kinds=["recommendation"]).facets["cluster"]
    assert clusters[0].value == "C"


def test_a_title_update_is_searchable_at_once(session: Session) -> None:
    project = add_project(session, PERU_ZH, PERU_EN)
    project.set_text("en", "Intellectual Property and Culinary Heritage in Peru")
    session.flush()
    assert ("project", str(project.id), "en") in keys(session, "culinary heritage")
    assert keys(session, "gastronomic") == set()
    assert ("project", str(project.id), "zh") in keys(session, "美食旅游")


def test_changing_only_a_part_reindexes_its_record(session: Session) -> None:
    project = add_project(session, PERU_ZH, beneficiaries=("PER",))
    title = session.get_one(ProjectTitle, (project.id, "zh"))
    title.text = "知识产权与地理标志"
    project.beneficiaries[0].country_alpha3 = "MAR"
    session.flush()
    assert keys(session, "美食旅游") == set()
    found = search(session, "地理标志")
    assert [h.key for h in found.hits] == [str(project.id)]
    assert [f.value for f in found.facets["country"]] == ["MAR"]


def test_deleting_a_record_deletes_its_entries(session: Session) -> None:
    project = add_project(session, PERU_ZH, PERU_EN, beneficiaries=("PER",))
    key = str(project.id)
    assert search(session, "美食旅游").total == 1
    session.delete(project)
    session.flush()
    assert search(session, "美食旅游").total == 0
    assert search(session, "gastronomic").total == 0
    left = session.scalar(
        select(func.count()).select_from(SearchEntry).filter_by(kind="project", key=key)
    )
    assert left == 0


def test_a_rolled_back_savepoint_leaves_no_entries(session: Session) -> None:
    savepoint = session.begin_nested()
    add_project(session, PERU_ZH)
    assert search(session, "美食旅游").total == 1
    savepoint.rollback()
    assert search(session, "美食旅游").total == 0


def test_rebuilding_gives_the_index_the_writes_made(session: Session) -> None:
    add_project(session, PERU_ZH, PERU_EN, beneficiaries=("PER", "MAR"))
    before = index_contents(session)
    assert rebuild_index(session) == len(before[0])
    assert index_contents(session) == before


def index_contents(session: Session) -> tuple[list[tuple], list[tuple]]:
    search(session, "")  # brings the index up to date
    entries = session.execute(
        select(SearchEntry.kind, SearchEntry.key, SearchEntry.language, SearchEntry.tokens)
    ).all()
    countries = session.execute(
        select(
            SearchEntry.kind, SearchEntry.key, SearchEntry.language, SearchEntryCountry.alpha3
        ).join(SearchEntryCountry, SearchEntryCountry.entry_id == SearchEntry.id)
    ).all()
    return sorted(map(tuple, entries)), sorted(map(tuple, countries))


# -- hostile input and pages -------------------------------------------------------------


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_return_results_or_nothing(session: Session, query: str) -> None:
    add_project(session, "<script>alert(1)</script> 美食旅游", PERU_EN)
    results = search(session, query, limit=5)
    assert results.total >= len(results.hits)
    assert session.scalar(select(func.count()).select_from(SearchEntry)) > 0


def test_snippets_are_safe_html(session: Session) -> None:
    add_project(session, "<script>alert(1)</script> 美食旅游", '<img src=x onerror="alert(2)">')
    for query in ("script", "美食", "img onerror"):
        (hit,) = search(session, query).hits
        assert "<script" not in hit.snippet and "<img" not in hit.snippet
        assert "&lt;" in hit.snippet and "<mark>" in hit.snippet
    assert search(session, "script").hits[0].title.startswith("<script>")  # data stays data


def test_cursor_pages_return_every_hit_once(session: Session) -> None:
    for query, filters in (("", {"kinds": ["country"], "language": "en"}), ("republic", {})):
        expected = search(session, query, limit=100, **filters).total
        seen: list[str] = []
        cursor = None
        while True:
            page = search(session, query, limit=7, cursor=cursor, **filters)
            assert page.total == expected
            seen += [f"{h.kind}/{h.key}/{h.language}" for h in page.hits]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert len(seen) == len(set(seen)) == expected > 7


def test_bad_cursors_and_limits_are_input_errors(session: Session) -> None:
    for cursor in ("abc", "-1", "eyJhZnRlciI6LTF9"):
        with pytest.raises(InputError, match="cursor"):
            search(session, "", cursor=cursor)
    for limit in (0, 101):
        with pytest.raises(InputError, match="between"):
            search(session, "", limit=limit)
    with pytest.raises(InputError, match="status"):
        search(session, "美食", status="a\x00b")


def test_hostile_filter_values_match_nothing(session: Session) -> None:
    hostile = "'; DROP TABLE search_entry; --"
    assert search(session, "", status=hostile, country=hostile, kinds=[hostile]).total == 0
    assert search(session, "").total > 0


# -- the real report --------------------------------------------------------------------


def test_the_2023_report_is_searchable(session: Session, report_2023_path: Path) -> None:
    ingest_report(session, report_2023_path)
    food = search(session, "美食旅游")
    kinds = {f.value: f.count for f in food.facets["kind"]}
    assert kinds["project"] == 2 and kinds["paragraph"] >= 2  # phases I and II, ¶19, ¶20
    assert {"2023"} == {f.value for f in food.facets["year"]}
    assert "PER" in {f.value for f in food.facets["country"]}
    paragraph = next(h for h in food.hits if h.kind == "paragraph")
    assert paragraph.url.startswith("/reports/2023/zh#p")
    assert "<mark>美食旅游</mark>" in paragraph.snippet
    public_domain = search(session, "公有领域")
    assert {"recommendation", "project", "paragraph"} <= {
        f.value for f in public_domain.facets["kind"]
    }
    assert public_domain.hits[0].kind in {"project", "recommendation"}  # title matches first
    # Report entries are titled by their heading, which is shown but not searched.
    titled_only = set(
        session.scalars(
            select(SearchEntry.key).where(
                SearchEntry.kind == "footnote",
                SearchEntry.title.contains("技术援助"),
                SearchEntry.body.not_like("%技术援助%"),
            )
        )
    )
    found = {h.key for h in search(session, "技术援助", kinds=["footnote"], limit=100).hits}
    assert titled_only and found and not titled_only & found


def test_removing_a_report_removes_its_entries(session: Session, report_2023_path: Path) -> None:
    ingest_report(session, report_2023_path)
    assert search(session, "公有领域", kinds=["paragraph"]).total > 0
    remove_report(session, session.scalars(select(Source).filter_by(key="dg-report/2023/zh")).one())
    assert search(session, "公有领域", kinds=["paragraph", "footnote"]).total == 0
    assert search(session, "公有领域", kinds=["recommendation"]).total > 0


# -- the schema --------------------------------------------------------------------------


def test_schema_comparison_keeps_the_full_text_objects(reference_database: AppContext) -> None:
    with reference_database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": include_name, "compare_type": True}
        )
        differences = compare_metadata(context, metadata())
    assert [d for d in differences if "search" in repr(d)] == []


def test_the_full_text_index_follows_the_table(session: Session) -> None:
    """FTS5 triggers (SQLite) or the generated column (PostgreSQL) see every write."""
    add_project(session, PERU_ZH)
    search(session, "")
    session.execute(delete(SearchEntry).where(SearchEntry.kind == "project"))
    assert keys(session, "美食旅游") == set()


def test_postgresql_keeps_each_token_whole(session: Session) -> None:
    """The tsquery names tokens literally: the `simple` parser must not split them."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    tokens = tokenize(
        f"{PERU_ZH} {PERU_EN} Côte d'Ivoire 2023年 CDIP/31/4 DA_1_10 ½ x86 한국어 Ελληνικά"
    )
    lexemes = session.scalar(
        text("SELECT tsvector_to_array(to_tsvector('simple', :t))"), {"t": " ".join(tokens)}
    )
    assert set(lexemes) == set(tokens)
