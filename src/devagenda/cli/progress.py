"""Progress bars for long work (a demo generation, a large import): shown on a terminal
only, never under `--json` or in a pipe, where they would garble the output."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from devagenda.cli import console

# `start(description, total)` returns the function that is told each step's size.
Start = Callable[[str, int], Callable[[int], None]]


@contextmanager
def counting(*, enabled: bool) -> Iterator[Start]:
    """Bars counting rows, one per started task; silent unless `enabled` on a terminal."""
    if not (enabled and console.is_terminal):
        yield lambda _description, _total: lambda _rows: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:

        def start(description: str, total: int) -> Callable[[int], None]:
            task = progress.add_task(description, total=total)
            return lambda rows: progress.advance(task, rows)

        yield start
