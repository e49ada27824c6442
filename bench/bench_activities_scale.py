"""The activities list at a million rows, through the HTTP API of the real app, side by
side with Datasette serving the same SQLite file; and the import of a large CSV file.

The data is made by `devagenda demo generate` (1,000,000 activities by default, seed 1)
into a SQLite file that --file keeps, or into the PostgreSQL database --database-url
names. Contenders, alternating request by request after a round of untimed requests:

- devagenda: `devagenda serve` (a subprocess, the real app under uvicorn), answering
  `GET /api/activities?...` with the total, a page of 50 and all 15 facets (7 columns
  and 8 through link tables: country, region, country group, subject area, language,
  recommendation, expected result, project), each leaving out its own filter;
- on SQLite, Datasette 0.65 serving the same file (`--immutable`, suggested facets off,
  time limits raised so that no facet is dropped) with `_facet=` for the six column
  facets it can count (type, mode, sector_code, organising_unit, funding_source, demo;
  its facets cannot count through a join), its count and a page of 50; every filter is
  given to it as the same SQL condition (`_where=`), and its facets count over every
  filter, their own included;
- on PostgreSQL, where Datasette has nothing to serve, the same answers as plain SQL
  through psycopg (`work_mem` raised to 256 MB so that its subqueries are hashed): a
  count, the six GROUP BYs and a page of 51.

With --consultants M the script instead makes sure the data holds M demo consultants
(`devagenda demo generate --activities 0 --consultants M`: their assignments link to the
demo activities) and times `GET /api/consultants` (the total, a page of 50 and its five
public facets: demo, language, IP field, beneficiary country, assignment year; the fuzzy
`name` filter; `q`) against Datasette on the same file, given the same filters as SQL
(`_facet=` for demo and gender, the two column facets it can count; a name as a
substring of the folded name key, which is the nearest Datasette has to a fuzzy match).

With --import-rows N the script instead writes an N-row activities CSV (the import
template's columns) and times `devagenda activities import` on it into a new database
(or the PostgreSQL one --database-url names), then the same file loaded by the engine's
own bulk loader into one flat table of text columns: the sqlite3 shell's `.import`, or
PostgreSQL's COPY through psycopg. That peer checks nothing, resolves no name, writes no
link table, no source and no search entry: it is the floor of reading the file into the
engine, not a rival that does the same work.

Run from the repository root:
    python bench/bench_activities_scale.py [--file PATH] [--activities N]
    python bench/bench_activities_scale.py --database-url URL [--activities N]
    python bench/bench_activities_scale.py --consultants M [--file PATH]
    python bench/bench_activities_scale.py --import-rows N [--database-url URL]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench_api_search import free_port, line, p95

PAGE = 50
PEER_FACETS = ("type", "mode", "sector_code", "organising_unit", "funding_source", "demo")
DEVAGENDA = [sys.executable, "-m", "devagenda"]


def _titles(text: str) -> str:
    return f"id IN (SELECT activity_id FROM activity_title WHERE text LIKE '%{text}%')"


def _countries(where: str) -> str:
    return (
        "id IN (SELECT activity_id FROM activity_beneficiary b JOIN country c"
        f" ON c.alpha3 = b.country_alpha3 WHERE {where}) OR host_country_alpha3 IN"
        f" (SELECT alpha3 FROM country c WHERE {where})"
    )


def _year(year: int) -> str:
    return f"start_date >= '{year}-01-01' AND start_date < '{year + 1}-01-01'"


# Each request: our query parameters, and the same filter as SQL conditions on `activity`.
REQUESTS: list[tuple[dict[str, Any], list[str]]] = [
    ({}, []),
    ({"type": "seminar"}, ["type = 'seminar'"]),
    ({"mode": "virtual"}, ["mode = 'virtual'"]),
    ({"mode": "none"}, ["mode IS NULL"]),
    ({"country": "KEN"}, [_countries("c.alpha3 = 'KEN'")]),
    ({"region": "africa"}, [_countries("c.wipo_region = 'africa'")]),
    ({"country_group": "ldc"}, [_countries("c.development_status = 'ldc'")]),
    ({"year": 2021}, [_year(2021)]),
    ({"sector": "RND"}, ["sector_code = 'RND'"]),
    (
        {"language": "fr"},
        ["id IN (SELECT activity_id FROM activity_language WHERE language = 'fr')"],
    ),
    (
        {"subject_area": "patents"},
        ["id IN (SELECT activity_id FROM activity_subject_area WHERE area_code = 'patents')"],
    ),
    (
        {"recommendation": 10},
        [
            "id IN (SELECT activity_id FROM activity_recommendation"
            " WHERE recommendation_number = 10)"
        ],
    ),
    ({"type": "workshop", "country": "IND"}, ["type = 'workshop'", _countries("c.alpha3 = 'IND'")]),
    (
        {"mode": "virtual", "year": 2022, "region": "asia_pacific"},
        ["mode = 'virtual'", _year(2022), _countries("c.wipo_region = 'asia_pacific'")],
    ),
    (
        {"country_group": "ldc", "subject_area": "copyright", "language": "en"},
        [
            _countries("c.development_status = 'ldc'"),
            "id IN (SELECT activity_id FROM activity_subject_area WHERE area_code = 'copyright')",
            "id IN (SELECT activity_id FROM activity_language WHERE language = 'en')",
        ],
    ),
    (
        {"funding_source": "FIT Japan IP Global", "year": 2019},
        ["funding_source = 'FIT Japan IP Global'", _year(2019)],
    ),
    (
        {"since": "2020-01-01", "until": "2020-12-31"},
        ["coalesce(end_date, start_date) >= '2020-01-01'", "start_date <= '2020-12-31'"],
    ),
    ({"q": "Nairobi"}, [_titles("Nairobi")]),
    ({"q": "研讨会"}, [_titles("研讨会")]),
    ({"q": "Bogotá", "type": "workshop"}, [_titles("Bogotá"), "type = 'workshop'"]),
    ({"sort": "start_date"}, []),
    ({"sort": "-participants", "mode": "in_person"}, ["mode = 'in_person'"]),
    ({"sort": "-start_date", "country": "BRA"}, [_countries("c.alpha3 = 'BRA'")]),
    ({"cursor": 900_000}, ["id > 900000"]),
    ({"cursor": 450_000, "type": "webinar"}, ["id > 450000", "type = 'webinar'"]),
]


def _assignments(where: str) -> str:
    return (
        "id IN (SELECT a.consultant_id FROM assignment a JOIN assignment_country c"
        f" ON c.assignment_id = a.id WHERE {where})"
    )


def _consultant_link(table: str, where: str) -> str:
    return f"id IN (SELECT consultant_id FROM {table} WHERE {where})"


CONSULTANT_FACETS = ("demo", "gender")
CONSULTANT_REQUESTS: list[tuple[dict[str, Any], list[str]]] = [
    ({}, []),
    ({"language": "ru"}, [_consultant_link("consultant_language", "language = 'ru'")]),
    ({"ip_field": "patents"}, [_consultant_link("consultant_field", "field_code = 'patents'")]),
    ({"beneficiary_country": "KEN"}, [_assignments("c.country_alpha3 = 'KEN'")]),
    ({"assignment_year": 2021}, [_consultant_link("assignment", "year = 2021")]),
    (
        {"language": "zh", "assignment_year": 2019},
        [
            _consultant_link("consultant_language", "language = 'zh'"),
            _consultant_link("assignment", "year = 2019"),
        ],
    ),
    (
        {"beneficiary_country": "BRA", "ip_field": "copyright"},
        [
            _assignments("c.country_alpha3 = 'BRA'"),
            _consultant_link("consultant_field", "field_code = 'copyright'"),
        ],
    ),
    ({"name": "Wang Xiaoming"}, ["name_key LIKE '%wang xiaoming%'"]),
    ({"name": "Ivan Petrov"}, ["name_key LIKE '%ivan petrov%'"]),
    ({"name": "Иван Петров"}, ["name_own LIKE '%Иван Петров%'"]),
    ({"name": "Garsia"}, ["name_key LIKE '%garsia%'"]),
    ({"name": "Fatima Hassan", "language": "ar"}, [
        "name_key LIKE '%fatima hassan%'",
        _consultant_link("consultant_language", "language = 'ar'"),
    ]),
    ({"q": "Nguyễn"}, ["name_latin LIKE '%Nguyễn%'"]),
]  # fmt: skip


def ours(request: dict[str, Any]) -> dict[str, Any]:
    from devagenda.core.cursors import encode_position

    params = {k: v for k, v in request.items() if k != "cursor"}
    if "cursor" in request:
        params["cursor"] = encode_position({"sort": "", "after": [request["cursor"]]})
    return {**params, "limit": PAGE}


def datasette(request: dict[str, Any], where: list[str]) -> list[tuple[str, Any]]:
    params: list[tuple[str, Any]] = [("_facet", f) for f in PEER_FACETS] + [("_size", PAGE)]
    params += [("_where", condition) for condition in where]
    sort = request.get("sort")
    if sort:
        params.append(("_sort_desc" if sort.startswith("-") else "_sort", sort.lstrip("-")))
    return params


# -- the data ---------------------------------------------------------------------------------


def generate(url: str, count: int) -> float:
    """`devagenda init` and `devagenda demo generate` into `url`; seconds the latter took."""
    env = {**os.environ, "DEVAGENDA_DATABASE_URL": url}
    subprocess.run([*DEVAGENDA, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    start = time.perf_counter()
    subprocess.run(
        [*DEVAGENDA, "demo", "generate", "--activities", str(count), "--seed", "1", "--json"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def upgrade(url: str) -> None:
    env = {**os.environ, "DEVAGENDA_DATABASE_URL": url}
    subprocess.run([*DEVAGENDA, "init"], env=env, check=True, stdout=subprocess.DEVNULL)


def demo_count(url: str) -> int:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        if "activity" not in inspect(engine).get_table_names():
            return 0
        with engine.connect() as connection:
            return connection.scalar(text("SELECT count(*) FROM activity WHERE demo")) or 0
    finally:
        engine.dispose()


@contextmanager
def serving(url: str, probe: str = "/api/activities?limit=1") -> Iterator[tuple[str, int]]:
    """`devagenda serve` on a free port: its address and process id."""
    port = free_port()
    env = {**os.environ, "DEVAGENDA_DATABASE_URL": url}
    command = [*DEVAGENDA, "serve", "--port", str(port)]
    started = time.perf_counter()
    with _started(command, env, f"http://127.0.0.1:{port}", probe) as found:
        print(f"devagenda serve answered its first list after {time.perf_counter() - started:.0f} s"
              " (start-up, and reading the facet columns into memory)")  # fmt: skip
        yield found


@contextmanager
def datasette_serving(path: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    command = [
        sys.executable, "-m", "datasette", "serve", "--immutable", str(path), "--port", str(port),
        "--setting", "facet_time_limit_ms", "600000", "--setting", "sql_time_limit_ms", "600000",
        "--setting", "suggest_facets", "off", "--setting", "default_facet_size", "30",
        "--setting", "max_returned_rows", "1000",
    ]  # fmt: skip
    with _started(command, dict(os.environ), f"http://127.0.0.1:{port}", "/-/versions.json") as f:
        yield f


@contextmanager
def _started(command: list[str], env: dict[str, str], base: str, probe: str) -> Iterator[Any]:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(1200):
            if process.poll() is not None:
                raise SystemExit(f"{command[2:4]} ended: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                httpx.get(base + probe, timeout=600)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


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


def _report(label: str, count: int, mine: list[float], theirs: list[float], peer: str) -> None:
    print(f"{label}, {count:,} activities, {len(mine)} requests each, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")  # fmt: skip
    print(f"{'':<44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    print(line("GET /api/activities (devagenda, 15 facets)", mine))
    print(line(f"peer: {peer} (6 facets)", theirs))
    print(f"p95 ratio, devagenda / peer: {p95(mine) / p95(theirs):.3f}")
    plain = [n for n, (request, _) in enumerate(REQUESTS) if "q" not in request]
    mine_plain, theirs_plain = [mine[n] for n in plain], [theirs[n] for n in plain]
    print(line("without the 3 text queries: devagenda", mine_plain))
    print(line("without the 3 text queries: peer", theirs_plain))


def _slowest(mine: list[float]) -> None:
    slowest = sorted(zip(mine, REQUESTS, strict=True), key=lambda pair: -pair[0])[:3]
    print("slowest of ours:", "; ".join(f"{ms:.0f} ms {r[0]}" for ms, r in slowest))


def run_sqlite(path: Path, count: int) -> None:
    url = f"sqlite:///{path}"
    if demo_count(url) != count:
        path.unlink(missing_ok=True)
        print(f"generated {count:,} demo activities in {generate(url, count):.0f} s")
    else:  # a file kept from a run of an older schema: brought up to date
        upgrade(url)
    mine: list[float] = []
    theirs: list[float] = []
    timeout = httpx.Timeout(600)
    table = f"/{path.stem}/activity.json"
    with (
        serving(url) as (base, pid),
        datasette_serving(path) as (peer, peer_pid),
        httpx.Client(base_url=base, timeout=timeout) as client,
        httpx.Client(base_url=peer, timeout=timeout) as peer_client,
    ):
        for request, where in REQUESTS[:4]:  # untimed: connections, page cache
            timed_get(client, "/api/activities", ours(request))
            timed_get(peer_client, table, datasette(request, where))
        for request, where in REQUESTS:
            mine.append(timed_get(client, "/api/activities", ours(request)))
            theirs.append(timed_get(peer_client, table, datasette(request, where)))
        memory = peak_memory_mb(pid), peak_memory_mb(peer_pid)
    _report("sqlite", count, mine, theirs, "Datasette 0.65")
    print(f"peak memory (RSS): devagenda serve {memory[0]:.0f} MB, Datasette {memory[1]:.0f} MB")
    _slowest(mine)


def plain_sql(connection: Any, request: dict[str, Any], where: list[str]) -> None:
    """Datasette's answer as the plain SQL one would write: count, six GROUP BYs, a page."""
    clause = " AND ".join(f"({c})" for c in where) or "TRUE"
    connection.execute(f"SELECT count(*) FROM activity WHERE {clause}").fetchall()
    for facet in PEER_FACETS:
        connection.execute(
            f"SELECT {facet}, count(*) FROM activity WHERE {clause} GROUP BY {facet}"
            f" ORDER BY count(*) DESC LIMIT 31"
        ).fetchall()
    sort = request.get("sort", "id")
    order = f"{sort.lstrip('-')} {'DESC' if sort.startswith('-') else 'ASC'} NULLS LAST, id"
    connection.execute(
        f"SELECT * FROM activity WHERE {clause} ORDER BY {order} LIMIT {PAGE + 1}"
    ).fetchall()


