"""Create or upgrade the database schema with the Alembic migrations shipped in the package.

Every command that opens the database first checks the schema is current. That check
reads the `alembic_version` table with plain SQL and the newest revision from the
migration files themselves, so that it does not import Alembic (a fifth of a second of
start-up); only an actual upgrade does. Importing this module imports no SQLAlchemy
either, so that the command line's plain-sqlite3 readers can check the revision with the
same query (`CURRENT_REVISION`) and the same head.
"""

from __future__ import annotations

import ast
from functools import cache
from importlib import import_module
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine, MetaData

# Every module that declares tables; importing them completes Base.metadata.
MODEL_MODULES = (
    "devagenda.core.models",
    "devagenda.core.changelog",
    "devagenda.reference.models",
    "devagenda.catalogue.models",
    "devagenda.reports.models",
    "devagenda.search.models",
    "devagenda.accounts.models",
    "devagenda.activities.models",
    "devagenda.roster.models",
    "devagenda.match.models",
    "devagenda.flexibilities.models",
)
VERSION_TABLE = "alembic_version"  # Alembic's default, which migrations/env.py keeps
CURRENT_REVISION = f"SELECT version_num FROM {VERSION_TABLE}"


def metadata() -> MetaData:
    from devagenda.core.models import Base

    for module in MODEL_MODULES:
        import_module(module)
    return Base.metadata


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("devagenda") / "migrations"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates it on an empty database)."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a database devagenda has not set up."""
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        revisions = connection.execute(text(CURRENT_REVISION))
        return revisions.scalar_one_or_none()


@cache
def head_revision() -> str:
    """The newest revision of the shipped migrations, read from their files: the one
    revision that no other revision names as its `down_revision`."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (files("devagenda") / "migrations" / "versions").iterdir():
        if not path.name.endswith(".py"):
            continue
        values = _assigned_values(path.read_text(encoding="utf-8"))
        revisions.add(values["revision"])
        down = values.get("down_revision")
        parents.update([down] if isinstance(down, str) else down or ())
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def _assigned_values(source: str) -> dict[str, object]:
    """The literal values a migration file assigns at top level (`revision = "0005"`)."""
    values: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign | ast.Assign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    try:
                        values[target.id] = ast.literal_eval(node.value)
                    except ValueError:
                        continue
    return values


def schema_is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
