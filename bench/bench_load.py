"""A bounded load test on loopback: many concurrent clients for a fixed time against a mix
of pages, search and downloads, served by `uvicorn --workers N` as in production.

    PYTHONPATH=src python bench/bench_load.py --workers 1 --clients 200 --seconds 60
    PYTHONPATH=src python bench/bench_load.py --workers 2 --database-url postgresql://...

It builds a database holding the 2023 report (SQLite in a temporary folder unless
--database-url names one, which must hold it already), starts the server on 127.0.0.1,
warms every URL once, then lets the clients loop over the mix. It reports requests,
errors (any status but 2xx/3xx, or no answer), latency percentiles, and the peak memory
(RSS) of each server process, sampled twice a second from /proc. Goal: 0 errors and every
process under 300 MB. Only loopback is ever contacted, and the run is capped in time and
clients so that it cannot turn into a flood.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
REPORT = REPO / "data" / "reports" / "dg-report-da-2023.zh.txt"
MAX_CLIENTS = 500
MAX_SECONDS = 180
MEMORY_GOAL_MB = 300
WARM_UP_ROUNDS = 3

MIX = [
    # pages
    "/",
    "/projects",
    "/projects?status=ongoing&sort=-title",
    "/countries?lang=en&region=africa",
    "/countries/UGA",
    "/recommendations",
    "/sessions",
    "/projects/50",
    "/reports/2023/zh",
    "/match",
    "/match/needs",
    "/match/offers?support=financial",
    "/flexibilities",
    "/flexibilities/categories/research-exception",
    "/flexibilities/jurisdictions/KEN",
    "/api/match/counts",
    "/api/flexibilities/categories",
    # search, page and API
    "/search?q=women",
    "/search?q=乌干达",
    "/api/search?q=gastronomy",
    # downloads
    "/projects.csv?status=evaluated",
    "/countries.xlsx",
    "/api/projects?format=csv",
    "/api/search?q=women&format=csv",
]


def build_database(folder: Path) -> str:
    from devagenda.bootstrap import initialize
    from devagenda.core.context import AppContext
    from devagenda.reports.load import ingest_report

    url = f"sqlite:///{folder / 'load.sqlite3'}"
    context = AppContext.for_url(url)
    initialize(context)
    with context.transaction() as session:
        ingest_report(session, REPORT)
    context.engine.dispose()
    return url


def free_port() -> int:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        return int(listener.getsockname()[1])


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DEVAGENDA_DATABASE_URL": url}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "devagenda.api:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
        # Clients on a starved machine may take seconds to send their next request on a
        # kept-alive connection; uvicorn's 5 s default would close it under them.
        "--timeout-keep-alive",
        "75",
    ]
    return subprocess.Popen(command, env=env)


def wait_until_up(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/clusters", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not start")


def process_tree(pid: int) -> list[int]:
    """The server and its worker processes, from /proc."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            pending.extend(int(child) for child in task.read_text().split())
    return found


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


async def sample_memory(root: int, peaks: dict[int, float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for pid in process_tree(root):
            peaks[pid] = max(peaks.get(pid, 0.0), rss_mb(pid))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=0.5)


async def client_loop(
    client: httpx.AsyncClient,
    offset: int,
    until: float,
    latencies: list[float],
    errors: Counter[str],
) -> None:
    position = offset
    while time.monotonic() < until:
        path = MIX[position % len(MIX)]
        position += 1
        started = time.perf_counter()
        try:
            response = await client.get(path)
            await response.aread()
            if response.status_code >= 400:
                errors[f"{response.status_code} {path}"] += 1
        except httpx.HTTPError as error:
            errors[f"{type(error).__name__} {path}"] += 1
        latencies.append(time.perf_counter() - started)


async def run_load(base: str, clients: int, seconds: float, root: int) -> dict[str, object]:
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    peaks: dict[int, float] = {}
    stop = asyncio.Event()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    # Warm every URL in every worker, one request at a time, each on a new connection so
    # that the workers share them: the test measures the steady state (a cold start is
    # measured by the search benchmarks).
    for _ in range(WARM_UP_ROUNDS):
        for path in MIX:
            async with httpx.AsyncClient(base_url=base, timeout=120) as fresh:
                (await fresh.get(path)).raise_for_status()
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        warm = {pid: round(rss_mb(pid), 1) for pid in process_tree(root)}
        sampler = asyncio.create_task(sample_memory(root, peaks, stop))
        until = time.monotonic() + seconds
        started = time.monotonic()
        await asyncio.gather(
            *(client_loop(client, i, until, latencies, errors) for i in range(clients))
        )
        elapsed = time.monotonic() - started
        stop.set()
        await sampler
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "requests": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors.most_common(10)),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(cuts[49] * 1000),
        "p95_ms": round(cuts[94] * 1000),
        "p99_ms": round(cuts[98] * 1000),
        "max_ms": round(max(latencies) * 1000),
        "rss_after_warm_up_mb": {str(pid): mb for pid, mb in sorted(warm.items())},
        "peak_rss_mb": {str(pid): round(mb, 1) for pid, mb in sorted(peaks.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--database-url", help="a database holding the 2023 report already")
    options = parser.parse_args()
    if not 1 <= options.clients <= MAX_CLIENTS or not 1 <= options.seconds <= MAX_SECONDS:
        raise SystemExit(f"at most {MAX_CLIENTS} clients for at most {MAX_SECONDS} s")
    with tempfile.TemporaryDirectory() as folder:
        url = options.database_url or build_database(Path(folder))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(url, port, options.workers)
        try:
            wait_until_up(base, time.monotonic() + 60)
            result = asyncio.run(run_load(base, options.clients, options.seconds, server.pid))
        finally:
            server.terminate()
            server.wait(timeout=30)
    engine = "postgresql" if url.startswith("postgres") else "sqlite"
    result = {
        "engine": engine,
        "workers": options.workers,
        "clients": options.clients,
        "seconds": options.seconds,
        **result,
    }
    peak = max(result["peak_rss_mb"].values(), default=0.0)  # type: ignore[union-attr]
    result["memory_goal_met"] = peak < MEMORY_GOAL_MB
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
