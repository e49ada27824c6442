"""The web half of the permission matrix: every page route that writes (enumerated from
the app, so that a new one cannot be left out) and every edit form, for each role. Only
editors and administrators get through; the others are refused with the site's answer
(anonymous readers of a form go to the login page; a refused POST is a 403 page) and
nothing is written. A POST without this browser's form token is refused too."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import count

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import func, select
from tests.accounts.conftest import ADMIN
from tests.accounts.test_csrf_coverage import _routes as app_routes
from tests.web.editing_support import add_accounts, csrf_token, logged_in, make_records, project_of

from devagenda.accounts.models import User
from devagenda.activities import services as activities
from devagenda.activities.editing import create_activity
from devagenda.activities.models import Activity, ActivityTitle
from devagenda.activities.schemas import ActivityCreate
from devagenda.api import create_app
from devagenda.api.problems import API_PREFIX
from devagenda.catalogue import editing
from devagenda.catalogue import services as catalogue
from devagenda.catalogue.models import CdipSession, Document, Project
from devagenda.catalogue.schemas import SessionCreate, SessionEdit, TextIn
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.changelog import ChangeEntry
from devagenda.core.context import AppContext
from devagenda.flexibilities import services as flexibility_services
from devagenda.flexibilities.models import Provision
from devagenda.flexibilities.schemas import ProvisionIn, UpdateIn
from devagenda.match import connections as match_connections
from devagenda.match import notices as match_notices
from devagenda.match import services as match_services
from devagenda.match.models import Connection, ConnectionState, MatchPost, Notice
from devagenda.match.schemas import PostCreate
from devagenda.web import editing as web_editing

# Who may write: None for an anonymous browser.
ROLES = {
    None: False,
    "reader@example.org": False,
    # a focal point for Kenya: catalogue records name no country, the activities here
    # are held in Uganda (tests/web/test_activity_pages.py: a Kenyan one)
    "focal@example.org": False,
    "editor@example.org": True,
    "admin@example.org": True,
}
NOT_EDITS = {"/login", "/logout"}  # the page POSTs every visitor may make
# Page writes only some of those accounts may make: a Member State update of Kenya is its
# focal point's alone (not even an editor speaks for a member state).
# Any account posts a need or an offer (an administrator's import owns no post, so only
# editors and administrators speak for the sides of the pairs written here).
WRITERS_OF = {
    "/flexibilities/jurisdictions/{jurisdiction}/update": {"focal@example.org"},
    "/match/new": {
        "reader@example.org",
        "focal@example.org",
        *(e for e, ok in ROLES.items() if ok),
    },
    # a notice is marked read by its account alone (here the reader's)
    "/match/notices/{notice_id}/read": {"reader@example.org"},
}
numbers = count(1)
KENYA_FOCAL = Actor(label="focal@example.org", role=Role.FOCAL_POINT, countries=frozenset({"KEN"}))
codes = count(1)


@pytest.fixture(scope="module")
def context(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.initialized_url())
    add_accounts(context)
    yield context
    context.engine.dispose()


@dataclass
class Write:
    """One page write: where it posts, what a form would send, whether it happened."""

    path: str
    data: dict[str, str]
    done: Callable[[], bool]


def _count(context: AppContext, model: type, *where: object) -> int:
    with context.sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _writes(context: AppContext) -> dict[str, Callable[[], Write]]:
    """For each route pattern, a write over records made for it alone."""

    def records() -> dict[str, object]:
        return make_records(context, next(numbers))

    def version(project_id: object) -> str:
        return str(project_of(context, int(project_id)).version)

    def new_project() -> Write:
        title = f"Matrix project {next(numbers)}"
        return Write(
            "/projects/new",
            {"titles_en": title, "source": "editor"},
            lambda: _titled(context, title),
        )

    def edit_project() -> Write:
        r = records()
        first = next(codes)  # a code names recommendations, and no two projects share one
        code = f"DA_{first}_{first + 1}"
        return Write(
            f"/projects/{r['project']}/edit",
            {"version": version(r["project"]), "was.code": "", "code": code, "source": "editor"},
            lambda: project_of(context, r["project"]).code == code,
        )

    def add_status() -> Write:
        r = records()
        return Write(
            f"/projects/{r['project']}/statuses",
            {
                "version": version(r["project"]),
                "status": "ongoing",
                "date": "2022-01-01",
                "source": "editor",
            },
            lambda: project_of(context, r["project"]).status.value == "ongoing",
        )

    def remove_status() -> Write:
        r = records()
        return Write(
            f"/projects/{r['project']}/statuses/{r['statement']}/remove",
            {"version": version(r["project"])},
            lambda: project_of(context, r["project"]).status_history == [],
        )

    def delete_project() -> Write:
        r = records()
        return Write(
            f"/projects/{r['project']}/delete",
            {"version": version(r["project"])},
            lambda: _count(context, Project, Project.id == r["project"]) == 0,
        )

    def new_session() -> Write:
        number = 5000 + next(numbers)
        return Write(
            "/sessions/new",
            {"number": str(number), "source": "editor"},
            lambda: _count(context, CdipSession, CdipSession.number == number) == 1,
        )

    def session_version(number: object) -> str:
        with context.sessions() as session:
            return str(catalogue.get_cdip_session(session, int(number)).version)

    def edit_session() -> Write:
        r = records()
        return Write(
            f"/sessions/{r['session']}/edit",
            {
                "version": session_version(r["session"]),
                "was.format": "",
                "format": "virtual",
                "source": "editor",
            },
            lambda: _format(context, r["session"]) == "virtual",
        )

    def delete_session() -> Write:
        number = 6000 + next(numbers)
        with acting_as(ADMIN), context.transaction() as session:
            editing.create_cdip_session(session, SessionCreate(number=number, source="editor"))
        return Write(
            f"/sessions/{number}/delete",
            {"version": session_version(number)},
            lambda: _count(context, CdipSession, CdipSession.number == number) == 0,
        )

    def new_document() -> Write:
        symbol = f"CDIP/{7000 + next(numbers)}/1"
        return Write(
            "/documents/new",
            {"symbol": symbol, "source": "editor"},
            lambda: _count(context, Document, Document.symbol == symbol) == 1,
        )

    def document_version(symbol: object) -> str:
        with context.sessions() as session:
            return str(catalogue.get_document(session, str(symbol)).version)

    def edit_document() -> Write:
        r = records()
        return Write(
            f"/documents/{r['symbol']}/edit",
            {"version": document_version(r["symbol"]), "was.language": "", "language": "fr"},
            lambda: _language(context, str(r["symbol"])) == "fr",
        )

    def delete_document() -> Write:
        r = records()
        return Write(
            f"/documents/{r['symbol']}/delete",
            {"version": document_version(r["symbol"])},
            lambda: _count(context, Document, Document.symbol == r["symbol"]) == 0,
        )

    def edit_recommendation() -> Write:
        wording = f"Matrix wording {next(numbers)}"
        with context.sessions() as session:
            version = catalogue.get_recommendation(session, 3).version
        return Write(
            "/recommendations/3/edit",
            {"version": str(version), "was.texts_en": "", "texts_en": wording, "source": "editor"},
            lambda: _english_text(context, 3) == wording,
        )

    def activity() -> int:
        """An activity held in Uganda: not the Kenyan focal point's to edit."""
        with acting_as(ADMIN), context.transaction() as session:
            created = create_activity(
                session,
                ActivityCreate(
                    titles={"en": TextIn(text=f"Matrix activity {next(numbers)}")},
                    host_country="UGA",
                    source="editor",
                ),
            )
        return created.id

    def activity_version(activity_id: int) -> str:
        with context.sessions() as session:
            return str(activities.get_activity(session, activity_id).version)

    def new_activity() -> Write:
        title = f"Matrix activity {next(numbers)}"
        return Write(
            "/activities/new",
            {"titles_en": title, "host_country": "UGA", "source": "editor"},
            lambda: _count(context, ActivityTitle, ActivityTitle.text == title) == 1,
        )

    def edit_activity() -> Write:
        activity_id = activity()
        return Write(
            f"/activities/{activity_id}/edit",
            {
                "version": activity_version(activity_id),
                "was.venue_city": "",
                "venue_city": "Entebbe",
                "source": "editor",
            },
            lambda: _venue(context, activity_id) == "Entebbe",
        )

    def delete_activity() -> Write:
        activity_id = activity()
        return Write(
            f"/activities/{activity_id}/delete",
            {"version": activity_version(activity_id)},
            lambda: _count(context, Activity, Activity.id == activity_id) == 0,
        )

    def revert() -> Write:
        r = records()
        with acting_as(ADMIN), context.transaction() as session:
            editing.edit_cdip_session(
                session, int(r["session"]), SessionEdit(format="hybrid", source="editor"), None
            )
        with context.sessions() as session:
            change = session.scalars(
                select(ChangeEntry.id)
                .where(ChangeEntry.record_type == "cdip_session")
                .order_by(ChangeEntry.id.desc())
            ).first()
        return Write(
            f"/changes/{change}/revert", {}, lambda: _format(context, r["session"]) is None
        )

    def flexibility_update() -> Write:
        wording = f"Acts done for research {next(numbers)}"
        with acting_as(ADMIN), context.transaction() as session:
            provision = flexibility_services.create_provision(
                session,
                ProvisionIn(jurisdiction="KEN", category="research-exception", law_title="IP Act"),
            ).id
        form = {
            "communication_reference": "KE/1",
            "communication_date": "2024-03-04",
            "summary": "Amended",
            "provision": str(provision),
            "law_title": "IP Act",
            "text": wording,
        }

        def done() -> bool:
            with context.sessions() as session:
                found = flexibility_services.get_provision(session, provision)
            return found.texts.get("en") == wording

        return Write("/flexibilities/jurisdictions/KEN/update", form, done)

    def kenya_provision() -> int:
        with acting_as(ADMIN), context.transaction() as session:
            return flexibility_services.create_provision(
                session,
                ProvisionIn(jurisdiction="KEN", category="research-exception", law_title="IP Act"),
            ).id

    def provision_version(provision: int) -> str:
        with context.sessions() as session:
            return str(flexibility_services.get_provision(session, provision).version)

    def edit_provision() -> Write:
        provision = kenya_provision()
        articles = f"s. {next(numbers)}"

        def done() -> bool:
            with context.sessions() as session:
                found = flexibility_services.get_provision(session, provision)
            return found.articles == articles

        return Write(
            f"/flexibilities/provisions/{provision}/edit",
            {
                "version": provision_version(provision),
                "was.articles": "",
                "articles": articles,
                "source": "editor",
            },
            done,
        )

    def delete_provision() -> Write:
        provision = kenya_provision()
        return Write(
            f"/flexibilities/provisions/{provision}/delete",
            {"version": provision_version(provision)},
            lambda: _count(context, Provision, Provision.id == provision) == 0,
        )

    def attach_update() -> Write:
        provision = kenya_provision()
        with acting_as(KENYA_FOCAL), context.transaction() as session:
            update = flexibility_services.submit_update(
                session,
                UpdateIn(
                    jurisdiction="KEN",
                    communication_reference=f"KE/{next(numbers)}",
                    communication_date=date(2024, 3, 4),
                    summary="A new provision",
                    adds=[ProvisionIn(jurisdiction="KEN", category="exhaustion", law_title="Act")],
                ),
            ).id

        def done() -> bool:
            with context.sessions() as session:
                found = flexibility_services.get_provision(session, provision)
            return [u.id for u in found.member_state_updates] == [update]

        return Write(
            f"/flexibilities/updates/{update}/attach",
            {"provision": str(provision), "effect": "amends"},
            done,
        )

    def match_pair() -> tuple[str, str]:
        """A need and an offer no account owns."""
        n = next(numbers)
        with acting_as(ADMIN), context.transaction() as session:
            keys = tuple(
                match_services.create_post(
                    session, PostCreate(side=side, title_en=f"Matrix {side} {n}", owner="WIPO")
                ).key
                for side in ("need", "offer")
            )
        return keys[0], keys[1]

    def match_post() -> Write:
        title = f"Matrix need {next(numbers)}"
        return Write(
            "/match/new",
            {"side": "need", "title_en": title, "owner": "KIPI"},
            lambda: _count(context, MatchPost, MatchPost.title_en == title) == 1,
        )

    def match_interest() -> Write:
        need, offer = match_pair()
        return Write(
            f"/match/posts/{need}/interest", {"other": offer}, lambda: _connected(context, need)
        )

    def match_move() -> Write:
        need, offer = match_pair()
        with acting_as(ADMIN), context.transaction() as session:
            connection = match_connections.express_interest(session, need, offer).id
        return Write(
            f"/match/connections/{connection}/move",
            {"state": "discussion"},
            lambda: _connection_state(context, connection) == ConnectionState.DISCUSSION,
        )

    def match_edit() -> Write:
        need, _ = match_pair()
        title = f"Matrix need edited {next(numbers)}"
        return Write(
            f"/match/posts/{need}/edit",
            {"version": _post_version(context, need), "was.title_en": "", "title_en": title},
            lambda: _count(context, MatchPost, MatchPost.title_en == title) == 1,
        )

    def match_delete() -> Write:
        need, _ = match_pair()
        return Write(
            f"/match/posts/{need}/delete",
            {"version": _post_version(context, need)},
            lambda: _count(context, MatchPost, MatchPost.key == need) == 0,
        )

    def match_notice_read() -> Write:
        need, offer = match_pair()
        with acting_as(ADMIN), context.transaction() as session:
            posts = {
                p.key: p
                for p in session.scalars(select(MatchPost).where(MatchPost.key.in_((need, offer))))
            }
            reader = session.scalar(select(User.id).where(User.email == "reader@example.org"))
            posts[need].owner_account_id = reader
            notice = match_notices.notify(session, posts[need], posts[need], posts[offer]).id
        return Write(
            f"/match/notices/{notice}/read",
            {},
            lambda: _count(context, Notice, Notice.id == notice, Notice.read_on.is_not(None)) == 1,
        )

    return {
        "/match/new": match_post,
        "/match/posts/{key}/edit": match_edit,
        "/match/posts/{key}/delete": match_delete,
        "/match/notices/{notice_id}/read": match_notice_read,
        "/match/posts/{key}/interest": match_interest,
        "/match/connections/{connection_id}/move": match_move,
        "/flexibilities/jurisdictions/{jurisdiction}/update": flexibility_update,
        "/flexibilities/provisions/{provision_id}/edit": edit_provision,
        "/flexibilities/provisions/{provision_id}/delete": delete_provision,
        "/flexibilities/updates/{update_id}/attach": attach_update,
        "/projects/new": new_project,
        "/projects/{project_id}/edit": edit_project,
        "/projects/{project_id}/statuses": add_status,
        "/projects/{project_id}/statuses/{statement_id}/remove": remove_status,
        "/projects/{project_id}/delete": delete_project,
        "/sessions/new": new_session,
        "/sessions/{number}/edit": edit_session,
        "/sessions/{number}/delete": delete_session,
        "/documents/new": new_document,
        "/documents/{key:path}/edit": edit_document,
        "/documents/{key:path}/delete": delete_document,
        "/recommendations/{number}/edit": edit_recommendation,
        "/changes/{change_id}/revert": revert,
        "/activities/new": new_activity,
        "/activities/{activity_id}/edit": edit_activity,
        "/activities/{activity_id}/delete": delete_activity,
    }


