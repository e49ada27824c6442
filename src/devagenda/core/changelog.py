"""The change log: one entry per create, update and delete of a record, written in the
transaction that makes the change, and one entry per ingest or import run.

A model opts in by inheriting `ChangeLogged`. That gives it a `version` column, which
SQLAlchemy checks and raises on every UPDATE (optimistic locking: an update made from a
stale copy fails instead of overwriting a change it never saw), and it makes every
flush of the model write a `ChangeEntry` with who acted (`core.actor.current_actor`), the
record's type and key, its state before and after as JSON, and the fields that changed.
A part of a record (a project's title or recommendation link) names the column that
points at its owner in `__changelog_parent__`, so that it appears in the owner's history.
A write of a part is a change of its owner too: it raises the owner's version (with the
same check), so that the version the API sends as an ETag changes whenever anything the
record shows does, and two edits of different parts of one record still cross.

Bulk work (a report ingest, a catalogue import, the reference data) runs inside
`logged_run`: its writes, through the unit of work or through bulk statements, are
counted per table and written as one entry naming the run. A bulk statement on a logged
table outside any run is still counted, and logged as one entry when the transaction
commits: no write goes unrecorded. An import `watching` its writes logs what it replaced
of stored records in full (`log_in_full`), inside its run, so that it can be read and
restored from the log.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, ClassVar
from urllib.parse import quote, unquote

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    event,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.orm import (
    Mapped,
    Mapper,
    ORMExecuteState,
    Session,
    UOWTransaction,
    declared_attr,
    mapped_column,
)
from sqlalchemy.orm.attributes import NO_VALUE
from sqlalchemy.orm.util import identity_key

from devagenda.core.actor import current_actor
from devagenda.core.models import Base, enum_column

# Columns a state leaves out: the version is the entry's own column; timestamps are set
# by the database and say no more than the entry's time.
UNLOGGED_COLUMNS = frozenset({"version", "created_at", "updated_at"})
KEY_SEPARATOR = "/"  # between the parts of a composite key: "12/zh"

_ENTRIES = "devagenda.changelog.entries"
_PRIOR = "devagenda.changelog.prior"
_RUN = "devagenda.changelog.run"
_BULK = "devagenda.changelog.bulk"
_TRANSACTION = "devagenda.changelog.transaction"
_REVERTS = "devagenda.changelog.reverts"
_WATCHER = "devagenda.changelog.watcher"
MESSAGE_KEY = "change_message"  # session.info key: the message of the session's next writes

_message: ContextVar[str | None] = ContextVar("devagenda_change_message", default=None)


class ChangeAction(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RUN = "run"  # an ingest, import or bulk statement, counted per table


class ChangeEntry(Base):
    """One write: who, when, which request, which record, its state before and after."""

    __tablename__ = "change_entry"
    __table_args__ = (
        Index("ix_change_entry_record", "record_type", "record_key", "id"),
        Index("ix_change_entry_parent", "parent_type", "parent_key", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(200), index=True)
    role: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    request_id: Mapped[str | None] = mapped_column(String(64), index=True)
    transaction_id: Mapped[str] = mapped_column(String(32), index=True)
    action: Mapped[ChangeAction] = mapped_column(
        enum_column(ChangeAction, "change_action"), index=True
    )
    record_type: Mapped[str] = mapped_column(String(64))
    record_key: Mapped[str] = mapped_column(String(200))
    parent_type: Mapped[str | None] = mapped_column(String(64))
    parent_key: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int | None] = mapped_column(Integer)  # the record's, after the change
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    changed_fields: Mapped[list[str]] = mapped_column(JSON)
    message: Mapped[str | None] = mapped_column(Text)
    reverts_id: Mapped[int | None] = mapped_column(
        ForeignKey("change_entry.id", ondelete="SET NULL"), index=True
    )


_TABLE = ChangeEntry.__table__


class ChangeLogged:
    """Inherit to have every write of the model logged and its updates version-checked.

    `__changelog_parent__` names the column pointing at the record this row is part of
    (e.g. "project_id"), so that the row's changes appear in that record's history.
    """

    __changelog_parent__: ClassVar[str | None] = None
    # Columns holding personal data: the change log shows their values only to those who
    # may read personal data (devagenda.changes).
    __personal_fields__: ClassVar[frozenset[str]] = frozenset()

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        table = cls.__dict__.get("__table__")
        if table is not None:
            never_reuse_ids(table)


def never_reuse_ids(table: Any) -> None:
    """The change log names a record by its key: an id given again to a new row would
    join the history of a deleted record to the new one's and block reverting the
    deletion. PostgreSQL's sequences never go back; SQLite gives the highest id again
    unless the table is AUTOINCREMENT, which every logged table keyed by an integer `id`
    is (migration 0025 rebuilt those made before)."""
    keys = list(table.primary_key.columns)
    if len(keys) == 1 and keys[0].name == "id" and isinstance(keys[0].type, Integer):
        table.dialect_kwargs["sqlite_autoincrement"] = True


# -- what an entry says about a record ----------------------------------------------------


@cache
def logged_columns(model: type[Any]) -> tuple[str, ...]:
    """The attribute names of the model's own table columns that a state holds."""
    mapper = inspect(model)
    return tuple(
        attribute.key
        for attribute in mapper.column_attrs
        if attribute.columns[0].table is mapper.local_table
        and attribute.key not in UNLOGGED_COLUMNS
    )


