"""Reports: `ingest`, `lint`, `report build`, and the stored editions: `reports list`,
`reports restore`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
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
    from devagenda.core.errors import ReplaceRefused
    from devagenda.reports.lint import LintReport
    from devagenda.reports.load import IngestSummary

app = typer.Typer()
report_app = typer.Typer(
    help="Reports: build editions from the knowledge base.", no_args_is_help=True
)
app.add_typer(report_app, name="report")
reports_app = typer.Typer(
    help="Stored reports: editions, their versions, restoring one.", no_args_is_help=True
)
app.add_typer(reports_app, name="reports")

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
    partial: Annotated[
        bool,
        typer.Option(
            "--partial", help="Load a draft that lacks chapters or annexes (marked partial)."
        ),
    ] = False,
    symbol: Annotated[
        str | None,
        typer.Option(help="The report's document symbol, e.g. CDIP/32/2 (printed on its cover)."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace the edition's current text (kept as an earlier version).",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Read a Director General's report into the knowledge base (all or nothing)."""
    from devagenda.core.dberrors import describe_database
    from devagenda.core.errors import ExitStatus, ReplaceRefused
    from devagenda.reports.ingest_runs import run_ingest
    from devagenda.reports.symbols import check_symbol, set_symbol_of_report

    context = context_of(ctx)
    where = describe_database(context.settings.database_url)
    options = {
        "language": language.value if language else None,
        "year": year,
        "partial": partial,
    }
    with user_errors():
        if symbol is not None:
            check_symbol(symbol, field="--symbol")
        try:
            with _progress(enabled=not as_json, database=where) as step:
                summary = run_ingest(context, path, **options, replace=replace, progress=step)
        except ReplaceRefused as refused:
            if as_json or not _can_ask():
                raise
            if not _confirm_replace(refused):
                console.print("Not replaced: the stored text stays current.")
                raise typer.Exit(ExitStatus.NEEDS_CONFIRMATION) from None
            with _progress(enabled=True, database=where) as step:
                summary = run_ingest(context, path, **options, replace=True, progress=step)
        if symbol is not None:
            with context.transaction() as session:
                set_symbol_of_report(session, summary.source, symbol)
    summary.database = where
    if as_json:
        emit_json(summary)
        return
    _print_summary(summary, path)


def _can_ask() -> bool:
    import sys

    return console.is_terminal and sys.stdin.isatty()


def _confirm_replace(refused: ReplaceRefused) -> bool:
    from devagenda.cli import errors

    errors.print(f"[bold yellow]{escape(str(refused).split('. Repeat with')[0])}.[/]")
    return typer.confirm("Replace it? The current text is kept as an earlier version")


def _print_summary(summary: IngestSummary, path: Path | None) -> None:
    verb = {
        "loaded": "Loaded",
        "replaced": "Replaced",
        "restored": "Restored",
        "unchanged": "Already loaded, unchanged:",
    }[summary.outcome.value]
    partial = " as a [bold yellow]partial[/] report" if summary.partial else ""
    console.print(
        f"{verb} [bold]{escape(summary.source)}[/] (version {summary.version}){partial} "
        f"in {escape(summary.database or '')}"
    )
    if summary.changes is not None:
        console.print(f"Changed: {escape(summary.changes.describe())}")
    report = summary.report
    by_group = report["projects_by_group"]
    rows = [
        ("paragraphs", str(report["paragraphs"])),
        ("chapters", str(report["chapters"])),
        ("footnotes", str(report["footnotes"])),
        (
            "recommendations (immediate)",
            f"{report['recommendations']} ({report['immediate_recommendations']})",
        ),
        ("expected results", str(report["expected_results"])),
        (
            "projects (completed and evaluated / ongoing / approved)",
            f"{report['projects']} ({by_group['completed_evaluated']} / {by_group['ongoing']}"
            f" / {by_group['approved']})",
        ),
        ("figures", str(report["figures"])),
        ("country mentions", str(report["country_mentions"])),
        ("group and organization mentions", str(report["group_mentions"])),
    ]
    print_table(("the report holds", "count"), rows)
    findings = summary.findings
    if any(findings.values()):
        listed = ", ".join(
            counted(count, severity, "advisories" if severity == "advisory" else None)
            for severity, count in findings.items()
        )
        _, year, language = summary.source.split("/")
        where = f"`devagenda lint {path}`" if path else "`devagenda lint` of its file"
        console.print(
            f"The checker found {listed}: see them with {where} or on the report's page "
            f"(/reports/{year}/{language})"
        )
    else:
        console.print("The checker found nothing to report.")


