"""A list of a million rows with all its facets, counted by the database
(devagenda.core.listing), side by side with Datasette serving the same SQLite file.

The table is shaped like issue 10's technical-assistance activities: a title, a type,
a mode, a sector, a year, a start date and a number of participants, and a link table
of beneficiary countries (one to three per activity). Some modes and sectors are not
stated (NULL), as in the real records. The file is built once and kept with --file.

Contenders, alternating request by request after a round of untimed requests:
- devagenda: `GET /api/activities?...` under uvicorn in this process, a route made the
  way every list route is (`faceted_response` over a `ListSource`), with five facets
  (type, mode, sector, year, and country through the link table), the total and a page
  of 50; facet counts leave out their own facet's choice;
- Datasette 0.65, a subprocess serving the same file read-only, with the four column
  facets as `_facet=` (its facets cannot count through a join, so the country facet is
  missing from its side; a country filter is given to it as `_where=id in (...)`), its
  count, a page of 50, suggested facets off and time limits raised so nothing is dropped.
  Its facets count over every filter, their own included.

On PostgreSQL (--database-url naming an empty schema) Datasette has nothing to serve, so
the peer is the same answers as plain SQL through psycopg: a count, five GROUP BYs (each
leaving out its own filter, the country one joining the link table) and a page.

Run from the repository root:
    python bench/bench_lists_scale.py [--file PATH] [--rows N]
    python bench/bench_lists_scale.py --database-url URL [--rows N]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import httpx
import uvicorn
from fastapi import Depends, FastAPI, Query, Request
from pydantic import BaseModel
from sqlalchemy import Date, ForeignKey, Integer, String, create_engine, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from bench_api_search import free_port, line, p95
from devagenda.api.listing import ListQuery, SortQuery, faceted_response
from devagenda.core.listing import ColumnFacet, LinkFacet, ListSource, Sort
from devagenda.core.pagination import Listing, encode_position, text_in

TYPES = ("workshop", "seminar", "training", "mission", "advisory", "study", "conference",
         "webinar", "legislative", "roundtable")  # fmt: skip
MODES = ("in_person", "virtual", "hybrid")
SECTORS = ("RND", "PT", "BD", "CCI", "IP", "GCP", "IES", "AFM", "ODG")
SUBJECTS = ("patents", "trademarks", "copyright", "designs", "geographical indications",
            "enforcement", "innovation", "technology transfer",
            "traditional knowledge")  # fmt: skip
CITIES = ("Colombo", "Kampala", "Lima", "Hanoi", "Dakar", "Tbilisi", "Quito", "Accra",
          "Dhaka", "Bishkek", "Lusaka", "Suva", "Windhoek", "Tunis", "Geneva")  # fmt: skip
COUNTRIES = [f"C{n:02d}" for n in range(150)]  # 150 codes, a few far more common
FACETS = ("type", "mode", "sector", "year")  # the column facets, Datasette's too
PAGE = 50


class Base(DeclarativeBase):
    pass


class Activity(Base):
    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(32), index=True)
    mode: Mapped[str | None] = mapped_column(String(16), index=True)
    sector: Mapped[str | None] = mapped_column(String(8), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    start_date: Mapped[date] = mapped_column(Date, index=True)
    participants: Mapped[int | None] = mapped_column(Integer, index=True)


class ActivityCountry(Base):
    __tablename__ = "activity_country"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), primary_key=True)
    country: Mapped[str] = mapped_column(String(4), primary_key=True)


INDEXES = (
    "CREATE INDEX IF NOT EXISTS activity_country_by_country"
    " ON activity_country (country, activity_id)",
)


class ActivityOut(BaseModel):
    id: int
    title: str
    type: str
    mode: str | None
    sector: str | None
    year: int
    start_date: date
    participants: int | None


class ActivityFilter(BaseModel):
    type: str | None = None
    mode: str | None = None
    sector: str | None = None
    year: int | None = None
    country: str | None = None


def activity_source(
    session: Session, filters: ActivityFilter | None = None, *, link_facet: bool = True
) -> ListSource[ActivityOut]:
    """The activities with five facets, or (`link_facet` False) with Datasette's four
    column facets, a country then being a plain filter as Datasette's `_where` is."""
    countries = select(
        ActivityCountry.activity_id.label("owner"), ActivityCountry.country.label("value")
    )
    query = select(Activity)
    if filters is not None and filters.country is not None:
        linked = select(ActivityCountry.activity_id).where(
            ActivityCountry.country == filters.country
        )
        query = query.where(Activity.id.in_(linked))
    listing = Listing(
        session,
        query,
        Activity.id,
        lambda _s, rows: [ActivityOut.model_validate(r, from_attributes=True) for r in rows],
        text_in(Activity.title),
    )
    columns = (
        ColumnFacet("type", Activity.type),
        ColumnFacet("mode", Activity.mode),
        ColumnFacet("sector", Activity.sector),
        ColumnFacet("year", Activity.year, int),
    )
    link = LinkFacet("country", Activity.id, countries, not_stated=True, unique_pairs=True)
    return ListSource(
        listing,
        facets=(*columns, link) if link_facet else columns,
        sorts={
            "start_date": Sort(Activity.start_date, nullable=False),
            "participants": Sort(Activity.participants),
            "title": Sort(Activity.title, nullable=False),
        },
    )


