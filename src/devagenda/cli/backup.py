"""`devagenda export --all` and `devagenda import --all`: the whole knowledge base to and
from one file (devagenda.backup)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from devagenda.cli import JsonOption, console, context_of, counted, emit_json, errors, user_errors

if TYPE_CHECKING:
    from devagenda.core.errors import ReplaceRefused

app = typer.Typer()

BackupPath = Annotated[Path, typer.Argument(help="The backup file (a zip).")]
AllOption = Annotated[
    bool, typer.Option("--all", help="The whole knowledge base, change log included.")
]


def _require_all(everything: bool, verb: str) -> None:
    from devagenda.core.errors import InputError

    if not everything:
        raise InputError(
            f"{verb} moves the whole knowledge base: say so with --all "
            "(one list as CSV or JSON: the list commands' --csv and --json)",
            field="--all",
        )


@app.command("export")
def export_command(
    ctx: typer.Context,
    path: BackupPath,
    everything: AllOption = False,
    overwrite: Annotated[
        bool,
        typer.Option("--overwrite", help="Replace PATH if it exists (once the new file is whole)."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write the whole knowledge base to one file that `import --all` restores."""
    from devagenda.backup.services import export_all

    with user_errors():
        _require_all(everything, "export")
        with _status(enabled=not as_json, message="exporting"):
            summary = export_all(context_of(ctx), path, overwrite=overwrite)
    if as_json:
        emit_json(summary)
        return
    console.print(
        f"Exported {counted(summary.rows, 'row')} of {counted(len(summary.tables), 'table')} "
        f"from {escape(summary.database)} to [bold]{escape(summary.path)}[/] "
        f"(schema {summary.schema_revision}, SHA-256 {summary.sha256})"
    )


@app.command("import")
def import_command(
    ctx: typer.Context,
    path: BackupPath,
    everything: AllOption = False,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace a database that holds data of its own (exported to a file first).",
        ),
    ] = False,
    keep_copy: Annotated[
        Path | None,
        typer.Option(
            "--keep-copy",
            help="Where --replace saves the current content "
            "(default: a new file in the user data folder's backups/).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Restore a file written by `export --all` into the database, all or nothing."""
    from devagenda.backup.services import restore_all
    from devagenda.core.errors import ExitStatus, ReplaceRefused

    with user_errors():
        _require_all(everything, "import")
        # The file is checked before the database is created or touched.
        context = context_of(ctx, initialized=False)
        try:
            with _status(enabled=not as_json, message="importing") as step:
                summary = restore_all(
                    context, path, replace=replace, progress=step, keep_copy=keep_copy
                )
        except ReplaceRefused as refused:
            if as_json or not _can_ask():
                raise
            if not _confirm_replace(refused):
                console.print("Not imported: the database is unchanged.")
                raise typer.Exit(ExitStatus.NEEDS_CONFIRMATION) from None
            with _status(enabled=True, message="importing") as step:
                summary = restore_all(
                    context, path, replace=True, progress=step, keep_copy=keep_copy
                )
    if as_json:
        emit_json(summary)
        return
    if summary.replaced_copy:
        console.print(f"The replaced content is saved in [bold]{escape(summary.replaced_copy)}[/]")
    rebuilt = sum(table.rows for table in summary.rebuilt)
    console.print(
        f"Imported {counted(summary.rows, 'row')} of {counted(len(summary.tables), 'table')} "
        f"from {escape(summary.path)} into {escape(summary.database)}; "
        f"search index rebuilt ({counted(rebuilt, 'row')})"
    )


def _can_ask() -> bool:
    return console.is_terminal and sys.stdin.isatty()


def _confirm_replace(refused: ReplaceRefused) -> bool:
    errors.print(f"[bold yellow]{escape(str(refused).split(': repeat with')[0])}.[/]")
    return typer.confirm("Replace it? Its current content is exported to a file first")


@contextmanager
def _status(*, enabled: bool, message: str) -> Iterator[Callable[[str], None]]:
    """A spinner saying what is being done, on a terminal only (never with --json)."""
    if not (enabled and console.is_terminal):
        yield lambda _message: None
        return
    with console.status(message) as status:
        yield lambda text: status.update(escape(text))
