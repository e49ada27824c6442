"""`devagenda demo ...`: made-up data at any scale, to try and measure the databases."""

from __future__ import annotations

from typing import Annotated

import typer

from devagenda.cli import JsonOption, console, context_of, counted, emit_json, user_errors

app = typer.Typer()
_NOUNS = {"activities": ("activity", "activities"), "consultants": ("consultant", "consultants")}
demo_app = typer.Typer(
    help="Demo data: generate realistic made-up records, remove them again.",
    no_args_is_help=True,
)
app.add_typer(demo_app, name="demo")


@demo_app.command("generate")
def demo_generate(
    ctx: typer.Context,
    activities: Annotated[
        int, typer.Option("--activities", metavar="N", min=0, help="Demo activities to make.")
    ] = 1000,
    consultants: Annotated[
        int,
        typer.Option(
            "--consultants", metavar="M", min=0, help="Demo consultants to make (roster area)."
        ),
    ] = 0,
    seed: Annotated[
        int, typer.Option("--seed", metavar="S", help="The same seed, the same rows.")
    ] = 1,
    as_json: JsonOption = False,
) -> None:
    """Write demo records, flagged as demo data and coded DEMO-..., all in one transaction.

    Refused when the database already holds demo data: `devagenda demo remove` first.
    """
    from devagenda.bootstrap import ensure_initialized
    from devagenda.cli.progress import counting
    from devagenda.demo.services import generate

    counts = {"activities": activities}
    if consultants:
        counts["consultants"] = consultants
    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
        with counting(enabled=not as_json) as start, context.transaction() as session:
            result = generate(
                session, counts, seed, started=lambda name, total: start(f"demo {name}", total)
            )
    if as_json:
        emit_json({"seed": seed, "written": result.rows, "tables": result.tables})
        return
    made = ", ".join(counted(n, *_NOUNS[name]) for name, n in result.rows.items())
    console.print(f"Generated {made} (seed {seed}), flagged as demo data.")


@demo_app.command("remove")
def demo_remove(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Delete every demo record, and nothing else, in one transaction (one change-log entry)."""
    from devagenda.bootstrap import ensure_initialized
    from devagenda.demo.services import remove

    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
        with context.transaction() as session:
            result = remove(session)
    if as_json:
        emit_json({"removed": result.rows, "tables": result.tables})
        return
    gone = ", ".join(counted(n, *_NOUNS[name]) for name, n in result.rows.items())
    console.print(f"Removed {gone} of demo data.")