@app.command()
def lint(
    ctx: typer.Context,
    path: ReportPath,
    lang: Annotated[
        Language, typer.Option(help="The messages' language (--json gives both).")
    ] = Language.EN,
    as_json: JsonOption = False,
) -> None:
    """Check a report for inconsistencies; exit status 1 when there is an error."""
    from devagenda.reports.lint import lint_report

    with user_errors():
        report = lint_report(path)
    if as_json:
        emit_json(report.to_dict())
    else:
        _print_findings(report, lang)
    if report.has_errors:
        raise typer.Exit(1)


SEVERITY_STYLES = {"error": "red", "warning": "yellow", "advisory": "cyan"}


def _print_findings(report: LintReport, language: str) -> None:
    rows = [
        (
            Text(finding.severity.value, style=SEVERITY_STYLES[finding.severity.value]),
            finding.code,
            _describe(finding.location),
            finding.message_in(language),
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
def _progress(*, enabled: bool, database: str = "") -> Iterator[Callable[[str], None]]:
    """Rich progress on a terminal, naming the database; silent otherwise (pipes, --json)."""
    if not (enabled and console.is_terminal):
        yield lambda _message: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    if database:
        console.print(f"Database: {escape(database)}")
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
    out: Annotated[Path, typer.Option(help="The file to write; its extension names the format.")],
    lang: Annotated[Language, typer.Option(help="The edition's language.")] = Language.ZH,
    format: Annotated[
        Format | None,
        typer.Option(help="The output format (default: from --out's extension)."),
    ] = None,
    part: Annotated[
        Part, typer.Option(help="all: the report and its annexes; annexes; report: the text only.")
    ] = Part.ALL,
    corrected: Annotated[
        bool,
        typer.Option(
            "--corrected",
            help="Print Annex I with the standard expected-result titles, marking each cell "
            "changed (default: as the report printed it).",
        ),
    ] = False,
    allow_fallback: Annotated[
        bool,
        typer.Option(
            "--allow-fallback",
            help="Print another language's report text when none is loaded in --lang.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Write a report edition from the knowledge base: HTML, Markdown, Word or PDF."""
    from devagenda.bootstrap import ensure_initialized
    from devagenda.reports.render import build_report, output_format

    context = context_of(ctx)
    with user_errors():
        chosen = output_format(out, format)
        ensure_initialized(context)
        with context.transaction() as session:
            path = build_report(
                session,
                year=year,
                language=lang.value,
                format=chosen,
                out=out,
                part=part,
                corrected=corrected,
                allow_fallback=allow_fallback,
            )
    size = path.stat().st_size
    if as_json:
        emit_json({"path": str(path), "format": chosen.value, "bytes": size})
        return
    console.print(f"Wrote [bold]{path}[/] ({chosen.value}, {size:,} bytes)")


@reports_app.command("list")
def reports_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the stored editions with their versions (the current one marked)."""
    from devagenda.reports.ingest_runs import list_editions

    with user_errors(), context_of(ctx).transaction() as session:
        editions = list_editions(session)
    if as_json:
        emit_json(editions)
        return
    rows = [
        (
            edition.edition + (" (partial)" if edition.partial else ""),
            str(version.number) + (" current" if version.current else ""),
            version.loaded_at.strftime("%Y-%m-%d %H:%M"),
            version.file_name,
            version.checksum[:12],
            "partial" if version.partial else "",
            "" if version.restorable else "text not kept",
        )
        for edition in editions
        for version in edition.versions
    ]
    print_table(("edition", "version", "loaded", "file", "checksum", "", ""), rows)
    console.print(counted(len(editions), "edition"))


@reports_app.command("restore")
def reports_restore(
    ctx: typer.Context,
    edition: Annotated[str, typer.Argument(help="The edition: dg-report/2023/zh or 2023/zh.")],
    version: Annotated[int, typer.Argument(help="The version to bring back (`reports list`).")],
    as_json: JsonOption = False,
) -> None:
    """Make an earlier version of an edition current again (the current one is kept)."""
    from devagenda.core.dberrors import describe_database
    from devagenda.reports.ingest_runs import restore_version

    context = context_of(ctx)
    where = describe_database(context.settings.database_url)
    with user_errors(), _progress(enabled=not as_json, database=where) as step:
        summary = restore_version(context, edition, version, progress=step)
    summary.database = where
    if as_json:
        emit_json(summary)
        return
    _print_summary(summary, None)
