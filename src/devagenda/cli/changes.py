"""`devagenda changes list|show|revert`: the change log, as /api/changes shows it.

The command line acts as the operator (`devagenda.cli.operator_actor`): an administrator
named after the user running it, one request id per run, so that the entries of one
command are found together.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

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
from devagenda.core.changelog import ChangeAction

if TYPE_CHECKING:
    from devagenda.changes.schemas import ChangeOut, FieldChange

app = typer.Typer()
changes_app = typer.Typer(
    help="The change log: list, show and revert changes.", no_args_is_help=True
)
app.add_typer(changes_app, name="changes")


def _described(field: str) -> str:
    from devagenda.changes.schemas import ChangeFilter

    return ChangeFilter.model_fields[field].description or ""


@changes_app.command("list")
def changes_list(
    ctx: typer.Context,
    user: Annotated[int | None, typer.Option(help=_described("user"))] = None,
    actor: Annotated[str | None, typer.Option(help=_described("actor"))] = None,
    record_type: Annotated[str | None, typer.Option(help=_described("record_type"))] = None,
    record: Annotated[str | None, typer.Option(help=_described("record"))] = None,
    since: Annotated[str | None, typer.Option(help=_described("since"))] = None,
    until: Annotated[str | None, typer.Option(help=_described("until"))] = None,
    action: Annotated[ChangeAction | None, typer.Option(help=_described("action"))] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List the change log's entries matching every given filter, oldest first."""
    from devagenda.bootstrap import ensure_initialized
    from devagenda.changes.schemas import ChangeFilter, ChangeOut
    from devagenda.changes.services import change_listing

    if as_json and as_csv:
        errors.print("error: --json and --csv exclude each other: choose one", markup=False)
        raise typer.Exit(2)
    filters = validated(
        ChangeFilter,
        {
            "user": user,
            "actor": actor,
            "record_type": record_type,
            "record": record,
            "since": since,
            "until": until,
            "action": action,
        },
    )
    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
        with context.transaction() as session:
            items = list(change_listing(session, filters).all())
    if as_json:
        emit_json(items)
    elif as_csv:
        emit_csv(ChangeOut, items)
    else:
        headers = ("id", "when (UTC)", "actor", "action", "record", "changed", "message")
        print_table(headers, [_row(item) for item in items])
        console.print(counted(len(items), "change"))


def _row(item: ChangeOut) -> tuple[str, ...]:
    return (
        str(item.id),
        _when(item.changed_at),
        item.actor,
        item.action.value,
        f"{item.record_type} {item.record_key}",
        ", ".join(item.changed_fields) or "nothing",
        stated(item.message),
    )


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@changes_app.command("show")
def changes_show(
    ctx: typer.Context,
    change_id: Annotated[int, typer.Argument(metavar="ID", help="The entry's id.")],
    as_json: JsonOption = False,
) -> None:
    """Show one entry with its field-by-field diff (old → new)."""
    from devagenda.bootstrap import ensure_initialized
    from devagenda.changes.services import get_change

    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
        with context.transaction() as session:
            detail = get_change(session, change_id)
    if as_json:
        emit_json(detail)
        return
    console.print(
        f"change {detail.id}: {detail.action.value} {detail.record_type} {detail.record_key}"
        f" by {detail.actor} at {_when(detail.changed_at)} UTC",
        markup=False,
    )
    if detail.parent_type:
        console.print(f"part of {detail.parent_type} {detail.parent_key}", markup=False)
    if detail.message:
        console.print(f"message: {detail.message}", markup=False)
    if detail.reverts_id:
        console.print(f"reverts change {detail.reverts_id}", markup=False)
    if detail.reverted_by:
        console.print(f"reverted by {', '.join(map(str, detail.reverted_by))}", markup=False)
    print_table(("field", "old", "new"), [_diff_row(change) for change in detail.diff])


def _diff_row(change: FieldChange) -> tuple[str, str, str]:
    return (
        change.field,
        change.old_text or _value(change.old),
        change.new_text or _value(change.new),
    )


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key} {count}" for key, count in value.items())
    return "—" if value is None else str(value)


@changes_app.command("revert")
def changes_revert(
    ctx: typer.Context,
    change_id: Annotated[int, typer.Argument(metavar="ID", help="The entry to undo.")],
    message: Annotated[
        str | None, typer.Option(help="Why; logged with the revert (default: 'revert of N').")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Revert even though the record changed since.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Bring a record back to its state before a change; the revert is logged too."""
    from devagenda.bootstrap import ensure_initialized
    from devagenda.changes.services import revert

    context = context_of(ctx)
    with user_errors():
        ensure_initialized(context)
        with context.transaction() as session:
            written = revert(session, change_id, message, force=force)
    if as_json:
        emit_json(written)
        return
    if not written:
        console.print(f"change {change_id} needed no revert: its record is already so")
        return
    print_table(
        ("id", "when (UTC)", "actor", "action", "record", "changed", "message"),
        [_row(item) for item in written],
    )
    console.print(
        f"reverted change {change_id}: {counted(len(written), 'new entry', 'new entries')}"
    )
