"""Reading the change log, a record's history, checked edits and reverts: the services the
API, the web UI and the CLI call."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, inspect, or_, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from devagenda.accounts.permissions import Action, allowed, authorize
from devagenda.changes.schemas import ChangeDetail, ChangeFilter, ChangeOut, FieldChange
from devagenda.core.changelog import (
    ChangeAction,
    ChangeEntry,
    change_message,
    current_transaction,
    from_json,
    key_parts,
    key_text,
    logged_columns,
    logged_models,
    personal_fields,
    record_type_of,
    reverting,
    state_of,
)
from devagenda.core.errors import EditConflict, InputError, NotFoundError
from devagenda.core.models import SourceLocation
from devagenda.core.pagination import Listing, text_in


def change_listing(session: Session, filters: ChangeFilter | None = None) -> Listing[ChangeOut]:
    """Every entry that `filters` selects, oldest first. Who made a change is personal
    data (an e-mail address): only editors and above may filter or search by it."""
    filters = filters or ChangeFilter()
    personal = allowed(Action.READ_PERSONAL)
    if filters.actor is not None and not personal:
        authorize(Action.READ_PERSONAL)
    query = select(ChangeEntry).where(*_clauses(filters))
    return Listing(
        session, query, ChangeEntry.id, _entries_out, text=_TEXT if personal else _PUBLIC_TEXT
    )


# What `q` matches: the message, the actor and the record's key (not the actor for those
# who may not see it).
_TEXT = text_in(ChangeEntry.message, ChangeEntry.actor, ChangeEntry.record_key)
_PUBLIC_TEXT = text_in(ChangeEntry.message, ChangeEntry.record_key)


def _clauses(filters: ChangeFilter) -> Iterator[ColumnElement[bool]]:
    if filters.user is not None:
        yield ChangeEntry.user_id == filters.user
    if filters.actor is not None:
        yield ChangeEntry.actor == filters.actor
    if filters.record_type is not None:
        yield ChangeEntry.record_type == filters.record_type
    if filters.record is not None:
        yield ChangeEntry.record_key == filters.record
    if filters.action is not None:
        yield ChangeEntry.action == filters.action
    if filters.request is not None:
        yield ChangeEntry.request_id == filters.request
    if filters.since is not None:
        yield ChangeEntry.changed_at >= _moment(filters.since)
    if filters.until is not None:
        if isinstance(filters.until, datetime):
            yield ChangeEntry.changed_at <= _moment(filters.until)
        elif filters.until < date.max:  # a date: up to the end of that day
            yield ChangeEntry.changed_at < _moment(filters.until + timedelta(days=1))


def _moment(value: date | datetime) -> datetime:
    """A filter's time in UTC, as entries are stored (SQLite keeps no zone: compare like
    with like)."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), tzinfo=UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:  # beyond the calendar once moved to UTC: the nearest end of it
        return (
            datetime.max.replace(tzinfo=UTC) if value.year > 1 else datetime.min.replace(tzinfo=UTC)
        )


def _entries_out(session: Session, entries: Sequence[ChangeEntry]) -> list[ChangeOut]:
    personal = allowed(Action.READ_PERSONAL)
    return [_entry_out(entry, personal) for entry in entries]


def _entry_out(entry: ChangeEntry, personal: bool) -> ChangeOut:
    """An entry as the current actor may see it: who made it is personal data, shown to
    editors and above; others see the role and the account's number, which keep every
    change attributable without the person's address. The values of a record's personal
    fields (a consultant's gender, nationalities, contact details) are withheld from
    them too: the entry still says that such a field changed, not from what to what."""
    out = ChangeOut.model_validate(entry, from_attributes=True)
    if personal:
        return out
    hidden = personal_fields(entry.record_type)
    return out.model_copy(
        update={
            "actor": public_actor(entry),
            "request_id": None,
            "before": _withheld(out.before, hidden),
            "after": _withheld(out.after, hidden),
        }
    )


WITHHELD = "(personal data, withheld)"


def _withheld(state: dict[str, Any] | None, hidden: frozenset[str]) -> dict[str, Any] | None:
    if state is None or not hidden:
        return state
    return {k: WITHHELD if k in hidden and v is not None else v for k, v in state.items()}


def public_actor(entry: ChangeEntry | ChangeOut) -> str:
    """ "editor #12" for an account, "operator" for the command line, "public" otherwise."""
    if entry.user_id is not None:
        return f"{entry.role} #{entry.user_id}"
    return "operator" if entry.actor.startswith("operator:") else entry.role


