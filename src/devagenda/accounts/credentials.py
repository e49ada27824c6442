"""The secrets handed to clients (API tokens, web session ids) and the hashes stored for
them. A stolen database copy holds no usable secret: only SHA-256 digests of 256 random
bits, which cannot be reversed or guessed."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

TOKEN_START = "dva_"  # recognizable in logs and by secret scanners
PREFIX_BYTES = 6


@dataclass(frozen=True)
class NewToken:
    token: str  # shown to its owner once, never stored
    prefix: str  # public, stored: identifies the token in lists
    digest: str  # stored


def new_token() -> NewToken:
    prefix = TOKEN_START + secrets.token_hex(PREFIX_BYTES)
    token = f"{prefix}_{secrets.token_urlsafe(32)}"
    return NewToken(token=token, prefix=prefix, digest=digest(token))


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
