"""The opaque cursors of every list and of search: a key wrapped so that clients do not
build one themselves. Apart from `devagenda.core.pagination` so that readers without
SQLAlchemy (the command line's search) share them."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from devagenda.core.errors import InputError

# Keys are SQL INTEGERs (32 bits on PostgreSQL): a cursor beyond them was forged, and
# would be a database error (SQLite from 2**63, PostgreSQL from 2**31) rather than a miss.
MAX_KEY = 2_147_483_647


def encode_cursor(key: int | str) -> str:
    return encode_position({"after": key})


def decode_cursor(cursor: str) -> int | str:
    """The key a cursor points after; a cursor that was not made here is a 422, not a 500."""
    try:
        key = decode_position(cursor)["after"]
    except KeyError:
        raise InputError("not a cursor of this list", field="cursor") from None
    if not isinstance(key, int | str) or isinstance(key, bool):
        raise InputError("not a cursor of this list", field="cursor")
    if isinstance(key, int) and not -MAX_KEY <= key <= MAX_KEY:
        raise InputError("not a cursor of this list", field="cursor")
    return key


def encode_position(position: dict[str, Any]) -> str:
    """A position in a list as an opaque, URL-safe cursor."""
    raw = json.dumps(position, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_position(cursor: str) -> dict[str, Any]:
    """The position a cursor holds; one that was not made here is a 422, not a 500."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, TypeError, UnicodeError):
        raise InputError("not a cursor of this list", field="cursor") from None
    if not isinstance(position, dict):
        raise InputError("not a cursor of this list", field="cursor")
    return position
