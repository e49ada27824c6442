"""`/api/search` at a million index entries, side by side with Datasette on the same file.

The database holds the reference data and the ingested 2023 report (about 1,000 entries),
then copies of those entries (new keys, same text, countries and facet values) until the
index holds --entries entries; the FTS5 index and the chunk tokens are kept by the
triggers as for any write. The file is kept (--file) so that later runs skip building it.

Contenders, alternating request by request after a few untimed requests:
- devagenda: `GET /api/search?q=WORD` under uvicorn in this process, all seven facets
  (kind, status, cluster, sector, country, year, language), a page of 20, snippets;
- Datasette, a subprocess serving the same file read-only:
  `GET /bench/search_entry.json?_search=TOKEN&_facet=...&_size=20` with the six facets
  that are columns of search_entry (the country facet is a join Datasette's facets do not
  make), FTS through `search_fts`, and time limits raised so no facet is dropped.
Datasette gets each word as the index stores it (stemmed, as one FTS5 token), so both
match the same entries.

On PostgreSQL (--database-url naming an empty schema, built the same way) Datasette has
nothing to serve, so the peer is what Datasette does, written for PostgreSQL: the same
full-text match (the tsquery devagenda sends), a count, one GROUP BY per facet (the
seven, the country facet joining search_entry_country) and a page of 20 by ts_rank; both
contenders are timed as service calls in this process, alternating.

Run from the repository root:
    python bench/bench_search_scale.py [--file PATH] [--entries N] [--queries N]
    python bench/bench_search_scale.py --database-url URL [--entries N] [--queries N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

import httpx
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from bench_api_search import free_port, line, p95, served
from bench_search import CHINESE, ENGLISH, prepare
from devagenda.core.context import AppContext
from devagenda.core.sqlreader import SessionReader
from devagenda.search import facets as columns
from devagenda.search.matching import TSQUERY, compile_query, expression
from devagenda.search.postings import uses_postings
from devagenda.search.query import parse
from devagenda.search.segment import words
from devagenda.search.services import _hits, _matching, search, warm

FACETS = ("kind", "status", "cluster", "sector", "year", "language")
BREAKDOWN = ("women", "Peru", "development", "知识产权", "知识产权 发展", "知识产权 -专利", "wom*")
WARM_UP = 4  # untimed requests first (other words than the timed ones): connections


def grow(context: AppContext, entries: int) -> int:
    """Copy the index's entries until it holds about `entries`; returns the count."""
    if context.engine.dialect.name == "postgresql":
        return grow_postgresql(context, entries)
    with context.transaction() as session:
        originals = session.scalar(text("SELECT count(*) FROM search_entry"))
        copies = max(0, entries // originals - 1)
        top = session.scalar(text("SELECT max(id) FROM search_entry"))
        session.execute(text("CREATE TEMP TABLE original (r INTEGER PRIMARY KEY, id INTEGER)"))
        session.execute(text("INSERT INTO original (id) SELECT id FROM search_entry ORDER BY id"))
        session.execute(
            text(
                "CREATE TEMP TABLE copy_number AS WITH RECURSIVE n(i) AS "
                "(SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :copies) SELECT i FROM n"
            ),
            {"copies": copies},
        )
        # Row ids are given in this order: copy i of original r gets top + (i-1)*N + r.
        session.execute(
            text(
                "INSERT INTO search_entry (id, kind, key, record, language, title, body, "
                "title_tokens, tokens, url, status, cluster, sector, year, source_id) "
                "SELECT :top + (c.i - 1) * :n + o.r, e.kind, e.key || '~' || c.i, "
                "(e.record / 1024) * 1024 + c.i, e.language, e.title, e.body, "
                "e.title_tokens, e.tokens, e.url, e.status, e.cluster, e.sector, e.year, NULL "
                "FROM copy_number c, original o JOIN search_entry e ON e.id = o.id "
                "ORDER BY c.i, o.r"
            ),
            {"top": top, "n": originals},
        )
        session.execute(
            text(
                "INSERT INTO search_entry_country (entry_id, alpha3) "
                "SELECT :top + (c.i - 1) * :n + o.r, l.alpha3 "
                "FROM copy_number c, original o JOIN search_entry_country l ON l.entry_id = o.id"
            ),
            {"top": top, "n": originals},
        )
        return session.scalar(text("SELECT count(*) FROM search_entry"))


def grow_postgresql(context: AppContext, entries: int) -> int:
    """As `grow`, with the full-text index made again afterwards (faster than growing it)."""
    copy = (
        "SELECT :top + (c.i - 1) * :n + o.r, e.kind, e.key || '~' || c.i, "
        "(e.record / 1024) * 1024 + c.i, e.language, e.title, e.body, "
        "e.title_tokens, e.tokens, e.url, e.status, e.cluster, e.sector, e.year, NULL "
        "FROM generate_series(1, :copies) AS c(i), original o JOIN search_entry e ON e.id = o.id"
    )
    with context.transaction() as session:
        originals = session.scalar(text("SELECT count(*) FROM search_entry"))
        copies = max(0, entries // originals - 1)
        top = session.scalar(text("SELECT max(id) FROM search_entry"))
        session.execute(
            text(
                "CREATE TEMP TABLE original AS "
                "SELECT row_number() OVER (ORDER BY id) AS r, id FROM search_entry"
            )
        )
        session.execute(text("DROP INDEX ix_search_entry_search_vector"))
        session.execute(
            text(
                "INSERT INTO search_entry (id, kind, key, record, language, title, body, "
                f"title_tokens, tokens, url, status, cluster, sector, year, source_id) {copy}"
            ),
            {"top": top, "n": originals, "copies": copies},
        )
        session.execute(
            text(
                "INSERT INTO search_entry_country (entry_id, alpha3) "
                "SELECT :top + (c.i - 1) * :n + o.r, l.alpha3 FROM generate_series(1, :copies) "
                "AS c(i), original o JOIN search_entry_country l ON l.entry_id = o.id"
            ),
            {"top": top, "n": originals, "copies": copies},
        )
        session.execute(
            text(
                "CREATE INDEX ix_search_entry_search_vector ON search_entry "
                "USING gin (search_vector)"
            )
        )
        session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('search_entry', 'id'), max(id)) "
                "FROM search_entry"
            )
        )
    with context.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            text("VACUUM ANALYZE search_entry")
        )
    with context.sessions() as session:
        return session.scalar(text("SELECT count(*) FROM search_entry"))


