"""The in-memory id sets of common tokens find exactly what the full-text engine finds.

At the real size no token is common enough for the sets (COMMON_MIN_ENTRIES is set for a
million entries), so these tests lower the bar: the same queries then run once through the
engine alone and once through the sets, on the same database, and must give the same
records, totals and facets. Only the order may differ (the sets rank by a cheap score).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from devagenda.bootstrap import initialize
from devagenda.catalogue.models import Project, ProjectStatus
from devagenda.core.context import AppContext
from devagenda.core.sqlreader import SessionReader
from devagenda.search import facets, postings
from devagenda.search.matching import compile_query
from devagenda.search.query import parse
from devagenda.search.services import search

LOW_BAR = 8  # entries a token needs to be held in memory, at the real size
SOURCE = Path(__file__).resolve().parents[2] / "src"


def in_memory(monkeypatch: pytest.MonkeyPatch, bar: int = LOW_BAR) -> None:
    """From now on, tokens held by `bar` entries or more are matched from memory; the
    columns read so far are forgotten."""
    monkeypatch.setattr(postings, "COMMON_MIN_ENTRIES", bar)
    monkeypatch.setattr(facets, "_databases", {})


def engine_only(monkeypatch: pytest.MonkeyPatch) -> None:
    in_memory(monkeypatch, bar=10**9)


def everything(session: Session, query: str, **filters: Any) -> dict[str, Any]:
    """All pages of a search, as what must not depend on how it was matched."""
    first = search(session, query, limit=100, **filters)
    hits = [(h.kind, h.key) for h in first.hits]
    cursor = first.next_cursor
    while cursor is not None:
        page = search(session, query, limit=100, cursor=cursor, **filters)
        hits.extend((h.kind, h.key) for h in page.hits)
        cursor = page.next_cursor
    assert len(hits) == len(set(hits)) == first.total  # every record once
    return {
        "total": first.total,
        "hits": set(hits),
        "facets": {name: [(f.value, f.count) for f in v] for name, v in first.facets.items()},
        "notices": [n.code for n in first.notices],
        "suggestions": [(s.query, s.total) for s in first.suggestions],
    }


def matched_from_memory(session: Session, query: str) -> bool:
    common = facets.snapshot(SessionReader(session)).common
    matches = compile_query(SessionReader(session), parse(query))
    nodes = [n for n in (matches.required, matches.excluded) if n is not None]
    return any(postings.uses_postings(node, common) for node in nodes)


QUERIES = [
    ("知识产权", {}),
    ("知识产权 发展", {}),  # AND of two common words
    ("知识产权 OR 版权", {}),
    ("development OR 美食", {}),  # a common word or a rare one
    ("知识产权 -专利", {}),  # NOT
    ("NOT 知识产权", {}),  # only NOT: everything else
    ("property wom*", {}),  # a long stem (a prefix from memory) and a prefix (the engine)
    ("wom* OR 知识产权", {}),
    ("develop* project", {}),
    ('"technical assistance" intellectual', {}),  # a phrase in Latin script
    ('"intellectual property" -development', {}),  # a phrase of common tokens
    ('"intellectual property" OR "technical assistance"', {}),
    ("Republic of Peru", {}),
    ('"知识产权与发展" 项目', {}),  # a Chinese phrase: a substring test
    ('知识产权 -"发展中国家"', {}),
    ("Peru 知识产权", {}),  # a name in either language
    ("知识产权", {"kinds": ["paragraph"], "language": "zh"}),
    ("知识产权 OR development", {"country": "PER"}),
    ("知识产权", {"status": "ongoing"}),
    ("project OR 项目", {}),
    ("发展", {"year": 2023}),
    ("知识产权 gastronomy", {}),  # nothing: the suggestions must agree too
]


@pytest.mark.parametrize(("query", "filters"), QUERIES)
def test_common_tokens_from_memory_match_what_the_engine_matches(
    db: Session, monkeypatch: pytest.MonkeyPatch, query: str, filters: dict[str, Any]
) -> None:
    engine_only(monkeypatch)
    assert not facets.snapshot(SessionReader(db)).common.entries
    expected = everything(db, query, **filters)
    in_memory(monkeypatch)
    assert facets.snapshot(SessionReader(db)).common.entries
    assert matched_from_memory(db, query)
    assert everything(db, query, **filters) == expected


def test_the_common_word_queries_find_something(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comparison above is not between two empty answers."""
    in_memory(monkeypatch)
    found = {query: search(db, query, **filters).total for query, filters in QUERIES}
    assert [query for query, total in found.items() if not total] == ["知识产权 gastronomy"]


