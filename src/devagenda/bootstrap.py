"""`devagenda init`: create or upgrade the schema and load the reference data.

Every command that opens the database calls `ensure_initialized` first. It answers from
one query when the schema is current, so commands do not pay for importing Alembic
(about 0.75 s) unless there is something to upgrade.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from pydantic import BaseModel
from sqlalchemy import Engine, inspect, text

from devagenda.catalogue.models import Recommendation
from devagenda.core.context import AppContext
from devagenda.reference.services import load_reference_data

REVISION = re.compile(r"^revision(?::\s*str)?\s*=\s*[\"'](\w+)[\"']", re.MULTILINE)
DOWN_REVISION = re.compile(r"^down_revision(?::[^=]*)?=\s*(?:[\"'](\w+)[\"']|None)", re.MULTILINE)


class InitSummary(BaseModel):
    database: str
    schema_revision: str | None
    loaded: dict[str, int]


def ensure_initialized(context: AppContext) -> None:
    """Commands that need the knowledge base make it on first use."""
    if stored_revision(context.engine) != shipped_head():
        initialize(context)
        return
    with context.transaction() as session:
        if session.get(Recommendation, 1) is None:
            load_reference_data(session)


def initialize(context: AppContext) -> InitSummary:
    """Safe to run any number of times: migrations are versioned and loading is an upsert."""
    from devagenda.core.schema import current_revision, upgrade

    upgrade(context.engine)
    with context.transaction() as session:
        loaded = load_reference_data(session)
    return InitSummary(
        database=context.engine.url.render_as_string(hide_password=True),
        schema_revision=current_revision(context.engine),
        loaded=loaded,
    )


def stored_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None for an empty database), read without
    Alembic."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


@cache
def shipped_head() -> str | None:
    """The newest revision among the shipped migrations: the one no other revises. With
    more than one head, None: the schema then counts as outdated and the upgrade reports
    the branches."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in (files("devagenda") / "migrations" / "versions").iterdir():
        if not script.name.endswith(".py"):
            continue
        source = script.read_text(encoding="utf-8")
        if found := REVISION.search(source):
            revisions.add(found.group(1))
        if (down := DOWN_REVISION.search(source)) and down.group(1):
            revised.add(down.group(1))
    heads = revisions - revised
    if len(heads) == 1:
        return heads.pop()
    return None
