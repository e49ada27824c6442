"""Who is acting: the one value that accounts, permissions and the change log share.

Every interface sets the actor once per request or command (`acting_as`), and the service
layer reads it (`current_actor`) to decide what is allowed and whom to record in the
change log. Nothing else passes identities around, so a service function called from the
web UI, the API or the CLI sees the same person and obeys the same rules.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


class Role(enum.StrEnum):
    """Roles in rising order of what they may do; `rank` compares them."""

    ANONYMOUS = "anonymous"  # no account: public data only
    READER = "reader"  # an account that reads; sees nothing more than the public yet
    FOCAL_POINT = "focal-point"  # a member state's representative: their countries' records
    EDITOR = "editor"  # the secretariat: edits every record
    ADMIN = "admin"  # accounts and settings, and everything an editor may do

    @property
    def rank(self) -> int:
        return list(Role).index(self)


@dataclass(frozen=True)
class Actor:
    """A person or process on whose behalf the current code runs."""

    label: str  # what the change log shows: an e-mail address, "operator:root", "anonymous"
    role: Role = Role.ANONYMOUS
    user_id: int | None = None  # the account, when the actor has one
    countries: frozenset[str] = field(default_factory=frozenset)  # ISO alpha-3, focal points
    request_id: str | None = None  # the HTTP request or CLI run the actor's writes belong to


ANONYMOUS = Actor(label="anonymous")

_current: ContextVar[Actor] = ContextVar("devagenda_actor", default=ANONYMOUS)


def current_actor() -> Actor:
    return _current.get()


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """Run the enclosed code on behalf of `actor`, restoring the previous actor after."""
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)