def db_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as opened:
        yield opened


def activities(
    filters: Annotated[ActivityFilter, Query()],
    params: ListQuery,
    db: Annotated[Session, Depends(db_session)],
    sort: SortQuery = None,
) -> Any:
    """The activities list as every list route answers: a page, its total and facets."""
    return faceted_response(
        lambda f: activity_source(db, f), filters, params, sort, ActivityOut, "activities"
    )


def activities_by_columns(
    filters: Annotated[ActivityFilter, Query()],
    params: ListQuery,
    db: Annotated[Session, Depends(db_session)],
    sort: SortQuery = None,
) -> Any:
    """The same with Datasette's four column facets: the same work as the peer."""
    return faceted_response(
        lambda f: activity_source(db, f, link_facet=False),  # type: ignore[arg-type]
        filters,
        params,
        sort,
        ActivityOut,
        "activities",
    )


def bench_app(url: str) -> FastAPI:
    app = FastAPI()
    app.state.sessions = sessionmaker(create_engine(url, pool_size=4))
    app.add_api_route("/api/activities", activities, methods=["GET"])
    app.add_api_route("/api/activities-by-columns", activities_by_columns, methods=["GET"])
    return app


# -- the data ---------------------------------------------------------------------------


def rows(count: int, seed: int = 7) -> Iterator[tuple[tuple[Any, ...], list[str]]]:
    randomly = random.Random(seed)
    weights = [1 / (i + 1) for i in range(len(COUNTRIES))]  # Zipf-like: a few common
    first_day = date(2010, 1, 1)
    for n in range(1, count + 1):
        start = first_day + timedelta(days=randomly.randrange(14 * 365))
        kind = randomly.choice(TYPES)
        title = f"{kind.title()} on {randomly.choice(SUBJECTS)}, {randomly.choice(CITIES)}"
        mode = randomly.choice(MODES) if randomly.random() > 0.1 else None
        sector = randomly.choice(SECTORS) if randomly.random() > 0.05 else None
        participants = randomly.randrange(5, 400) if randomly.random() > 0.3 else None
        row = (n, f"{title} {start.year}", kind, mode, sector, start.year, start, participants)
        links = set(randomly.choices(COUNTRIES, weights, k=randomly.randrange(0, 4)))
        yield row, sorted(links)


def build_sqlite(path: Path, count: int) -> None:
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    connection = sqlite3.connect(path)
    batch: list[tuple[Any, ...]] = []
    links: list[tuple[int, str]] = []
    for row, countries in rows(count):
        batch.append((*row[:6], row[6].isoformat(), row[7]))
        links.extend((row[0], c) for c in countries)
        if len(batch) == 50_000:
            flush(connection, batch, links)
    flush(connection, batch, links)
    for statement in INDEXES:
        connection.execute(statement)
    connection.execute("ANALYZE")
    connection.commit()
    connection.close()


