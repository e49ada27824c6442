"""Runtime settings, read from the environment once per process."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

DATABASE_URL_VARIABLE = "DEVAGENDA_DATABASE_URL"


def default_database_path() -> Path:
    """Where the embedded SQLite database lives when nothing else is configured."""
    return Path(user_data_dir("devagenda", appauthor=False)) / "devagenda.sqlite3"


@dataclass(frozen=True)
class Settings:
    database_url: str

    @classmethod
    def from_environment(cls, database_url: str | None = None) -> Settings:
        """An explicit URL wins over the environment, which wins over the default file."""
        url = database_url or os.environ.get(DATABASE_URL_VARIABLE)
        if not url:
            path = default_database_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{path}"
        return cls(database_url=url)
