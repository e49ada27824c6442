"""Create or upgrade the database schema with the Alembic migrations shipped in the package."""

from __future__ import annotations

from importlib import import_module
from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData

from devagenda.core.models import Base

# Every module that declares tables; importing them completes Base.metadata.
MODEL_MODULES = (
    "devagenda.core.models",
    "devagenda.reference.models",
    "devagenda.catalogue.models",
    "devagenda.reports.models",
    "devagenda.search.models",
)


def metadata() -> MetaData:
    for module in MODEL_MODULES:
        import_module(module)
    return Base.metadata


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("devagenda") / "migrations"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates it on an empty database)."""
    command.upgrade(alembic_config(engine), "head")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