def _connected(context: AppContext, need: str) -> bool:
    need_id = select(MatchPost.id).where(MatchPost.key == need).scalar_subquery()
    return _count(context, Connection, Connection.need_id == need_id) == 1


def _post_version(context: AppContext, key: str) -> str:
    with context.sessions() as session:
        return str(session.scalar(select(MatchPost.version).where(MatchPost.key == key)))


def _connection_state(context: AppContext, connection_id: int) -> ConnectionState | None:
    with context.sessions() as session:
        found = session.get(Connection, connection_id)
        return found.state if found is not None else None


def _venue(context: AppContext, activity_id: int) -> str | None:
    with context.sessions() as session:
        return activities.get_activity(session, activity_id).venue_city


def _titled(context: AppContext, title: str) -> bool:
    with context.sessions() as session:
        return any(p.title_en == title for p in catalogue.project_listing(session).all())


def _format(context: AppContext, number: object) -> str | None:
    with context.sessions() as session:
        cdip = catalogue.get_cdip_session(session, int(number))
    return cdip.format.value if cdip.format else None


def _language(context: AppContext, symbol: str) -> str | None:
    with context.sessions() as session:
        return catalogue.get_document(session, symbol).language


def _english_text(context: AppContext, number: int) -> str | None:
    with context.sessions() as session:
        return catalogue.get_recommendation(session, number).text_en