def to_json(value: Any) -> Any:
    """A column value as JSON, the same whichever backend read it."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return value
    raise TypeError(f"cannot log a value of type {type(value).__name__}")


def from_json(model: type[Any], name: str, value: Any) -> Any:
    """The column value a state's JSON stands for (the inverse of `to_json`)."""
    if value is None:
        return None
    column_type = inspect(model).columns[name].type
    if isinstance(column_type, SqlEnum) and column_type.enum_class is not None:
        return column_type.enum_class(value)
    if isinstance(column_type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    if isinstance(column_type, Numeric):
        return Decimal(value)
    return value


def state_of(record: Any) -> dict[str, Any]:
    """The record's logged columns as JSON, as they are in the object now."""
    values = inspect(record).dict
    return {name: to_json(values.get(name)) for name in logged_columns(type(record))}


def record_type_of(model: type[Any]) -> str:
    return str(inspect(model).local_table.name)


def key_text(values: tuple[Any, ...] | list[Any]) -> str:
    """A primary key as text: "12", or "12/zh" for a composite one."""
    return KEY_SEPARATOR.join(quote(str(to_json(value)), safe="") for value in values)


def key_parts(key: str) -> list[str]:
    return [unquote(part) for part in key.split(KEY_SEPARATOR)]


def personal_fields(record_type: str) -> frozenset[str]:
    """The columns of a record type whose values are personal data (none for most)."""
    model = logged_models().get(record_type)
    return frozenset() if model is None else model.__personal_fields__


def logged_models() -> dict[str, type[Any]]:
    """Every change-logged model by its record type, those of modules not imported yet
    too: a command that reverts or shows a change may not have loaded its record's area."""
    from devagenda.core.schema import metadata

    metadata()  # imports every module that declares tables
    return {
        record_type_of(mapper.class_): mapper.class_
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, ChangeLogged)
    }


# -- messages, runs and reverts -------------------------------------------------------------


@contextmanager
def change_message(message: str | None) -> Iterator[None]:
    """Attach `message` to every entry written in the enclosed code. Entries are written
    when the session flushes: flush before the block ends (as `revert` does), or set
    `session.info[MESSAGE_KEY]` for the rest of the transaction."""
    token = _message.set(message)
    try:
        yield
    finally:
        _message.reset(token)


@dataclass
class Run:
    """An ingest or import being logged as one entry. Set `record_key` and `details` as
    they become known (an ingest knows its run id only at its end)."""

    record_type: str
    record_key: str
    details: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    parent: Run | None = None

    def count(self, table: str, action: ChangeAction, rows: int) -> None:
        if rows > 0:
            tally = self.counts.setdefault(table, {})
            tally[action.value] = tally.get(action.value, 0) + rows

    def changed(self) -> bool:
        return any(self.counts.values())


@contextmanager
def logged_run(
    session: Session, record_type: str, record_key: str, *, quiet: bool = False, **details: Any
) -> Iterator[Run]:
    """Log the enclosed writes as one entry naming `record_type` and `record_key` (an
    ingest run, an import file) with the rows created, updated and deleted per table. A
    run that changed nothing writes no entry. A run inside a run counts into it. A
    `quiet` run writes no entry: only for what is part of making a new database (the
    shipped reference data), so that every new database starts with the same rows."""
    outer: Run | None = session.info.get(_RUN)
    run = Run(record_type, record_key, dict(details), parent=outer)
    session.info[_RUN] = run
    try:
        yield run
        session.flush()
    finally:
        session.info[_RUN] = outer
    if outer is not None:
        for table, tally in run.counts.items():
            for action, rows in tally.items():
                outer.count(table, ChangeAction(action), rows)
        return
    if run.changed() and not quiet:
        _write(session, [_run_entry(run.record_type, run.record_key, run.counts, run.details)])


