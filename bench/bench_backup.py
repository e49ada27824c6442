"""Backup and restore of a large SQLite knowledge base, against SQLite's own logical dump.

    PYTHONPATH=src python bench/bench_backup.py --rows 500000

Builds a SQLite database holding the reference data and ROWS more source locations (the
narrowest table, so the row count rather than the text dominates), then runs each step in
its own child process, timing it and reading the child's peak memory (RSS):

- devagenda `export_all` (a zip of JSON lines, deflated) against the peer, the `sqlite3`
  command line's `.dump` (uncompressed SQL text, written in C): reading every row and
  writing it as text;
- devagenda `restore_all` into a database that `devagenda init` made (the time includes
  checking the file, clearing the reference data and rebuilding the search index) against
  the peer, `sqlite3` reading that dump into a new empty database.

Streaming shows as a peak memory that does not grow with ROWS.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHUNK = 50_000


def build(database: Path, rows: int) -> None:
    from sqlalchemy import func, insert, select

    from devagenda.bootstrap import initialize
    from devagenda.core.context import AppContext
    from devagenda.core.models import SourceLocation

    context = AppContext.for_url(f"sqlite:///{database}")
    initialize(context)
    with context.engine.begin() as connection:
        first = connection.scalar(select(func.max(SourceLocation.id))) or 0
        for start in range(1, rows + 1, CHUNK):
            batch = [
                {"id": first + n, "source_id": 1, "line": n}
                for n in range(start, min(start + CHUNK, rows + 1))
            ]
            connection.execute(insert(SourceLocation), batch)
    context.engine.dispose()


def step(name: str, folder: Path, rows: int) -> None:
    """One of devagenda's steps, run in a child process."""
    from devagenda.backup.services import export_all, restore_all
    from devagenda.bootstrap import initialize
    from devagenda.core.context import AppContext

    if name == "build":
        build(folder / "source.sqlite3", rows)
        target = AppContext.for_url(f"sqlite:///{folder / 'restored.sqlite3'}")
        initialize(target)
        target.engine.dispose()
    elif name == "export":
        source = AppContext.for_url(f"sqlite:///{folder / 'source.sqlite3'}")
        export_all(source, folder / "backup.zip", overwrite=True)
    else:
        target = AppContext.for_url(f"sqlite:///{folder / 'restored.sqlite3'}")
        restore_all(target, folder / "backup.zip")


def commands(folder: Path) -> dict[str, tuple[list[str], Path | None, Path | None]]:
    """Each step's command line, and the files given as its stdin and stdout."""
    ours = [sys.executable, __file__, "--folder", str(folder), "--step"]
    sqlite = shutil.which("sqlite3") or "sqlite3"
    return {
        "export": ([*ours, "export"], None, None),
        "dump": ([sqlite, str(folder / "source.sqlite3"), ".dump"], None, folder / "dump.sql"),
        "restore": ([*ours, "restore"], None, None),
        "load": ([sqlite, str(folder / "loaded.sqlite3")], folder / "dump.sql", None),
    }


def measure(command: list[str], stdin: Path | None, stdout: Path | None) -> tuple[float, float]:
    """Wall seconds and peak RSS in MB of one step in a new process."""
    with (
        open(stdin or os.devnull, "rb") as given,
        open(stdout or os.devnull, "wb") as written,
    ):
        started = time.perf_counter()
        child = subprocess.Popen(command, stdin=given, stdout=written)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{command} failed with status {status}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--step", choices=("build", "export", "restore"))
    parser.add_argument("--folder", type=Path)
    options = parser.parse_args()
    if options.step:
        step(options.step, options.folder, options.rows)
        return

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        # Built in a child, so that this process stays small: a child's peak memory
        # counts from its parent's at the fork.
        ours = [sys.executable, __file__, "--folder", str(folder), "--rows", str(options.rows)]
        subprocess.run([*ours, "--step", "build"], check=True)
        results = {name: measure(*command) for name, command in commands(folder).items()}
        files = (folder / "backup.zip", folder / "dump.sql")
        sizes = {path.name: path.stat().st_size for path in files}
    print(f"SQLite, reference data + {options.rows:,} source locations")
    print(f"{'':44}{'seconds':>9}{'peak MB':>9}{'ours / peer':>13}")
    lines = (
        ("export", "devagenda export_all", None),
        ("dump", "peer: sqlite3 .dump (SQL text)", "export"),
        ("restore", "devagenda restore_all (init'ed target)", None),
        ("load", "peer: sqlite3 reading the dump", "restore"),
    )
    for key, label, ours in lines:
        seconds, peak = results[key]
        ratio = f"{results[ours][0] / seconds:>12.2f}x" if ours else ""
        print(f"{label:44}{seconds:>9.1f}{peak:>9.0f}{ratio:>13}")
    print(f"file sizes: backup {sizes['backup.zip']:,} bytes, dump {sizes['dump.sql']:,} bytes")


if __name__ == "__main__":
    main()
