"""The read-only REST API; `create_app` builds it.

`create_app` is imported on first use: the web UI shares modules of this package
(devagenda.api.listing, .params), and importing them must not build the app's imports.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from devagenda.api.app import create_app

        return create_app
    raise AttributeError(name)
