"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106's low-memory choice).

A stored hash names its own parameters, so raising them later needs no migration: the
next successful login rehashes (`needs_rehash`).
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from devagenda.core.errors import InputError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # argon2 takes any length; a bound keeps one request's work bounded

_HASHER = PasswordHasher(type=Type.ID)


def check_rules(password: str) -> None:
    """Length is what makes a password strong; composition rules only annoy (NIST 800-63B)."""
    if len(password) < MIN_LENGTH:
        raise InputError(
            f"a password needs at least {MIN_LENGTH} characters, this one has {len(password)}",
            field="password",
        )
    if len(password) > MAX_LENGTH:
        raise InputError(f"a password has at most {MAX_LENGTH} characters", field="password")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)


def verify_nothing(password: str) -> None:
    """The work of one verification, for an unknown or disabled account: a failed login
    takes as long whether or not the address has an account."""
    verify(_unknown_account_hash(), password)


@cache
def _unknown_account_hash() -> str:
    return _HASHER.hash("no account has this password")