def run_postgresql(url: str, count: int) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    if demo_count(url) != count:
        if demo_count(url):
            raise SystemExit("the database holds other demo data: give an empty one")
        print(f"generated {count:,} demo activities in {generate(url, count):.0f} s")
    else:
        upgrade(url)
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    mine: list[float] = []
    theirs: list[float] = []
    with (
        serving(url) as (base, pid),
        httpx.Client(base_url=base, timeout=httpx.Timeout(600)) as client,
        psycopg.connect(plain, autocommit=True) as connection,
    ):
        # With the default 4 MB, an `id IN (subquery) OR ...` over a region's 280,000
        # activities cannot be hashed, and PostgreSQL runs the subquery once per row: one
        # count took over 20 minutes. A DBA serving such queries would raise it.
        connection.execute("SET work_mem = '256MB'")
        for request, where in REQUESTS[:4]:
            timed_get(client, "/api/activities", ours(request))
            plain_sql(connection, request, where)
        for request, where in REQUESTS:
            mine.append(timed_get(client, "/api/activities", ours(request)))
            start = time.perf_counter()
            plain_sql(connection, request, where)
            theirs.append((time.perf_counter() - start) * 1000)
        memory = peak_memory_mb(pid)
    _report("postgresql", count, mine, theirs, "plain SQL via psycopg")
    print(f"peak memory (RSS): devagenda serve {memory:.0f} MB")
    _slowest(mine)