def flush(connection: sqlite3.Connection, batch: list[Any], links: list[Any]) -> None:
    connection.executemany("INSERT INTO activity VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch)
    connection.executemany("INSERT INTO activity_country VALUES (?, ?)", links)
    batch.clear()
    links.clear()


def build_postgresql(url: str, count: int) -> None:
    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy("COPY activity FROM STDIN") as copy:  # type: ignore[attr-defined]
            link_rows: list[tuple[int, str]] = []
            for row, countries in rows(count):
                copy.write_row(row)
                link_rows.extend((row[0], c) for c in countries)
        with cursor.copy("COPY activity_country FROM STDIN") as copy:  # type: ignore[attr-defined]
            for link in link_rows:
                copy.write_row(link)
        for statement in INDEXES:
            cursor.execute(statement)
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


# -- the requests -----------------------------------------------------------------------


def requests(count: int) -> list[dict[str, Any]]:
    """30+ list requests: facet filters alone and combined, a country through the link,
    sorts both ways, a text filter and deep pages."""
    deep = count * 9 // 10
    mix: list[dict[str, Any]] = [{}]
    mix += [{"type": t} for t in TYPES[:5]]
    mix += [{"mode": m} for m in MODES] + [{"mode": "none"}]
    mix += [{"sector": s} for s in SECTORS[:3]] + [{"sector": "none"}]
    mix += [{"year": y} for y in (2012, 2016, 2019, 2023)]
    mix += [{"country": c} for c in ("C00", "C07", "C42")]
    mix += [{"type": "workshop", "year": 2019}, {"type": "seminar", "mode": "virtual"}]
    mix += [{"country": "C00", "type": "training"}, {"sector": "PT", "year": 2015}]
    mix += [{"sort": "-start_date"}, {"sort": "participants"}, {"sort": "-title"}]
    mix += [{"type": "mission", "sort": "-participants"}]
    mix += [{"q": "Colombo"}, {"q": "copyright", "year": 2020}, {"q": "Kampala 2021"}]
    mix += [{"cursor": deep}, {"cursor": deep // 2, "type": "webinar"}]
    return mix


def ours(request: dict[str, Any]) -> dict[str, Any]:
    params = {k: v for k, v in request.items() if k != "cursor"}
    if "cursor" in request:
        params["cursor"] = encode_position({"sort": "", "after": [request["cursor"]]})
    return {**params, "limit": PAGE}


def datasette(request: dict[str, Any]) -> list[tuple[str, Any]]:
    params: list[tuple[str, Any]] = [("_facet", f) for f in FACETS] + [("_size", PAGE)]
    for name, value in request.items():
        if name == "sort":
            params.append(("_sort_desc" if value.startswith("-") else "_sort", value.lstrip("-")))
        elif name == "q":
            params += [("title__contains", word) for word in value.split()]
        elif name == "cursor":
            params.append(("_next", value))
        elif name == "country":
            where = f"id in (select activity_id from activity_country where country = '{value}')"
            params.append(("_where", where))
        elif value == "none":
            params.append((f"{name}__isnull", 1))
        else:
            params.append((name, value))
    return params


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def datasette_serving(path: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    command = [
        sys.executable, "-m", "datasette", "serve", "--immutable", str(path), "--port", str(port),
        "--setting", "facet_time_limit_ms", "600000", "--setting", "sql_time_limit_ms", "600000",
        "--setting", "suggest_facets", "off", "--setting", "default_facet_size", "30",
        "--setting", "max_returned_rows", "1000",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/-/versions.json", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def timed_get(client: httpx.Client, url: str, params: Any) -> float:
    start = time.perf_counter()
    response = client.get(url, params=params)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} {params}: {response.status_code} {response.text[:300]}")
    return elapsed


def peak_memory_mb(pid: int) -> float:
    for entry in Path(f"/proc/{pid}/status").read_text().splitlines():
        if entry.startswith("VmHWM:"):
            return int(entry.split()[1]) / 1024
    return float("nan")


def run_sqlite(path: Path, count: int) -> None:
    mix = requests(count)
    mine: list[float] = []
    same: list[float] = []  # ours with the peer's four facets
    theirs: list[float] = []
    timeout = httpx.Timeout(600)
    with (
        served(bench_app(f"sqlite:///{path}")) as base,
        datasette_serving(path) as (peer, peer_pid),
        httpx.Client(base_url=base, timeout=timeout) as client,
        httpx.Client(base_url=peer, timeout=timeout) as peer_client,
    ):
        for request in mix[:4]:  # untimed: connections, page cache
            timed_get(client, "/api/activities", ours(request))
            timed_get(peer_client, f"/{path.stem}/activity.json", datasette(request))
        for request in mix:
            mine.append(timed_get(client, "/api/activities", ours(request)))
            same.append(timed_get(client, "/api/activities-by-columns", ours(request)))
            theirs.append(timed_get(peer_client, f"/{path.stem}/activity.json", datasette(request)))
        peer_memory = peak_memory_mb(peer_pid)
    print(f"sqlite, {count:,} rows, {len(mix)} requests each")
    print(f"{'':<44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    print(line("GET /api/activities (devagenda, 5 facets)", mine))
    print(line("GET /api/activities-by-columns (4 facets)", same))
    print(line("peer: Datasette 0.65 (4 facets)", theirs))
    print(f"p95 ratio, devagenda / Datasette: {p95(mine) / p95(theirs):.2f} (5 facets), "
          f"{p95(same) / p95(theirs):.2f} (the same 4)")  # fmt: skip
    print(f"peak memory: devagenda {peak_memory_mb(os.getpid()):.0f} MB (this process, "
          f"building the file included), Datasette {peer_memory:.0f} MB")  # fmt: skip
    slowest = sorted(zip(mine, mix, strict=True), key=lambda pair: -pair[0])[:3]
    print("slowest of ours:", "; ".join(f"{ms:.0f} ms {r}" for ms, r in slowest))


def plain_sql(request: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """What devagenda answers, as the plain SQL one would write for PostgreSQL."""
    filters = {k: v for k, v in request.items() if k not in ("sort", "q", "cursor")}

    def where(skip: str = "") -> tuple[str, dict[str, Any]]:
        clauses, binds = ["true"], {}
        for name, value in filters.items():
            if name == skip:
                continue
            if name == "country":
                clauses.append(
                    "id in (select activity_id from activity_country where country = %(country)s)"
                )
            elif value == "none":
                clauses.append(f"{name} is null")
                continue
            else:
                clauses.append(f"{name} = %({name})s")
            binds[name] = value
        if "q" in request:
            clauses.append("title ilike %(q)s")
            binds["q"] = f"%{request['q']}%"
        if "cursor" in request:
            clauses.append("id > %(after)s")
            binds["after"] = request["cursor"]
        return " and ".join(clauses), binds

    statements = []
    clause, binds = where()
    statements.append((f"select count(*) from activity where {clause}", binds))
    for facet in FACETS:
        clause, binds = where(facet)
        statements.append(
            (f"select {facet}, count(*) from activity where {clause} group by {facet}", binds)
        )
    clause, binds = where("country")
    statements.append(
        (
            "select country, count(*) from activity_country where activity_id in "
            f"(select id from activity where {clause}) group by country",
            binds,
        )
    )
    sort = request.get("sort", "id")
    order = f"{sort.lstrip('-')} {'desc' if sort.startswith('-') else 'asc'} nulls last, id"
    clause, binds = where()
    statements.append((f"select * from activity where {clause} order by {order} limit 51", binds))
    return statements


def run_postgresql(url: str, count: int) -> None:
    import psycopg

    mix = requests(count)
    mine: list[float] = []
    theirs: list[float] = []
    engine = create_engine(url)
    raw = engine.raw_connection()  # the URL's options (search_path) apply to it too
    try:
        cursor = raw.cursor()
        with (
            served(bench_app(url)) as base,
            httpx.Client(base_url=base, timeout=httpx.Timeout(600)) as client,
        ):
            for request in mix[:4]:
                timed_get(client, "/api/activities", ours(request))
            for request in mix:
                mine.append(timed_get(client, "/api/activities", ours(request)))
                start = time.perf_counter()
                for statement, binds in plain_sql(request):
                    cursor.execute(statement, binds)
                    cursor.fetchall()
                theirs.append((time.perf_counter() - start) * 1000)
        raw.commit()
    except psycopg.Error as error:
        raise SystemExit(f"PostgreSQL: {error}") from None
    finally:
        raw.close()
        engine.dispose()
    print(f"postgresql, {count:,} rows, {len(mix)} requests each")
    print(f"{'':<44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    print(line("GET /api/activities (devagenda, 5 facets)", mine))
    print(line("peer: plain SQL count + 5 GROUP BYs + page", theirs))
    print(f"p95 ratio, devagenda / plain SQL: {p95(mine) / p95(theirs):.2f}")
    slowest = sorted(zip(mine, mix, strict=True), key=lambda pair: -pair[0])[:3]
    print("slowest of ours:", "; ".join(f"{ms:.0f} ms {r}" for ms, r in slowest))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, help="the SQLite file, built if missing, kept")
    parser.add_argument("--database-url", help="an empty PostgreSQL schema instead")
    parser.add_argument("--rows", type=int, default=1_000_000)
    arguments = parser.parse_args()
    if arguments.database_url:
        start = time.perf_counter()
        with create_engine(arguments.database_url).connect() as probe:
            exists = probe.execute(text("select to_regclass('activity_country') is not null"))
            built = (
                exists.scalar()
                and probe.execute(text("select exists (select 1 from activity_country)")).scalar()
            )
        if not built:
            build_postgresql(arguments.database_url, arguments.rows)
            print(f"built in {time.perf_counter() - start:.0f} s")
        run_postgresql(arguments.database_url, arguments.rows)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = arguments.file or Path(folder) / "lists.sqlite3"
        if not path.exists():
            start = time.perf_counter()
            build_sqlite(path, arguments.rows)
            print(f"built {path} in {time.perf_counter() - start:.0f} s")
        run_sqlite(path, arguments.rows)


if __name__ == "__main__":
    main()
