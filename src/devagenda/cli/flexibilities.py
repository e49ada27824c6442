"""`devagenda flexibilities ...`: the flexibilities database: import provisions, list the
categories and provisions, and compare them across jurisdictions or categories."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from devagenda.cli import (
    JsonOption,
    console,
    context_of,
    counted,
    emit_json,
    print_table,
    stated,
    user_errors,
)
from devagenda.cli.failures import ReplaceOption, import_asking, print_refusal
from devagenda.cli.templates import ForceOption, OutOption, write_template

app = typer.Typer()
flexibilities_app = typer.Typer(
    help="The flexibilities database: import provisions, categories, list, compare.",
    no_args_is_help=True,
)
app.add_typer(flexibilities_app, name="flexibilities")


@flexibilities_app.command("import")
def flexibilities_import(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A CSV, XLSX or JSON provisions file.")
    ],
    replace: ReplaceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Load provisions from a file, all of it or nothing.

    A row's `code` names its provision: a new code adds one; a stored code whose row
    differs is refused, naming what it would replace, unless --replace is given (on a
    terminal you are asked). Countries and categories are checked
    against the knowledge base; every bad row is listed at once.
    """
    from devagenda.core.imports import FilesRefused, ImportRefused
    from devagenda.flexibilities.services import import_provisions

    context = context_of(ctx)
    with user_errors():

        def run(replacing: bool) -> ImportResult:
            with context.transaction() as session:
                return import_provisions(session, file, replace=replacing)

        try:
            result = import_asking(run, replace=replace, as_json=as_json)
        except ImportRefused as refused:
            print_refusal(FilesRefused([refused]), as_json)
    if as_json:
        emit_json({"file": result.file, "rows": result.rows, "facts": result.facts})
        return
    console.print(f"Imported {counted(result.rows, 'provision')} from {result.file}.")


if TYPE_CHECKING:
    from devagenda.core.imports import ImportResult


@flexibilities_app.command("template")
def flexibilities_template(
    out: OutOption, force: ForceOption = False, as_json: JsonOption = False
) -> None:
    """Write an empty provisions import file, CSV or XLSX by the extension of FILE."""
    from devagenda.flexibilities.importers import provision_spec
    from devagenda.flexibilities.services import provisions_template

    write_template(
        out,
        provisions_template,
        [column.name for column in provision_spec({}).columns],
        force=force,
        as_json=as_json,
    )


@flexibilities_app.command("categories")
def flexibilities_categories(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The flexibility categories per field of IP law, in English and Chinese."""
    from devagenda.flexibilities.services import categories

    with user_errors(), context_of(ctx).transaction() as session:
        rows = [(c.field_code, c.code, c.name_en, c.name_zh) for c in categories(session)]
    if as_json:
        emit_json(
            [dict(zip(("field", "code", "name_en", "name_zh"), r, strict=True)) for r in rows]
        )
        return
    print_table(("field", "code", "English", "中文"), rows, title="Flexibility categories")


@flexibilities_app.command("list")
def flexibilities_list(
    ctx: typer.Context,
    jurisdiction: Annotated[
        str | None, typer.Option("--jurisdiction", help="ISO alpha-3 code.")
    ] = None,
    category: Annotated[str | None, typer.Option("--category", help="A category code.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The recorded provisions, with their member-state updates."""
    from devagenda.flexibilities.services import list_provisions

    with user_errors(), context_of(ctx).transaction() as session:
        found = list_provisions(session, jurisdiction=jurisdiction, category=category)
    if as_json:
        emit_json(found)
        return
    print_table(
        ("id", "jurisdiction", "category", "law", "articles", "in force", "updates"),
        [
            (
                str(p.id),
                p.jurisdiction,
                p.category,
                p.law_title,
                stated(p.articles),
                stated(p.in_force_date),
                str(len(p.member_state_updates)),
            )
            for p in found
        ],
        title=f"{counted(len(found), 'provision')}",
    )


@flexibilities_app.command("compare")
def flexibilities_compare(
    ctx: typer.Context,
    category: Annotated[
        str | None,
        typer.Option("--category", help="Compare this category across --jurisdictions."),
    ] = None,
    jurisdictions: Annotated[
        str | None,
        typer.Option("--jurisdictions", help="ISO alpha-3 codes, comma-separated."),
    ] = None,
    jurisdiction: Annotated[
        str | None,
        typer.Option("--jurisdiction", help="Compare every category of this jurisdiction."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="FILE", help="Export to FILE: .csv, .xlsx or .pdf."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the export: zh or en.")] = "en",
    as_json: JsonOption = False,
) -> None:
    """One category across chosen jurisdictions, or one jurisdiction across all
    categories; "not stated" where the database records no provision."""
    from devagenda.core.errors import InputError
    from devagenda.flexibilities.services import compare_category, compare_jurisdiction

    if out is not None:
        _export(ctx, out, lang, category, jurisdictions, jurisdiction, as_json)
        return
    with user_errors():
        if jurisdiction is not None and category is None:
            with context_of(ctx).transaction() as session:
                rows = compare_jurisdiction(session, jurisdiction)
        elif category is not None and jurisdictions and jurisdiction is None:
            codes = [code.strip() for code in jurisdictions.split(",") if code.strip()]
            with context_of(ctx).transaction() as session:
                rows = compare_category(session, category, codes)
        else:
            raise InputError(
                "give --category with --jurisdictions, or --jurisdiction alone",
                field="--category",
            )
    if as_json:
        emit_json([row.model_dump(mode="json") | {"stated": row.stated} for row in rows])
        return
    print_table(
        ("jurisdiction", "category", "law", "articles", "text"),
        [
            (row.jurisdiction, row.category, "not stated", "", "")
            if not row.stated
            else (
                row.jurisdiction,
                row.category,
                "; ".join(p.law_title for p in row.provisions),
                "; ".join(stated(p.articles) for p in row.provisions),
                "; ".join(next(iter(p.texts.values()), "not stated") for p in row.provisions),
            )
            for row in rows
        ],
        show_lines=True,
    )


def _export(
    ctx: typer.Context,
    out: Path,
    lang: str,
    category: str | None,
    jurisdictions: str | None,
    jurisdiction: str | None,
    as_json: bool,
) -> None:
    from devagenda.core.errors import InputError
    from devagenda.flexibilities.services import export_comparison

    codes = [code.strip() for code in (jurisdictions or "").split(",") if code.strip()]
    with user_errors():
        kind = out.suffix.lower().lstrip(".")
        if kind not in ("csv", "xlsx", "pdf"):
            raise InputError("export to a .csv, .xlsx or .pdf file", path=str(out))
        with context_of(ctx).transaction() as session:
            data = export_comparison(
                session,
                kind,
                lang,
                category=category,
                jurisdictions=codes,
                jurisdiction=jurisdiction,
            )
        try:
            out.write_bytes(data)
        except OSError as error:
            raise InputError(f"cannot write: {error.strerror}", path=str(out)) from None
    if as_json:
        emit_json({"file": str(out), "format": kind, "bytes": len(data)})
        return
    console.print(f"Wrote {out} ({kind.upper()}).")
