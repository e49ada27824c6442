"""Time the figure reader at growing input sizes against a named peer, side by side.

Input: one long Chinese sentence of n counts ("为12名学员和为13名学员和…"), the case that was
quadratic (16,000 numbers took 32 s). Peer, on the same text: a single plain pass of the
reader's own figure regex (`ZH_FIGURE.finditer`), the floor of finding the numbers at all.
With --with-main, the reader as it is on the `main` branch (read from git) is timed too,
up to 4,000 numbers.

Run from the repository root: python bench/bench_figures.py [--runs N] [--with-main]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from devagenda.reports.ingest.document import Location
from devagenda.reports.ingest.figures import ZH_FIGURE, find_figures, read_figures

REPO = Path(__file__).resolve().parents[1]
SIZES = (1_000, 2_000, 4_000, 8_000, 16_000)
MAIN_MAX_SIZE = 4_000
HERE = Location(line=1, paragraph=1)


def one_long_sentence(n: int) -> str:
    return (
        "2023年，产权组织" + "和".join(f"为{i % 997 + 2}名学员" for i in range(n)) + "提供了支持。"
    )


def median_seconds(work: Callable[[], object], runs: int) -> float:
    work()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main_branch_reader() -> Callable[..., object]:
    """find_figures as it is on the main branch."""
    source = subprocess.run(
        ["git", "-C", str(REPO), "show", "main:src/devagenda/reports/ingest/figures.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "figures_main.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("figures_main", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.find_figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--with-main", action="store_true")
    args = parser.parse_args()
    main_reader = main_branch_reader() if args.with_main else None
    print(f"one long sentence of n counts, median of {args.runs} runs")
    header = f"{'n':>7} {'chars':>9} {'ours ms':>9} {'peer ms':>9} {'ours/peer':>10}"
    header += f" {'chars scanned':>14}" + (f" {'main ms':>10}" if main_reader else "")
    print(header)
    for n in SIZES:
        text = one_long_sentence(n)
        ours = median_seconds(lambda text=text: find_figures(text, HERE, 2023), args.runs)
        peer = median_seconds(lambda text=text: list(ZH_FIGURE.finditer(text)), args.runs)
        scanned = read_figures(text, HERE, 2023).scanned
        row = f"{n:>7} {len(text):>9,} {ours * 1e3:>9.1f} {peer * 1e3:>9.2f} {ours / peer:>9.0f}x"
        row += f" {scanned:>14,}"
        if main_reader is not None:
            if n <= MAIN_MAX_SIZE:
                main_ms = median_seconds(lambda text=text: main_reader(text, HERE, 2023), 1) * 1e3
                row += f" {main_ms:>10.1f}"
            else:
                row += f" {'-':>10}"
        print(row)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
