"""Time `/api/search` over HTTP, on the real 2023 report, against a named peer.

The issue's goal is about the endpoint, not the service: under 30 ms at the 95th
percentile. The app runs under uvicorn on 127.0.0.1 in this process (a thread), and an
httpx client sends the same 200 typical queries as bench_search.py, after one untimed
pass that loads jieba and warms the caches.

Peer, alternating request by request so the machine's noise weighs on both alike:
`/api/recommendations/{n}`, a primary-key read through the same stack (routing,
session, serialization, security headers): what any request costs here.

Run from the repository root:
    python bench/bench_api_search.py [--database-url URL] [--queries N]
(default: a new SQLite file in a temporary folder).
"""

from __future__ import annotations

import argparse
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from bench_search import prepare, typical_queries
from devagenda.api import create_app
from devagenda.core.context import AppContext


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(context: AppContext) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(context), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def params(query: str, filters: dict[str, Any]) -> dict[str, Any]:
    return {"q": query, **filters}


def timed(client: httpx.Client, path: str, query: dict[str, Any]) -> float:
    start = time.perf_counter()
    response = client.get(path, params=query)
    elapsed = (time.perf_counter() - start) * 1000
    response.raise_for_status()
    return elapsed


def p95(values: list[float]) -> float:
    """The 95th percentile, between observed values (never beyond the largest)."""
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def line(name: str, values: list[float]) -> str:
    return f"{name:<44} {statistics.median(values):8.2f} {p95(values):8.2f} {max(values):8.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--queries", type=int, default=200)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        context = AppContext.for_url(url)
        prepare(context)
        queries = typical_queries(arguments.queries)
        ours: list[float] = []
        peer: list[float] = []
        with served(context) as base, httpx.Client(base_url=base) as client:
            for query, filters in queries:  # warm-up: jieba, caches, connections
                timed(client, "/api/search", params(query, filters))
            for i, (query, filters) in enumerate(queries):
                ours.append(timed(client, "/api/search", params(query, filters)))
                peer.append(timed(client, f"/api/recommendations/{i % 45 + 1}", {}))
        print(f"{context.engine.dialect.name}, {len(queries)} requests each")
        print(f"{'':<44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        print(line("GET /api/search (devagenda)", ours))
        print(line("peer: GET /api/recommendations/{n}", peer))
        print(f"p95 ratio, /api/search / recommendation by key: {p95(ours) / p95(peer):.2f}")


if __name__ == "__main__":
    main()
