"""Who may do what: one table of actions by role, and the one check services call.

Services call `authorize(action, countries=...)` before they read or write; the web UI,
the API and the CLI set the actor (core.actor) and never decide anything themselves, so
the three obey the same rules. A refusal is a `PermissionDenied` that names the action,
the actor and the reason.

A focal point's grant is limited to records of their countries: a record may be edited
only when it names at least one country and every country it names is assigned to them
(a record shared with another country is that country's too). Records that name no
country (all of them until the activities and flexibilities areas exist) are nobody's,
so a focal point can edit nothing yet.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from devagenda.core.actor import Actor, Role, current_actor
from devagenda.core.errors import PermissionDenied


class Action(enum.StrEnum):
    READ_PUBLIC = "read_public"  # everything published: no account needed
    READ_OWN_ACCOUNT = "read_own_account"  # "who am I": any account
    READ_PERSONAL = "read_personal"  # personal data (consultants of the roster)
    EDIT_RECORD = "edit_record"  # create, change or delete a record of the knowledge base
    POST_MATCH = "post_match"  # post a need or an offer, and express interest for it
    MANAGE_ACCOUNTS = "manage_accounts"  # users and their tokens
    MANAGE_SETTINGS = "manage_settings"  # the installation's settings


class Grant(enum.Enum):
    ALWAYS = "always"
    OWN_COUNTRIES = "own countries"  # only records whose countries are all the actor's
    NEVER = "never"


_A, _OWN, _NO = Grant.ALWAYS, Grant.OWN_COUNTRIES, Grant.NEVER

# Rows are actions, columns the roles in rising order: anonymous, reader, focal point,
# editor, admin. Read it as the specification; tests check every cell.
PERMISSIONS: dict[Action, dict[Role, Grant]] = {
    action: dict(zip(Role, grants, strict=True))
    for action, grants in {
        Action.READ_PUBLIC: (_A, _A, _A, _A, _A),
        Action.READ_OWN_ACCOUNT: (_NO, _A, _A, _A, _A),
        Action.READ_PERSONAL: (_NO, _NO, _NO, _A, _A),
        Action.EDIT_RECORD: (_NO, _NO, _OWN, _A, _A),
        Action.POST_MATCH: (_NO, _A, _A, _A, _A),
        Action.MANAGE_ACCOUNTS: (_NO, _NO, _NO, _NO, _A),
        Action.MANAGE_SETTINGS: (_NO, _NO, _NO, _NO, _A),
    }.items()
}


def refusal(
    action: Action, *, countries: Iterable[str] | None = None, actor: Actor | None = None
) -> str | None:
    """Why `actor` (by default the current one) may not do `action`, or None if allowed.
    `countries` are the ISO alpha-3 codes of the record acted on, for focal points."""
    actor = actor or current_actor()
    grant = PERMISSIONS[action][actor.role]
    if grant is Grant.ALWAYS:
        return None
    who = f"{actor.label} ({actor.role.value})"
    if grant is Grant.NEVER:
        if actor.role is Role.ANONYMOUS:
            return f"{action.value} needs an account: log in or send an API token"
        return f"{who} may not {action.value}: it needs the role {_least_role(action).value}"
    record = sorted(set(countries or ()))
    if not record:
        return f"{who} may {action.value} only for their countries, and this record names none"
    others = [code for code in record if code not in actor.countries]
    if others:
        return (
            f"{who} may {action.value} only for their countries "
            f"({', '.join(sorted(actor.countries)) or 'none assigned'}); "
            f"this record also belongs to {', '.join(others)}"
        )
    return None


def allowed(
    action: Action, *, countries: Iterable[str] | None = None, actor: Actor | None = None
) -> bool:
    """Whether the action would be allowed: for interfaces that hide what would fail."""
    return refusal(action, countries=countries, actor=actor) is None


def authorize(action: Action, *, countries: Iterable[str] | None = None) -> Actor:
    """Raise PermissionDenied unless the current actor may do `action`; returns the
    actor, whom the caller may record as the author of what follows."""
    actor = current_actor()
    reason = refusal(action, countries=countries, actor=actor)
    if reason is not None:
        raise PermissionDenied(
            f"refused: {reason}",
            action=action.value,
            authenticated=actor.role is not Role.ANONYMOUS,
        )
    return actor


def _least_role(action: Action) -> Role:
    """The lowest role granted `action` without conditions."""
    return next(role for role, grant in PERMISSIONS[action].items() if grant is Grant.ALWAYS)
