"""`devagenda consultants ...`: the roster of consultants (IP-ROC): import, template,
list, show and the public aggregates.

The command line acts as the machine's operator, an administrator, who sees personal
data. `--as-role ROLE` shows what an account of a lower role would see instead (the same
rule the API and the web pages apply): e.g. check an export before publishing it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

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
from devagenda.cli.failures import ReplaceOption, import_asking, print_refusal
from devagenda.cli.templates import ForceOption, OutOption, write_template

app = typer.Typer()
consultants_app = typer.Typer(
    help="The roster of consultants (IP-ROC): import, list, show, aggregates.",
    no_args_is_help=True,
)
app.add_typer(consultants_app, name="consultants")

if TYPE_CHECKING:
    from devagenda.core.imports import ImportResult


class ViewRole(enum.StrEnum):
    ANONYMOUS = "anonymous"
    READER = "reader"
    FOCAL_POINT = "focal-point"
    EDITOR = "editor"
    ADMIN = "admin"


AsRole = Annotated[
    ViewRole | None,
    typer.Option(
        "--as-role",
        help="Show what this role sees (personal data only for editor and admin).",
    ),
]


@contextmanager
def _viewing_as(role: ViewRole | None) -> Iterator[None]:
    """The operator, capped to `role` for what follows (as a token capped to a role)."""
    from dataclasses import replace

    from devagenda.core.actor import Role, acting_as, current_actor

    if role is None:
        yield
        return
    actor = current_actor()
    with acting_as(replace(actor, role=Role(role.value), countries=frozenset())):
        yield


@consultants_app.command("import")
def consultants_import(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="CSV, XLSX or JSON files laid out as the template; told apart by content.",
        ),
    ],
    replace: ReplaceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Load consultants from files, all of them or nothing.

    A row's `code` names its consultant: a new code is created; a row that would change a
    stored consultant is refused, naming what it would replace, unless --replace is given
    (on a terminal you are asked).
    Countries, languages, IP fields and activities are checked against the knowledge
    base. Assignments are one cell: one per line, `year: countries: activity: task`. If
    any row is bad, nothing is stored and every problem of every file is listed.
    """
    from devagenda.bootstrap import ensure_initialized
    from devagenda.roster.services import ConsultantsImportRefused, import_consultants

    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)

        def run(replacing: bool) -> list[ImportResult]:
            with context.transaction() as session:
                return import_consultants(session, files, replace=replacing)

        try:
            results = import_asking(run, replace=replace, as_json=as_json)
        except ConsultantsImportRefused as refused:
            print_refusal(refused, as_json)
    if as_json:
        emit_json([{"file": r.file, "rows": r.rows, "facts": r.facts} for r in results])
        return
    for result in results:
        console.print(f"Imported {counted(result.rows, 'consultant')} from {result.file}.")


@consultants_app.command("template")
def consultants_template(
    out: OutOption, force: ForceOption = False, as_json: JsonOption = False
) -> None:
    """Write an empty consultants import file, CSV or XLSX by the extension of FILE."""
    from devagenda.roster.importers import CONSULTANT_SPEC
    from devagenda.roster.services import consultants_template as template_bytes

    write_template(
        out,
        template_bytes,
        [column.name for column in CONSULTANT_SPEC.columns],
        force=force,
        as_json=as_json,
    )


