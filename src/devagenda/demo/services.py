"""Demo data: `devagenda demo generate` and `devagenda demo remove`.

Each area contributes one `AreaDemo`: how many demo rows it holds, how to write `count`
more from a seed, and how to delete exactly its demo rows. The service runs them in one
transaction and logs the whole as one change-log run that says how many rows of each
table were written or deleted. Demo rows are flagged (`demo`) and their codes are in
the DEMO- namespace, so they never mix with real ones: generating refuses a database
that already holds demo data of an area it is asked for, and imports refuse demo codes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from devagenda.core.bulk import refresh_statistics
from devagenda.core.changelog import Run, logged_run
from devagenda.core.errors import InputError

Advance = Callable[[int], None]


class AreaDemo(Protocol):
    """What an area's demo module offers (e.g. `devagenda.activities.demo`)."""

    def existing(self, session: Session) -> int: ...

    def generate(
        self, session: Session, count: int, seed: int, run: Run, advance: Advance
    ) -> int: ...

    def remove(self, session: Session, run: Run) -> int: ...


def areas() -> dict[str, AreaDemo]:
    """The areas with demo data, by the name of their `--option` and their rows' noun."""
    from devagenda.activities import demo as activities
    from devagenda.roster import demo as consultants

    # Activities first: demo assignments link to the demo activities already written.
    return {"activities": activities, "consultants": consultants}  # type: ignore[dict-item]


@dataclass(frozen=True)
class DemoResult:
    """How many demo rows of each area were written or deleted, and of each table."""

    rows: dict[str, int]
    tables: dict[str, dict[str, int]]


def generate(
    session: Session,
    counts: dict[str, int],
    seed: int,
    *,
    started: Callable[[str, int], Advance] | None = None,
) -> DemoResult:
    """Write `counts[area]` demo rows per area, reproducibly from `seed`; `started(area,
    total)` gives the function told of each batch written (a progress bar)."""
    known = areas()
    for name, count in counts.items():
        if name not in known:
            raise InputError(
                f"this version has no demo {name}: it can generate {', '.join(known)}",
                field=name,
            )
        if count < 0:
            raise InputError("a number of rows, 0 or more", field=name)
    # An area is never generated on top of its own demo data; another area's may stay
    # (demo consultants added to demo activities link their assignments to them).
    held = {name: known[name].existing(session) for name, n in counts.items() if n}
    if any(held.values()):
        found = ", ".join(f"{n} {name}" for name, n in held.items() if n)
        raise InputError(
            f"the database already holds demo data ({found}): run `devagenda demo remove` first"
        )
    counts = {name: counts[name] for name in known if name in counts}  # in the areas' order
    written: dict[str, int] = {}
    key = f"seed {seed}: " + ", ".join(f"{n} {name}" for name, n in counts.items())
    with logged_run(session, "demo_generate", key[:200], seed=seed, **counts) as run:
        for name, count in counts.items():
            advance = started(name, count) if started else _ignore
            written[name] = known[name].generate(session, count, seed, run, advance)
    refresh_statistics(session, session.get_bind().dialect.get_table_names(session.connection()))
    return DemoResult(written, run.counts)


def remove(session: Session) -> DemoResult:
    """Delete every demo row of every area, and nothing else, in the caller's transaction."""
    removed: dict[str, int] = {}
    with logged_run(session, "demo_remove", "demo data") as run:
        for name, area in reversed(areas().items()):  # what links to others goes first
            removed[name] = area.remove(session, run)
        run.details.update(removed)
    return DemoResult(removed, run.counts)


def _ignore(_rows: int) -> None:
    return None
