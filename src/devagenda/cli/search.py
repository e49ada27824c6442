"""`devagenda search QUERY` and `devagenda search reindex`: the full-text search index.

`search` is a group whose first argument is either one of its commands or the query, so
that `devagenda search women` and `devagenda search reindex` both read naturally; a query
that is literally a command name goes after `query` (`devagenda search query reindex`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

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
    validated,
)

if TYPE_CHECKING:
    from click import Context


class QueryOrCommand(TyperGroup):
    """A first argument that names no command is the query of `search query`."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["query", *args]
        return super().parse_args(ctx, args)


app = typer.Typer()
search_app = typer.Typer(
    cls=QueryOrCommand,
    help="The full-text search index.",
    no_args_is_help=True,
)
app.add_typer(search_app, name="search")


@search_app.command("query")
def search_query(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(
            help='Words to find: "phrases", prefix*, OR, NOT word, -word.',
            metavar="QUERY...",
        ),
    ],
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help="Only this kind (repeatable).")
    ] = None,
    status: Annotated[str | None, typer.Option(help="Project or country status.")] = None,
    cluster: Annotated[str | None, typer.Option(help="Recommendation cluster letter.")] = None,
    sector: Annotated[str | None, typer.Option(help="Sector code.")] = None,
    country: Annotated[str | None, typer.Option(help="Names this country (alpha-3).")] = None,
    year: Annotated[int | None, typer.Option(help="Year.")] = None,
    language: Annotated[str | None, typer.Option(help="Only entries in this language.")] = None,
    lang: Annotated[
        str, typer.Option(help="Titles in this language where a record has it.")
    ] = "en",
    limit: Annotated[int, typer.Option(help="Hits to show (1-100).")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Search every record: best first, each record once, with facet counts."""
    from devagenda.search.params import SearchFilter
    from devagenda.search.segment import prefer_lookups
    from devagenda.search.services import search_with

    filters = validated(
        SearchFilter,
        {"kinds": kind, "status": status, "cluster": cluster, "sector": sector}
        | {"country": country, "year": year, "language": language},
    )
    prefer_lookups()  # this process segments only the query and a few names
    results = read_only(
        ctx,
        lambda reader: search_with(
            reader,
            " ".join(query),
            **filters.as_options(),
            display_language=lang,
            limit=limit,
            keep_sets=False,  # one search: reading the id sets would cost more than it saves
        ),
    )
    if as_json:
        emit_json(results)
        return
    _print(results)


def _print(results: Any) -> None:
    from html import unescape
    from re import sub

    for notice in results.notices:
        errors.print(f"note: {notice.message}" + (f" ({notice.subject})" if notice.subject else ""))
    console.print(f"{counted(results.total, 'record')} found")
    if results.hits:
        print_table(
            ("kind", "title", "url", "text"),
            [
                (hit.kind, hit.title, hit.url, unescape(sub(r"</?mark>", "", hit.snippet)))
                for hit in results.hits
            ],
        )
    elif results.total_without_filters:
        console.print(f"without the filters: {counted(results.total_without_filters, 'record')}")
    for suggestion in results.suggestions:
        console.print(f"try: {suggestion.query} ({counted(suggestion.total, 'record')})")


@search_app.command("reindex")
def search_reindex(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Rebuild the search index from the database (after bulk changes made outside
    devagenda's services)."""
    from devagenda.bootstrap import ensure_initialized
    from devagenda.search.sync import rebuild_index

    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
        with context.transaction() as session:
            entries = rebuild_index(session)
    if as_json:
        emit_json({"entries": entries})
        return
    console.print(f"Indexed {counted(entries, 'entry', 'entries')}")
