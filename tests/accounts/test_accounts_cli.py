"""`devagenda users ...` and `devagenda tokens ...`: output, --json, and errors as one
line with an exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.accounts.conftest import PASSWORD
from typer.testing import CliRunner

from devagenda.accounts.schemas import ACCOUNT_ROLES
from devagenda.accounts.services import authenticate_token
from devagenda.cli import app
from devagenda.cli.accounts import RoleChoice
from devagenda.core.context import AppContext
from devagenda.core.errors import ExitStatus

runner = CliRunner()


def run(context: AppContext, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--database-url", context.settings.database_url, *args], input=stdin)


def test_the_role_choices_are_the_account_roles() -> None:
    assert tuple(choice.value for choice in RoleChoice) == ACCOUNT_ROLES


def test_create_list_and_disable_users(accounts_database: AppContext) -> None:
    created = run(
        accounts_database,
        "users", "create", "Fp@Example.org", "--role", "focal-point",
        "--country", "UG", "--country", "肯尼亚", "--name", "Focal Point", "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    assert created.stdout.strip() == "Created Fp@Example.org, focal-point for KEN, UGA"
    listed = run(accounts_database, "users", "list", "--json")
    assert listed.exit_code == 0
    users = {user["email"]: user for user in json.loads(listed.stdout)}
    assert users["Fp@Example.org"]["countries"] == ["KEN", "UGA"]
    assert users["Fp@Example.org"]["display_name"] == "Focal Point"
    assert users["reader@example.org"]["display_name"] is None
    table = run(accounts_database, "users", "list")
    assert "reader@example.org\tnot stated\treader\t-\tactive\t" in table.stdout
    disabled = run(accounts_database, "users", "disable", "fp@example.org", "--json")
    assert disabled.exit_code == 0 and json.loads(disabled.stdout)["disabled"] is True
    enabled = run(accounts_database, "users", "enable", "FP@example.org")
    assert enabled.stdout.strip() == "Fp@Example.org is enabled"


def test_user_errors_are_one_line_with_a_status(accounts_database: AppContext) -> None:
    cases = [
        (("users", "create", "x@example.org", "--role", "focal-point", "--country", "Kenyaa",
          "--password-stdin"), PASSWORD, "did you mean KEN (Kenya / 肯尼亚)"),
        (("users", "create", "x@example.org", "--role", "focal-point", "--password-stdin"),
         PASSWORD, "a focal point needs at least one country"),
        (("users", "create", "reader@example.org", "--role", "reader", "--password-stdin"),
         PASSWORD, "an account for reader@example.org already exists"),
        (("users", "create", "y@example.org", "--role", "reader", "--password-stdin"),
         "short", "a password needs at least 12 characters"),
        (("users", "create", "y@example.org", "--role", "reader"), PASSWORD,
         "give the password on standard input with --password-stdin"),
        (("tokens", "create", "editor@example.org", "--role", "admin"), None,
         "a token's role cannot be above its owner's"),
        (("tokens", "create", "editor@example.org", "--expires-days", "0"), None,
         "a token lasts from 1 to 3650 days, not 0"),
    ]  # fmt: skip
    for args, stdin, message in cases:
        result = run(accounts_database, *args, stdin=stdin)
        assert result.exit_code == ExitStatus.INPUT, (args, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
        assert "Traceback" not in result.output
    missing = run(accounts_database, "users", "disable", "nobody@example.org")
    assert missing.exit_code == ExitStatus.INPUT
    assert "no account for 'nobody@example.org'" in missing.stderr
    as_json = run(accounts_database, "tokens", "revoke", "dva_ffffffffffff", "--json")
    assert as_json.exit_code == ExitStatus.INPUT
    error = json.loads(as_json.stderr)
    assert error["error"] == "not_found" and error["exit_status"] == ExitStatus.INPUT
    unknown_role = run(accounts_database, "users", "create", "z@example.org", "--role", "owner")
    assert unknown_role.exit_code == 2 and "owner" in unknown_role.output


def test_a_token_is_printed_once_listed_without_secret_and_revoked(
    accounts_database: AppContext,
) -> None:
    created = run(
        accounts_database, "tokens", "create", "editor@example.org", "--expires-days", "7",
        "--role", "reader", "--json",
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    issued = json.loads(created.stdout)
    token = issued["token"]
    assert issued["role"] == "reader" and issued["owner"] == "editor@example.org"
    with accounts_database.transaction() as session:
        identity = authenticate_token(session, token)
    assert identity is not None and identity.actor.role.value == "reader"
    plain = run(accounts_database, "tokens", "create", "editor@example.org")
    assert plain.exit_code == 0
    assert plain.stdout.strip().startswith("dva_") and len(plain.stdout.strip().split()) == 1
    assert "shown only now" in plain.stderr
    listed = run(accounts_database, "tokens", "list", "editor@example.org")
    assert token not in listed.stdout and plain.stdout.strip() not in listed.stdout
    assert issued["prefix"] in listed.stdout
    as_json = json.loads(run(accounts_database, "tokens", "list", "--json").stdout)
    assert all("token" not in row for row in as_json)
    revoked = run(accounts_database, "tokens", "revoke", issued["prefix"])
    assert revoked.exit_code == 0
    assert revoked.stdout.strip() == f"Revoked {issued['prefix']} of editor@example.org"
    with accounts_database.transaction() as session:
        assert authenticate_token(session, token) is None
    states = {row["prefix"]: row["state"] for row in json.loads(
        run(accounts_database, "tokens", "list", "--json").stdout
    )}  # fmt: skip
    assert states[issued["prefix"]] == "revoked"


def test_each_command_in_a_process_of_its_own(tmp_path: Path) -> None:
    """As a user runs them: a new process per command, so that nothing an earlier command
    imported or installed in the same process hides a failure (the change log's listeners
    were once installed in the middle of a token's first flush)."""
    environment = {
        **os.environ,
        "DEVAGENDA_DATABASE_URL": f"sqlite:///{tmp_path / 'accounts.sqlite3'}",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }

    def run(*arguments: str, given: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "devagenda", *arguments],
            input=given,
            capture_output=True,
            text=True,
            env=environment,
            check=False,
        )

    created = run(
        "users",
        "create",
        "ed@example.org",
        "--role",
        "editor",
        "--password-stdin",
        given="a-long-password-123\n",
    )
    assert created.returncode == 0, created.stderr
    issued = run("tokens", "create", "ed@example.org", "--json")
    assert issued.returncode == 0, issued.stderr
    assert json.loads(issued.stdout)["token"].startswith("dva_")
    listed = run("tokens", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [token["owner"] for token in json.loads(listed.stdout)] == ["ed@example.org"]