def sql_facets(session: Session, query: str) -> int:
    """The peer on PostgreSQL: match, count, seven GROUP BYs and a ranked page in SQL."""
    node = compile_query(SessionReader(session), parse(query)).required
    assert node is not None
    tsquery = expression(node, TSQUERY)
    matched = "SELECT * FROM search_entry WHERE search_vector @@ CAST(:q AS tsquery)"
    total = session.scalar(text(f"SELECT count(*) FROM ({matched}) m"), {"q": tsquery})
    for name in FACETS:
        session.execute(
            text(f"SELECT {name}, count(*) FROM ({matched}) m GROUP BY {name}"), {"q": tsquery}
        ).all()
    session.execute(
        text(
            f"SELECT c.alpha3, count(*) FROM ({matched}) m "
            "JOIN search_entry_country c ON c.entry_id = m.id GROUP BY c.alpha3"
        ),
        {"q": tsquery},
    ).all()
    session.execute(
        text(
            f"SELECT id, title FROM ({matched}) m "
            "ORDER BY ts_rank(search_vector, CAST(:q AS tsquery)) DESC LIMIT 20"
        ),
        {"q": tsquery},
    ).all()
    return total


def resident_mb() -> float:
    """This process's resident memory (VmRSS), in MB."""
    for line_text in Path("/proc/self/status").read_text().splitlines():
        if line_text.startswith("VmRSS:"):
            return int(line_text.split()[1]) / 1024
    return float("nan")


def memory(context: AppContext, before: float) -> None:
    """What the in-memory structures take, once loaded."""
    with context.sessions() as session:
        snapshot = columns.snapshot(SessionReader(session))
    facet_bytes, set_bytes = snapshot.nbytes()
    print(
        f"resident memory {before:.0f} MB before loading, {resident_mb():.0f} MB after; "
        f"facet columns {facet_bytes / 2**20:.1f} MB, id sets of "
        f"{len(snapshot.common.entries):,} common tokens and stems {set_bytes / 2**20:.1f} MB"
    )


def breakdown(context: AppContext, queries: list[str], repeat: int = 5) -> None:
    """Where one search's time goes, phase by phase, in this process (best of `repeat`)."""
    phases = ("parse, names", "match", "facets, page", "hits, snippets", "whole search()")
    print("| query | matching entries | from memory | " + " | ".join(phases) + " |")
    print("|---" * (len(phases) + 3) + "|")
    for query in queries:
        best = [float("inf")] * len(phases)
        for _ in range(repeat):
            with context.sessions() as session:
                marks = [time.perf_counter()]
                reader = SessionReader(session)
                matches = compile_query(reader, parse(query))
                marks.append(time.perf_counter())
                snapshot = columns.snapshot(SessionReader(session))
                ids, scores = _matching(session, matches, snapshot)
                marks.append(time.perf_counter())
                counted = columns.count(
                    snapshot, ids, scores, columns.Filters(), offset=0, limit=20
                )
                marks.append(time.perf_counter())
                _hits(reader, counted, matches, None)
                marks.append(time.perf_counter())
                search(session, query)
                marks.append(time.perf_counter())
            spent = [b - a for a, b in pairwise(marks)]
            best = [min(x, y * 1000) for x, y in zip(best, spent, strict=True)]
        nodes = [n for n in (matches.required, matches.excluded) if n is not None]
        memory_path = any(uses_postings(node, snapshot.common) for node in nodes)
        matched = "all" if ids is None else f"{len(ids):,}"
        cells = " | ".join(f"{ms:.1f} ms" for ms in best)
        print(f"| {query or '(blank)'} | {matched} | {'yes' if memory_path else 'no'} | {cells} |")


