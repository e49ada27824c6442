"""The `devagenda` command line: parses arguments, calls services, prints results.

Contract for every command that prints data: `--json` prints JSON only (to stdout), so
scripts can rely on it; errors go to stderr with a non-zero exit status. On a terminal
tables are drawn with rich; piped or redirected, they are tab-separated text, never cut
at 80 columns.

Start-up is kept fast by loading a command's module only when that command runs: the
root group knows every top-level command by name and one line of help (`COMMANDS`), so
`devagenda --help` imports none of them, and `devagenda countries resolve` imports only
`devagenda.cli.countries`. Inside a command module, import the heavy parts (FastAPI,
the web UI, Alembic, openpyxl, python-docx, WeasyPrint, jieba) inside the functions
that use them, so that the other commands of the same module stay fast too.

Adding a command group, e.g. `devagenda catalogue import`:

1. Write `src/devagenda/cli/catalogue.py` with a module-level `app = typer.Typer()` and
   the group on it::

       app = typer.Typer()
       catalogue_app = typer.Typer(help="...", no_args_is_help=True)
       app.add_typer(catalogue_app, name="catalogue")

       @catalogue_app.command("import")
       def catalogue_import(ctx: typer.Context, ..., as_json: JsonOption = False) -> None:
           \"\"\"One line of help.\"\"\"
           from devagenda.catalogue.importers import ...  # heavy: import here
           context = context_of(ctx)
           with user_errors():
               ensure_initialized(context)  # from devagenda.bootstrap, for the database
               ...

   A single top-level command (like `lint`) is `@app.command()` on the module's `app`.
2. Add `"catalogue": Entry("devagenda.cli.catalogue", "the same one-line help")` to
   `COMMANDS` below (tests/test_cli.py checks the line matches the loaded command's).
3. Add the command to `test_every_command_has_help` in tests/test_cli.py.

Shared helpers, all in this module: `context_of` (the database, opened on first use),
`user_errors` (a project error becomes one line on stderr and its exit status, see
`failures`; the root group does the same for errors raised outside it),
`JsonOption` and `emit_json`, `CsvOption` and `emit_csv`, `print_table` (a rich table
on a terminal, TSV when piped), `validated` (options checked by the API's filter model),
`counted` (right plurals: "1 country", "2 countries"), `console` and `errors`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from typer.core import TyperGroup

from devagenda import __version__
from devagenda.core.settings import DATABASE_URL_VARIABLE, Settings

if TYPE_CHECKING:
    from click import Command, Context
    from pydantic import BaseModel
    from rich.text import Text

    from devagenda.core.actor import Actor
    from devagenda.core.context import AppContext
    from devagenda.core.sqlreader import Reader


ModelT = TypeVar("ModelT", bound="BaseModel")
T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    """A top-level command: the module whose `app` defines it, and its one-line help."""

    module: str
    help: str


COMMANDS: dict[str, Entry] = {
    "init": Entry(
        "devagenda.cli.database",
        "Create or upgrade the database schema and load the reference data (safe to repeat).",
    ),
    "ingest": Entry(
        "devagenda.cli.reports",
        "Read a Director General's report into the knowledge base (all or nothing).",
    ),
    "lint": Entry(
        "devagenda.cli.reports",
        "Check a report for inconsistencies; exit status 1 when there is an error.",
    ),
    "report": Entry("devagenda.cli.reports", "Reports: build editions from the knowledge base."),
    "reports": Entry(
        "devagenda.cli.reports", "Stored reports: editions, their versions, restoring one."
    ),
    "search": Entry("devagenda.cli.search", "The full-text search index."),
    "countries": Entry("devagenda.cli.countries", "Countries: resolve names, list the table."),
    "projects": Entry("devagenda.cli.lists", "Development Agenda projects: list and export."),
    "recommendations": Entry("devagenda.cli.lists", "The 45 recommendations: list and export."),
    "sessions": Entry("devagenda.cli.lists", "CDIP sessions: list and export."),
    "catalogue": Entry(
        "devagenda.cli.catalogue",
        "Project facts from WIPO's DA catalogue or CDIP documents: import, template.",
    ),
    "consultants": Entry(
        "devagenda.cli.roster",
        "The roster of consultants (IP-ROC): import, list, show, aggregates.",
    ),
    "match": Entry(
        "devagenda.cli.match",
        "Matchmaking (WIPO Match, WIPO GREEN): import, list and export, suggest.",
    ),
    "flexibilities": Entry(
        "devagenda.cli.flexibilities",
        "The flexibilities database: import provisions, categories, list, compare.",
    ),
    "activities": Entry(
        "devagenda.cli.activities",
        "Technical-assistance activities (IP-TAD): import files and pages, template.",
    ),
    "iati": Entry(
        "devagenda.cli.iati", "IATI 2.03 XML: export the DA projects and their activities."
    ),
    "demo": Entry(
        "devagenda.cli.demo", "Demo data: generate realistic made-up records, remove them again."
    ),
    "changes": Entry("devagenda.cli.changes", "The change log: list, show and revert changes."),
    "serve": Entry("devagenda.cli.serve", "Serve the web UI and the REST API (docs at /api/docs)."),
    "export": Entry(
        "devagenda.cli.backup",
        "Write the whole knowledge base to one file that `import --all` restores.",
    ),
    "import": Entry(
        "devagenda.cli.backup",
        "Restore a file written by `export --all` into the database, all or nothing.",
    ),
    "users": Entry("devagenda.cli.accounts", "Accounts: create, list, disable and enable users."),
    "tokens": Entry("devagenda.cli.accounts", "API tokens: create (shown once), list, revoke."),
}


class LazyCommands(TyperGroup):
    """The root group: lists every command from `COMMANDS`, imports one only to run it
    (or to show its own help)."""

    _listing_help = False

    def list_commands(self, ctx: Context) -> list[str]:
        return [*super().list_commands(ctx), *COMMANDS]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return super().get_command(ctx, cmd_name)
        if self._listing_help:
            # The root's help lists commands by name and help: no need to import them.
            return typer.core.TyperCommand(name=cmd_name, help=entry.help)
        return _module_group(entry.module).get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        """Typer suggests only among commands already loaded: suggest among all."""
        try:
            return super().resolve_command(ctx, args)
        except typer.core._click.exceptions.UsageError as error:
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if matches and "Did you mean" not in error.message:
                suggestions = ", ".join(repr(match) for match in matches)
                error.message = f"{error.message.rstrip('.')}. Did you mean {suggestions}?"
            raise

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        # Errors are JSON when the command was asked for JSON (`cli.failures`).
        from devagenda.cli.failures import RUN

        RUN.json = "--json" in args
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Context) -> Any:
        """Every command's errors end here, as one line and an exit status. Commands act
        as the machine's operator (`operator_actor`)."""
        from devagenda.core.actor import acting_as

        try:
            with acting_as(operator_actor()):
                return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # exits and usage errors, which typer reports itself
        except BrokenPipeError:
            # The reader stopped reading (`devagenda search x | head`): not an error. What
            # is still buffered goes nowhere, so that exiting does not fail on it again.
            import os
            import sys

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the rest of the process
            raise typer.Exit(0) from None
        except Exception as error:
            from devagenda.cli.failures import fail

            fail(error)

    def format_help(self, ctx: Context, formatter: Any) -> None:
        self._listing_help = True
        _hide_flag_types(self)
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing_help = False


