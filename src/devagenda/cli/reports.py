"""Reports: `ingest`, `lint` and `report build`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from devagenda.cli import (
    JsonOption,
    console,
    context_of,
    counted,
    emit_json,
    print_table,
    user_errors,
)
from devagenda.reports.ingest.document import Language, Location
from devagenda.reports.render import Format, Part

if TYPE_CHECKING:
    from devagenda.reports.lint import LintReport

app = typer.Typer()
report_app = typer.Typer(
    help="Reports: build editions from the knowledge base.", no_args_is_help=True
)
app.add_typer(report_app, name="report")

ReportPath = Annotated[Path, typer.Argument(help="The report: text export (.txt) or Word (.docx).")]


@app.command()
def ingest(
    ctx: typer.Context,
    path: ReportPath,
    language: Annotated[
        Language | None, typer.Option(help="The report's language (default: detected).")
    ] = None,
    year: Annotated[
        int | None, typer.Option(help="The year the report covers (default: read from it).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Read a Director General's report into the knowledge base (all or nothing)."""
    from devagenda.bootstrap import ensure_initialized
    from devagenda.reports.load import ingest_report

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
    console.print(f"{verb[summary.outcome]} [bold]{summary.source}[/]")
    rows = [(name.replace("_", " "), str(count)) for name, count in summary.counts.items()]
    print_table(("stored", "count"), rows)


@app.command()
def lint(ctx: typer.Context, path: ReportPath, as_json: JsonOption = False) -> None:
    """Check a report for inconsistencies; exit status 1 when there is an error."""
    from devagenda.reports.lint import lint_report

    with user_errors():
        report = lint_report(path)
    if as_json:
        emit_json(report.to_dict())
    else:
        _print_findings(report)
    if report.has_errors:
        raise typer.Exit(1)


SEVERITY_STYLES = {"error": "red", "warning": "yellow", "advisory": "cyan"}


def _print_findings(report: LintReport) -> None:
    rows = [
        (
            Text(finding.severity.value, style=SEVERITY_STYLES[finding.severity.value]),
            finding.code,
            _describe(finding.location),
            finding.message,
        )
        for finding in report.findings
    ]
    print_table(("severity", "code", "where", "message"), rows, show_lines=True)
    if not report.findings:
        console.print("no findings")
        return
    console.print(
        ", ".join(
            counted(count, severity, "advisories" if severity == "advisory" else None)
            for severity, count in report.summary["by_severity"].items()
        )
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
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

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
    from devagenda.bootstrap import ensure_initialized
    from devagenda.reports.render import build_report

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
    console.print(f"Wrote [bold]{path}[/] ({format.value}, {size:,} bytes)")