# -- the import -------------------------------------------------------------------------------

CITIES = (("KE", "Nairobi"), ("CO", "Bogotá"), ("VN", "Hà Nội"), ("MA", "Casablanca"),
          ("UZ", "Tashkent"), ("CN", "北京"), ("PE", "Lima"), ("SN", "Dakar"))  # fmt: skip
TYPES = ("Seminar", "Workshop", "Webinar", "Training course", "Mission", "Advisory")
AREAS = ("Patents", "Trademarks", "Copyright", "Geographical Indications", "Innovation")


def write_import_file(path: Path, rows: int, seed: int = 11) -> None:
    """An activities CSV laid out as the template: every row a new activity."""
    rng = random.Random(seed)
    header = ["code", "title_en", "title_zh", "type", "ip_subject_areas", "organising_unit",
              "sector", "start_date", "end_date", "mode", "venue_city", "host_country",
              "beneficiaries", "languages", "participants", "participants_women",
              "participants_men", "funding_source", "recommendations", "source"]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for number in range(1, rows + 1):
            country, city = rng.choice(CITIES)
            year, month, day = rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 27)
            total = rng.randint(10, 120)
            women = rng.randint(0, total)
            kind = rng.choice(TYPES)
            area = rng.choice(AREAS)
            writer.writerow([
                f"IMP-{number:07d}", f"{kind} on {area}, {city}, {year}", f"{year}年{city}研讨会",
                kind, f"{area} | Patents", "Division for Africa", "RND",
                f"{year}-{month:02d}-{day:02d}", f"{year}-{month:02d}-{day + 1:02d}",
                rng.choice(("in person", "virtual", "hybrid")), city, country,
                f"{country} | {rng.choice(CITIES)[0]}", rng.choice(("English", "fr", "es")),
                total, women, total - women, rng.choice(("", "FIT Japan IP Global")),
                f"{rng.randint(1, 45)}, {rng.randint(1, 45)}", "CDIP/31/2",
            ])  # fmt: skip


