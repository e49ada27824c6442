"""The `devagenda` command line: parses arguments, calls services, prints results.

Contract for every command that prints data: `--json` prints JSON only (to stdout), so
scripts can rely on it; errors go to stderr with a non-zero exit status.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn
from pydantic import BaseModel
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from devagenda.api import create_app
from devagenda.bootstrap import ensure_initialized, initialize
from devagenda.core.context import AppContext
from devagenda.core.errors import DevagendaError
from devagenda.core.settings import DATABASE_URL_VARIABLE, Settings
from devagenda.reference import services as reference
from devagenda.reference.models import DevelopmentStatus, WipoRegion
from devagenda.reference.schemas import Resolution
from devagenda.reports.ingest.document import Language, Location
from devagenda.reports.lint import LintReport, lint_report
from devagenda.reports.load import ingest_report
from devagenda.reports.render import Format, Part, build_report
from devagenda.search.sync import rebuild_index

app = typer.Typer(
    help="Monitor, search and report on the implementation of WIPO's Development Agenda.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
report_app = typer.Typer(
    help="Reports: build editions from the knowledge base.", no_args_is_help=True
)
app.add_typer(report_app, name="report")
search_app = typer.Typer(help="The full-text search index.", no_args_is_help=True)
app.add_typer(search_app, name="search")
countries_app = typer.Typer(help="Countries: resolve names, list the table.", no_args_is_help=True)
app.add_typer(countries_app, name="countries")

console = Console()
errors = Console(stderr=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only.")]


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
) -> None:
    ctx.obj = AppContext(Settings.from_environment(database_url))


def emit_json(data: Any) -> None:
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    elif isinstance(data, list):
        data = [
            item.model_dump(mode="json") if isinstance(item, BaseModel) else item for item in data
        ]
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the project's own errors into a message and exit status 2."""
    try:
        yield
    except DevagendaError as error:
        errors.print(f"[bold red]error:[/] {error}", highlight=False)
        raise typer.Exit(2) from None


def context_of(ctx: typer.Context) -> AppContext:
    context = ctx.find_root().obj
    assert isinstance(context, AppContext)
    return context


@app.command()
def init(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Create or upgrade the database schema and load the reference data (safe to repeat)."""
    with user_errors():
        summary = initialize(context_of(ctx))
    if as_json:
        emit_json(summary)
        return
    console.print(
        f"Database [bold]{summary.database}[/] at schema revision {summary.schema_revision}"
    )
    table = Table("reference data", "records", title="Loaded")
    for name, count in summary.loaded.items():
        table.add_row(name.replace("_", " "), str(count))
    console.print(table)


@app.command()
def ingest(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The report: text export (.txt) or Word (.docx).")],
    language: Annotated[
        Language | None, typer.Option(help="The report's language (default: detected).")
    ] = None,
    year: Annotated[
        int | None, typer.Option(help="The year the report covers (default: read from it).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Read a Director General's report into the knowledge base (all or nothing)."""
    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
        with _progress(enabled=not as_json) as step, context.transaction() as session:
            summary = ingest_report(
                session,
                path,
                language=language.value if language else None,
                year=year,
                progress=step,
            )
    if as_json:
        emit_json(summary)
        return
    verb = {"loaded": "Loaded", "replaced": "Replaced", "unchanged": "Already loaded, unchanged:"}
    console.print(f"{verb[summary.outcome]} [bold]{summary.source}[/]", highlight=False)
    table = Table("stored", "count")
    for name, count in summary.counts.items():
        table.add_row(name.replace("_", " "), str(count))
    console.print(table)


@app.command()
def lint(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The report: text export (.txt) or Word (.docx).")],
    as_json: JsonOption = False,
) -> None:
    """Check a report for inconsistencies; exit status 1 when there is an error."""
    with user_errors():
        report = lint_report(path)
    if as_json:
        emit_json(report.to_dict())
    else:
        _print_findings(report)
    if report.has_errors:
        raise typer.Exit(1)


def _print_findings(report: LintReport) -> None:
    colours = {"error": "red", "warning": "yellow", "advisory": "cyan"}
    table = Table("severity", "code", "where", "message", show_lines=True)
    for finding in report.findings:
        severity = finding.severity.value
        table.add_row(
            f"[{colours[severity]}]{severity}[/]",
            finding.code,
            _describe(finding.location),
            finding.message,
        )
    console.print(table)
    totals = report.to_dict()["summary"]
    console.print(
        ", ".join(f"{count} {name}" for name, count in totals["by_severity"].items())
        or "no findings"
    )


def _describe(location: Location) -> str:
    parts = [f"line {location.line}"]
    if location.paragraph is not None:
        parts.append(f"¶{location.paragraph}")
    if location.sub_item:
        parts.append(location.sub_item)
    if location.footnote is not None:
        parts.append(f"footnote {location.footnote}")
    if location.annex:
        parts.append(f"annex {location.annex}")
    if location.row is not None:
        parts.append(f"row {location.row}")
    if location.heading:
        parts.append(location.heading)
    return "\n".join(parts)


@contextmanager
def _progress(*, enabled: bool) -> Iterator[Callable[[str], None]]:
    """Rich progress on a terminal; silent otherwise (pipes, --json)."""
    if not (enabled and console.is_terminal):
        yield lambda _message: None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("starting")
        yield lambda message: progress.update(task, description=message)


@report_app.command("build")
def report_build(
    ctx: typer.Context,
    year: Annotated[int, typer.Option(help="The year the report covers.")],
    out: Annotated[Path, typer.Option(help="The file to write.")],
    lang: Annotated[Language, typer.Option(help="The edition's language.")] = Language.ZH,
    format: Annotated[Format, typer.Option(help="The output format.")] = Format.HTML,
    part: Annotated[
        Part, typer.Option(help="all: the report and its annexes; annexes; report: the text only.")
    ] = Part.ALL,
    as_json: JsonOption = False,
) -> None:
    """Write a report edition from the knowledge base: HTML, Markdown, Word or PDF."""
    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
        with context.transaction() as session:
            path = build_report(
                session, year=year, language=lang.value, format=format, out=out, part=part
            )
    size = path.stat().st_size
    if as_json:
        emit_json({"path": str(path), "format": format.value, "bytes": size})
        return
    console.print(f"Wrote [bold]{path}[/] ({format.value}, {size:,} bytes)", highlight=False)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes; they share the one database.")
    ] = 1,
) -> None:
    """Serve the web UI and the REST API (docs at /api/docs)."""
    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
    console.print(f"devagenda on http://{host}:{port}/ (API docs: /api/docs)", highlight=False)
    if workers == 1:
        uvicorn.run(create_app(context), host=host, port=port)
        return
    # Each worker builds its own app from the environment: pass the database on.
    os.environ[DATABASE_URL_VARIABLE] = context.settings.database_url
    uvicorn.run("devagenda.api:create_app", factory=True, host=host, port=port, workers=workers)


