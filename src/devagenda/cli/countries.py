"""`devagenda countries ...`: resolve names, list the table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from devagenda.cli import (
    JsonOption,
    console,
    context_of,
    counted,
    emit_json,
    errors,
    print_table,
    read_only,
    user_errors,
)
from devagenda.reference.codes import DevelopmentStatus, WipoRegion

if TYPE_CHECKING:
    from devagenda.reference.resolution import Resolution

app = typer.Typer()
countries_app = typer.Typer(help="Countries: resolve names, list the table.", no_args_is_help=True)
app.add_typer(countries_app, name="countries")


@countries_app.command("resolve")
def countries_resolve(
    ctx: typer.Context,
    names: Annotated[list[str], typer.Argument(help="Names or aliases, Chinese or English.")],
    limit: Annotated[int, typer.Option(help="Candidates to show for an unknown name.")] = 5,
    as_json: JsonOption = False,
) -> None:
    """Resolve country (or group) names; exit status 1 if any name is unknown."""
    from devagenda.reference.resolution import resolve_names

    resolutions = read_only(ctx, lambda reader: resolve_names(reader, names, limit=limit))
    if as_json:
        emit_json(resolutions)
    else:
        for resolution in resolutions:
            _print_resolution(resolution)
    if not all(resolution.resolved for resolution in resolutions):
        raise typer.Exit(1)


def _print_resolution(resolution: Resolution) -> None:
    from rich.markup import escape

    if resolution.country:
        c = resolution.country
        console.print(
            f"{escape(resolution.query)} → [bold]{c.alpha3}[/] {c.name_en} / {c.name_zh} "
            f"({c.wipo_region.value}, {c.development_status.value})"
        )
    elif resolution.group:
        g = resolution.group
        console.print(
            f"{escape(resolution.query)} → group [bold]{g.code}[/] {g.name_en} / {g.name_zh}"
        )
    else:
        errors.print(
            f"[bold red]error:[/] no country or group is called {escape(repr(resolution.query))}"
        )
        for candidate in resolution.candidates:
            errors.print(
                f"  did you mean {candidate.key} {candidate.name_en} / "
                f"{candidate.name_zh}? (score {candidate.score:g})",
                markup=False,
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
    from devagenda.bootstrap import ensure_initialized
    from devagenda.reference.services import list_countries

    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
        with context.transaction() as session:
            rows = list_countries(session, region=region, status=status)
    if as_json:
        emit_json(rows)
        return
    print_table(
        ("alpha3", "alpha2", "M49", "English", "中文", "region", "status"),
        [
            (
                row.alpha3,
                row.alpha2,
                row.m49,
                row.name_en,
                row.name_zh,
                row.wipo_region.value,
                row.development_status.value,
            )
            for row in rows
        ],
    )
    console.print(counted(len(rows), "country", "countries"))