def test_title_matches_rank_first_from_memory(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    in_memory(monkeypatch)
    assert matched_from_memory(db, "知识产权")
    results = search(db, "知识产权", limit=100)
    scores = [hit.score for hit in results.hits]
    assert scores == sorted(scores, reverse=True)
    assert scores[-1] < scores[0]
    assert all("知识产权" in hit.title for hit in results.hits if hit.score == scores[0])


def test_a_write_by_another_process_is_found_from_memory(
    empty_database: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process (sharing the database, not this one's memory) adds, changes and
    deletes a record holding a common token; each search here sees the change."""
    initialize(empty_database)
    in_memory(monkeypatch)
    with empty_database.sessions() as session:
        common = facets.snapshot(SessionReader(session)).common.entries
        word = max(sorted(common), key=lambda token: len(common[token]))
        before = search(session, word).total
        assert matched_from_memory(session, word)

    url = empty_database.engine.url.render_as_string(hide_password=False)

    def other_process(code: str) -> None:
        script = (
            "from devagenda.core.context import AppContext\n"
            "from devagenda.catalogue.models import Project, ProjectStatus\n"
            f"context = AppContext.for_url({url!r})\n"
            "with context.transaction() as session:\n" + code
        )
        environment = {**os.environ, "PYTHONPATH": str(SOURCE)}
        subprocess.run([sys.executable, "-c", script], check=True, env=environment)

    other_process(
        "    project = Project(phase=1, status=ProjectStatus.ONGOING)\n"
        f"    project.set_text('zh', {word + ' 桑给巴尔丁香'!r})\n"
        "    session.add(project)\n"
    )
    with empty_database.sessions() as session:
        assert search(session, word).total == before + 1
        assert search(session, f"{word} 丁香").total == 1
        expected = everything(session, word)
    other_process(
        "    project = session.query(Project).one()\n    project.set_text('zh', '桑给巴尔丁香')\n"
    )
    with empty_database.sessions() as session:
        assert search(session, word).total == before
        assert search(session, f"{word} 丁香").total == 0
        assert search(session, f"丁香 -{word}").total == 1
    other_process("    session.delete(session.query(Project).one())\n")
    with empty_database.sessions() as session:
        assert search(session, "丁香").total == 0
        assert search(session, word).total == before
    engine_only(monkeypatch)
    with empty_database.sessions() as session:
        assert everything(session, word)["total"] == expected["total"] - 1


def test_the_common_tokens_are_chosen_again_when_the_index_grows(
    empty_database: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which tokens are common is decided on the index as first seen, and again once it
    has doubled: a word that only the new records hold is then matched from memory."""
    initialize(empty_database)
    in_memory(monkeypatch)
    with empty_database.sessions() as session:
        total = len(facets.snapshot(SessionReader(session)).ids)
    monkeypatch.setattr(postings, "COMMON_MIN_ENTRIES", total)
    monkeypatch.setattr(facets, "_databases", {})
    with empty_database.sessions() as session:
        assert "丁香" not in facets.snapshot(SessionReader(session)).common.entries
    with empty_database.transaction() as session:
        for number in range(total + 1):
            project = Project(phase=1, status=ProjectStatus.ONGOING)
            project.set_text("zh", f"桑给巴尔丁香 {number}")
            session.add(project)
    with empty_database.sessions() as session:
        assert "丁香" in facets.snapshot(SessionReader(session)).common.entries
        assert matched_from_memory(session, "丁香")
        assert search(session, "丁香").total == total + 1