def consultant_count(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(text("SELECT count(*) FROM consultant WHERE demo")) or 0
    finally:
        engine.dispose()


def run_consultants(path: Path, count: int) -> None:
    """The roster's list against Datasette on the same file (demo activities kept)."""
    url = f"sqlite:///{path}"
    upgrade(url)
    if consultant_count(url) != count:
        if consultant_count(url):
            raise SystemExit("the file holds another number of demo consultants")
        env = {**os.environ, "DEVAGENDA_DATABASE_URL": url}
        start = time.perf_counter()
        subprocess.run(
            [*DEVAGENDA, "demo", "generate", "--activities", "0", "--consultants", str(count),
             "--seed", "1", "--json"],
            env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        print(f"generated {count:,} demo consultants in {time.perf_counter() - start:.0f} s")
    mine: list[float] = []
    theirs: list[float] = []
    timeout = httpx.Timeout(600)
    table = f"/{path.stem}/consultant.json"

    def peer_params(where: list[str]) -> list[tuple[str, Any]]:
        params: list[tuple[str, Any]] = [("_facet", f) for f in CONSULTANT_FACETS]
        return params + [("_size", PAGE)] + [("_where", condition) for condition in where]

    with (
        serving(url, "/api/consultants?limit=1") as (base, pid),
        datasette_serving(path) as (peer, peer_pid),
        httpx.Client(base_url=base, timeout=timeout) as client,
        httpx.Client(base_url=peer, timeout=timeout) as peer_client,
    ):
        for request, where in CONSULTANT_REQUESTS[:3]:  # untimed
            timed_get(client, "/api/consultants", {**request, "limit": PAGE})
            timed_get(peer_client, table, peer_params(where))
        for request, where in CONSULTANT_REQUESTS:
            mine.append(timed_get(client, "/api/consultants", {**request, "limit": PAGE}))
            theirs.append(timed_get(peer_client, table, peer_params(where)))
        memory = peak_memory_mb(pid), peak_memory_mb(peer_pid)
    print(f"sqlite, {count:,} consultants, {len(mine)} requests each, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")  # fmt: skip
    print(f"{'':<44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    print(line("GET /api/consultants (devagenda, 5 facets)", mine))
    print(line("peer: Datasette 0.65 (2 facets)", theirs))
    print(f"p95 ratio, devagenda / peer: {p95(mine) / p95(theirs):.3f}")
    print(f"peak memory (RSS): devagenda serve {memory[0]:.0f} MB, Datasette {memory[1]:.0f} MB")
    slowest = sorted(zip(mine, CONSULTANT_REQUESTS, strict=True), key=lambda pair: -pair[0])[:3]
    print("slowest of ours:", "; ".join(f"{ms:.0f} ms {r[0]}" for ms, r in slowest))


def run_import(rows: int, url: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "activities.csv"
        write_import_file(csv_path, rows)
        url = url or f"sqlite:///{Path(folder) / 'import.sqlite3'}"
        env = {**os.environ, "DEVAGENDA_DATABASE_URL": url}
        subprocess.run([*DEVAGENDA, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [*DEVAGENDA, "activities", "import", str(csv_path), "--json"],
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # The processor time the import took, which a shared machine's load hardly changes.
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        if done.returncode != 0:
            raise SystemExit(done.stdout[-2000:] + done.stderr[-2000:])
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        size = csv_path.stat().st_size / 1e6
        engine = url.split(":")[0].split("+")[0]
        print(f"import of {rows:,} activities ({size:.0f} MB CSV) into {engine}: "
              f"{seconds:.1f} s ({cpu:.1f} s of CPU), {rows / seconds:,.0f} rows/s, "
              f"peak memory {peak:.0f} MB, "
              f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")  # fmt: skip
        if engine == "sqlite":
            peer, peer_seconds = "sqlite3 .import", sqlite_import(csv_path, Path(folder))
        else:
            peer, peer_seconds = "COPY via psycopg", postgresql_copy(csv_path, url)
        print(f"peer: {peer} into one flat text table (no checks, links, sources or search "
              f"entries): {peer_seconds:.1f} s, {rows / peer_seconds:,.0f} rows/s; "
              f"time ratio, devagenda / peer: {seconds / peer_seconds:.1f}, load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")  # fmt: skip


def sqlite_import(csv_path: Path, folder: Path) -> float:
    """Seconds the sqlite3 shell takes to `.import` the CSV into a new flat table (one
    transaction), in a database file of its own."""
    start = time.perf_counter()
    subprocess.run(
        ["sqlite3", str(folder / "peer.sqlite3"), f".import --csv {csv_path} flat"], check=True
    )
    return time.perf_counter() - start


def postgresql_copy(csv_path: Path, url: str) -> float:
    """Seconds a COPY of the CSV into a new flat table of text columns takes (in one
    transaction, the table dropped afterwards, so the database keeps only the import)."""
    import psycopg
    from sqlalchemy.engine import make_url

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with csv_path.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    columns = ", ".join(f'"{name}" text' for name in header)
    with psycopg.connect(plain) as connection:
        start = time.perf_counter()
        connection.execute(f"CREATE TABLE import_peer_flat ({columns})")
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY import_peer_flat FROM STDIN (FORMAT csv, HEADER)") as copy,
            csv_path.open("rb") as data,
        ):
            while block := data.read(1 << 20):
                copy.write(block)
        connection.commit()
        seconds = time.perf_counter() - start
        connection.execute("DROP TABLE import_peer_flat")
        connection.commit()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, help="the SQLite file, kept for the next run")
    parser.add_argument("--database-url", help="a PostgreSQL database to generate into")
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, help="time an import of this many rows")
    parser.add_argument("--consultants", type=int, help="time the roster's list at this size")
    args = parser.parse_args()
    if args.import_rows:
        run_import(args.import_rows, args.database_url)
    elif args.consultants:
        path = args.file or Path(tempfile.gettempdir()) / "devagenda-activities-1m.sqlite3"
        run_consultants(path, args.consultants)
    elif args.database_url:
        run_postgresql(args.database_url, args.activities)
    else:
        path = args.file or Path(tempfile.gettempdir()) / "devagenda-activities-1m.sqlite3"
        run_sqlite(path, args.activities)


if __name__ == "__main__":
    main()
