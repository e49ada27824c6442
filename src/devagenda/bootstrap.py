"""`devagenda init`: create or upgrade the schema and load the reference data."""

from __future__ import annotations

from pydantic import BaseModel

from devagenda.catalogue.models import Recommendation
from devagenda.core.context import AppContext
from devagenda.core.schema import current_revision, head_revision, upgrade
from devagenda.reference.services import load_reference_data
from devagenda.search.sync import index_is_current, rebuild_index


class InitSummary(BaseModel):
    database: str
    schema_revision: str | None
    loaded: dict[str, int]


def ensure_initialized(context: AppContext) -> None:
    """Commands that need the knowledge base make it on first use."""
    if current_revision(context.engine) != head_revision(context.engine):
        initialize(context)
        return
    with context.transaction() as session:
        if session.get(Recommendation, 1) is None:
            load_reference_data(session)


def initialize(context: AppContext) -> InitSummary:
    """Safe to run any number of times: migrations are versioned and loading is an upsert."""
    upgrade(context.engine)
    with context.transaction() as session:
        loaded = load_reference_data(session)
        if not index_is_current(session):
            rebuild_index(session)  # made by an earlier version's tokenization
    return InitSummary(
        database=context.engine.url.render_as_string(hide_password=True),
        schema_revision=current_revision(context.engine),
        loaded=loaded,
    )