def current_run(session: Session) -> Run | None:
    """The run the session's writes are being counted into, if any: bulk writes that
    bypass the ORM count themselves into it."""
    return session.info.get(_RUN)


@dataclass(frozen=True)
class Noted:
    """One write seen by a watcher: what `_note` logs, before it is written or counted."""

    action: ChangeAction
    record: Any
    record_type: str
    record_key: str
    parent_type: str | None
    parent_key: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@contextmanager
def watching(session: Session, watcher: Callable[[Noted], None]) -> Iterator[None]:
    """Tell `watcher` of every logged write the session flushes while the block runs
    (imports use it to find what a file would replace, and `log_in_full` to keep it)."""
    outer = session.info.get(_WATCHER)
    session.info[_WATCHER] = watcher
    try:
        yield
    finally:
        session.info[_WATCHER] = outer
        if outer is None:
            session.info.pop(_WATCHER, None)


@contextmanager
def reverting(session: Session, entry_id: int) -> Iterator[None]:
    """Mark the enclosed writes as the revert of entry `entry_id`."""
    session.info[_REVERTS] = entry_id
    try:
        yield
        session.flush()
    finally:
        session.info.pop(_REVERTS, None)


def current_transaction(session: Session) -> str | None:
    """The id the entries of the session's current transaction share, once it wrote one."""
    return session.info.get(_TRANSACTION)


# -- the session events -------------------------------------------------------------------


def _before_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """Read the stored state of changed records whose old values the session does not
    hold (an attribute set without having been loaded), before the flush overwrites it."""
    session.info.pop(_ENTRIES, None)  # left by a flush that failed
    _touch_owners(session)
    if session.info.get(_RUN) is not None and session.info.get(_WATCHER) is None:
        return  # a run counts rows; it needs no states
    prior: dict[int, dict[str, Any]] = session.info.setdefault(_PRIOR, {})
    for record in (*session.dirty, *session.deleted):
        if not isinstance(record, ChangeLogged):
            continue
        state = inspect(record)
        names = logged_columns(type(record))
        unknown = [
            name
            for name in names
            if name not in state.dict or state.committed_state.get(name, None) is NO_VALUE
        ]
        if unknown and state.identity is not None:
            prior[id(state)] = _stored_state(session, record, names)


def _touch_owners(session: Session) -> None:
    """Make the flush update (and so version) every owner whose parts it writes: owners
    whose part collections changed, and owners of parts created, changed or deleted on
    their own. An owner that the flush creates or deletes needs nothing."""
    owners: dict[int, Any] = {}
    for record in session.dirty:
        if isinstance(record, ChangeLogged) and _only_relationships_changed(record):
            owners[id(record)] = record
    for record in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(record, ChangeLogged) or record.__changelog_parent__ is None:
            continue
        if record in session.dirty and not session.is_modified(record):
            continue
        state = inspect(record)
        owner_model, _column = _owner_of(type(record))
        keys = {state.dict.get(record.__changelog_parent__)}
        history = state.attrs[record.__changelog_parent__].history
        keys.update(history.deleted or ())  # a part moved away changes its old owner too
        for key in keys - {None}:
            owner = session.get(owner_model, key)
            if owner is not None:
                owners[id(owner)] = owner
    for owner in owners.values():
        if owner in session.new or owner in session.deleted or _columns_changed(owner):
            continue
        _raise_version(owner)


def _columns_changed(record: Any) -> bool:
    state = inspect(record)
    return any(state.attrs[attr.key].history.has_changes() for attr in state.mapper.column_attrs)


def _only_relationships_changed(record: Any) -> bool:
    state = inspect(record)
    return not _columns_changed(record) and any(
        state.attrs[rel.key].history.has_changes() for rel in state.mapper.relationships
    )


@cache
def _owner_of(model: type[Any]) -> tuple[type[Any], Any]:
    """The model a part's `__changelog_parent__` column points at, and that column."""
    column = inspect(model).attrs[model.__changelog_parent__].columns[0]
    (foreign_key,) = column.foreign_keys
    owner_table = foreign_key.column.table
    owner = next(m.class_ for m in Base.registry.mappers if m.local_table is owner_table)
    return owner, column


def _raise_version(owner: Any) -> None:
    """Make the flush write the owner's row with the next version, checked against the
    one it holds, though none of its values change."""
    owner.version = owner.version + 1


