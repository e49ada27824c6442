"""`devagenda projects list`, `recommendations list`, `sessions list`: what the API lists.

Each takes the filters of its API list (checked by the same filter model, served by the
same catalogue service) and prints a table, `--json` (the API's `format=json`) or
`--csv` (the API's `format=csv`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from devagenda.catalogue.models import ProjectStatus
from devagenda.catalogue.schemas import (
    ProjectFilter,
    ProjectSummary,
    RecommendationFilter,
    RecommendationOut,
    SessionOut,
)
from devagenda.cli import (
    CsvOption,
    JsonOption,
    console,
    context_of,
    counted,
    emit_csv,
    emit_json,
    errors,
    print_table,
    stated,
    user_errors,
    validated,
)
from devagenda.reference.models import WipoRegion

if TYPE_CHECKING:
    from pydantic import BaseModel


app = typer.Typer()
projects_app = typer.Typer(
    help="Development Agenda projects: list and export.", no_args_is_help=True
)
recommendations_app = typer.Typer(
    help="The 45 recommendations: list and export.", no_args_is_help=True
)
sessions_app = typer.Typer(help="CDIP sessions: list and export.", no_args_is_help=True)
app.add_typer(projects_app, name="projects")
app.add_typer(recommendations_app, name="recommendations")
app.add_typer(sessions_app, name="sessions")


def _described(model: type[BaseModel], field: str) -> str:
    """An option's help is its API parameter's description: written once, in the model."""
    return model.model_fields[field].description or ""


def print_list(
    ctx: typer.Context,
    rows_of: Callable[[Any], Iterable[Any]],
    model: type[BaseModel],
    *,
    as_json: bool,
    as_csv: bool,
    table: Callable[[list[Any]], tuple[Sequence[str], list[Sequence[str]]]],
    noun: tuple[str, str],
) -> None:
    """Read the whole list in one transaction and print it the way that was asked for
    (also for `devagenda activities list`)."""
    from devagenda.bootstrap import ensure_initialized

    if as_json and as_csv:
        errors.print("error: --json and --csv exclude each other: choose one", markup=False)
        raise typer.Exit(2)
    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
        with context.transaction() as session:
            items = list(rows_of(session))
    if as_json:
        emit_json(items)
    elif as_csv:
        emit_csv(model, items)
    else:
        headers, rows = table(items)
        print_table(headers, rows)
        console.print(counted(len(items), *noun))


@projects_app.command("list")
def projects_list(
    ctx: typer.Context,
    status: Annotated[
        ProjectStatus | None, typer.Option(help=_described(ProjectFilter, "status"))
    ] = None,
    recommendation: Annotated[
        int | None, typer.Option(help=_described(ProjectFilter, "recommendation"))
    ] = None,
    cluster: Annotated[str | None, typer.Option(help=_described(ProjectFilter, "cluster"))] = None,
    expected_result: Annotated[
        str | None, typer.Option(help=_described(ProjectFilter, "expected_result"))
    ] = None,
    sector: Annotated[str | None, typer.Option(help=_described(ProjectFilter, "sector"))] = None,
    proposer: Annotated[
        str | None, typer.Option(help=_described(ProjectFilter, "proposer"))
    ] = None,
    beneficiary: Annotated[
        str | None, typer.Option(help=_described(ProjectFilter, "beneficiary"))
    ] = None,
    region: Annotated[
        WipoRegion | None, typer.Option(help=_described(ProjectFilter, "region"))
    ] = None,
    session: Annotated[int | None, typer.Option(help=_described(ProjectFilter, "session"))] = None,
    year: Annotated[int | None, typer.Option(help=_described(ProjectFilter, "year"))] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List projects matching every given filter, as /api/projects does."""
    from devagenda.catalogue.services import project_listing

    filters = validated(
        ProjectFilter,
        {
            "status": status,
            "recommendation": recommendation,
            "cluster": cluster,
            "expected_result": expected_result,
            "sector": sector,
            "proposer": proposer,
            "beneficiary": beneficiary,
            "region": region,
            "session": session,
            "year": year,
        },
    )
    print_list(
        ctx,
        lambda db: project_listing(db, filters).all(),
        ProjectSummary,
        as_json=as_json,
        as_csv=as_csv,
        table=_project_table,
        noun=("project", "projects"),
    )


def _project_table(items: list[ProjectSummary]) -> tuple[Sequence[str], list[Sequence[str]]]:
    headers = ("id", "code", "phase", "status", "session", "recommendations", "English", "中文")
    rows = [
        (
            str(p.id),
            stated(p.code),
            str(p.phase),
            p.status.value,
            stated(p.approved_session),
            ", ".join(map(str, p.recommendations)) or "none recorded",
            stated(p.title_en),
            stated(p.title_zh),
        )
        for p in items
    ]
    return headers, rows


@recommendations_app.command("list")
def recommendations_list(
    ctx: typer.Context,
    cluster: Annotated[
        str | None, typer.Option(help=_described(RecommendationFilter, "cluster"))
    ] = None,
    immediate: Annotated[
        bool | None,
        typer.Option(
            "--immediate/--not-immediate", help=_described(RecommendationFilter, "immediate")
        ),
    ] = None,
    expected_result: Annotated[
        str | None, typer.Option(help=_described(RecommendationFilter, "expected_result"))
    ] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List the recommendations matching every given filter, as /api/recommendations
    does."""
    from devagenda.catalogue.services import recommendation_listing

    filters = validated(
        RecommendationFilter,
        {"cluster": cluster, "immediate": immediate, "expected_result": expected_result},
    )
    print_list(
        ctx,
        lambda db: recommendation_listing(db, filters).all(),
        RecommendationOut,
        as_json=as_json,
        as_csv=as_csv,
        table=_recommendation_table,
        noun=("recommendation", "recommendations"),
    )


def _recommendation_table(
    items: list[RecommendationOut],
) -> tuple[Sequence[str], list[Sequence[str]]]:
    headers = ("number", "cluster", "immediate", "expected results", "projects", "English")
    rows = [
        (
            str(r.number),
            r.cluster.letter,
            "yes" if r.immediate else "no",
            ", ".join(result.code for result in r.expected_results) or "none recorded",
            str(len(r.projects)),
            stated(r.text_en),
        )
        for r in items
    ]
    return headers, rows


@sessions_app.command("list")
def sessions_list(
    ctx: typer.Context, as_json: JsonOption = False, as_csv: CsvOption = False
) -> None:
    """List the CDIP sessions the knowledge base knows, as /api/sessions does."""
    from devagenda.catalogue.services import cdip_session_listing

    print_list(
        ctx,
        lambda db: cdip_session_listing(db).all(),
        SessionOut,
        as_json=as_json,
        as_csv=as_csv,
        table=_session_table,
        noun=("session", "sessions"),
    )


def _session_table(items: list[SessionOut]) -> tuple[Sequence[str], list[Sequence[str]]]:
    headers = ("number", "start", "end", "format", "documents", "projects approved")
    rows = [
        (
            str(s.number),
            stated(s.start_date),
            stated(s.end_date),
            stated(s.format.value if s.format else None),
            str(len(s.documents)),
            str(len(s.projects_approved)),
        )
        for s in items
    ]
    return headers, rows
