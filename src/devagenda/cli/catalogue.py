"""`devagenda catalogue ...`: load project facts from WIPO's catalogue or CDIP documents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from devagenda.cli import (
    JsonOption,
    console,
    context_of,
    counted,
    emit_json,
    errors,
    user_errors,
)
from devagenda.cli.failures import ReplaceOption, import_asking
from devagenda.cli.templates import ForceOption, OutOption, write_template

if TYPE_CHECKING:
    from typing import Any

    from devagenda.core.imports import ImportRefused, ImportResult

app = typer.Typer()
catalogue_app = typer.Typer(
    help="Project facts from WIPO's DA catalogue or CDIP documents: import, template.",
    no_args_is_help=True,
)
app.add_typer(catalogue_app, name="catalogue")

_FACT_NAMES = {
    "recommendation_links": ("recommendation link", None),
    "proposers": ("proposer", None),
    "beneficiaries": ("beneficiary", "beneficiaries"),
    "outputs": ("output", None),
    "code": ("catalogue code", None),
    "approved_session": ("approving session", None),
    "sector": ("sector", None),
    "start_date": ("start date", None),
    "end_date": ("end date", None),
    "budget_chf": ("budget", None),
}


@catalogue_app.command("import")
def catalogue_import(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A .csv or .xlsx file laid out as the template.")
    ],
    replace: ReplaceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Load project facts from a CSV or XLSX file, all or nothing.

    Facts: catalogue code, recommendations, approving session, dates, sector, proposers,
    beneficiaries, budget and outputs. Every row names its source (a document symbol or
    a URL) and finds its project by catalogue code or title; a code such as
    DA_1_10_12_40 also states the recommendations it names. If any row is bad, nothing
    is stored and every bad row is listed with its row, column and reason. A row that
    would change what is stored is refused unless --replace is given (on a terminal you
    are asked). `devagenda catalogue template` writes an empty file with every column.
    """
    from devagenda.bootstrap import ensure_initialized
    from devagenda.catalogue.coverage import project_coverage
    from devagenda.catalogue.services import import_catalogue
    from devagenda.core.imports import ImportRefused

    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)

        def run(replacing: bool) -> tuple[ImportResult, Any]:
            with context.transaction() as session:
                imported = import_catalogue(session, file, replace=replacing)
                return imported, project_coverage(session).recommendations

        try:
            result, links = import_asking(run, replace=replace, as_json=as_json)
        except ImportRefused as refused:
            _refused(refused, as_json)
    if as_json:
        emit_json(
            {
                "file": str(file),
                "rows": result.rows,
                "facts": result.facts,
                "links": links.model_dump(),
            }
        )
        return
    facts = [
        counted(result.facts[name], *_FACT_NAMES[name])
        for name in _FACT_NAMES
        if result.facts.get(name)
    ]
    console.print(
        f"Imported {counted(result.rows, 'row')} from {file}"
        + (f": {', '.join(facts)}." if facts else ".")
    )
    console.print(f"Recommendation links are known for {links.known} of {links.total} projects.")


def _refused(refused: ImportRefused, as_json: bool) -> NoReturn:
    """Every problem of the file: one line each on a terminal, a list under --json."""
    if as_json:
        emit_json(
            {
                "error": str(refused),
                "file": refused.path,
                "problems": [
                    {"row": p.row, "column": p.column, "reason": p.reason} for p in refused.problems
                ],
            }
        )
    else:
        from rich.markup import escape

        count = counted(len(refused.problems), "problem")
        errors.print(f"[bold red]error:[/] {escape(str(refused.path))}: {count}, nothing stored")
        for line in refused.lines():
            errors.print(f"  {escape(line)}")
    raise typer.Exit(2)


@catalogue_app.command("template")
def catalogue_template(
    out: OutOption, force: ForceOption = False, as_json: JsonOption = False
) -> None:
    """Write an empty catalogue import file, CSV or XLSX by the extension of FILE.

    The XLSX template has a second sheet that explains each column."""
    from devagenda.catalogue.importers import CATALOGUE_SPEC
    from devagenda.catalogue.services import catalogue_template as template_bytes

    write_template(
        out,
        template_bytes,
        [column.name for column in CATALOGUE_SPEC.columns],
        force=force,
        as_json=as_json,
    )
