"""Alembic environment: runs on the engine devagenda hands over (see core/schema.py)."""

from alembic import context

from devagenda.core.schema import metadata
from devagenda.search.models import include_name

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata(),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()
