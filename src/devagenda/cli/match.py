"""`devagenda match ...`: the matchmaking database (WIPO Match, WIPO GREEN): import,
template, list and export needs and offers, print the suggestions for one of them, and
record interest and moves."""

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

app = typer.Typer()
match_app = typer.Typer(
    help="Matchmaking (WIPO Match, WIPO GREEN): import, list and export, suggest.",
    no_args_is_help=True,
)
app.add_typer(match_app, name="match")

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.orm import Session

    from devagenda.core.imports import ImportResult
    from devagenda.match.schemas import PostSummary


@match_app.command("import")
def match_import(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="CSV or XLSX files with the import columns."),
    ],
    replace: ReplaceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Load needs and offers, all of them or nothing.

    A row's `key` names its post: a new key is created; a row that would change a stored
    post is refused, naming what it would replace, unless --replace is given (on a
    terminal you are asked). Countries
    (ISO alpha-2, separated by |), languages and IP fields are checked against the
    knowledge base. If any row is bad, nothing is stored and every problem is listed.
    """
    from devagenda.bootstrap import ensure_initialized
    from devagenda.match.services import MatchImportRefused, import_posts

    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)

        def run(replacing: bool) -> list[ImportResult]:
            with context.transaction() as session:
                return import_posts(session, files, replace=replacing)

        try:
            results = import_asking(run, replace=replace, as_json=as_json)
        except MatchImportRefused as refused:
            print_refusal(refused, as_json)
    if as_json:
        emit_json([{"file": r.file, "rows": r.rows, "facts": r.facts} for r in results])
        return
    for result in results:
        console.print(
            f"Imported {counted(result.rows, 'need or offer', 'needs and offers')} "
            f"from {result.file}."
        )


@match_app.command("template")
def match_template(out: OutOption, force: ForceOption = False, as_json: JsonOption = False) -> None:
    """Write an empty needs-and-offers import file, CSV or XLSX by the extension of FILE."""
    from devagenda.match.importers import POST_SPEC
    from devagenda.match.services import posts_template

    columns = [column.name for column in POST_SPEC.columns]
    write_template(out, posts_template, columns, force=force, as_json=as_json)


FacetOption = Annotated[
    str | None, typer.Option(help="A value of the list's facet; none: not stated.")
]


@match_app.command("list")
def match_list(
    ctx: typer.Context,
    side: Annotated[str, typer.Argument(metavar="needs|offers", help="Which side to list.")],
    support: FacetOption = None,
    green_category: FacetOption = None,
    owner_type: FacetOption = None,
    country: FacetOption = None,
    ip_field: FacetOption = None,
    language: FacetOption = None,
    q: Annotated[
        str | None, typer.Option("--q", help="Text in a title, description or owner.")
    ] = None,
    sort: Annotated[str | None, typer.Option(help="key or valid_until; -name descends.")] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List the needs or offers matching every given filter, as /api/match/needs and
    /api/match/offers do (and their `format=json` or `format=csv` with --json or --csv)."""
    from devagenda.cli.lists import print_list
    from devagenda.core.errors import InputError
    from devagenda.core.listing import Selection, facet_selection
    from devagenda.match.models import Side
    from devagenda.match.schemas import PostFilter, PostSummary
    from devagenda.match.services import post_source

    sides = {"needs": Side.NEED, "offers": Side.OFFER}
    with user_errors():
        if side not in sides:
            raise InputError(f"{side!r} is not a side: list needs or offers", field="side")
    chosen_side = sides[side]
    filters = validated(
        PostFilter,
        {
            "support": support,
            "green_category": green_category,
            "owner_type": owner_type,
            "country": country,
            "ip_field": ip_field,
            "language": language,
        },
    )

    def rows(session: Session) -> Iterator[PostSummary]:
        service_filters, chosen = facet_selection(filters, post_source(session, chosen_side).facets)
        source = post_source(session, chosen_side, service_filters)  # type: ignore[arg-type]
        return source.all(Selection(q=q, facets=chosen, sort=sort or ""))

    print_list(
        ctx,
        rows,
        PostSummary,
        as_json=as_json,
        as_csv=as_csv,
        table=_post_table,
        noun=(chosen_side.value, f"{chosen_side.value}s"),
    )


