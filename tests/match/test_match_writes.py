"""Matchmaking writes through the API: posting needs and offers, changing and deleting
them, interest and moves, each checked for every role (anonymous 401; a reader or focal
point on their own post allowed, on another's 403; editors and administrators allowed);
contact details for the two sides only; notices of new suggestions once per pair, with
their mail; stale versions; and refusals that store nothing."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.match.conftest import ADMIN

from devagenda.accounts.services import create_token, create_user
from devagenda.api import create_app
from devagenda.core.actor import acting_as
from devagenda.core.changelog import ChangeEntry
from devagenda.core.context import AppContext
from devagenda.match.models import (
    Connection,
    MatchPost,
    Notice,
    OutgoingMail,
    SuggestedPair,
)
from devagenda.match.services import import_posts

PASSWORD = "correct horse battery staple"
ACCOUNTS = {
    "reader": ("reader@example.org", "reader", ()),
    "other-reader": ("other@example.org", "reader", ()),
    "third": ("third@example.org", "reader", ()),
    "focal-point": ("focal@example.org", "focal-point", ("KEN",)),
    "editor": ("editor@example.org", "editor", ()),
    "admin": ("admin@example.org", "admin", ()),
}
# Who may change a post the reader owns: its owner, editors and administrators.
OTHERS_POST = {
    "anonymous": 401,
    "other-reader": 403,
    "focal-point": 403,
    "editor": 200,
    "admin": 200,
}
_serial = itertools.count(1)


@pytest.fixture(scope="module")
def context(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.initialized_url())
    with acting_as(ADMIN), context.transaction() as session:
        for email, role, countries in ACCOUNTS.values():
            create_user(session, email=email, role=role, password=PASSWORD, countries=countries)
    yield context
    context.engine.dispose()


@pytest.fixture(scope="module")
def headers(context: AppContext) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {"anonymous": {}}
    with acting_as(ADMIN), context.transaction() as session:
        for name, (email, _role, _countries) in ACCOUNTS.items():
            found[name] = {"Authorization": f"Bearer {create_token(session, email).token}"}
    return found


@pytest.fixture(scope="module")
def api(context: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(context), base_url="http://127.0.0.1") as client:
        yield client


@pytest.fixture(autouse=True)
def mail_off(api: TestClient, headers: dict[str, dict[str, str]]) -> None:
    """Each test starts with mail disabled; the ones about mail enable it."""
    body = {"enabled": False, "sender": "match@example.org"}
    assert api.put("/api/match/mail-settings", json=body, headers=headers["admin"]).is_success


def key(side: str) -> str:
    """A key of its own for each post; of one width, so that no key holds another."""
    return f"T-{side.upper()}-{next(_serial):04d}"


def body(side: str, **values: Any) -> dict[str, Any]:
    return {
        "key": key(side),
        "side": side,
        "title_en": values.pop("title_en", f"A {side} about patent examiner training"),
        "owner": "Kenya IP Institute",
        **values,
    }


def create(api: TestClient, headers: dict[str, str], side: str = "need", **values: Any) -> str:
    answer = api.post("/api/match/posts", json=body(side, **values), headers=headers)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["key"])


def connect(api: TestClient, headers: dict[str, str], need: str, offer: str) -> int:
    """The need's owner (`headers`) is interested in the offer: the new connection's id."""
    made = api.post(f"/api/match/posts/{need}/interest", json={"other": offer}, headers=headers)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def etag(api: TestClient, post: str) -> str:
    return api.get(f"/api/match/posts/{post}").headers["ETag"]


def stored(context: AppContext) -> tuple[int, int, int, int]:
    """Posts, connections, notices and change-log entries: what a refusal must not add."""
    with context.transaction() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (MatchPost, Connection, Notice, ChangeEntry)
        )


# -- creating -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "outcome"),
    [
        ("anonymous", 401),
        ("reader", 201),
        ("focal-point", 201),
        ("editor", 201),
        ("admin", 201),
    ],
)
def test_any_account_posts_and_owns_what_it_posts(
    api: TestClient,
    context: AppContext,
    headers: dict[str, dict[str, str]],
    role: str,
    outcome: int,
) -> None:
    before = stored(context)
    sent = body("offer", contact="me@example.org")
    answer = api.post("/api/match/posts", json=sent, headers=headers[role])
    assert answer.status_code == outcome, answer.text
    if outcome == 401:
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
        assert stored(context) == before
        return
    assert answer.headers["ETag"] == '"1"'
    assert answer.headers["Location"] == f"/api/match/posts/{sent['key']}"
    assert answer.json()["contact"] == "me@example.org"  # the owner sees their contact
    with context.transaction() as session:
        post = session.scalars(select(MatchPost).where(MatchPost.key == sent["key"])).one()
        logged = session.scalars(
            select(ChangeEntry)
            .where(ChangeEntry.record_type == "match_post")
            .order_by(ChangeEntry.id.desc())
        ).first()
        assert logged is not None and logged.user_id == post.owner_account_id is not None
        assert logged.actor == ACCOUNTS[role][0]


def test_a_key_left_out_is_given_as_need_n(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    sent = body("need")
    del sent["key"]
    first = api.post("/api/match/posts", json=sent, headers=headers["reader"]).json()["key"]
    second = api.post("/api/match/posts", json=sent, headers=headers["reader"]).json()["key"]
    assert first.startswith("NEED-") and second.startswith("NEED-")
    assert int(second.removeprefix("NEED-")) == int(first.removeprefix("NEED-")) + 1


def test_every_bad_field_is_named_at_once_and_nothing_is_stored(
    api: TestClient, context: AppContext, headers: dict[str, dict[str, str]]
) -> None:
    before = stored(context)
    sent = {
        "side": "both",
        "title_en": "x" * 301,
        "countries": ["KE", "XX"],
        "support": "money",
        "languages": ["Klingon"],
        "valid_from": "2024-06-01",
        "valid_until": "2024-01-01",
    }
    answer = api.post("/api/match/posts", json=sent, headers=headers["reader"])
    assert answer.status_code == 422
    problems = {item["name"]: item["reason"] for item in answer.json()["invalid_params"]}
    assert set(problems) == {
        "side",
        "title_en",
        "countries",
        "support",
        "languages",
        "owner",
        "valid_until",
    }
    assert "at most 300 characters" in problems["title_en"]  # the import's own wording
    assert "'XX'" in problems["countries"]
    assert stored(context) == before


def test_the_import_aliases_are_understood(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    sent = {**body("need"), "side": "需求", "support": "PPP", "countries": ["ke"]}
    post = api.post("/api/match/posts", json=sent, headers=headers["reader"]).json()["key"]
    found = api.get(f"/api/match/posts/{post}").json()
    assert (found["side"], found["support"], found["countries"]) == (
        "need",
        "partnership",
        ["KEN"],
    )


def test_a_taken_key_is_refused(api: TestClient, headers: dict[str, dict[str, str]]) -> None:
    post = create(api, headers["reader"])
    answer = api.post(
        "/api/match/posts", json={**body("need"), "key": post}, headers=headers["reader"]
    )
    assert answer.status_code == 422
    assert "is taken" in answer.json()["detail"]


# -- changing and deleting ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["reader", "focal-point"])
def test_the_owner_changes_their_post(
    api: TestClient, headers: dict[str, dict[str, str]], role: str
) -> None:
    post = create(api, headers[role], countries=["KE"])
    answer = api.patch(
        f"/api/match/posts/{post}",
        json={"title_en": "Funding for examiners", "countries": ["UG"], "contact": None},
        headers={**headers[role], "If-Match": etag(api, post)},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["title_en"] == "Funding for examiners"
    assert answer.json()["countries"] == ["UGA"]
    assert answer.headers["ETag"] == f'"{answer.json()["version"]}"' != '"1"'


@pytest.mark.parametrize(("role", "outcome"), OTHERS_POST.items())
def test_another_accounts_post_is_changed_only_by_editors(
    api: TestClient,
    context: AppContext,
    headers: dict[str, dict[str, str]],
    role: str,
    outcome: int,
) -> None:
    post = create(api, headers["reader"])
    tag = etag(api, post)
    before = stored(context)
    answer = api.patch(
        f"/api/match/posts/{post}",
        json={"title_en": "Taken over"},
        headers={**headers[role], "If-Match": tag},
    )
    assert answer.status_code == outcome, answer.text
    title = api.get(f"/api/match/posts/{post}").json()["title_en"]
    assert (title == "Taken over") is (outcome == 200)
    if outcome != 200:
        assert stored(context) == before
        assert etag(api, post) == tag


@pytest.mark.parametrize(("role", "outcome"), {**OTHERS_POST, "reader": 204}.items())
def test_a_post_is_deleted_by_its_owner_or_an_editor(
    api: TestClient,
    context: AppContext,
    headers: dict[str, dict[str, str]],
    role: str,
    outcome: int,
) -> None:
    post = create(api, headers["reader"])
    before = stored(context)
    answer = api.delete(
        f"/api/match/posts/{post}", headers={**headers[role], "If-Match": etag(api, post)}
    )
    assert answer.status_code == (204 if outcome == 200 else outcome), answer.text
    exists = api.get(f"/api/match/posts/{post}").status_code == 200
    assert exists is (outcome not in (200, 204))
    if exists:
        assert stored(context) == before


def test_a_stale_or_missing_version_is_refused(
    api: TestClient, context: AppContext, headers: dict[str, dict[str, str]]
) -> None:
    post = create(api, headers["reader"])
    old = etag(api, post)
    change = {"title_en": "First change"}
    first = api.patch(
        f"/api/match/posts/{post}", json=change, headers={**headers["reader"], "If-Match": old}
    )
    assert first.status_code == 200
    before = stored(context)
    stale = api.patch(
        f"/api/match/posts/{post}",
        json={"title_en": "Second change"},
        headers={**headers["reader"], "If-Match": old},
    )
    assert stale.status_code == 412
    assert stale.json()["current"]["title_en"] == "First change"
    assert stale.headers["ETag"] == first.headers["ETag"]
    missing = api.delete(f"/api/match/posts/{post}", headers=headers["reader"])
    assert missing.status_code == 428
    gone = api.delete(f"/api/match/posts/{post}", headers={**headers["reader"], "If-Match": old})
    assert gone.status_code == 412
    assert stored(context) == before


def test_a_post_with_a_connection_is_not_deleted(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    need = create(api, headers["reader"], "need")
    offer = create(api, headers["other-reader"], "offer")
    connect(api, headers["reader"], need, offer)
    answer = api.delete(
        f"/api/match/posts/{need}", headers={**headers["reader"], "If-Match": etag(api, need)}
    )
    assert answer.status_code == 409
    assert "valid_until" in answer.json()["detail"]
    assert api.get(f"/api/match/posts/{need}").status_code == 200


# -- interest and moves -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "outcome"), {**OTHERS_POST, "reader": 201, "editor": 201, "admin": 201}.items()
)
def test_interest_is_expressed_for_ones_own_post(
    api: TestClient,
    context: AppContext,
    headers: dict[str, dict[str, str]],
    role: str,
    outcome: int,
) -> None:
    need = create(api, headers["reader"], "need")
    offer = create(api, headers["third"], "offer")
    before = stored(context)
    answer = api.post(
        f"/api/match/posts/{need}/interest", json={"other": offer}, headers=headers[role]
    )
    assert answer.status_code == outcome, answer.text
    if outcome == 201:
        found = answer.json()
        assert (found["need"], found["offer"], found["state"]) == (need, offer, "contacted")
        assert found["interested_side"] == "need"
    else:
        assert stored(context) == before


@pytest.mark.parametrize(
    ("role", "outcome"),
    {**OTHERS_POST, "reader": 200, "third": 200, "other-reader": 403}.items(),
)
def test_either_side_moves_a_connection_on(
    api: TestClient,
    context: AppContext,
    headers: dict[str, dict[str, str]],
    role: str,
    outcome: int,
) -> None:
    need = create(api, headers["reader"], "need")
    offer = create(api, headers["third"], "offer")
    connection = connect(api, headers["reader"], need, offer)
    before = stored(context)
    answer = api.post(
        f"/api/match/connections/{connection}/moves",
        json={"state": "discussion"},
        headers=headers[role],
    )
    assert answer.status_code == outcome, answer.text
    if outcome == 200:
        assert answer.json()["state"] == "discussion"
        assert answer.json()["discussion_on"] is not None
    else:
        assert stored(context) == before


def test_each_account_sees_its_own_connections(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    need = create(api, headers["reader"], "need")
    offer = create(api, headers["third"], "offer")
    connection = connect(api, headers["reader"], need, offer)

    def ids(role: str) -> set[int]:
        answer = api.get("/api/match/connections", headers=headers[role])
        assert answer.status_code == 200
        return {item["id"] for item in answer.json()}

    assert connection in ids("reader") and connection in ids("third")
    assert connection in ids("editor") and connection in ids("admin")
    assert connection not in ids("other-reader")
    assert api.get("/api/match/connections").status_code == 401


# -- contacts -----------------------------------------------------------------------------


def test_contacts_are_seen_by_the_two_sides_and_not_by_a_third(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    need = create(api, headers["reader"], "need", contact="need@example.org")
    offer = create(api, headers["third"], "offer", contact="offer@example.org")

    def contact(role: str, post: str) -> str | None:
        found = api.get(f"/api/match/posts/{post}", headers=headers[role]).json()
        assert found["contact_shown"] is (found["contact"] is not None)
        return found["contact"]  # type: ignore[no-any-return]

    assert contact("reader", offer) is None  # not yet a side of it
    connect(api, headers["reader"], need, offer)
    assert contact("reader", offer) == "offer@example.org"
    assert contact("third", need) == "need@example.org"
    assert contact("other-reader", need) is None
    assert contact("focal-point", offer) is None
    assert contact("anonymous", offer) is None
    assert contact("editor", need) == "need@example.org"
    listed = api.get("/api/match/offers", params={"limit": 500}, headers=headers["reader"]).json()
    by_key = {item["key"]: item for item in listed["items"]}
    assert by_key[offer]["contact"] == "offer@example.org"
    others = api.get("/api/match/offers", params={"limit": 500}, headers=headers["other-reader"])
    assert "offer@example.org" not in others.text


# -- notices of new suggestions -----------------------------------------------------------


def notices_of(
    api: TestClient, headers: dict[str, str], need: str, offer: str
) -> list[dict[str, Any]]:
    """The account's notices about the pair (other tests' posts may be suggested too)."""
    answer = api.get("/api/match/notices", headers=headers)
    assert answer.status_code == 200
    return [n for n in answer.json() if (n["need"], n["offer"]) == (need, offer)]


def test_a_new_suggestion_is_told_to_both_sides_once(
    api: TestClient, context: AppContext, headers: dict[str, dict[str, str]]
) -> None:
    values = {"countries": ["KE"], "support": "financial", "valid_until": "2999-12-31"}
    need = create(api, headers["reader"], "need", title_en="Grants to train examiners", **values)
    offer = create(
        api, headers["third"], "offer", title_en="Grants for examiner training", **values
    )
    for role, post in (("reader", need), ("third", offer)):
        (notice,) = notices_of(api, headers[role], need, offer)
        assert (notice["kind"], notice["post"], notice["read_on"]) == ("suggestion", post, None)
    # Editing either side again suggests the same pair: nobody is told twice.
    for role, post in (("reader", need), ("third", offer)):
        changed = api.patch(
            f"/api/match/posts/{post}",
            json={"description_en": "Training of patent examiners, with grants."},
            headers={**headers[role], "If-Match": etag(api, post)},
        )
        assert changed.status_code == 200
    with context.transaction() as session:
        need_id = select(MatchPost.id).where(MatchPost.key == need).scalar_subquery()
        offer_id = select(MatchPost.id).where(MatchPost.key == offer).scalar_subquery()
        told = session.scalar(
            select(func.count())
            .select_from(Notice)
            .where(Notice.need_id == need_id, Notice.offer_id == offer_id)
        )
        pairs = session.scalar(
            select(func.count())
            .select_from(SuggestedPair)
            .where(SuggestedPair.need_id == need_id, SuggestedPair.offer_id == offer_id)
        )
    assert (told, pairs) == (2, 1)
    assert notices_of(api, headers["reader"], need, offer)[0]["kind"] == "suggestion"
    assert notices_of(api, headers["other-reader"], need, offer) == []


def test_a_suggestion_is_mailed_when_mail_is_enabled(
    api: TestClient, context: AppContext, headers: dict[str, dict[str, str]]
) -> None:
    settings = {"enabled": True, "sender": "match@wipo.int"}
    assert api.put("/api/match/mail-settings", json=settings, headers=headers["admin"]).is_success
    values = {"countries": ["PE"], "support": "technical", "valid_until": "2999-12-31"}
    need = create(
        api,
        headers["reader"],
        "need",
        title_en="Help to draft utility model laws",
        contact="Ana, ana@example.org",
        **values,
    )
    offer = create(api, headers["third"], "offer", title_en="Drafting utility model laws", **values)
    queue = api.get("/api/match/mail-queue", headers=headers["admin"]).json()
    mails = [m for m in queue if need in m["subject"] and offer in m["subject"]]
    # The need's contact address, and the offer's owner account (it states no contact).
    assert sorted(m["recipient"] for m in mails) == ["ana@example.org", "third@example.org"]
    assert all(m["sender"] == "match@wipo.int" and m["status"] == "queued" for m in mails)


def test_no_mail_is_queued_while_mail_is_disabled(
    api: TestClient, context: AppContext, headers: dict[str, dict[str, str]]
) -> None:
    values = {"countries": ["CN"], "support": "technical", "valid_until": "2999-12-31"}
    need = create(api, headers["reader"], "need", title_en="Trademark office automation", **values)
    offer = create(
        api, headers["third"], "offer", title_en="Automating a trademark office", **values
    )
    assert notices_of(api, headers["reader"], need, offer)
    with context.transaction() as session:
        queued = select(func.count()).select_from(OutgoingMail)
        assert session.scalar(queued.where(OutgoingMail.subject.contains(offer))) == 0


def test_notices_are_marked_read_by_their_account_only(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    values = {"countries": ["BR"], "support": "financial", "valid_until": "2999-12-31"}
    need = create(api, headers["reader"], "need", title_en="Funds for a patent library", **values)
    offer = create(api, headers["third"], "offer", title_en="Funding patent libraries", **values)
    (notice,) = notices_of(api, headers["reader"], need, offer)
    refused = api.post(f"/api/match/notices/{notice['id']}/read", headers=headers["third"])
    assert refused.status_code == 403
    assert api.post(f"/api/match/notices/{notice['id']}/read").status_code == 401
    answer = api.post(f"/api/match/notices/{notice['id']}/read", headers=headers["reader"])
    assert answer.status_code == 200
    assert answer.json()["read_on"] is not None
    unread = api.get("/api/match/notices", params={"unread": True}, headers=headers["reader"])
    assert notice["id"] not in {n["id"] for n in unread.json()}
    assert api.get("/api/match/notices").status_code == 401


# -- administrators' mail settings and public counts --------------------------------------


@pytest.mark.parametrize(
    ("role", "outcome"),
    [("anonymous", 401), ("reader", 403), ("focal-point", 403), ("editor", 403), ("admin", 200)],
)
def test_mail_settings_and_queue_are_for_administrators(
    api: TestClient,
    context: AppContext,
    headers: dict[str, dict[str, str]],
    role: str,
    outcome: int,
) -> None:
    before = stored(context)
    settings = {"enabled": True, "sender": "someone@example.org"}
    put = api.put("/api/match/mail-settings", json=settings, headers=headers[role])
    assert put.status_code == outcome
    read = api.get("/api/match/mail-settings", headers=headers[role])
    assert read.status_code == outcome
    assert api.get("/api/match/mail-queue", headers=headers[role]).status_code == outcome
    if outcome == 200:
        assert read.json() == settings
    else:
        assert stored(context) == before


def test_a_sender_that_is_no_address_is_refused(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    settings = {"enabled": True, "sender": "not an address"}
    answer = api.put("/api/match/mail-settings", json=settings, headers=headers["admin"])
    assert answer.status_code == 422
    assert answer.json()["invalid_params"][0]["name"] == "sender"


def test_the_counts_are_public(api: TestClient, headers: dict[str, dict[str, str]]) -> None:
    before = api.get("/api/match/counts").json()
    need = create(api, headers["reader"], "need", countries=["KE"])
    offer = create(api, headers["third"], "offer")
    connection = connect(api, headers["reader"], need, offer)
    moved = api.post(
        f"/api/match/connections/{connection}/moves",
        json={"state": "discussion"},
        headers=headers["third"],
    )
    assert moved.status_code == 200
    after = api.get("/api/match/counts").json()
    assert after["matchmakings"] == before["matchmakings"] + 1
    assert after["connections"] == before["connections"] + 1
    assert after["needs"] == before["needs"] + 1
    earlier = before["by_region"].get("africa", {"connections": 0})["connections"]
    assert after["by_region"]["africa"]["connections"] == earlier + 1


# -- keys and ids are never given twice ---------------------------------------------------


def test_a_deleted_posts_key_and_id_are_not_given_again_and_its_deletion_reverts(
    api: TestClient, context: AppContext, headers: dict[str, dict[str, str]]
) -> None:
    """On SQLite a new row took the id of the newest row deleted before it, so the change
    log joined the two posts' histories and refused to bring the deleted one back."""
    from devagenda.changes import services as changes

    def post_newest() -> dict[str, Any]:
        sent = {k: v for k, v in body("need").items() if k != "key"}  # the next NEED-n
        answer = api.post("/api/match/posts", json=sent, headers=headers["reader"])
        assert answer.status_code == 201, answer.text
        return dict(answer.json())

    first = post_newest()
    gone = api.delete(
        f"/api/match/posts/{first['key']}",
        headers={**headers["reader"], "If-Match": etag(api, first["key"])},
    )
    assert gone.status_code == 204
    second = post_newest()
    assert second["key"] != first["key"]
    with context.transaction() as session:
        first_id, second_id = (
            session.scalar(
                select(ChangeEntry.record_key)
                .where(ChangeEntry.record_type == "match_post", ChangeEntry.action == action)
                .order_by(ChangeEntry.id.desc())
                .limit(1)
            )
            for action in ("delete", "create")
        )
        assert int(second_id) > int(first_id)
        deletion = session.scalar(
            select(ChangeEntry.id).where(
                ChangeEntry.record_type == "match_post",
                ChangeEntry.record_key == first_id,
                ChangeEntry.action == "delete",
            )
        )
        created = list(changes.history_listing(session, "match_post", second_id).all())
        assert {entry.action.value for entry in created} == {"create"}
    with acting_as(ADMIN), context.transaction() as session:
        changes.revert(session, deletion)
    assert api.get(f"/api/match/posts/{first['key']}").json()["title_en"] == first["title_en"]
    assert api.get(f"/api/match/posts/{second['key']}").status_code == 200