def _bump_owners(state: ORMExecuteState, model: type[Any]) -> None:
    """Before a bulk statement on a part table runs: raise the versions of the owners of
    the rows it will write, read from its parameters (an insert) or its WHERE clause.
    Owners the session holds are marked for its next flush, which checks their version;
    the others are raised in place."""
    owner_model, column = _owner_of(model)
    name = model.__changelog_parent__
    session = state.session
    if state.is_insert:
        parameters = state.parameters
        rows = parameters if isinstance(parameters, list) else [parameters or {}]
        keys = {row.get(name) for row in rows if isinstance(row, dict)} - {None}
    else:
        where = getattr(state.statement, "whereclause", None)
        query = select(column).distinct()
        keys = set(
            session.connection().execute(query if where is None else query.where(where)).scalars()
        ) - {None}
    held = set()
    for key in keys:
        owner = session.identity_map.get(identity_key(owner_model, key))
        if owner is not None and owner not in session.deleted:
            held.add(key)
            if owner not in session.new and not _columns_changed(owner):
                _raise_version(owner)
    rest = sorted(keys - held)
    table = owner_model.__table__
    owner_key = inspect(owner_model).primary_key[0]
    for start in range(0, len(rest), _BUMP_BATCH):
        session.connection().execute(
            update(table)
            .where(owner_key.in_(rest[start : start + _BUMP_BATCH]))
            .values(version=table.c.version + 1)
        )


_BUMP_BATCH = 5000  # keys per statement: far below either backend's parameter limit


def _stored_state(session: Session, record: Any, names: tuple[str, ...]) -> dict[str, Any]:
    mapper = inspect(type(record))
    columns = [mapper.attrs[name].columns[0] for name in names]
    keys = mapper.primary_key
    identity = inspect(record).identity
    row = (
        session.connection()
        .execute(
            select(*columns).where(
                *(column == value for column, value in zip(keys, identity, strict=True))
            )
        )
        .one_or_none()
    )
    if row is None:
        return {}
    return {name: to_json(value) for name, value in zip(names, row, strict=True)}


def _before_state(record: Any) -> dict[str, Any]:
    """The record's state as the flush found it: old values where attributes changed."""
    state = inspect(record)
    values: dict[str, Any] = {}
    for name in logged_columns(type(record)):
        history = state.attrs[name].history
        if history.deleted:
            values[name] = to_json(history.deleted[0])
        elif history.unchanged:
            values[name] = to_json(history.unchanged[0])
        else:
            values[name] = to_json(state.dict.get(name))
    return values


def _after_insert(_mapper: Mapper[Any], _connection: Any, record: Any) -> None:
    _note(record, ChangeAction.CREATE, None, state_of(record))


def _after_update(_mapper: Mapper[Any], _connection: Any, record: Any) -> None:
    state = inspect(record)
    session = state.session
    prior = session.info.get(_PRIOR, {}).pop(id(state), None) if session else None
    before = _before_state(record)
    if prior:
        before.update({name: value for name, value in prior.items() if name not in state.dict})
        for name, value in prior.items():
            if state.committed_state.get(name, None) is NO_VALUE:
                before[name] = value
    after = state_of(record)
    if prior:  # columns the session never loaded kept their stored values
        after.update({name: value for name, value in prior.items() if name not in state.dict})
    if before != after:
        _note(record, ChangeAction.UPDATE, before, after)


def _after_delete(_mapper: Mapper[Any], _connection: Any, record: Any) -> None:
    state = inspect(record)
    session = state.session
    prior = session.info.get(_PRIOR, {}).pop(id(state), None) if session else None
    before = _before_state(record)
    if prior:
        before.update(prior)
    _note(record, ChangeAction.DELETE, before, None)


