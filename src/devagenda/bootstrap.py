"""`devagenda init`: create or upgrade the schema and load the reference data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel

from devagenda.core.schema import (
    CURRENT_REVISION,
    current_revision,
    head_revision,
    schema_is_current,
    upgrade,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from devagenda.core.context import AppContext
    from devagenda.core.sqlreader import Reader

# Loading the reference data is one transaction: its first recommendation stands for all.
REFERENCE_DATA_LOADED = "SELECT 1 FROM recommendation WHERE number = 1"


class InitSummary(BaseModel):
    database: str
    schema_revision: str | None
    loaded: dict[str, int]


def ensure_initialized(context: AppContext) -> None:
    """Commands that need the knowledge base make it on first use. Runs before every such
    command, so the usual case (nothing to do) imports neither Alembic nor the loaders."""
    if not schema_is_current(context.engine):
        initialize(context)
        return
    from devagenda.core.sqlreader import SessionReader

    with context.transaction() as session:
        if not SessionReader(session).rows(REFERENCE_DATA_LOADED):
            load_shipped_data(session)


def load_shipped_data(session: Session) -> dict[str, int]:
    """Everything a new database holds before anyone writes to it: the reference data and
    the flexibilities' fields and categories. A backup compares a database with this."""
    from devagenda.flexibilities.services import load_code_lists
    from devagenda.reference.services import load_reference_data

    loaded = load_reference_data(session)
    loaded.update(load_code_lists(session))
    return loaded


def needs_nothing(reader: Reader) -> bool:
    """Whether `ensure_initialized` would find nothing to do (the schema at the newest
    revision, the reference data loaded): a reader that cannot write may then answer."""
    return reader.rows(CURRENT_REVISION) == [(head_revision(),)] and bool(
        reader.rows(REFERENCE_DATA_LOADED)
    )


def initialize(context: AppContext) -> InitSummary:
    """Safe to run any number of times: migrations are versioned and loading is an upsert."""
    from devagenda.core.sqlreader import SessionReader
    from devagenda.search.layout import index_is_current
    from devagenda.search.sync import rebuild_index

    upgrade(context.engine)
    with context.transaction() as session:
        loaded = load_shipped_data(session)
        if not index_is_current(SessionReader(session)):
            rebuild_index(session)  # made by an earlier version's tokenization
    return InitSummary(
        database=context.engine.url.render_as_string(hide_password=True),
        schema_revision=current_revision(context.engine),
        loaded=loaded,
    )