@search_app.command("reindex")
def search_reindex(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Rebuild the search index from the database (after bulk changes made outside
    devagenda's services)."""
    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
        with context.transaction() as session:
            entries = rebuild_index(session)
    if as_json:
        emit_json({"entries": entries})
        return
    console.print(f"Indexed {entries} entries")


@countries_app.command("resolve")
def countries_resolve(
    ctx: typer.Context,
    names: Annotated[list[str], typer.Argument(help="Names or aliases, Chinese or English.")],
    limit: Annotated[int, typer.Option(help="Candidates to show for an unknown name.")] = 5,
    as_json: JsonOption = False,
) -> None:
    """Resolve country (or group) names; exit status 1 if any name is unknown."""
    with user_errors(), context_of(ctx).transaction() as session:
        resolutions = reference.resolve_names(session, names, limit=limit)
    if as_json:
        emit_json(resolutions)
    else:
        for resolution in resolutions:
            _print_resolution(resolution)
    if not all(resolution.resolved for resolution in resolutions):
        raise typer.Exit(1)


def _print_resolution(resolution: Resolution) -> None:
    if resolution.country:
        c = resolution.country
        console.print(
            f"{resolution.query} → [bold]{c.alpha3}[/] {c.name_en} / {c.name_zh} "
            f"({c.wipo_region.value}, {c.development_status.value})",
            highlight=False,
        )
    elif resolution.group:
        g = resolution.group
        console.print(
            f"{resolution.query} → group [bold]{g.code}[/] {g.name_en} / {g.name_zh}",
            highlight=False,
        )
    else:
        errors.print(
            f"[bold red]error:[/] no country or group is called {resolution.query!r}",
            highlight=False,
        )
        for candidate in resolution.candidates:
            errors.print(
                f"  did you mean {candidate.key} {candidate.name_en} / "
                f"{candidate.name_zh}? (score {candidate.score:g})",
                highlight=False,
            )


@countries_app.command("list")
def countries_list(
    ctx: typer.Context,
    region: Annotated[WipoRegion | None, typer.Option(help="Only this WIPO region.")] = None,
    status: Annotated[
        DevelopmentStatus | None, typer.Option(help="Only this development status.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List countries with their codes, names, WIPO region and development status."""
    with user_errors(), context_of(ctx).transaction() as session:
        rows = reference.list_countries(session, region=region, status=status)
    if as_json:
        emit_json(rows)
        return
    table = Table("alpha3", "alpha2", "M49", "English", "中文", "region", "status")
    for row in rows:
        table.add_row(
            row.alpha3,
            row.alpha2,
            row.m49,
            row.name_en,
            row.name_zh,
            row.wipo_region.value,
            row.development_status.value,
        )
    console.print(table)
    console.print(f"{len(rows)} countries")
