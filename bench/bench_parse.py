"""Time the report reader on the real 2023 report against named peers, side by side.

Peers, on the same machine and the same report:
- python-docx: opening the same report as a .docx and taking the text of every paragraph
  and table cell, nothing more (what any reader of Word files pays before parsing);
- splitlines + regex: splitting the text export into lines and pulling out the footnote
  bodies with one regular expression (the floor of reading the export at all).
Our reader is timed on the text export and on the .docx. The gazetteer is built once
before timing, as it is in a long-running process.

Run from the repository root: python bench/bench_parse.py [--runs N]
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the .docx is built with the tests' helper

import docx  # noqa: E402
from tests.reports.docx_builder import build_docx  # noqa: E402

from devagenda.reference.gazetteer import Gazetteer  # noqa: E402
from devagenda.reports.ingest import read_report  # noqa: E402

REPORT = REPO / "data" / "reports" / "dg-report-da-2023.zh.txt"
FOOTNOTE_BODY = re.compile(r"\[(\d+):(.*?)\](?=\s*(?:\[\d+:|$))")


def median_seconds(work: Callable[[], object], runs: int) -> float:
    work()  # warm up: imports, caches
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def python_docx_text(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    return texts


def splitlines_and_regex(text: str) -> list[tuple[str, str]]:
    return [body for line in text.splitlines() for body in FOOTNOTE_BODY.findall(line)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    gazetteer = Gazetteer.from_reference_data()
    data = REPORT.read_bytes()
    text = data.decode("utf-8")
    word_file = build_docx(text)
    ours_text = median_seconds(lambda: read_report(data, gazetteer=gazetteer), runs)
    ours_docx = median_seconds(lambda: read_report(word_file, gazetteer=gazetteer), runs)
    peer_docx = median_seconds(lambda: python_docx_text(word_file), runs)
    peer_text = median_seconds(lambda: splitlines_and_regex(text), runs)
    print(f"report: {REPORT.name} ({len(data):,} bytes), median of {runs} runs")
    print(f"{'':<50} {'median ms':>10} {'ours / peer':>12}")
    rows = (
        ("devagenda read_report, text export", ours_text, None),
        ("peer: splitlines + footnote regex, text export", peer_text, ours_text),
        ("devagenda read_report, .docx", ours_docx, None),
        ("peer: python-docx paragraph and cell text, .docx", peer_docx, ours_docx),
    )
    for name, seconds, ours in rows:
        ratio = f"{ours / seconds:>11.1f}x" if ours else ""
        print(f"{name:<50} {seconds * 1000:>10.1f} {ratio:>12}".rstrip())


if __name__ == "__main__":
    main()
