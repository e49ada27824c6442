"""How long an ingest of the 2023 report takes, and how many SQL round trips it makes.

For each engine (SQLite in a new file; PostgreSQL at 127.0.0.1:5432 when reachable) a
fresh database is initialized, then `ingest_report` runs in one transaction while every
statement the driver is handed is counted (an executemany batch counts once).

Two named peers, measured in the same run:
- **parse only**: `read_report` of the same file, the part that is not database work;
- **bulk insert of the same rows**: every row the ingest inserted, read back and written
  into a second database at the same starting state with one executemany per table, in
  dependency order, in one transaction. This is the floor for storing what the ingest
  stores (it skips the lookups and updates an ingest must make).

Run from the repository root:
    python bench/bench_ingest.py [--runs 3] [--backend sqlite|postgresql|all]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import Engine

from devagenda.bootstrap import initialize
from devagenda.core.context import AppContext
from devagenda.core.schema import metadata
from devagenda.reference.gazetteer import Gazetteer
from devagenda.reports.ingest import read_report
from devagenda.reports.load import ingest_report

REPORT = Path(__file__).resolve().parents[1] / "data" / "reports" / "dg-report-da-2023.zh.txt"
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REWRITTEN = "search_entry"


class RoundTrips:
    """Counts the statements an engine sends while active."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1


def new_database(backend: str, folder: Path) -> tuple[AppContext, str | None]:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    if backend == "sqlite":
        return AppContext.for_url(f"sqlite:///{folder / name}.sqlite3"), None
    admin = create_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {name}"))
    admin.dispose()
    return AppContext.for_url(f"{POSTGRES}?options=-csearch_path%3D{name}"), name


def drop_schema(name: str | None) -> None:
    if name is None:
        return
    admin = create_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {name} CASCADE"))
    admin.dispose()


def primary_keys(context: AppContext) -> dict[str, set[tuple]]:
    """The primary key of every row of every table, before the ingest."""
    found = {}
    with context.engine.connect() as connection:
        for table in metadata().sorted_tables:
            key = list(table.primary_key.columns)
            found[table.name] = set(map(tuple, connection.execute(select(*key))))
    return found


def inserted_rows(context: AppContext, before: dict[str, set[tuple]]) -> dict[str, list[dict]]:
    """The rows the ingest inserted, table by table in dependency order. The search index
    is taken whole: the ingest rewrites entries the twin already has."""
    rows = {}
    with context.engine.connect() as connection:
        for table in metadata().sorted_tables:
            key = [column.name for column in table.primary_key.columns]
            result = [dict(row._mapping) for row in connection.execute(select(table))]
            if table.name != REWRITTEN:
                result = [r for r in result if tuple(r[k] for k in key) not in before[table.name]]
            rows[table.name] = result
    return rows


def bulk_insert(context: AppContext, rows: dict[str, list[dict]]) -> float:
    tables = {table.name: table for table in metadata().sorted_tables}
    with context.engine.begin() as connection:
        connection.execute(tables[REWRITTEN].delete())
    start = time.perf_counter()
    with context.engine.begin() as connection:
        for name, table_rows in rows.items():
            if table_rows:
                connection.execute(tables[name].insert(), table_rows)
    return time.perf_counter() - start


def measure(backend: str, runs: int, folder: Path) -> dict[str, Any]:
    ingest_times, trips, peer_times = [], [], []
    for _ in range(runs):
        context, schema = new_database(backend, folder)
        twin, twin_schema = new_database(backend, folder)
        try:
            initialize(context)
            initialize(twin)
            before = primary_keys(context)
            counter = RoundTrips(context.engine)
            start = time.perf_counter()
            with context.transaction() as session:
                ingest_report(session, REPORT)
            ingest_times.append(time.perf_counter() - start)
            trips.append(counter.count)
            rows = inserted_rows(context, before)
            peer_times.append(bulk_insert(twin, rows))
        finally:
            context.engine.dispose()
            twin.engine.dispose()
            drop_schema(schema)
            drop_schema(twin_schema)
    return {
        "ingest": statistics.median(ingest_times),
        "round_trips": statistics.median(trips),
        "bulk": statistics.median(peer_times),
        "rows": sum(len(r) for r in rows.values()),
    }


def parse_only(runs: int) -> float:
    gazetteer = Gazetteer.from_reference_data()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        read_report(REPORT, gazetteer=gazetteer)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def postgres_reachable() -> bool:
    try:
        engine = create_engine(POSTGRES)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception:  # unreachable: measure SQLite only
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]
    if "postgresql" in backends and not postgres_reachable():
        backends.remove("postgresql")
    parse = parse_only(max(args.runs, 5))
    print(f"report: {REPORT.name} ({REPORT.stat().st_size:,} bytes), median of {args.runs} runs")
    print(f"{'':44}{'seconds':>9}{'round trips':>13}{'ours / peer':>13}")
    print(f"{'peer: parse only (read_report)':44}{parse:9.3f}")
    with tempfile.TemporaryDirectory() as folder:
        for backend in backends:
            result = measure(backend, args.runs, Path(folder))
            print(
                f"{'devagenda ingest_report, ' + backend:44}{result['ingest']:9.3f}"
                f"{result['round_trips']:13,.0f}{result['ingest'] / parse:12.1f}x"
            )
            label = f"peer: bulk insert of the same {result['rows']:,} rows"
            print(
                f"{label:44}{result['bulk']:9.3f}{'':13}{result['ingest'] / result['bulk']:12.1f}x"
            )


if __name__ == "__main__":
    main()