def run_postgresql(context: AppContext, warm_up: list[str], queries: list[str]) -> None:
    ours: list[float] = []
    theirs: list[float] = []
    for number, query in enumerate([*warm_up, *queries]):
        times = []
        for work in (search, sql_facets):
            start = time.perf_counter()
            with context.sessions() as session:
                work(session, query)
            times.append((time.perf_counter() - start) * 1000)
        if number >= WARM_UP:
            ours.append(times[0])
            theirs.append(times[1])
            print(f"{query}\t{times[0]:.1f}\t{times[1]:.1f}", flush=True)
    with context.sessions() as session:
        total = session.scalar(text("SELECT count(*) FROM search_entry"))
    print(f"postgresql, {total:,} index entries, {len(ours)} queries each, one word per query")
    print(f"{'':<44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    print(line("devagenda search() (7 facets)", ours))
    print(line("peer: SQL match + 7 GROUP BY facets + page", theirs))
    print(f"p95 ratio, devagenda / SQL facets: {p95(ours) / p95(theirs):.2f}")


def datasette(path: Path, port: int) -> subprocess.Popen[bytes]:
    metadata = path.with_suffix(".metadata.json")
    metadata.write_text(
        json.dumps(
            {
                "databases": {
                    path.stem: {
                        "tables": {"search_entry": {"fts_table": "search_fts", "fts_pk": "id"}}
                    }
                }
            }
        )
    )
    command = [
        str(Path(sys.executable).with_name("datasette")),
        "serve",
        "--immutable",
        str(path),
        "--metadata",
        str(metadata),
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "60000",
        "--setting",
        "facet_time_limit_ms",
        "60000",
        "--setting",
        "facet_suggest_time_limit_ms",
        "0",
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(client: httpx.Client, url: str, params: list[tuple[str, str]]) -> float:
    start = time.perf_counter()
    response = client.get(url, params=params)
    elapsed = (time.perf_counter() - start) * 1000
    response.raise_for_status()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path)
    parser.add_argument("--database-url", help="PostgreSQL: an empty schema to build in")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument(
        "--breakdown",
        nargs="*",
        metavar="QUERY",
        help="instead of the comparison: time the phases of search() for these queries",
    )
    arguments = parser.parse_args()
    path = arguments.file or Path(tempfile.gettempdir()) / f"bench-search-{os.getuid()}.sqlite3"
    url = arguments.database_url or f"sqlite:///{path}"
    context = AppContext.for_url(url)
    mixed = [w for pair in zip(CHINESE, ENGLISH * 2, strict=False) for w in pair]
    queries = (mixed * 4)[: arguments.queries]
    warm_up = mixed[::-1][:WARM_UP]
    with context.engine.connect() as connection:
        built = inspect(connection).has_table("search_entry")
    if not built:
        start = time.perf_counter()
        prepare(context)
        total = grow(context, arguments.entries)
        print(f"built {url}: {total:,} entries in {time.perf_counter() - start:.0f} s")
    before = resident_mb()
    if arguments.breakdown is not None:
        warm(context)
        breakdown(context, arguments.breakdown or [*BREAKDOWN, ""])
        return
    if context.engine.dialect.name == "postgresql":
        start = time.perf_counter()
        warm(context)
        print(f"facet columns and id sets loaded in {time.perf_counter() - start:.1f} s")
        memory(context, before)
        run_postgresql(context, warm_up, queries)
        return
    with context.sessions() as session:
        total = session.scalar(text("SELECT count(*) FROM search_entry"))
    port = free_port()
    peer = datasette(path, port)
    ours: list[float] = []
    theirs: list[float] = []
    start = time.perf_counter()
    try:
        with served(context) as base, httpx.Client(timeout=120) as client:
            loaded = time.perf_counter() - start
            print(f"app started, facet columns and id sets loaded, in {loaded:.1f} s")
            peer_url = f"http://127.0.0.1:{port}/{path.stem}/search_entry.json"
            for _ in range(100):
                try:
                    client.get(f"http://127.0.0.1:{port}/-/versions.json")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            facets = [("_facet", name) for name in FACETS]
            memory(context, before)
            for number, query in enumerate([*warm_up, *queries]):
                token = " ".join(words(query))
                mine = timed(client, f"{base}/api/search", [("q", query)])
                other = timed(client, peer_url, [("_search", token), ("_size", "20"), *facets])
                if number >= WARM_UP:
                    ours.append(mine)
                    theirs.append(other)
                    print(f"{query}\t{mine:.1f}\t{other:.1f}", flush=True)
    finally:
        peer.terminate()
        peer.wait(timeout=30)
    print(f"sqlite, {total:,} index entries, {len(ours)} requests each, one word per query")
    print(f"{'':<44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    print(line("GET /api/search (devagenda, 7 facets)", ours))
    print(line("peer: Datasette 0.65 (6 facets)", theirs))
    print(f"p95 ratio, devagenda / Datasette: {p95(ours) / p95(theirs):.2f}")


if __name__ == "__main__":
    main()
