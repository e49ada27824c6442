"""What the command line does with every error: one line (or one JSON object under
--json) on stderr and a documented exit status, never a traceback.

Project errors say what is wrong and what to do; database failures a user can fix are
translated (`devagenda.core.dberrors`); anything else is a bug, reported in one line with
a hint to report it. `DEVAGENDA_DEBUG=1` lets it raise instead, with its traceback, for
developers and tests.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from devagenda.core.errors import DevagendaError, ExitStatus

if TYPE_CHECKING:
    from devagenda.core.imports import FilesRefused

DEBUG_VARIABLE = "DEVAGENDA_DEBUG"
Result = TypeVar("Result")
ReplaceOption = Annotated[
    bool,
    typer.Option(
        "--replace",
        help="Replace what the files change in stored records (the change log keeps it).",
    ),
]


def debugging() -> bool:
    return os.environ.get(DEBUG_VARIABLE, "") not in ("", "0")


@dataclass
class Run:
    """What the root group noted of this run, for reporting its errors."""

    json: bool = False  # the command was given --json
    database_url: str = ""


RUN = Run()


def fail(error: BaseException) -> NoReturn:
    """Report `error` and exit with its status; a bug re-raises under DEVAGENDA_DEBUG=1."""
    known = as_user_error(error)
    if known is None and debugging():
        raise error
    if known is not None:
        status, kind, message = known.exit_status, known.kind, str(known)
        details = known.to_dict()
    else:
        status, kind = ExitStatus.BUG, "bug"
        message = (
            f"unexpected {type(error).__name__}: {_one_line(str(error))} — this is a bug in "
            "devagenda; please report it to its maintainers with the command you ran (set "
            f"{DEBUG_VARIABLE}=1 to see the traceback)"
        )
        details = {"error": kind, "message": message}
    if RUN.json:
        sys.stderr.write(json.dumps({**details, "exit_status": status}, ensure_ascii=False) + "\n")
    else:
        from rich.markup import escape

        from devagenda.cli import errors

        errors.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(status)


def as_user_error(error: BaseException) -> DevagendaError | None:
    """The project error `error` is, or stands for (database failures), if any."""
    if isinstance(error, DevagendaError):
        return error
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(error, SQLAlchemyError):
        from devagenda.core.dberrors import database_error

        return database_error(error, RUN.database_url)
    return None


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0][:200] if lines else "(no message)"


def print_refusal(refused: FilesRefused, as_json: bool) -> NoReturn:
    """An import's refusal: every bad row of every file, on stderr (one JSON object under
    --json), then exit status 2."""
    from rich.markup import escape

    from devagenda.cli import emit_json, errors

    if as_json:
        emit_json(
            {
                "error": str(refused),
                "files": [
                    {
                        "file": r.path,
                        "problems": [
                            {"row": p.row, "column": p.column, "reason": p.reason}
                            for p in r.problems
                        ],
                    }
                    for r in refused.refusals
                ],
            }
        )
    else:
        errors.print(f"[bold red]error:[/] {escape(str(refused))}")
        for line in refused.lines():
            errors.print(f"  {escape(line)}")
    raise typer.Exit(2)


def import_asking(run: Callable[[bool], Result], *, replace: bool, as_json: bool) -> Result:
    """Run an import (`run(replace)`). One that would replace stored records without
    --replace is refused; on a terminal, and not under --json, the user is shown what it
    would replace and asked, and a yes runs it again replacing them."""
    from rich.markup import escape

    from devagenda.cli import console, errors
    from devagenda.core.imports import ImportWouldReplace

    try:
        return run(replace)
    except ImportWouldReplace as refused:
        if as_json or not (console.is_terminal and sys.stdin.isatty()):
            raise
        errors.print(f"[bold yellow]The import would change {len(refused.replaced)} record(s):[/]")
        for item in refused.replaced:
            errors.print(f"  {escape(str(item))}")
        if not typer.confirm("Replace them? What they hold now is kept in the change log"):
            console.print("Not imported: the database is unchanged.")
            raise typer.Exit(ExitStatus.NEEDS_CONFIRMATION) from None
        return run(True)
