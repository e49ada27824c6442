"""Runtime settings, read from the environment once per process."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

from devagenda.core.errors import InputError

DATABASE_URL_VARIABLE = "DEVAGENDA_DATABASE_URL"
THREADS_VARIABLE = "DEVAGENDA_THREADS"
POOL_TIMEOUT_VARIABLE = "DEVAGENDA_POOL_TIMEOUT"
QUEUE_TIMEOUT_VARIABLE = "DEVAGENDA_QUEUE_TIMEOUT"
MAX_BODY_VARIABLE = "DEVAGENDA_MAX_BODY_BYTES"
IATI_REPORTING_ORG_VARIABLE = "DEVAGENDA_IATI_REPORTING_ORG"
DEFAULT_THREADS = 16
DEFAULT_POOL_TIMEOUT = 10.0  # seconds a request waits for a connection before a 503
DEFAULT_QUEUE_TIMEOUT = 60.0  # seconds a request waits for its turn before a 503
DEFAULT_MAX_BODY_BYTES = 1_048_576  # a request body beyond this is refused with 413
# WIPO's organisation identifier in IATI files, by the convention for multilateral
# agencies: the OECD DAC registration agency (XM-DAC) and WIPO's DAC channel code, 41308.
# It is derived, not looked up in IATI's registry (see README, "IATI export").
DEFAULT_IATI_REPORTING_ORG = "XM-DAC-41308"
# An organisation identifier: an agency prefix and a code, without spaces or the
# characters IATI's rules forbid in identifiers (/ : ' " ?).
_ORGANISATION_IDENTIFIER = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9._]+)+")


def default_database_path() -> Path:
    """Where the embedded SQLite database lives when nothing else is configured."""
    return Path(user_data_dir("devagenda", appauthor=False)) / "devagenda.sqlite3"


@dataclass(frozen=True)
class Settings:
    # Out of the repr: a PostgreSQL URL may hold the password, and reprs end up in logs.
    database_url: str = field(repr=False)
    # Requests a server process handles at once (its worker threads); the connection
    # pool is sized from it, so that no thread waits for a connection another one holds.
    threads: int = DEFAULT_THREADS
    pool_timeout: float = DEFAULT_POOL_TIMEOUT
    queue_timeout: float = DEFAULT_QUEUE_TIMEOUT
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    # The reporting organisation of IATI exports, and the prefix of their identifiers.
    iati_reporting_org: str = DEFAULT_IATI_REPORTING_ORG

    @classmethod
    def from_environment(cls, database_url: str | None = None) -> Settings:
        """An explicit URL wins over the environment, which wins over the default file."""
        url = database_url or os.environ.get(DATABASE_URL_VARIABLE)
        if not url:
            path = default_database_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{path}"
        return cls(
            database_url=url,
            threads=int(_positive(THREADS_VARIABLE, DEFAULT_THREADS, whole=True)),
            pool_timeout=_positive(POOL_TIMEOUT_VARIABLE, DEFAULT_POOL_TIMEOUT),
            queue_timeout=_positive(QUEUE_TIMEOUT_VARIABLE, DEFAULT_QUEUE_TIMEOUT),
            max_body_bytes=int(_positive(MAX_BODY_VARIABLE, DEFAULT_MAX_BODY_BYTES, whole=True)),
            iati_reporting_org=_organisation_identifier(),
        )


def _positive(variable: str, default: float, *, whole: bool = False) -> float:
    """A positive number from the environment, or `default` when the variable is unset."""
    raw = os.environ.get(variable)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        value = 0
    if value <= 0:
        kind = "whole number" if whole else "number"
        raise InputError(f"must be a positive {kind}, not {raw!r}", field=variable)
    return value


def _organisation_identifier() -> str:
    """The IATI reporting organisation from the environment, or WIPO's by default."""
    raw = os.environ.get(IATI_REPORTING_ORG_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_IATI_REPORTING_ORG
    if not _ORGANISATION_IDENTIFIER.fullmatch(raw):
        raise InputError(
            f"must be an IATI organisation identifier such as {DEFAULT_IATI_REPORTING_ORG} "
            f"(an agency prefix and a code, no spaces or / : ' \" ?), not {raw!r}",
            field=IATI_REPORTING_ORG_VARIABLE,
        )
    return raw