def _page_posts(context: AppContext) -> set[str]:
    return {
        path
        for path, route, _ in app_routes(create_app(context).routes)
        if "POST" in route.methods and not path.startswith(API_PREFIX) and path not in NOT_EDITS
    }


def test_the_matrix_names_every_page_route_that_writes(context: AppContext) -> None:
    assert _page_posts(context) == set(_writes(context))


@pytest.mark.parametrize("email", list(ROLES), ids=lambda e: (e or "anonymous").split("@")[0])
def test_every_page_write_by_role(context: AppContext, email: str | None) -> None:
    with logged_in(context, email) as browser:
        token = csrf_token(browser)
        for pattern, prepare in _writes(context).items():
            allowed = email in WRITERS_OF[pattern] if pattern in WRITERS_OF else ROLES[email]
            write = prepare()
            response = browser.post(write.path, data={**write.data, "csrf_token": token})
            outcome = (response.status_code, write.done())
            assert outcome == ((303, True) if allowed else (403, False)), (
                pattern,
                re.findall(r'class="form-problem" id="([^"]+)"><span[^>]*>(.*?)<', response.text),
            )


def test_the_edit_forms_by_role(context: AppContext) -> None:
    """Every GET route of the edit pages: the form for editors and administrators, the
    login page for anonymous readers, a 403 page for the others."""
    r = make_records(context, next(numbers))
    ugandan = _ugandan_activity(context)
    paths = {
        route.path: route.path.replace("{key:path}", str(r["symbol"])).format(
            project_id=r["project"],
            statement_id=r["statement"],
            number=r["session"] if route.path.startswith("/sessions") else 3,
            activity_id=ugandan,
        )
        for route in web_editing.router.routes
        if isinstance(route, APIRoute) and "GET" in route.methods
    }
    assert len(paths) == 14
    for email, allowed in ROLES.items():
        with logged_in(context, email) as browser:
            for path in paths.values():
                response = browser.get(path, params={"lang": "en"})
                # A focal point may start a new activity, for their own countries.
                if allowed or (email == "focal@example.org" and path == "/activities/new"):
                    assert response.status_code == 200 and "csrf_token" in response.text, path
                elif email is None:
                    assert response.status_code == 303, path
                    assert response.headers["location"].startswith("/login?next="), path
                else:
                    assert response.status_code == 403, path
                    assert "Your account may not do this." in response.text, path


