"""`devagenda users ...` and `devagenda tokens ...`: accounts and API tokens.

The command line acts as the machine's operator, an administrator (`operator_actor`), so
these commands are allowed here and nowhere else without an administrator's account.
"""

from __future__ import annotations

import enum
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from devagenda.cli import (
    JsonOption,
    console,
    context_of,
    counted,
    emit_json,
    errors,
    print_table,
    stated,
    user_errors,
)
from devagenda.core.errors import InputError

if TYPE_CHECKING:
    from datetime import datetime

    from devagenda.accounts.schemas import TokenOut, UserOut


class RoleChoice(enum.StrEnum):
    """Account roles, as accounts.schemas.ACCOUNT_ROLES (a test checks); not imported
    from there so that `--help` stays fast."""

    READER = "reader"
    FOCAL_POINT = "focal-point"
    EDITOR = "editor"
    ADMIN = "admin"


app = typer.Typer()
users_app = typer.Typer(
    help="Accounts: create, list, disable and enable users.", no_args_is_help=True
)
tokens_app = typer.Typer(
    help="API tokens: create (shown once), list, revoke.", no_args_is_help=True
)
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")


@users_app.command("create")
def users_create(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The e-mail address the person logs in with.")],
    role: Annotated[RoleChoice, typer.Option(help="The account's role.")],
    country: Annotated[
        list[str] | None,
        typer.Option(
            "--country",
            help="A focal point's country (ISO alpha-2, alpha-3 or a name); repeat for more.",
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="The name shown.")] = None,
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from standard input."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Create an account; the password comes from standard input or a prompt."""
    from devagenda.accounts.services import create_user

    with user_errors():
        password = _read_password(password_stdin)
        context = context_of(ctx)
        with context.transaction() as session:
            user = create_user(
                session,
                email=email,
                role=role.value,
                password=password,
                countries=country or [],
                display_name=name,
            )
    if as_json:
        emit_json(user)
        return
    where = f" for {', '.join(user.countries)}" if user.countries else ""
    console.print(f"Created {user.email}, {user.role.value}{where}", markup=False)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InputError("standard input held no password", field="password")
        return password
    if not sys.stdin.isatty():
        raise InputError(
            "give the password on standard input with --password-stdin", field="password"
        )
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_app.command("list")
def users_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List accounts with their role, countries and last login."""
    from devagenda.accounts.services import list_users

    with user_errors(), context_of(ctx).transaction() as session:
        users = list_users(session)
    if as_json:
        emit_json(users)
        return
    print_table(
        ("email", "name", "role", "countries", "state", "created", "last login"),
        [_user_row(user) for user in users],
    )
    console.print(counted(len(users), "account"))


def _user_row(user: UserOut) -> tuple[str, ...]:
    return (
        user.email,
        stated(user.display_name),
        user.role.value,
        ", ".join(user.countries) or "-",
        "disabled" if user.disabled else "active",
        _moment(user.created_at),
        _moment(user.last_login_at) if user.last_login_at else "never",
    )


def _moment(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


@users_app.command("disable")
def users_disable(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
    as_json: JsonOption = False,
) -> None:
    """Disable an account: it logs out everywhere and its tokens stop working."""
    _set_disabled(ctx, email, True, as_json)


@users_app.command("enable")
def users_enable(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
    as_json: JsonOption = False,
) -> None:
    """Enable a disabled account again (its unexpired, unrevoked tokens work again)."""
    _set_disabled(ctx, email, False, as_json)


def _set_disabled(ctx: typer.Context, email: str, disabled: bool, as_json: bool) -> None:
    from devagenda.accounts.services import set_disabled

    with user_errors(), context_of(ctx).transaction() as session:
        user = set_disabled(session, email, disabled)
    if as_json:
        emit_json(user)
    else:
        console.print(f"{user.email} is {'disabled' if disabled else 'enabled'}", markup=False)


@tokens_app.command("create")
def tokens_create(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The owner's e-mail address.")],
    expires_days: Annotated[
        int, typer.Option("--expires-days", help="Days until the token expires (1-3650).")
    ] = 90,
    role: Annotated[
        RoleChoice | None,
        typer.Option(help="A lower role than the owner's (default: the owner's)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Create an API token; it is printed once and cannot be shown again."""
    from devagenda.accounts.services import create_token

    with user_errors(), context_of(ctx).transaction() as session:
        issued = create_token(session, email, expires_days=expires_days, role=role and role.value)
    if as_json:
        emit_json(issued)
        return
    print(issued.token)
    errors.print(
        f"Token {issued.prefix} for {issued.owner} ({issued.role.value}), expires "
        f"{_moment(issued.expires_at)}. It is shown only now: store it safely.",
        markup=False,
    )


@tokens_app.command("list")
def tokens_list(
    ctx: typer.Context,
    email: Annotated[str | None, typer.Argument(help="Only this owner's tokens.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List tokens (never their secret) with their state and last use."""
    from devagenda.accounts.services import list_tokens

    with user_errors(), context_of(ctx).transaction() as session:
        tokens = list_tokens(session, email)
    if as_json:
        emit_json(tokens)
        return
    print_table(
        ("id", "prefix", "owner", "role", "state", "expires", "last used"),
        [_token_row(token) for token in tokens],
    )
    console.print(counted(len(tokens), "token"))


def _token_row(token: TokenOut) -> tuple[str, ...]:
    role = token.role.value
    if token.effective_role is not token.role:
        role += f" (acts as {token.effective_role.value})"
    return (
        str(token.id),
        token.prefix,
        token.owner,
        role,
        token.state.value,
        _moment(token.expires_at),
        _moment(token.last_used_at) if token.last_used_at else "never",
    )


@tokens_app.command("revoke")
def tokens_revoke(
    ctx: typer.Context,
    token: Annotated[str, typer.Argument(help="The token's prefix (dva_...) or id.")],
    as_json: JsonOption = False,
) -> None:
    """Revoke a token: it stops working at once, for good."""
    from devagenda.accounts.services import revoke_token

    with user_errors(), context_of(ctx).transaction() as session:
        revoked = revoke_token(session, token)
    if as_json:
        emit_json(revoked)
    else:
        console.print(f"Revoked {revoked.prefix} of {revoked.owner}", markup=False)