def operator_actor() -> Actor:
    """Whoever runs the command line on the database's machine is its administrator:
    they can read and write the database file or reach the server anyway. The change log
    names them by their operating-system account."""
    import getpass
    import uuid

    from devagenda.core.actor import Actor, Role

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (containers)
        import os

        user = f"uid {os.getuid()}"
    return Actor(label=f"operator:{user}", role=Role.ADMIN, request_id=f"cli-{uuid.uuid4().hex}")


@cache
def _module_group(module: str) -> TyperGroup:
    group = typer.main.get_group(import_module(module).app)
    assert isinstance(group, TyperGroup)
    _hide_flag_types(group)
    return group


def _hide_flag_types(command: Command) -> None:
    """A flag takes no value: its help shows no type ("--json <bool>" reads as if it
    took one). Applies to the whole tree under `command`, --help options included."""
    context = typer.Context(command)
    for param in command.get_params(context):
        if isinstance(param, typer.core.TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""
    for sub in getattr(command, "commands", {}).values():
        _hide_flag_types(sub)


app = typer.Typer(
    cls=LazyCommands,
    help="Monitor, search and report on the implementation of WIPO's Development Agenda.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

# Piped output is not wrapped or cut at the 80 columns rich assumes without a terminal.
console = Console(soft_wrap=True, highlight=False)
errors = Console(stderr=True, soft_wrap=True, highlight=False)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only.")]
CsvOption = Annotated[
    bool, typer.Option("--csv", help="Print CSV only, with the columns of the API's CSV.")
]


@dataclass
class CliState:
    """What the root options set up for the command; the database opens on first use."""

    settings: Settings
    _context: AppContext | None = None
    _initialized: bool = False

    def context(self, *, initialized: bool = True) -> AppContext:
        """The database; created or upgraded first unless `initialized` is False (for
        `init`, which does that itself)."""
        if self._context is None:
            from devagenda.core.context import AppContext

            self._context = AppContext(self.settings)
        if initialized and not self._initialized:
            from devagenda.bootstrap import ensure_initialized

            ensure_initialized(self._context)
            self._initialized = True
        return self._context


def _print_version(value: bool) -> None:
    if value:
        console.print(f"devagenda {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar=DATABASE_URL_VARIABLE,
            help="SQLAlchemy URL (sqlite:///PATH or postgresql://...). "
            "Default: a SQLite file in your user data directory.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    from devagenda.cli.failures import RUN

    ctx.obj = CliState(Settings.from_environment(database_url))
    RUN.database_url = ctx.obj.settings.database_url


def context_of(ctx: typer.Context, *, initialized: bool = True) -> AppContext:
    """The database and sessions of this run, made on first use. Every command that opens
    the database gets it created or upgraded first (`init` passes `initialized=False`)."""
    state = ctx.find_root().obj
    assert isinstance(state, CliState)
    return state.context(initialized=initialized)


def read_only(ctx: typer.Context, work: Callable[[Reader], T]) -> T:
    """`work` done with a reader of the database, for a command that only reads.

    A SQLite file that needs no creating or upgrading is read with plain sqlite3, so that
    the command imports no SQLAlchemy (half a second of start-up); `work` runs the same
    SQL either way (`devagenda.core.sqlreader`). Anything else, or any failure to read the
    file that way, goes through a session after `ensure_initialized`, which reports what
    is wrong as every command does. `work` only reads, so running it again is harmless.
    """
    import sqlite3

    from devagenda.bootstrap import needs_nothing
    from devagenda.core.sqlreader import SessionReader, open_sqlite

    state = ctx.find_root().obj
    assert isinstance(state, CliState)
    with user_errors():
        try:
            with open_sqlite(state.settings.database_url) as reader:
                if reader is not None and needs_nothing(reader):
                    return work(reader)
        except sqlite3.Error:
            pass  # not readable this way (locked, damaged, no schema yet): see below
        with context_of(ctx).transaction() as session:
            return work(SessionReader(session))


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the project's own errors (and database failures a user can fix) into one line
    and their exit status (`cli.failures`); anything else reaches the root's handler."""
    try:
        yield
    except Exception as error:
        from devagenda.cli.failures import as_user_error, fail

        if as_user_error(error) is None:
            raise
        fail(error)


def validated(model: type[ModelT], options: dict[str, Any]) -> ModelT:
    """Options checked by the model the API checks the same parameters with (so the rules
    live once); a bad value is one line naming the option, exit status 2."""
    from pydantic import ValidationError

    try:
        return model(**{name: value for name, value in options.items() if value is not None})
    except ValidationError as error:
        problem = error.errors()[0]
        field = str(problem["loc"][0])
        option = "--" + field.replace("_", "-")
        expected = model.model_fields[field].description
        # A value of a union (`none` or a code) fails each member: say what each wants.
        reasons = [p["msg"] for p in error.errors() if p["loc"][:1] == (field,)]
        errors.print(
            f"error: {option} {problem['input']!r}: {'; or '.join(dict.fromkeys(reasons))}"
            + (f" (expected: {expected})" if expected else ""),
            markup=False,
        )
        raise typer.Exit(2) from None


def _plain(data: Any) -> Any:
    if hasattr(data, "model_dump"):
        return data.model_dump(mode="json")
    if isinstance(data, list):
        return [_plain(item) for item in data]
    return data


def emit_json(data: BaseModel | list[Any] | dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(_plain(data), ensure_ascii=False, indent=2) + "\n")


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """'1 country', '2 countries', '0 entries'."""
    word = singular if count == 1 else (plural or singular + "s")
    return f"{count:,} {word}"


def print_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str | Text]],
    *,
    title: str | None = None,
    show_lines: bool = False,
) -> None:
    """A rich table on a terminal; tab-separated lines (header first) when piped, with
    tabs and line breaks inside a cell turned into spaces and '; '."""
    from rich.text import Text

    if not console.is_terminal:
        for line in (headers, *rows):
            cells = (cell.plain if isinstance(cell, Text) else cell for cell in line)
            print("\t".join(_tsv_cell(cell) for cell in cells))
        return
    from rich.table import Table

    table = Table(*headers, title=title, show_lines=show_lines)
    for row in rows:
        # Plain strings are data, not rich markup: "[5]" must print as "[5]".
        table.add_row(*(cell if isinstance(cell, Text) else Text(cell) for cell in row))
    console.print(table)


def _tsv_cell(value: str) -> str:
    return value.replace("\t", " ").replace("\r\n", "; ").replace("\n", "; ")


def emit_csv(model: type[BaseModel], items: Iterable[BaseModel]) -> None:
    """Rows as the API's `format=csv` writes them: same columns, same flattening."""
    import csv

    from devagenda.api.listing import csv_cells, csv_columns

    writer = csv.DictWriter(sys.stdout, fieldnames=csv_columns(model), restval="")
    writer.writeheader()
    writer.writerows(csv_cells(item) for item in items)


NOT_STATED = "not stated"


def stated(value: object) -> str:
    """A table cell: unknown shows as "not stated", never as an empty cell or "None"."""
    return NOT_STATED if value is None or value == "" else str(value)
