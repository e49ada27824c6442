"""`devagenda activities ...`: load technical-assistance activities (IP-TAD)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from devagenda.cli import (
    CsvOption,
    JsonOption,
    console,
    context_of,
    counted,
    emit_json,
    stated,
    user_errors,
    validated,
)
from devagenda.cli.failures import ReplaceOption, import_asking, print_refusal
from devagenda.cli.templates import ForceOption, OutOption, write_template

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.orm import Session

    from devagenda.activities.schemas import ActivitySummary
    from devagenda.core.imports import ImportResult

app = typer.Typer()
activities_app = typer.Typer(
    help="Technical-assistance activities (IP-TAD): import files and pages, template.",
    no_args_is_help=True,
)
app.add_typer(activities_app, name="activities")


@activities_app.command("import")
def activities_import(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="CSV, XLSX or JSON files laid out as the template, or IP-TAD activity "
            "pages saved as HTML or text; told apart by their content.",
        ),
    ],
    replace: ReplaceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Load activities from files and IP-TAD pages, all of them or nothing.

    A CSV file of any size is read as it is stored (a progress bar shows how far on a
    terminal). A row's `code` (an IP-TAD page's id) names its activity: a new code is
    created; a row that would change a stored activity is refused, naming what it would
    replace, unless --replace is given (on a terminal you are asked). Countries,
    languages, subject areas and recommendations are checked against the knowledge base.
    If any row or page is bad, nothing is stored and every problem of every file is
    listed. `devagenda activities template` writes an empty file.
    """
    from devagenda.activities.services import ActivitiesImportRefused, import_activities
    from devagenda.bootstrap import ensure_initialized
    from devagenda.cli.progress import counting

    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)

        def run(replacing: bool) -> list[ImportResult]:
            with counting(enabled=not as_json) as start, context.transaction() as session:
                return import_activities(
                    session,
                    files,
                    started=lambda name, rows: start(f"import {name}", rows),
                    replace=replacing,
                )

        try:
            results = import_asking(run, replace=replace, as_json=as_json)
        except ActivitiesImportRefused as refused:
            print_refusal(refused, as_json)
    if as_json:
        emit_json([{"file": r.file, "rows": r.rows, "facts": r.facts} for r in results])
        return
    for result in results:
        console.print(
            f"Imported {counted(result.rows, 'activity', 'activities')} from {result.file}."
        )


@activities_app.command("template")
def activities_template(
    out: OutOption, force: ForceOption = False, as_json: JsonOption = False
) -> None:
    """Write an empty activities import file, CSV or XLSX by the extension of FILE."""
    from devagenda.activities.importers import ACTIVITY_SPEC
    from devagenda.activities.services import activities_template as template_bytes

    write_template(
        out,
        template_bytes,
        [column.name for column in ACTIVITY_SPEC.columns],
        force=force,
        as_json=as_json,
    )


FacetOption = Annotated[
    str | None, typer.Option(help="A value of the list's facet; none: not stated.")
]


@activities_app.command("list")
def activities_list(
    ctx: typer.Context,
    year: FacetOption = None,
    since: Annotated[
        str | None, typer.Option(help="Ended (or started) on or after this day.")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Started on or before this day.")] = None,
    country: FacetOption = None,
    region: FacetOption = None,
    country_group: FacetOption = None,
    sector: FacetOption = None,
    organising_unit: FacetOption = None,
    type: FacetOption = None,
    mode: FacetOption = None,
    subject_area: FacetOption = None,
    language: FacetOption = None,
    recommendation: FacetOption = None,
    expected_result: FacetOption = None,
    project: FacetOption = None,
    funding_source: FacetOption = None,
    q: Annotated[
        str | None, typer.Option("--q", help="Text in a title, description, code, venue or unit.")
    ] = None,
    sort: Annotated[
        str | None,
        typer.Option(help="start_date, end_date, participants, code or title; -name descends."),
    ] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List the activities matching every given filter, as /api/activities does (and its
    `format=json` or `format=csv` with --json or --csv)."""
    from devagenda.activities.schemas import ActivityFilter, ActivitySummary
    from devagenda.activities.services import activity_source
    from devagenda.cli.lists import print_list
    from devagenda.core.listing import Selection, facet_selection

    filters = validated(
        ActivityFilter,
        {
            "year": year,
            "since": since,
            "until": until,
            "country": country,
            "region": region,
            "country_group": country_group,
            "sector": sector,
            "organising_unit": organising_unit,
            "type": type,
            "mode": mode,
            "subject_area": subject_area,
            "language": language,
            "recommendation": recommendation,
            "expected_result": expected_result,
            "project": project,
            "funding_source": funding_source,
        },
    )

    def rows(session: Session) -> Iterator[ActivitySummary]:
        service_filters, chosen = facet_selection(filters, activity_source(session).facets)
        source = activity_source(session, service_filters)  # type: ignore[arg-type]
        return source.all(Selection(q=q, facets=chosen, sort=sort or ""))

    print_list(
        ctx,
        rows,
        ActivitySummary,
        as_json=as_json,
        as_csv=as_csv,
        table=_activity_table,
        noun=("activity", "activities"),
    )


def _activity_table(items: list[ActivitySummary]) -> tuple[list[str], list[list[str]]]:
    headers = ["id", "code", "start", "type", "mode", "host", "beneficiaries", "title"]
    rows = [
        [
            str(a.id),
            stated(a.code),
            stated(a.start_date),
            stated(a.type.value if a.type else None),
            stated(a.mode.value if a.mode else None),
            stated(a.host_country),
            ", ".join(a.beneficiaries) or "not stated",
            stated(a.title_en or a.title_zh),
        ]
        for a in items
    ]
    return headers, rows