def test_the_edit_tab_shows_only_to_those_who_may_edit(context: AppContext) -> None:
    r = make_records(context, next(numbers))
    for email, allowed in ROLES.items():
        with logged_in(context, email) as browser:
            for path in (
                f"/projects/{r['project']}",
                f"/sessions/{r['session']}",
                "/recommendations/3",
                f"/activities/{_ugandan_activity(context)}",
            ):
                page = browser.get(path, params={"lang": "en"}).text
                assert (f'href="{path}/edit"' in page) is allowed, (email, path)


def _ugandan_activity(context: AppContext) -> int:
    with acting_as(ADMIN), context.transaction() as session:
        created = create_activity(
            session,
            ActivityCreate(
                titles={"en": TextIn(text="Held in Uganda")}, host_country="UGA", source="editor"
            ),
        )
    return created.id


def test_a_post_without_the_form_token_is_refused(context: AppContext) -> None:
    r = make_records(context, next(numbers))
    with logged_in(context, "editor@example.org") as editor:
        data = {"version": str(project_of(context, r["project"]).version), "status": "ongoing"}
        for sent in ({}, {"csrf_token": "0" * 64}):
            refused = editor.post(
                f"/projects/{r['project']}/statuses", data={**data, **sent, "source": "editor"}
            )
            assert refused.status_code == 403
    assert project_of(context, r["project"]).status.value == "approved"


def test_a_missing_record_is_a_404_page_for_an_editor(context: AppContext) -> None:
    with logged_in(context, "editor@example.org") as editor:
        token = csrf_token(editor)
        for path in (
            "/projects/999999/edit",
            "/documents/CDIP/1/404/edit",
            "/sessions/9999/delete",
        ):
            assert editor.get(path).status_code == 404
            assert editor.post(path, data={"csrf_token": token, "version": "1"}).status_code == 404
