"""The read-only REST API; `create_app` builds it."""

from devagenda.api.app import create_app

__all__ = ["create_app"]