@consultants_app.command("list")
def consultants_list(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Option(help="Fuzzy name, any script.")] = None,
    gender: Annotated[str | None, typer.Option(help="Personal data: editors only.")] = None,
    nationality: Annotated[
        str | None, typer.Option(help="Alpha-3; personal data: editors only.")
    ] = None,
    language: Annotated[str | None, typer.Option(help="ISO 639-1 code.")] = None,
    ip_field: Annotated[str | None, typer.Option(help="IP field code, e.g. patents.")] = None,
    beneficiary_country: Annotated[
        str | None, typer.Option(help="Assigned for this country (alpha-3).")
    ] = None,
    assignment_year: Annotated[int | None, typer.Option(help="Assigned in this year.")] = None,
    as_role: AsRole = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List consultants matching every given filter, as /api/consultants does."""
    from devagenda.bootstrap import ensure_initialized
    from devagenda.core.listing import Selection
    from devagenda.roster import services
    from devagenda.roster.schemas import (
        ConsultantFilter,
        ConsultantPersonalSummary,
        ConsultantSummary,
    )

    if as_json and as_csv:
        errors.print("error: --json and --csv exclude each other: choose one", markup=False)
        raise typer.Exit(2)
    filters = validated(
        ConsultantFilter,
        {
            "name": name,
            "gender": gender,
            "nationality": nationality,
            "language": language,
            "ip_field": ip_field,
            "beneficiary_country": beneficiary_country,
            "assignment_year": assignment_year,
        },
    )
    context = context_of(ctx)
    with user_errors(), _viewing_as(as_role):
        ensure_initialized(context)
        with context.transaction() as session:
            source = services.consultant_source(session, filters)
            sort = "match" if "match" in source.sorts else "name"  # a name ranks by likeness
            items = list(source.all(Selection(sort=sort)))
            personal = services.personal_data_allowed()
    if as_json:
        emit_json(items)
    elif as_csv:
        emit_csv(ConsultantPersonalSummary if personal else ConsultantSummary, items)
    else:
        headers = ["id", "code", "name", "own script", "fields", "languages", "years"]
        if personal:
            headers += ["gender", "nationalities"]
        rows = []
        for c in items:
            row = [
                str(c.id),
                stated(c.code),
                c.name_latin + (" (demo)" if c.demo else ""),
                stated(c.name_own),
                ", ".join(c.ip_fields) or "none recorded",
                ", ".join(c.languages) or "none recorded",
                ", ".join(map(str, c.assignment_years)) or "none recorded",
            ]
            if isinstance(c, ConsultantPersonalSummary):
                row += [
                    stated(c.gender.value if c.gender else None),
                    ", ".join(c.nationalities) or "none recorded",
                ]
            rows.append(row)
        print_table(headers, rows)
        console.print(counted(len(items), "consultant"))


@consultants_app.command("show")
def consultants_show(
    ctx: typer.Context,
    consultant_id: Annotated[int, typer.Argument(metavar="ID", min=1)],
    as_role: AsRole = None,
    as_json: JsonOption = False,
) -> None:
    """One consultant with their assignments, as /api/consultants/ID shows it."""
    from devagenda.bootstrap import ensure_initialized
    from devagenda.roster.schemas import ConsultantPersonalOut
    from devagenda.roster.services import get_consultant

    context = context_of(ctx)
    with user_errors(), _viewing_as(as_role):
        ensure_initialized(context)
        with context.transaction() as session:
            found = get_consultant(session, consultant_id)
    if as_json:
        emit_json(found)
        return
    lines = [
        ("code", stated(found.code)),
        ("name", found.name_latin),
        ("own script", stated(found.name_own)),
        ("demo data", "yes" if found.demo else "no"),
        ("IP fields", ", ".join(found.ip_fields) or "none recorded"),
        ("languages", ", ".join(found.languages) or "none recorded"),
    ]
    if isinstance(found, ConsultantPersonalOut):
        lines += [
            ("gender", stated(found.gender.value if found.gender else None)),
            ("nationalities", ", ".join(found.nationalities) or "none recorded"),
            ("e-mail", stated(found.email)),
            ("phone", stated(found.phone)),
            ("address", stated(found.address)),
        ]
    print_table(("field", "value"), lines)
    rows = [
        (
            stated(a.year),
            ", ".join(a.countries) or "none recorded",
            stated(a.activity_code or a.activity_id),
            stated(a.task),
        )
        for a in found.assignments
    ]
    print_table(("year", "countries", "activity", "task"), rows, title="Assignments")


@consultants_app.command("aggregates")
def consultants_aggregates(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option(help="Only consultants assigned in this year.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Consultants by gender, region of nationality and IP field, small cells suppressed
    (the public counts of /api/consultants/aggregates)."""
    from devagenda.bootstrap import ensure_initialized
    from devagenda.roster.services import consultant_aggregates

    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
        with context.transaction() as session:
            found = consultant_aggregates(session, year)
    if as_json:
        emit_json(found)
        return
    for title, cells in (
        ("gender", found.by_gender),
        ("region of nationality", found.by_region),
        ("IP field", found.by_ip_field),
    ):
        rows = [(c.value, "fewer than 5" if c.suppressed else str(c.count)) for c in cells]
        print_table((title, "consultants"), rows)
    figures = [
        (str(y.year), str(y.consultants), str(y.assignments)) for y in found.with_assignments.years
    ]
    print_table(("year", "consultants with assignments", "assignment records"), figures)
    undated = found.with_assignments.assignments_year_not_stated
    console.print(
        f"{counted(found.consultants, 'consultant')} counted; "
        f"{counted(undated, 'assignment')} state no year. {found.rule}"
    )