def _post_table(items: list[PostSummary]) -> tuple[list[str], list[list[str]]]:
    headers = ["key", "owner", "support", "countries", "valid until", "title"]
    rows = [
        [
            p.key,
            p.owner,
            stated(p.support.value if p.support else None),
            ", ".join(p.countries) or "not stated",
            stated(p.valid_until),
            stated(p.title_en or p.title_zh),
        ]
        for p in items
    ]
    return headers, rows


@match_app.command("suggest")
def match_suggest(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The key of a need or an offer.")],
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many to show.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """The best posts of the other side for KEY, best first, each with its reasons."""
    from dataclasses import asdict

    from rich.markup import escape

    from devagenda.match.suggestions import suggest

    context = context_of(ctx)
    with user_errors(), context.transaction() as session:
        found = suggest(session, key, limit=limit)
    if as_json:
        emit_json({"key": key, "suggestions": [asdict(s) for s in found]})
        return
    if not found:
        console.print(f"No suggestions for {key}: no post of the other side meets its constraints.")
        return

    for rank, item in enumerate(found, start=1):
        title = item.title_en or item.title_zh or ""
        console.print(f"{rank}. {escape(item.key)}  {item.score:.3f}  {escape(title)}")
        reasons = item.reasons
        if reasons.shared_fields:
            console.print("   shared IP fields: " + escape(", ".join(reasons.shared_fields)))
        if reasons.matching_terms:
            console.print("   matching terms: " + escape(", ".join(reasons.matching_terms)))
        console.print("   constraints met: " + escape("; ".join(reasons.constraints)))


@match_app.command("interest")
def match_interest(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The post whose side is interested.")],
    other: Annotated[str, typer.Argument(help="The post of the other side.")],
    as_json: JsonOption = False,
) -> None:
    """Record that KEY's side is interested in OTHER: a connection, contacted today."""
    from devagenda.match.connections import express_interest

    context = context_of(ctx)
    with user_errors(), context.transaction() as session:
        connection = express_interest(session, key, other)
        found = {"id": connection.id, "state": connection.state.value}
    if as_json:
        emit_json(found)
        return
    console.print(f"Connection {found['id']}: {found['state']}.")


@match_app.command("move")
def match_move(
    ctx: typer.Context,
    connection_id: Annotated[int, typer.Argument(metavar="ID", help="The connection's id.")],
    state: Annotated[str, typer.Argument(help="discussion, agreement, closed or dropped.")],
    as_json: JsonOption = False,
) -> None:
    """Move a connection on to STATE, today."""
    from devagenda.core.errors import InputError
    from devagenda.match.connections import move
    from devagenda.match.models import ConnectionState

    context = context_of(ctx)
    with user_errors():
        try:
            target = ConnectionState(state)
        except ValueError:
            raise InputError(
                f"{state!r} is not a state: discussion, agreement, closed or dropped",
                field="state",
            ) from None
        with context.transaction() as session:
            moved = move(session, connection_id, target)
            found = {"id": moved.id, "state": moved.state.value}
    if as_json:
        emit_json(found)
        return
    console.print(f"Connection {found['id']}: {found['state']}.")


@match_app.command("counts")
def match_counts(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Matchmakings and connections per year, region and dataset, as the report quotes."""
    from dataclasses import asdict

    from devagenda.match.connections import connection_counts

    context = context_of(ctx)
    with user_errors(), context.transaction() as session:
        counts = connection_counts(session)
    if as_json:
        emit_json(asdict(counts))
        return
    console.print(
        f"{counts.matchmakings} matchmakings and {counts.connections} connections from a "
        f"dataset of {counts.offers} offers and {counts.needs} needs."
    )
    for name in ("year", "region", "dataset"):
        for group, row in getattr(counts, f"by_{name}").items():
            console.print(f"  {name} {group}: {row['matchmakings']} / {row['connections']}")
