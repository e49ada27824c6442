"""The per-process wiring that interfaces share: settings, engine and sessions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from devagenda.core.database import make_engine, make_session_factory, transaction
from devagenda.core.settings import Settings
from devagenda.search.sync import install as keep_search_index_in_sync


@dataclass
class AppContext:
    settings: Settings

    @classmethod
    def for_url(cls, database_url: str) -> AppContext:
        return cls(Settings(database_url=database_url))

    @cached_property
    def engine(self) -> Engine:
        return make_engine(
            self.settings.database_url,
            threads=self.settings.threads,
            pool_timeout=self.settings.pool_timeout,
        )

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """Sessions whose writes also update the search index (devagenda.search.sync) and
        the change log (devagenda.core.changelog)."""
        from devagenda.core.changelog import install as keep_the_change_log

        keep_search_index_in_sync()
        keep_the_change_log()
        return make_session_factory(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with transaction(self.sessions) as session:
            yield session