def test_a_key_an_import_took_is_skipped(
    api: TestClient, context: AppContext, headers: dict[str, dict[str, str]]
) -> None:
    """Imports name their own keys: the counter moves past the highest one stored."""
    sent = {k: v for k, v in body("offer").items() if k != "key"}

    def post_next() -> int:
        answer = api.post("/api/match/posts", json=sent, headers=headers["reader"])
        assert answer.status_code == 201, answer.text
        return int(answer.json()["key"].removeprefix("OFFER-"))

    number = post_next()
    create(api, headers["editor"], "offer", key=f"OFFER-{number + 1}")  # as an import would
    assert post_next() == number + 2


@pytest.mark.postgres
def test_posts_made_at_once_by_several_processes_get_keys_of_their_own(
    context: AppContext,
) -> None:
    """Several `serve` processes share one PostgreSQL database: the counter's row lock
    makes writers who post at the same moment take numbers one after another."""
    from concurrent.futures import ThreadPoolExecutor

    from devagenda.accounts.models import User
    from devagenda.core.actor import Actor, Role
    from devagenda.match.schemas import PostCreate
    from devagenda.match.services import create_post

    with context.transaction() as session:
        owner = session.scalar(select(User.id).where(User.email == "reader@example.org"))
    actor = Actor(label="reader@example.org", role=Role.READER, user_id=owner)

    def post_one(number: int) -> str:
        """In a transaction and a connection of its own, as each process has."""
        with acting_as(actor), context.transaction() as session:
            data = PostCreate(side="offer", title_en=f"Offer {number}", owner="A firm")
            return create_post(session, data).key

    with ThreadPoolExecutor(6) as pool:
        keys = list(pool.map(post_one, range(6)))
    assert len(set(keys)) == 6