def get_change(session: Session, change_id: int) -> ChangeDetail:
    entry = session.get(ChangeEntry, change_id)
    if entry is None:
        raise NotFoundError(f"no change {change_id} in the change log")
    return _details(session, [entry])[0]


def _details(session: Session, entries: Sequence[ChangeEntry]) -> list[ChangeDetail]:
    """Entries with their diffs, and the citation of every source location a diff names
    (a number says nothing to a reader; "CDIP/31/4" does), read at once."""
    personal = allowed(Action.READ_PERSONAL)
    reverted_by: dict[int, list[int]] = {}
    for reverted, by in session.execute(
        select(ChangeEntry.reverts_id, ChangeEntry.id)
        .where(ChangeEntry.reverts_id.in_([entry.id for entry in entries]))
        .order_by(ChangeEntry.id)
    ):
        reverted_by.setdefault(reverted, []).append(by)
    shown = [_entry_out(entry, personal) for entry in entries]
    diffs = [diff(entry) for entry in shown]
    cited = _citations(
        session,
        (
            value
            for changes in diffs
            for change in changes
            if change.field.endswith(SOURCE_FIELD)
            for value in (change.old, change.new)
        ),
    )
    for changes in diffs:
        for change in changes:
            if change.field.endswith(SOURCE_FIELD):
                change.old_text = cited.get(change.old)
                change.new_text = cited.get(change.new)
    return [
        ChangeDetail(**out.model_dump(), diff=changes, reverted_by=reverted_by.get(out.id, []))
        for out, changes in zip(shown, diffs, strict=True)
    ]


SOURCE_FIELD = "source_location_id"  # the column by which a fact names where it is stated


def _citations(session: Session, ids: Iterable[Any]) -> dict[int, str]:
    wanted = {value for value in ids if isinstance(value, int)}
    if not wanted:
        return {}
    rows = session.scalars(
        select(SourceLocation)
        .options(joinedload(SourceLocation.source))
        .where(SourceLocation.id.in_(wanted))
    )
    return {location.id: location.describe() for location in rows}


def diff(entry: ChangeEntry | ChangeOut) -> list[FieldChange]:
    """The fields an entry changed, old -> new; a run lists the rows it wrote per table."""
    if entry.action is ChangeAction.RUN:
        counts: Mapping[str, Mapping[str, int]] = (entry.after or {}).get("counts", {})
        return [FieldChange(field=table, new=dict(counts[table])) for table in sorted(counts)]
    before, after = entry.before or {}, entry.after or {}
    return [
        FieldChange(field=name, old=before.get(name), new=after.get(name))
        for name in entry.changed_fields
    ]


def history_href(entry: ChangeOut) -> str | None:
    """The page whose History tab shows `entry`: its record's, or its owner's."""
    for record_type, key in (
        (entry.record_type, entry.record_key),
        (entry.parent_type, entry.parent_key),
    ):
        if record_type in HISTORY_PAGES and key is not None:
            return f"{HISTORY_PAGES[record_type]}/{key}/history"
    return None


# The records whose pages have a History tab, and where those pages are.
HISTORY_PAGES = {
    "project": "/projects",
    "cdip_session": "/sessions",
    "recommendation": "/recommendations",
    "document": "/documents",
    "activity": "/activities",
}


def history_listing(session: Session, record_type: str, record_key: str) -> Listing[ChangeOut]:
    """The entries of a record and of its parts (a project's titles, links, statuses...)."""
    query = select(ChangeEntry).where(_of_record(record_type, record_key))
    return Listing(session, query, ChangeEntry.id, _entries_out)


def recent_history(
    session: Session, record_type: str, record_key: str, limit: int = 100
) -> list[ChangeDetail]:
    """The latest `limit` entries of a record and its parts, newest first, with diffs."""
    entries = session.scalars(
        select(ChangeEntry)
        .where(_of_record(record_type, record_key))
        .order_by(ChangeEntry.id.desc())
        .limit(limit)
    ).all()
    return _details(session, entries)


def _of_record(record_type: str, record_key: str) -> ColumnElement[bool]:
    return or_(
        and_(ChangeEntry.record_type == record_type, ChangeEntry.record_key == record_key),
        and_(ChangeEntry.parent_type == record_type, ChangeEntry.parent_key == record_key),
    )


