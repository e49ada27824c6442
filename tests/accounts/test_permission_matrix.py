"""Who may write what, through the API: every write route of the OpenAPI schema, sent
valid (a real record, a valid body, the right `If-Match`) with every kind of credential.

Anonymous requests and bad tokens get 401 with `WWW-Authenticate`; readers, focal points
(the catalogue's records belong to no country, so not even a focal point of a country a
project names may edit it; an activity is its countries', so Kenya's focal point may
write Kenya's activities and Peru's may not) and an administrator's token capped to reading get 403;
editors and administrators succeed. A refused request writes nothing: the change log
gains no entry and the record keeps its version. The History tab's revert button, the
one write outside /api, is checked the same way with logged-in browsers.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from tests.accounts.conftest import ACCOUNTS, ADMIN, PASSWORD

from devagenda.accounts.models import ApiToken, User
from devagenda.accounts.services import (
    actor_for,
    create_token,
    create_user,
    now,
    revoke_token,
    set_disabled,
)
from devagenda.activities import editing as activity_editing
from devagenda.activities.schemas import ActivityCreate
from devagenda.api import create_app
from devagenda.catalogue import editing
from devagenda.catalogue.schemas import (
    DocumentCreate,
    ProjectCreate,
    SessionCreate,
    SessionEdit,
    StatusStatementIn,
    TextIn,
)
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.changelog import ChangeEntry
from devagenda.core.context import AppContext
from devagenda.flexibilities import services as flexibility_services
from devagenda.flexibilities.schemas import ProvisionIn, UpdateIn
from devagenda.match import connections as match_connections
from devagenda.match import services as match_services
from devagenda.match.notices import notices_for
from devagenda.match.schemas import PostCreate
from devagenda.roster import editing as roster_editing
from devagenda.roster.schemas import ConsultantCreate

PROJECT = 52  # proposed by Peru, Cameroon, Malaysia and Morocco
WRITE_METHODS = ("post", "patch", "put", "delete")
TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
_serial = itertools.count(1)  # new records need keys of their own, cell after cell


@dataclass(frozen=True)
class Credential:
    """How a request authenticates, and what it gets for a write."""

    token: str | None  # the name of a token of the `tokens` fixture; None for no header
    outcome: str  # "written", "forbidden" (403) or "unauthenticated" (401)


CREDENTIALS = {
    "anonymous": Credential(None, "unauthenticated"),
    "reader": Credential("reader", "forbidden"),
    "focal point of KEN": Credential("focal", "forbidden"),
    "focal point of PER, a proposer": Credential("focal-per", "forbidden"),
    "editor": Credential("editor", "written"),
    "admin": Credential("admin", "written"),
    "admin capped to reader": Credential("admin-as-reader", "forbidden"),
    "revoked token": Credential("revoked", "unauthenticated"),
    "expired token": Credential("expired", "unauthenticated"),
    "token of a disabled account": Credential("disabled", "unauthenticated"),
}


@dataclass(frozen=True)
class Write:
    """One request of an operation, and the record whose version a refusal keeps."""

    path: str
    body: dict[str, Any] | None = None
    record: str | None = None  # the GET of the record written; its ETag goes in If-Match


def _admin_write(context: AppContext, service: Callable[..., Any], *args: Any) -> Any:
    with acting_as(ADMIN), context.transaction() as session:
        return service(session, *args)


def _new_project(context: AppContext) -> int:
    data = ProjectCreate(titles={"en": TextIn(text="To delete")}, source="editor")
    return _admin_write(context, editing.create_project, data).id


def _new_session(context: AppContext) -> int:
    number = 500 + next(_serial)
    _admin_write(
        context, editing.create_cdip_session, SessionCreate(number=number, source="editor")
    )
    return number


def _new_document(context: AppContext) -> str:
    symbol = f"CDIP/90/{next(_serial)}"
    return _admin_write(context, editing.create_document, DocumentCreate(symbol=symbol)).symbol


def _new_statement(context: AppContext) -> int:
    data = StatusStatementIn(
        status="ongoing", date=date(2023, 9, 1), source=f"https://www.wipo.int/s/{next(_serial)}"
    )
    after = _admin_write(context, editing.add_status, PROJECT, data, None)
    return max(statement.id for statement in after.status_history)


def _new_activity(context: AppContext) -> int:
    """An activity held in Kenya: its focal point's to edit, nobody else's of that role."""
    data = ActivityCreate(
        titles={"en": TextIn(text=f"Seminar {next(_serial)}")}, host_country="KEN", source="editor"
    )
    return _admin_write(context, activity_editing.create_activity, data).id


def _activity_write(context: AppContext, body: dict[str, Any]) -> Write:
    path = f"/api/activities/{_new_activity(context)}"
    return Write(path, body, path)


def _new_consultant(context: AppContext) -> int:
    data = ConsultantCreate(name_latin=f"Expert {next(_serial)}", source="editor")
    return _admin_write(context, roster_editing.create_consultant, data).id


def _kenya_provision(serial: int) -> dict[str, Any]:
    return {
        "jurisdiction": "KEN",
        "category": "research-exception",
        "law_title": f"Industrial Property Act {serial}",
    }


def _new_flexibility_update(context: AppContext) -> int:
    """A member-state update of Kenya by its focal point, adding a provision."""
    focal = Actor(label="focal@example.org", role=Role.FOCAL_POINT, countries=frozenset({"KEN"}))
    data = UpdateIn(
        jurisdiction="KEN",
        communication_reference=f"KE/{next(_serial)}",
        communication_date=date(2024, 3, 4),
        summary="A new provision",
        adds=[ProvisionIn.model_validate(_kenya_provision(next(_serial)))],
    )
    with acting_as(focal), context.transaction() as session:
        return flexibility_services.submit_update(session, data).id


def _new_kenya_provision(context: AppContext) -> int:
    data = ProvisionIn.model_validate(_kenya_provision(next(_serial)))
    return _admin_write(context, flexibility_services.create_provision, data).id


def _new_match_post(context: AppContext, side: str = "need") -> str:
    """A post of no account (as imported): only editors and administrators act for it."""
    data = PostCreate(side=side, title_en=f"Examiner training {next(_serial)}", owner="KIPI")
    return _admin_write(context, match_services.create_post, data).key


def _new_connection(context: AppContext) -> int:
    need, offer = _new_match_post(context, "need"), _new_match_post(context, "offer")
    return _admin_write(context, match_connections.express_interest, need, offer).id


def _readers_notice(context: AppContext) -> int:
    """A notice for the reader's account: a connection made with the reader's post."""
    with context.transaction() as session:
        reader = session.scalars(select(User).where(User.email == "reader@example.org")).one()
        actor = actor_for(reader)
    data = PostCreate(side="need", title_en=f"Funds {next(_serial)}", owner="A reader")
    with acting_as(actor), context.transaction() as session:
        own = match_services.create_post(session, data).key
    connection = _admin_write(
        context, match_connections.express_interest, _new_match_post(context, "offer"), own
    )
    with acting_as(actor), context.transaction() as session:
        found = [n for n in notices_for(session) if n.connection_id == connection.id]
        return found[0].id


def _deleting(path: str) -> Write:
    """A DELETE of the record at `path`, which it also reads for its ETag."""
    return Write(path, None, path)


# Each write route of the API, by method and path as the OpenAPI schema names it, and how
# to make a valid request of it (records it needs are made first, by an administrator).
OPERATIONS: dict[tuple[str, str], Callable[[AppContext], Write]] = {
    ("post", "/api/projects"): lambda context: Write(
        "/api/projects", {"titles": {"en": {"text": "A new project"}}, "source": "editor"}
    ),
    ("patch", "/api/projects/{project_id}"): lambda context: Write(
        f"/api/projects/{PROJECT}",
        {"budget_chf": str(next(_serial)), "source": "CDIP/31/4"},
        f"/api/projects/{PROJECT}",
    ),
    ("delete", "/api/projects/{project_id}"): lambda context: _deleting(
        f"/api/projects/{_new_project(context)}"
    ),
    ("post", "/api/projects/{project_id}/statuses"): lambda context: Write(
        f"/api/projects/{PROJECT}/statuses",
        {
            "status": "ongoing",
            "date": str(date.today() - timedelta(days=1)),
            "source": f"https://www.wipo.int/m/{next(_serial)}",
        },
        f"/api/projects/{PROJECT}",
    ),
    ("delete", "/api/projects/{project_id}/statuses/{statement_id}"): lambda context: Write(
        f"/api/projects/{PROJECT}/statuses/{_new_statement(context)}",
        None,
        f"/api/projects/{PROJECT}",
    ),
    ("post", "/api/sessions"): lambda context: Write(
        "/api/sessions", {"number": 900 + next(_serial), "source": "editor"}
    ),
    ("patch", "/api/sessions/{number}"): lambda context: Write(
        "/api/sessions/30",
        {"end_date": str(date(2023, 5, 1) + timedelta(days=next(_serial))), "source": "editor"},
        "/api/sessions/30",
    ),
    ("delete", "/api/sessions/{number}"): lambda context: _deleting(
        f"/api/sessions/{_new_session(context)}"
    ),
    ("post", "/api/documents"): lambda context: Write(
        "/api/documents", {"symbol": f"CDIP/91/{next(_serial)}"}
    ),
    ("patch", "/api/documents/{symbol}"): lambda context: Write(
        "/api/documents/CDIP/31/4",
        {"url": f"https://www.wipo.int/d/{next(_serial)}"},
        "/api/documents/CDIP/31/4",
    ),
    ("delete", "/api/documents/{symbol}"): lambda context: _deleting(
        f"/api/documents/{_new_document(context)}"
    ),
    ("patch", "/api/recommendations/{number}"): lambda context: Write(
        "/api/recommendations/1",
        {"texts": {"fr": {"text": f"Assistance {next(_serial)}"}}, "source": "editor"},
        "/api/recommendations/1",
    ),
    ("post", "/api/activities"): lambda context: Write(
        "/api/activities",
        {"titles": {"en": {"text": "A workshop"}}, "host_country": "KEN", "source": "editor"},
    ),
    ("patch", "/api/activities/{activity_id}"): lambda context: _activity_write(
        context, {"venue_city": f"Nairobi {next(_serial)}", "source": "editor"}
    ),
    ("delete", "/api/activities/{activity_id}"): lambda context: _deleting(
        f"/api/activities/{_new_activity(context)}"
    ),
    # The roster holds personal data: editors and administrators only, focal points never.
    ("post", "/api/consultants"): lambda context: Write(
        "/api/consultants", {"name_latin": "A new expert", "source": "editor"}
    ),
    ("patch", "/api/consultants/{consultant_id}"): lambda context: Write(
        f"/api/consultants/{(key := _new_consultant(context))}",
        {"phone": f"+41 22 {next(_serial):06d}", "source": "editor"},
        f"/api/consultants/{key}",
    ),
    ("delete", "/api/consultants/{consultant_id}"): lambda context: _deleting(
        f"/api/consultants/{_new_consultant(context)}"
    ),
    # Flexibilities: provisions and attachments by editors; a member-state update only
    # by a focal point of its jurisdiction (not even an editor speaks for a member state).
    ("post", "/api/flexibilities/provisions"): lambda context: Write(
        "/api/flexibilities/provisions", _kenya_provision(next(_serial))
    ),
    ("post", "/api/flexibilities/updates"): lambda context: Write(
        "/api/flexibilities/updates",
        {
            "jurisdiction": "KEN",
            "communication_reference": f"KE/{next(_serial)}",
            "communication_date": "2024-03-04",
            "summary": "A new provision",
            "adds": [_kenya_provision(next(_serial))],
        },
    ),
    ("post", "/api/flexibilities/updates/{update_id}/provisions"): lambda context: Write(
        f"/api/flexibilities/updates/{_new_flexibility_update(context)}/provisions",
        {"provision_id": _new_kenya_provision(context), "effect": "amends"},
    ),
    # Matchmaking: any account posts and acts for its own posts; the posts written here
    # belong to no account, so only editors and administrators act for them.
    ("post", "/api/match/posts"): lambda context: Write(
        "/api/match/posts", {"side": "offer", "title_en": "Grants", "owner": "A donor"}
    ),
    ("patch", "/api/match/posts/{key}"): lambda context: Write(
        f"/api/match/posts/{(key := _new_match_post(context))}",
        {"contact": f"kipi{next(_serial)}@example.org"},
        f"/api/match/posts/{key}",
    ),
    ("delete", "/api/match/posts/{key}"): lambda context: _deleting(
        f"/api/match/posts/{_new_match_post(context)}"
    ),
    ("post", "/api/match/posts/{key}/interest"): lambda context: Write(
        f"/api/match/posts/{_new_match_post(context, 'need')}/interest",
        {"other": _new_match_post(context, "offer")},
    ),
    ("post", "/api/match/connections/{connection_id}/moves"): lambda context: Write(
        f"/api/match/connections/{_new_connection(context)}/moves", {"state": "discussion"}
    ),
    ("post", "/api/match/notices/{notice_id}/read"): lambda context: Write(
        f"/api/match/notices/{_readers_notice(context)}/read"
    ),
    ("put", "/api/match/mail-settings"): lambda context: Write(
        "/api/match/mail-settings",
        {"enabled": bool(next(_serial) % 2), "sender": "match@example.org"},
    ),
}
# Activities belong to their countries: Kenya's focal point may write Kenya's, Peru's may
# not (every other credential is as for the catalogue).
ACTIVITY_ROUTES = [operation for operation in OPERATIONS if "/activities" in operation[1]]
OUTCOME_OF = {(operation, "focal point of KEN"): "written" for operation in ACTIVITY_ROUTES}
FLEXIBILITY_UPDATE = ("post", "/api/flexibilities/updates")
OUTCOME_OF |= {
    (FLEXIBILITY_UPDATE, "focal point of KEN"): "written",
    (FLEXIBILITY_UPDATE, "editor"): "forbidden",
    (FLEXIBILITY_UPDATE, "admin"): "forbidden",
}
MATCH_POST = ("post", "/api/match/posts")
OUTCOME_OF |= {
    (MATCH_POST, who): "written"
    for who in ("reader", "focal point of KEN", "focal point of PER, a proposer")
}
OUTCOME_OF[(MATCH_POST, "admin capped to reader")] = "written"  # a reader may post
# A notice is its account's alone: the reader's here.
NOTICE_READ = ("post", "/api/match/notices/{notice_id}/read")
OUTCOME_OF |= {
    (NOTICE_READ, "reader"): "written",
    (NOTICE_READ, "editor"): "forbidden",
    (NOTICE_READ, "admin"): "forbidden",
}
MAIL_SETTINGS = ("put", "/api/match/mail-settings")
OUTCOME_OF[(MAIL_SETTINGS, "editor")] = "forbidden"  # the installation's settings
# Notices are derived from the changes they tell of, so reading one logs nothing.
UNLOGGED = {NOTICE_READ}
WRITTEN_STATUS = {"post": 201, "patch": 200, "put": 200, "delete": 204}
# The statements route's DELETE answers with the project's new state.
WRITTEN_STATUS_OF = {
    ("delete", "/api/projects/{project_id}/statuses/{statement_id}"): 200,
    ("post", "/api/flexibilities/updates/{update_id}/provisions"): 200,
    ("post", "/api/match/connections/{connection_id}/moves"): 200,
    NOTICE_READ: 200,
}


@pytest.fixture(scope="module")
def context(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    """The 2023 report with an account of each role, a focal point of Peru besides the
    one of Kenya, and an account that will be disabled."""
    with databases.report_copy() as context:
        with acting_as(ADMIN), context.transaction() as session:
            for email, (role, countries) in ACCOUNTS.items():
                create_user(session, email=email, role=role, password=PASSWORD, countries=countries)
            create_user(
                session,
                email="focal-per@example.org",
                role="focal-point",
                password=PASSWORD,
                countries=("PER",),
            )
            create_user(session, email="gone@example.org", role="admin", password=PASSWORD)
        yield context


@pytest.fixture(scope="module")
def tokens(context: AppContext) -> dict[str, str]:
    made: dict[str, str] = {}
    with acting_as(ADMIN), context.transaction() as session:
        for name in ("reader", "focal", "focal-per", "editor", "admin"):
            made[name] = create_token(session, f"{name}@example.org").token
        made["admin-as-reader"] = create_token(session, "admin@example.org", role="reader").token
        expired = create_token(session, "editor@example.org")
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == expired.id)
            .values(expires_at=now() - timedelta(minutes=1))
        )
        made["expired"] = expired.token
        revoked = create_token(session, "admin@example.org")
        revoke_token(session, revoked.prefix)
        made["revoked"] = revoked.token
        made["disabled"] = create_token(session, "gone@example.org").token
        set_disabled(session, "gone@example.org", True)
    return made


@pytest.fixture(scope="module")
def api(context: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(context), base_url="http://127.0.0.1") as client:
        yield client


def last_entry(context: AppContext) -> int:
    with context.sessions() as session:
        return session.scalar(select(func.max(ChangeEntry.id))) or 0


def test_the_matrix_covers_every_write_route(api: TestClient) -> None:
    """A write route added to the API without a row here fails this test."""
    paths = api.get("/api/openapi.json").json()["paths"]
    routes = {
        (method, path)
        for path, operations in paths.items()
        if path.startswith("/api/")
        for method in operations
        if method in WRITE_METHODS
    }
    assert routes == set(OPERATIONS), (
        f"write routes without a row in the matrix: {sorted(routes - set(OPERATIONS))}; "
        f"rows without a route: {sorted(set(OPERATIONS) - routes)}"
    )


@pytest.mark.parametrize("who", CREDENTIALS)
@pytest.mark.parametrize("operation", OPERATIONS, ids=" ".join)
def test_a_write_by_each_kind_of_credential(
    api: TestClient,
    context: AppContext,
    tokens: dict[str, str],
    operation: tuple[str, str],
    who: str,
) -> None:
    method, _ = operation
    cell = f"{method.upper()} {operation[1]} as {who}"
    credential = CREDENTIALS[who]
    outcome = OUTCOME_OF.get((operation, who), credential.outcome)
    write = OPERATIONS[operation](context)
    headers = (
        {} if credential.token is None else {"Authorization": f"Bearer {tokens[credential.token]}"}
    )
    etag = None
    if write.record is not None:
        read = api.get(write.record)
        assert read.status_code == 200, f"{cell}: GET {write.record} {read.status_code}"
        etag = read.headers["etag"]
        headers["If-Match"] = etag
    logged = last_entry(context)
    response = api.request(method, write.path, json=write.body, headers=headers)
    if outcome == "written":
        expected = WRITTEN_STATUS_OF.get(operation, WRITTEN_STATUS[method])
        assert response.status_code == expected, f"{cell}: {response.status_code} {response.text}"
        if operation in UNLOGGED:
            return
        account = str(credential.token).removesuffix("-as-reader")
        with context.sessions() as session:
            written = session.scalars(select(ChangeEntry).where(ChangeEntry.id > logged)).all()
            assert written, f"{cell}: nothing logged"
            assert {entry.actor for entry in written} == {f"{account}@example.org"}, cell
        return
    status = 401 if outcome == "unauthenticated" else 403
    assert response.status_code == status, f"{cell}: {response.status_code} {response.text}"
    challenge = response.headers.get("www-authenticate", "")
    if status == 401:
        assert challenge.startswith("Bearer"), f"{cell}: WWW-Authenticate {challenge!r}"
    assert last_entry(context) == logged, f"{cell}: the refused write was logged"
    if write.record is not None:
        assert api.get(write.record).headers["etag"] == etag, f"{cell}: the version changed"


# -- the revert button, the web's one write ---------------------------------------------------

WEB_LOGINS = {
    "anonymous": (None, 403),
    "reader": ("reader@example.org", 403),
    "focal point of KEN": ("focal@example.org", 403),
    "editor": ("editor@example.org", 303),
    "admin": ("admin@example.org", 303),
}


@pytest.mark.parametrize("who", WEB_LOGINS)
def test_a_revert_by_each_role(context: AppContext, tokens: dict[str, str], who: str) -> None:
    """A change to revert, made by an administrator; the role's browser posts the form
    with its CSRF token. An editor's API token counts for nothing outside /api."""
    email, status = WEB_LOGINS[who]
    format_ = "hybrid" if next(_serial) % 2 else "virtual"
    _admin_write(
        context, editing.edit_cdip_session, 30, SessionEdit(format=format_, source="editor"), None
    )
    change = last_entry(context)
    cell = f"POST /changes/{{change_id}}/revert as {who}"
    with TestClient(
        create_app(context), base_url="http://127.0.0.1", follow_redirects=False
    ) as browser:
        form = TOKEN.search(browser.get("/login").text)
        assert form, cell
        if email is not None:
            data = {"email": email, "password": PASSWORD, "csrf_token": form.group(1)}
            assert browser.post("/login", data=data).status_code == 303, cell
            form = TOKEN.search(browser.get("/sessions/30/history").text)
            assert form, cell
        headers = {} if email else {"Authorization": f"Bearer {tokens['editor']}"}
        response = browser.post(
            f"/changes/{change}/revert",
            data={"csrf_token": form.group(1)},
            headers=headers,
        )
    assert response.status_code == status, f"{cell}: {response.status_code} {response.text}"
    with context.sessions() as session:
        reverts = session.scalars(select(ChangeEntry).where(ChangeEntry.reverts_id == change)).all()
    if status == 303:
        assert reverts and {entry.actor for entry in reverts} == {email}, cell
    else:
        assert not reverts and last_entry(context) == change, f"{cell}: the refusal wrote"