# -- what imports bring ---------------------------------------------------------------------


def test_an_import_tells_the_owner_of_a_posted_need_of_its_new_suggestion(
    api: TestClient, context: AppContext, headers: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    values = {"countries": ["GH"], "support": "technical", "valid_until": "2999-12-31"}
    need = create(
        api, headers["reader"], "need", title_en="Mentoring for a design registry", **values
    )
    offer = key("offer")
    rows = [
        {
            "key": offer,
            "side": "offer",
            "title_zh": "外观设计注册处的辅导",
            "title_en": "",
            "owner": "An office",
            "countries": "GH",
            "support": "technical",
            "valid_until": "2999-12-31",
        }
    ]
    path = tmp_path / "offers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with acting_as(ADMIN), context.transaction() as session:
        import_posts(session, [path])
    (notice,) = notices_of(api, headers["reader"], need, offer)
    assert notice["kind"] == "suggestion"
    assert notice["texts"] == {
        "zh": f"{need}与{offer}被相互推荐",
        "en": f"{need} and {offer} are suggested for each other",
    }
    # The imported offer names no account: its notice is for nobody (nor is mail queued).
    with context.transaction() as session:
        accounts = session.scalars(
            select(Notice.account_id)
            .join(MatchPost, Notice.post_id == MatchPost.id)
            .where(MatchPost.key == offer)
        ).all()
    assert accounts
    assert set(accounts) == {None}