def _note(
    record: Any,
    action: ChangeAction,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    session = inspect(record).session
    if session is None:
        return
    model = type(record)
    table = record_type_of(model)
    run: Run | None = session.info.get(_RUN)
    watcher: Callable[[Noted], None] | None = session.info.get(_WATCHER)
    if run is not None:
        run.count(table, action, 1)
        if watcher is None:
            return
    mapper = inspect(model)
    key = key_text(mapper.primary_key_from_instance(record))
    parent_type = parent_key = None
    if model.__changelog_parent__ is not None:
        column = mapper.attrs[model.__changelog_parent__].columns[0]
        (foreign_key,) = column.foreign_keys
        parent_type = foreign_key.column.table.name
        parent_value = (after or before or {}).get(model.__changelog_parent__)
        parent_key = None if parent_value is None else key_text([parent_value])
    noted = Noted(action, record, table, key, parent_type, parent_key, before, after)
    if watcher is not None:
        watcher(noted)
        if run is not None:
            return  # counted; the watcher logs in full what it finds replaced
    session.info.setdefault(_ENTRIES, []).append(_entry(session, noted))


def log_in_full(session: Session, writes: list[Noted]) -> None:
    """Log `writes` as entries of their own, even inside a run (which only counts them):
    for what an import replaced, so that it can be read and restored from the log."""
    if writes:
        _write(session, [_entry(session, noted) for noted in writes])


def _entry(session: Session, noted: Noted) -> dict[str, Any]:
    before, after = noted.before, noted.after
    changed = sorted(
        name
        for name in (after or before or {})
        if (before or {}).get(name) != (after or {}).get(name)
    )
    return {
        **_who(session),
        "action": noted.action,
        "record_type": noted.record_type,
        "record_key": noted.record_key,
        "parent_type": noted.parent_type,
        "parent_key": noted.parent_key,
        "version": inspect(noted.record).dict.get("version"),
        "before": before,
        "after": after,
        "changed_fields": changed,
        "reverts_id": session.info.get(_REVERTS),
    }


def _who(session: Session) -> dict[str, Any]:
    actor = current_actor()
    transaction = session.info.get(_TRANSACTION)
    if transaction is None:
        transaction = session.info[_TRANSACTION] = uuid.uuid4().hex
    return {
        "changed_at": datetime.now(UTC),
        "actor": actor.label,
        "role": actor.role.value,
        "user_id": actor.user_id,
        "request_id": actor.request_id,
        "transaction_id": transaction,
        "message": session.info.get(MESSAGE_KEY) or _message.get(),
    }


def _run_entry(
    record_type: str, record_key: str, counts: dict[str, dict[str, int]], details: dict[str, Any]
) -> dict[str, Any]:
    return {
        "action": ChangeAction.RUN,
        "record_type": record_type,
        "record_key": record_key,
        "parent_type": None,
        "parent_key": None,
        "version": None,
        "before": None,
        "after": {**details, "counts": {table: counts[table] for table in sorted(counts)}},
        "changed_fields": sorted(counts),
        "reverts_id": None,
    }


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    session.info.pop(_PRIOR, None)
    entries = session.info.pop(_ENTRIES, None)
    if entries:
        _write(session, entries)


def _write(session: Session, entries: list[dict[str, Any]]) -> None:
    rows = [entry if "actor" in entry else {**_who(session), **entry} for entry in entries]
    session.connection().execute(insert(_TABLE), rows)


def _on_statement(state: ORMExecuteState) -> Any:
    """Count what a bulk statement on a logged table writes: into the run, or into the
    transaction's own tally when no run is active."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    mapper = state.bind_mapper
    if mapper is None or not issubclass(mapper.class_, ChangeLogged):
        return None
    if mapper.class_.__changelog_parent__ is not None:
        _bump_owners(state, mapper.class_)
    result = state.invoke_statement()
    if state.is_insert:
        parameters = state.parameters
        rows = len(parameters) if isinstance(parameters, list) else 1
        action = ChangeAction.CREATE
    else:
        rows = max(result.rowcount, 0)  # type: ignore[attr-defined]
        action = ChangeAction.UPDATE if state.is_update else ChangeAction.DELETE
    session = state.session
    run: Run | None = session.info.get(_RUN)
    if run is None:
        run = session.info.setdefault(_BULK, Run("statement", "bulk"))
    run.count(record_type_of(mapper.class_), action, rows)
    return result


def _before_commit(session: Session) -> None:
    """Log bulk statements that ran outside any run, as one entry for the transaction."""
    bulk: Run | None = session.info.get(_BULK)
    if bulk is None:
        return
    session.flush()
    session.info.pop(_BULK, None)
    if bulk.changed():
        key = session.info.get(_TRANSACTION) or uuid.uuid4().hex
        _write(session, [_run_entry("statement", key, bulk.counts, {})])


def _end_transaction(session: Session, *_args: Any) -> None:
    for name in (_ENTRIES, _PRIOR, _BULK, _TRANSACTION):
        session.info.pop(name, None)


def install() -> None:
    """Watch every session; calling it again changes nothing. It runs when this module is
    imported, and `AppContext.sessions` calls it before any session exists: a listener
    added while a flush runs its listeners (this module imported lazily mid-flush) would
    break that flush."""
    if event.contains(Session, "after_flush", _after_flush):
        return
    for name, listener in (
        ("after_insert", _after_insert),
        ("after_update", _after_update),
        ("after_delete", _after_delete),
    ):
        event.listen(ChangeLogged, name, listener, propagate=True)
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _on_statement)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _end_transaction)
    event.listen(Session, "after_rollback", _end_transaction)


install()