def record_history(session: Session, record_type: str, key: int) -> Listing[ChangeOut]:
    """The history of a change-logged record (`record_type` is its table) that exists or
    once did; a 404 for one that never did."""
    model = logged_models()[record_type]
    listing = history_listing(session, record_type, str(key))
    if session.get(model, key) is None and listing.page(limit=1).total == 0:
        raise NotFoundError(f"no {record_type.replace('_', ' ')} {key}, now or in the change log")
    return listing


# -- checked edits ----------------------------------------------------------------------------


def apply_edit(
    session: Session, record: Any, expected_version: int | None, values: Mapping[str, Any]
) -> None:
    """Set `values` on `record` and flush, unless the record is no longer at
    `expected_version` (the version its editor read): then EditConflict with the current
    state, and nothing is written. A concurrent update that lands between the read and
    this write is caught the same way, by the version check of the UPDATE itself."""
    if expected_version is not None and record.version != expected_version:
        raise _conflict(record, f"was read at version {expected_version}")
    for name, value in values.items():
        setattr(record, name, value)
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        current = session.get(type(record), inspect(record).identity, populate_existing=True)
        raise _conflict(current or record, "was changed by someone else meanwhile") from None


def _conflict(record: Any, why: str) -> EditConflict:
    record_type = record_type_of(type(record))
    key = key_text(inspect(record).identity or ())
    alive = inspect(record).persistent
    return EditConflict(
        f"{record_type} {key} {why} and is now at version {record.version if alive else '-'}: "
        "look at its current state, then repeat the change",
        record_type=record_type,
        record_key=key,
        version=record.version if alive else None,
        current=state_of(record) if alive else None,
    )


# -- reverts ---------------------------------------------------------------------------------


def may_revert() -> bool:
    """Whether the current actor may revert changes (editors and administrators: a
    revert may touch any record), for pages that offer it only to them."""
    return allowed(Action.EDIT_RECORD)


def revert(
    session: Session, change_id: int, message: str | None = None, *, force: bool = False
) -> list[ChangeOut]:
    """Undo the edit that entry `change_id` belongs to: bring each record it wrote back to
    its state before it. An edit is what one request (or one command) wrote in one
    transaction: adding a status statement also updates the project's stage, and undoing
    the statement alone would leave the stage behind. An update's fields are restored, a
    created record is deleted, a deleted one recreated (with the parts deleted along with
    it). The undo is logged, each entry pointing at the one it reverts; it is refused when
    a record changed since, unless `force`. Returns the new entries."""
    authorize(Action.EDIT_RECORD)
    entry = session.get(ChangeEntry, change_id)
    if entry is None:
        raise NotFoundError(f"no change {change_id} in the change log")
    if entry.action is ChangeAction.RUN:
        raise InputError(
            f"change {change_id} is a {entry.record_type.replace('_', ' ')}, logged as counts "
            "of rows: it cannot be reverted record by record (for a report, restore an "
            "earlier version with `devagenda reports restore`)",
            field="change",
        )
    edit = _edit_of(session, entry)
    models = logged_models()
    for part in edit:
        if part.record_type not in models:
            raise InputError(
                f"change {part.id} is of a {part.record_type!r}, which is no longer "
                "change-logged: it cannot be reverted",
                field="change",
            )
    if not force:
        newest: dict[tuple[str, str], ChangeEntry] = {}
        for part in edit:
            newest.setdefault((part.record_type, part.record_key), part)
        ids = {part.id for part in edit}
        for part in newest.values():
            _refuse_if_changed(session, part, _record_of(session, part), ignoring=ids)
    with change_message(message or f"revert of change {change_id}"):
        for part in edit:
            with reverting(session, part.id):
                _undo(session, part, force=force)
    written = session.scalars(
        select(ChangeEntry)
        .where(
            ChangeEntry.reverts_id.in_([part.id for part in edit]),
            ChangeEntry.transaction_id == current_transaction(session),
        )
        .order_by(ChangeEntry.id)
    ).all()
    return _entries_out(session, written)


def _edit_of(session: Session, entry: ChangeEntry) -> list[ChangeEntry]:
    """The entries of the edit `entry` is part of, newest first: those of its request in
    its transaction (runs aside, and a revert apart from what it reverts), or, for writes
    made outside any request, the entry and the parts a deletion took along."""
    if entry.request_id is not None:
        return list(
            session.scalars(
                select(ChangeEntry)
                .where(
                    ChangeEntry.transaction_id == entry.transaction_id,
                    ChangeEntry.request_id == entry.request_id,
                    ChangeEntry.action != ChangeAction.RUN,
                    # a revert made in the same request is an edit of its own
                    (ChangeEntry.reverts_id.is_(None))
                    if entry.reverts_id is None
                    else ChangeEntry.reverts_id.is_not(None),
                )
                .order_by(ChangeEntry.id.desc())
            ).all()
        )
    parts = _deleted_parts(session, entry) if entry.action is ChangeAction.DELETE else []
    return [entry, *sorted(parts, key=lambda part: -part.id)]


