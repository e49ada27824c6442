"""Time `devagenda.search.services.search` on the real 2023 report against a naive peer.

The database is initialized (reference data) and the 2023 Chinese report is ingested, so
the index holds what production holds: paragraphs, footnotes, recommendations, projects,
countries, expected results and sectors. 200 typical queries (Chinese and English words,
half of them with one or two facet filters) run through `search()`, each in its own
session as an API request would, after one untimed pass that loads jieba and warms the
caches; the two contenders alternate query by query, so that other processes on the
machine weigh on both alike. Three timed runs (--rounds): the first as is, and each
query's best of the three (what the code costs, with less of the machine's noise).

Peer, on the same rows and the same queries: a naive `LIKE '%word%'` scan of
search_entry's title and body for every whitespace-separated word of the query, with the
same filters, the same facet counts (one GROUP BY per facet) and the same page of 20.

Also timed: ingesting the report (and committing) into a new SQLite database with the index
kept in sync, and with the sync listeners removed.

Run from the repository root:
    python bench/bench_search.py [--database-url URL] [--queries N] [--rounds N]
(default: a new SQLite file in a temporary folder; a PostgreSQL URL should name an empty
schema, e.g. postgresql://postgres@127.0.0.1/test?options=-csearch_path%3Dbench).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from devagenda.bootstrap import initialize
from devagenda.core.context import AppContext
from devagenda.reports.load import ingest_report
from devagenda.search.models import SearchEntry
from devagenda.search.services import search
from devagenda.search.sync import install, uninstall

REPORT = Path(__file__).resolve().parents[1] / "data" / "reports" / "dg-report-da-2023.zh.txt"
CHINESE = [
    "美食旅游",
    "公有领域",
    "技术援助",
    "知识产权",
    "发展中国家",
    "能力建设",
    "数据库",
    "中小企业",
    "妇女",
    "青年",
    "版权",
    "专利",
    "商标",
    "地理标志",
    "技术转让",
    "创新",
    "评估",
    "最不发达国家",
    "非洲",
    "秘鲁",
    "学院",
    "培训",
    "灵活性",
    "遗传资源",
    "传统知识",
    "知识产权与发展",
    "项目",
    "主流化",
    "纳入主流",
    "伙伴关系",
]
ENGLISH = [
    "gastronomic tourism",
    "intellectual property",
    "technical assistance",
    "database",
    "women",
    "public domain",
    "patent",
    "copyright",
    "technology transfer",
    "Peru",
    "Africa",
    "evaluation",
    "development",
    "WIPO Match",
    "least developed countries",
    "innovation",
]
FILTERS: tuple[dict[str, Any], ...] = (
    {"kinds": ["paragraph"]},
    {"kinds": ["project"], "status": "evaluated"},
    {"sector": "RND"},
    {"year": 2023},
    {"country": "PER"},
    {"kinds": ["recommendation"], "cluster": "A"},
    {"language": "zh", "kinds": ["paragraph", "footnote"]},
    {"language": "en"},
)
FACETS = ("kind", "status", "cluster", "sector", "year", "language")
PAGE = 20

Query = tuple[str, dict[str, Any]]


def typical_queries(count: int) -> list[Query]:
    """A fixed mix: two thirds Chinese words, one third English; half with filters."""
    chooser = random.Random(2023)
    queries = []
    for i in range(count):
        words = CHINESE if i % 3 else ENGLISH
        filters = chooser.choice(FILTERS) if i % 2 else {}
        queries.append((chooser.choice(words), filters))
    return queries


def prepare(context: AppContext) -> dict[str, int]:
    initialize(context)
    with context.transaction() as session:
        ingest_report(session, REPORT)
    with context.sessions() as session:
        return dict(
            session.execute(select(SearchEntry.kind, func.count()).group_by(SearchEntry.kind)).all()
        )


def devagenda_search(session: Session, query: str, filters: dict[str, Any]) -> int:
    return search(session, query, limit=PAGE, **filters).total


def like_scan(session: Session, query: str, filters: dict[str, Any]) -> int:
    """The peer: substring matching of each word, filters, facet counts, a page."""
    conditions = ["1 = 1"]
    params: dict[str, Any] = {}
    for i, word in enumerate(query.split()):
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params[f"w{i}"] = f"%{escaped}%"
        conditions.append(f"(title LIKE :w{i} ESCAPE '\\' OR body LIKE :w{i} ESCAPE '\\')")
    for name in ("status", "cluster", "sector", "year", "language"):
        if name in filters:
            params[name] = filters[name]
            conditions.append(f"{name} = :{name}")
    if "kinds" in filters:
        names = [f"k{i}" for i in range(len(filters["kinds"]))]
        params.update(zip(names, filters["kinds"], strict=True))
        conditions.append(f"kind IN ({', '.join(':' + n for n in names)})")
    if "country" in filters:
        params["country"] = filters["country"]
        conditions.append(
            "id IN (SELECT entry_id FROM search_entry_country WHERE alpha3 = :country)"
        )
    where = " AND ".join(conditions)
    matched = f"SELECT * FROM search_entry WHERE {where}"
    facets = " UNION ALL ".join(
        f"SELECT '{name}', CAST({name} AS VARCHAR(32)), count(*) FROM ({matched}) m "
        f"WHERE {name} IS NOT NULL GROUP BY {name}"
        for name in FACETS
    )
    facets += (
        f" UNION ALL SELECT 'country', c.alpha3, count(*) FROM ({matched}) m "
        "JOIN search_entry_country c ON c.entry_id = m.id GROUP BY c.alpha3"
    )
    counts = session.execute(text(facets), params).all()
    session.execute(text(f"{matched} ORDER BY id LIMIT {PAGE}"), params).all()
    return sum(count for facet, _value, count in counts if facet == "kind")


CONTENDERS: dict[str, Callable[[Session, str, dict[str, Any]], int]] = {
    "devagenda search()": devagenda_search,
    "naive LIKE scan": like_scan,
}
Timings = dict[str, list[float]]


def time_side_by_side(
    context: AppContext, queries: list[Query], rounds: int
) -> dict[str, list[list[float]]]:
    """Milliseconds per round, query and contender, each query in its own session, the
    contenders alternating query by query (so that other processes slow both alike);
    after one untimed pass."""
    runs: dict[str, list[list[float]]] = {name: [] for name in CONTENDERS}
    for _ in range(rounds + 1):
        for times in runs.values():
            times.append([])
        for query, filters in queries:
            for name, work in CONTENDERS.items():
                start = time.perf_counter()
                with context.sessions() as session:
                    work(session, query, filters)
                runs[name][-1].append((time.perf_counter() - start) * 1000)
    return {name: times[1:] for name, times in runs.items()}


def time_ingest(folder: str, rounds: int) -> Timings:
    """Seconds to ingest the report and commit, into a new initialized SQLite database,
    with the index kept in sync and without (listeners removed), alternating."""
    seconds: Timings = {"with the index in sync": [], "without (listeners removed)": []}
    for round_number in range(rounds):
        for name, keep_in_sync in zip(seconds, (True, False), strict=True):
            context = AppContext.for_url(f"sqlite:///{folder}/{round_number}-{keep_in_sync}.db")
            initialize(context)
            if not keep_in_sync:
                uninstall()
            start = time.perf_counter()
            with context.transaction() as session:
                outcome = ingest_report(session, REPORT).outcome
            seconds[name].append(time.perf_counter() - start)
            assert outcome == "loaded", outcome
            install()
            context.engine.dispose()
    return seconds


def p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=100)[94]


def summary(name: str, timings: list[float]) -> str:
    median = statistics.median(timings)
    return f"| {name} | {median:.2f} | {p95(timings):.2f} | {max(timings):.2f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty database (default: new SQLite file)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite:///{folder}/bench.sqlite3"
        context = AppContext.for_url(url)
        entries = prepare(context)
        queries = typical_queries(arguments.queries)
        timings = time_side_by_side(context, queries, arguments.rounds)
        context.engine.dispose()
        ingests = time_ingest(folder, arguments.rounds)
    print(f"{context.engine.dialect.name}: {sum(entries.values())} entries {entries}")
    print(f"{len(queries)} queries, each in its own session (ms)")
    print("| | p50 | p95 | max |\n|---|---|---|---|")
    for name, runs in timings.items():
        print(summary(f"{name}, first run", runs[0]))
        print(summary(f"{name}, best of {len(runs)} per query", list(map(min, *runs))))
    ours, peer = (runs[0] for runs in timings.values())
    print(f"p95 ratio, search() / LIKE scan, first run: {p95(ours) / p95(peer):.2f}")
    print(f"ingesting the report and committing, SQLite, median of {arguments.rounds} (s)")
    for name, values in ingests.items():
        print(f"| {name} | {statistics.median(values):.2f} |")


if __name__ == "__main__":
    main()