def _record_of(session: Session, entry: ChangeEntry) -> Any:
    model = logged_models()[entry.record_type]
    return session.get(model, _identity(model, entry.record_key))


def _undo(session: Session, entry: ChangeEntry, *, force: bool) -> None:
    record = _record_of(session, entry)
    model = logged_models()[entry.record_type]
    if entry.action is ChangeAction.UPDATE:
        if record is None:
            if force:
                return
            raise _gone(entry)
        for name in entry.changed_fields:
            setattr(record, name, from_json(model, name, (entry.before or {}).get(name)))
    elif entry.action is ChangeAction.CREATE:
        if record is not None:
            session.expire(record)  # its parts as stored: the edit's own may be undone already
            session.delete(record)
    elif record is None:
        _recreate(session, entry)


def _identity(model: type[Any], key: str) -> tuple[Any, ...]:
    columns = inspect(model).primary_key
    parts = key_parts(key)
    if len(parts) != len(columns):
        raise InputError(f"{key!r} is not a key of {record_type_of(model)}", field="record")
    return tuple(
        from_json(model, inspect(model).get_property_by_column(column).key, _typed(column, part))
        for column, part in zip(columns, parts, strict=True)
    )


def _typed(column: Any, text: str) -> Any:
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return text
    if python_type is int:
        try:
            return int(text)
        except ValueError:
            raise InputError(f"{text!r} is not a number", field="record") from None
    return text


def _refuse_if_changed(
    session: Session, entry: ChangeEntry, record: Any, *, ignoring: set[int]
) -> None:
    """EditConflict when the record is not as the entry left it: a later entry (not one
    of the same edit, in `ignoring`) changed it, or a run (an ingest) did without an
    entry of its own."""
    later = [
        later_id
        for later_id in session.scalars(
            select(ChangeEntry.id)
            .where(
                ChangeEntry.record_type == entry.record_type,
                ChangeEntry.record_key == entry.record_key,
                ChangeEntry.id > entry.id,
            )
            .order_by(ChangeEntry.id)
        ).all()
        if later_id not in ignoring
    ]
    as_left = record is None if entry.action is ChangeAction.DELETE else record is not None
    if as_left and record is not None:
        current = state_of(record)
        as_left = all(current.get(name) == value for name, value in (entry.after or {}).items())
    if later or not as_left:
        since = (
            f"changes {', '.join(map(str, later))} changed it since"
            if later
            else "it is no longer as that change left it"
        )
        record_version = record.version if record is not None else None
        raise EditConflict(
            f"{entry.record_type} {entry.record_key}: {since}; revert those first, or "
            "repeat with --force to restore the state before this change anyway",
            record_type=entry.record_type,
            record_key=entry.record_key,
            version=record_version,
            current=state_of(record) if record is not None else None,
        )


def _gone(entry: ChangeEntry) -> EditConflict:
    return EditConflict(
        f"{entry.record_type} {entry.record_key} no longer exists: revert its deletion first",
        record_type=entry.record_type,
        record_key=entry.record_key,
        version=None,
        current=None,
    )


def _deleted_parts(session: Session, entry: ChangeEntry) -> list[ChangeEntry]:
    """The parts deleted with a record, in the same transaction (a project's titles...)."""
    return list(
        session.scalars(
            select(ChangeEntry)
            .where(
                ChangeEntry.transaction_id == entry.transaction_id,
                ChangeEntry.action == ChangeAction.DELETE,
                ChangeEntry.parent_type == entry.record_type,
                ChangeEntry.parent_key == entry.record_key,
            )
            .order_by(ChangeEntry.id)
        ).all()
    )


def _recreate(session: Session, entry: ChangeEntry) -> None:
    model = logged_models().get(entry.record_type)
    if model is None:
        return
    if session.get(model, _identity(model, entry.record_key)) is not None:
        return
    before = entry.before or {}
    values = {
        name: from_json(model, name, before.get(name))
        for name in logged_columns(model)
        if name in before
    }
    session.add(model(**values))
    session.flush()
