"""The matchmaking pages in both languages: the counts worded as the report words them,
the lists of needs and offers with facets and downloads, a post with "not stated" for
what it does not state, its contact per role, and its suggestions with their reasons as
labels; and matchmaking on the dashboard, the country page and in search. Then the
writes: posting, interest and moves, editing and deleting a post (its owner account,
editors), a stale form, and notices marked read. The writes come last: they change the
counts the first tests read."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import func, select
from tests.match.conftest import ADMIN, load, post, write_csv
from tests.web.editing_support import add_accounts, csrf_token, form_fields, logged_in, problem_of

from devagenda.core.actor import acting_as
from devagenda.core.changelog import ChangeEntry
from devagenda.core.context import AppContext
from devagenda.match import services
from devagenda.match.connections import express_interest, move
from devagenda.match.models import ConnectionState, MatchPost
from devagenda.match.schemas import PostCreate

CONTACT = "kipi@example.org"
ROWS = [
    post(
        "NEED-1",
        "need",
        title_zh="需要资金培训专利审查员",
        title_en="Funding to train patent examiners",
        description_en="Our office needs funding for patent examiner training.",
        countries="KE",
        support="financial",
        ip_fields="Patents",
        languages="en",
        contact=CONTACT,
    ),
    post("NEED-2", "need", title_en="Solar licence for rural clinics", countries="PE"),
    post(
        "NEED-3",
        "need",
        title_en="Drip irrigation for smallholders",
        countries="PE",
        support="licence",
        green_category="agriculture",
    ),
    post(
        "OFFER-1",
        "offer",
        title_en="Grants to train patent examiners",
        description_en="A fund for patent examiner training in Africa.",
        countries="UG",
        support="financial",
        ip_fields="Patents",
        languages="en",
    ),
    post(
        "OFFER-2",
        "offer",
        title_en="Licence for drip irrigation technology",
        countries="PE",
        support="licence",
        green_category="agriculture",
    ),
]


@pytest.fixture(scope="module")
def site(databases, tmp_path_factory) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.initialized_url())
    load(context, write_csv(tmp_path_factory.mktemp("match-web") / "posts.csv", ROWS))
    add_accounts(context)
    with acting_as(ADMIN), context.transaction() as session:
        express_interest(session, "NEED-1", "OFFER-1", on=date(2023, 3, 1))
        green = express_interest(session, "NEED-3", "OFFER-2", on=date(2023, 5, 2))
        move(session, green.id, ConnectionState.DISCUSSION, on=date(2023, 6, 1))
    yield context
    context.engine.dispose()


def test_the_match_page_words_the_counts_as_the_report(site: AppContext) -> None:
    with logged_in(site, None) as client:
        en = client.get("/match?lang=en")
        assert en.status_code == 200
        assert (
            "2 matchmakings and 1 connection from a dataset of 2 technology solutions "
            "and 3 needs." in en.text
        )
        assert "WIPO GREEN" in en.text and "Africa" in en.text and "2023" in en.text
        zh = client.get("/match?lang=zh")
        assert "数据集中有2项技术解决方案和3项需求，建立了2个牵线搭桥和1个联系。" in zh.text
        assert "拉丁美洲和加勒比" in zh.text
        assert '<a href="/match" aria-current="page">牵线搭桥</a>' in zh.text


def test_a_database_without_posts_says_so_rather_than_zero(databases) -> None:  # type: ignore[no-untyped-def]
    """Unknown is not none: an empty database's figures are no fact about WIPO Match."""
    context = AppContext.for_url(databases.initialized_url())
    try:
        with logged_in(context, None) as client:
            for path in ("/match?lang=en", "/?lang=en"):
                page = client.get(path)
                assert page.status_code == 200
                assert "No needs or offers are recorded in this database yet" in page.text
                assert "0 matchmakings" not in page.text
            assert "本数据库尚未记录任何需求或提供" in client.get("/match?lang=zh").text
    finally:
        context.engine.dispose()


def test_the_lists_have_facets_totals_and_exports(site: AppContext) -> None:
    with logged_in(site, None) as client:
        needs = client.get("/match/needs?lang=en")
        assert needs.status_code == 200
        assert "3 in all, showing 1–3" in needs.text
        assert "Funding to train patent examiners" in needs.text
        assert "Grants to train" not in needs.text  # an offer
        assert "/match/needs.csv" in needs.text
        assert "public-private partnership" not in needs.text
        filtered = client.get("/match/needs?lang=en&support=none")
        assert "Solar licence for rural clinics" in filtered.text
        assert "Funding to train patent examiners" not in filtered.text
        zh = client.get("/match/offers?lang=zh&country=PER")
        assert "许可" in zh.text and "Licence for drip irrigation" in zh.text
        assert "Grants to train" not in zh.text
        csv = client.get("/match/offers.csv?country=PER")
        assert csv.status_code == 200
        assert "OFFER-2" in csv.text and "OFFER-1" not in csv.text
        assert CONTACT not in client.get("/match/needs.csv").text
        assert client.get("/match/needs?colour=red").status_code == 422


def test_a_post_says_what_it_does_not_state(site: AppContext) -> None:
    with logged_in(site, None) as client:
        en = client.get("/match/posts/NEED-2?lang=en")
        assert en.status_code == 200
        for shown in ("post-fields", "post-languages", "post-support", "post-validity"):
            assert f'id="{shown}">not stated<' in en.text.replace("Not stated", "not stated")
        zh = client.get("/match/posts/NEED-2?lang=zh")
        assert 'id="post-support">未说明<' in zh.text
        assert client.get("/match/posts/NOPE-9").status_code == 404


@pytest.mark.parametrize(
    ("email", "sees"),
    [
        (None, False),
        ("reader@example.org", False),
        ("focal@example.org", False),
        ("editor@example.org", True),
        ("admin@example.org", True),
    ],
)
def test_the_contact_only_for_those_allowed(
    site: AppContext, email: str | None, sees: bool
) -> None:
    with logged_in(site, email) as client:
        page = client.get("/match/posts/NEED-1?lang=en")
        assert page.status_code == 200
        assert (CONTACT in page.text) is sees
        assert ("shown only to those allowed" in page.text) is not sees


def test_suggestions_best_first_with_readable_reasons(site: AppContext) -> None:
    with logged_in(site, None) as client:
        en = client.get("/match/posts/NEED-1?lang=en")
        suggestions = en.text.split('id="suggestions-heading"')[1]
        assert "Grants to train patent examiners" in suggestions
        assert "Licence for drip irrigation" not in suggestions  # another kind of support
        assert "IP fields both name</dt><dd>Patents" in suggestions
        assert "kind of support: financial" in suggestions
        assert "same region: Africa" in suggestions
        assert "shared language: English" in suggestions
        zh = client.get("/match/posts/NEED-1?lang=zh").text.split('id="suggestions-heading"')[1]
        assert "共同的知识产权领域</dt><dd>专利" in zh
        assert "支持类型：资金" in zh and "同一区域：非洲" in zh and "共同语言：英语" in zh


def test_matchmaking_on_the_dashboard_and_the_country_page(site: AppContext) -> None:
    with logged_in(site, None) as client:
        home = client.get("/?lang=en")
        assert "2 matchmakings and 1 connection; 3 needs and 2 offers." in home.text
        peru = client.get("/countries/PER?lang=en")
        assert "2 needs and 1 offer name this country." in peru.text
        assert "/match/needs?country=PER" in peru.text
        assert "Drip irrigation for smallholders" in peru.text
        kenya = client.get("/countries/KEN?lang=zh")
        assert "1项需求和0项提供列有该国。" in kenya.text
        assert (
            "本数据库记录的需求或提供中没有列有该国的。"
            in client.get("/countries/FRA?lang=zh").text
        )


def test_posts_are_found_by_the_global_search(site: AppContext) -> None:
    with logged_in(site, None) as client:
        found = client.get("/search?q=irrigation&lang=en")
        assert "/match/posts/NEED-3" in found.text and "/match/posts/OFFER-2" in found.text
        assert "Need or offer" in found.text
        assert CONTACT not in client.get("/search?q=kipi&lang=en").text


def _form(client, **values: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"csrf_token": csrf_token(client), **values}


def test_the_post_form_is_for_accounts(site: AppContext) -> None:
    with logged_in(site, None) as client:
        refused = client.get("/match/new")
        assert refused.status_code == 303 and refused.headers["location"].startswith("/login")
        assert "/match/new" not in client.get("/match?lang=en").text
    with logged_in(site, "reader@example.org") as client:
        form = client.get("/match/new?side=offer&lang=zh")
        assert form.status_code == 200 and "csrf_token" in form.text
        assert '<option value="offer" selected>提供</option>' in form.text
        assert "/match/new?side=need" in client.get("/match?lang=en").text
        no_token = client.post("/match/new", data={"side": "need", "title_en": "x", "owner": "y"})
        assert no_token.status_code == 403


def test_the_post_form_shows_every_bad_field_beside_it(site: AppContext) -> None:
    with logged_in(site, "reader@example.org") as client:
        bad = client.post(
            "/match/new?lang=en",
            data=_form(
                client,
                side="need",
                countries="KX",
                valid_from="2024-05-01",
                valid_until="2024-01-01",
                languages="Klingon",
            ),
        )
        assert bad.status_code == 422
        problems = dict(
            re.findall(r'class="form-problem" id="problem-([a-z_]+)"><span[^>]*>(.*?)<', bad.text)
        )
        assert {"owner", "title_en", "countries", "valid_until", "languages"} <= set(problems)
        assert "KX" in problems["countries"]
        assert 'id="field-countries" name="countries"' in bad.text
        assert ">KX</textarea>" in bad.text  # the values typed are kept
        with site.sessions() as session:
            assert session.scalar(select(func.count()).select_from(MatchPost)) == len(ROWS)
        zh = client.post(
            "/match/new?lang=zh", data=_form(client, side="need", valid_from="not a date")
        )
        assert zh.status_code == 422 and "未能保存" in zh.text
        assert 'id="problem-valid_from"' in zh.text


def test_an_owner_posts_expresses_interest_and_moves_on(site: AppContext) -> None:
    with logged_in(site, "focal@example.org") as client:
        created = client.post(
            "/match/new",
            data=_form(
                client,
                side="need",
                title_en="Grants for patent examiner training",
                owner="Kenya Industrial Property Institute",
                countries="KE",
                support="financial",
                ip_fields="Patents",
                languages="en",
                contact="focal@kipi.example",
            ),
        )
        assert created.status_code == 303
        target = created.headers["location"]
        key = target.rsplit("/", 1)[1]
        page = client.get(target + "?lang=en")
        assert "focal@kipi.example" in page.text  # the owner sees their own contact
        assert page.text.count("Express interest") >= 1
        interest = client.post(f"/match/posts/{key}/interest", data=_form(client, other="OFFER-1"))
        assert interest.status_code == 303
        assert interest.headers["location"] == "/match/connections"
        mine = client.get("/match/connections?lang=en")
        assert "Grants to train patent examiners" in mine.text
        assert f"{key} is interested in OFFER-1" in mine.text
        assert "Move to: in discussion" in mine.text and "Move to: dropped" in mine.text
        again = client.get(target + "?lang=en")
        assert "Connected (contacted)" in again.text
        repeated = client.post(
            f"/match/posts/{key}/interest?lang=en", data=_form(client, other="OFFER-1")
        )
        assert repeated.status_code == 422 and "already connected" in repeated.text
        connection = re.search(r"/match/connections/(\d+)/move", mine.text)
        assert connection
        moved = client.post(
            f"/match/connections/{connection.group(1)}/move",
            data=_form(client, state="discussion"),
        )
        assert moved.status_code == 303
        zh = client.get("/match/connections?lang=zh").text
        assert "讨论中" in zh and f"{key}与OFFER-1：讨论中" in zh
        assert f"{key}对OFFER-1表示了兴趣" in zh
    with logged_in(site, "reader@example.org") as client:
        other = client.get(f"/match/posts/{key}?lang=en")
        assert "Express interest" not in other.text
        assert "focal@kipi.example" not in other.text
        refused = client.post(f"/match/posts/{key}/interest", data=_form(client, other="OFFER-2"))
        assert refused.status_code == 403
        assert "Grants for patent examiner training" not in client.get("/match/connections").text


def test_the_connections_page_asks_anonymous_readers_to_log_in(site: AppContext) -> None:
    with logged_in(site, None) as client:
        answer = client.get("/match/connections")
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def _new_post(client, title: str, **values: str) -> str:  # type: ignore[no-untyped-def]
    """A post made through the form by the client's account; its key."""
    data = {"side": "offer", "title_en": title, "owner": "EAPO", **values}
    created = client.post("/match/new", data=_form(client, **data))
    assert created.status_code == 303, created.text
    return str(created.headers["location"].rsplit("/", 1)[1])


def _stored(site: AppContext, key: str):  # type: ignore[no-untyped-def]
    with acting_as(ADMIN), site.sessions() as session:
        return services.get_post(session, key)


def test_the_owner_edits_their_post_and_another_reader_may_not(site: AppContext) -> None:
    with logged_in(site, "reader@example.org") as owner:
        key = _new_post(
            owner, "Training for examiners", countries="UG, TZ", ip_fields="Patents", languages="en"
        )
        path = f"/match/posts/{key}/edit"
        page = owner.get(f"/match/posts/{key}?lang=en").text
        assert f'href="{path}"' in page and f'href="/match/posts/{key}/delete"' in page
        opened = owner.get(path, params={"lang": "en"})
        assert opened.status_code == 200 and "Edit Training for examiners" in opened.text
        form = form_fields(opened.text, path)
        assert form["title_en"] == "Training for examiners"
        assert form["countries"] == "UG\nTZ"  # alpha-2 codes, as the form takes them
        assert form["ip_fields"] == "patents" and form["languages"] == "en"
        assert "side" not in form  # a need stays a need, an offer an offer
        form.update(title_en="Training for patent examiners", message="a clearer title")
        saved = owner.post(path, data=form)
        assert saved.status_code == 303 and saved.headers["location"] == f"/match/posts/{key}"
        after = _stored(site, key)
        assert after.title_en == "Training for patent examiners"
        assert after.countries == ["UGA", "TZA"]  # the fields left alone stay
        with site.sessions() as session:
            logged = session.scalars(
                select(ChangeEntry.message).where(
                    ChangeEntry.record_type == MatchPost.__tablename__
                )
            ).all()
        assert "a clearer title" in logged
    with logged_in(site, "focal@example.org") as other:
        page = other.get(f"/match/posts/{key}?lang=en").text
        assert path not in page and f"/match/posts/{key}/delete" not in page
        assert other.get(path).status_code == 403
        form.update(title_en="Taken over", csrf_token=csrf_token(other))
        refused = other.post(path, data=form, params={"lang": "en"})
        assert refused.status_code == 403 and "Your account may not do this." in refused.text
        assert other.post(f"/match/posts/{key}/delete", data=form).status_code == 403
    with logged_in(site, None) as anonymous:
        asked = anonymous.get(path)
        assert asked.status_code == 303 and asked.headers["location"].startswith("/login")
    assert _stored(site, key).title_en == "Training for patent examiners"


def test_an_editor_edits_any_post_with_every_bad_field_beside_it(site: AppContext) -> None:
    with logged_in(site, "reader@example.org") as owner:
        key = _new_post(owner, "Copyright clinics", countries="UG")
    path = f"/match/posts/{key}/edit"
    with logged_in(site, "editor@example.org") as editor:
        assert f'href="{path}"' in editor.get(f"/match/posts/{key}").text
        form = form_fields(editor.get(path).text, path)
        version = _stored(site, key).version
        form.update(countries="XQ", valid_from="2026-05-01", valid_until="2026-01-01")
        refused = editor.post(path, data=form, params={"lang": "en"})
        assert refused.status_code == 422
        assert "XQ" in problem_of(refused.text, "countries")
        assert problem_of(refused.text, "valid_until")
        assert ">XQ</textarea>" in refused.text  # what was typed stays
        assert _stored(site, key).version == version  # nothing was written
        zh = editor.post(path, data=form, params={"lang": "zh"})
        assert zh.status_code == 422 and "未能保存" in zh.text
        form.update(countries="UG", valid_from="", valid_until="2030-12-31")
        assert editor.post(path, data=form).status_code == 303
    assert _stored(site, key).valid_until == date(2030, 12, 31)


def test_a_stale_edit_shows_the_form_again_over_the_current_post(site: AppContext) -> None:
    with logged_in(site, "reader@example.org") as owner:
        key = _new_post(owner, "Trademark search training", countries="UG")
        path = f"/match/posts/{key}/edit"
        mine = form_fields(owner.get(path).text, path)
        with logged_in(site, "editor@example.org") as editor:
            theirs = form_fields(editor.get(path).text, path)
            theirs.update(owner="East African IP Office")
            assert editor.post(path, data=theirs).status_code == 303
        mine.update(description_en="Two weeks in Kampala.")
        stale = owner.post(path, data=mine, params={"lang": "en"})
        assert stale.status_code == 409
        assert "Changed by someone else since you opened this form." in stale.text
        again = form_fields(stale.text, path)
        assert again["description_en"] == "Two weeks in Kampala."  # my change is kept
        assert again["owner"] == "East African IP Office"  # theirs is taken in
        assert again["version"] == str(_stored(site, key).version)
        assert owner.post(path, data=again).status_code == 303
    after = _stored(site, key)
    assert (after.owner, after.description_en) == (
        "East African IP Office",
        "Two weeks in Kampala.",
    )


def test_a_post_is_deleted_after_its_confirmation(site: AppContext) -> None:
    with logged_in(site, "reader@example.org") as owner:
        key = _new_post(owner, "Design law study", countries="UG")
        path = f"/match/posts/{key}/delete"
        confirm = owner.get(path, params={"lang": "en"})
        assert confirm.status_code == 200 and "Delete Design law study?" in confirm.text
        assert _stored(site, key).title_en == "Design law study"  # asking deletes nothing
        zh = owner.get(path, params={"lang": "zh"})
        assert "删除Design law study？" in zh.text
        form = form_fields(confirm.text, path)
        edit = f"/match/posts/{key}/edit"
        changed = form_fields(owner.get(edit).text, edit)
        changed.update(title_en="Design law study, 2024")
        assert owner.post(edit, data=changed).status_code == 303
        stale = owner.post(path, data=form, params={"lang": "en"})
        assert stale.status_code == 409  # confirmed over an older version
        assert _stored(site, key).title_en == "Design law study, 2024"
        deleted = owner.post(path, data=form_fields(stale.text, path))
        assert deleted.status_code == 303 and deleted.headers["location"] == "/match"
        assert owner.get(f"/match/posts/{key}").status_code == 404
    with logged_in(site, "editor@example.org") as editor:
        # a post with connections stays: the report's counts rest on them
        kept = "/match/posts/NEED-1/delete"
        refused = editor.post(kept, data=form_fields(editor.get(kept).text, kept))
        assert refused.status_code == 409, refused.text
        assert "end the post instead by setting valid_until" in refused.text
        assert editor.get("/match/posts/NEED-1").status_code == 200


def test_notices_are_shown_unread_and_marked_read(site: AppContext) -> None:
    with logged_in(site, "reader@example.org") as owner:
        key = _new_post(
            owner,
            "Funds for patent examiner training",
            side="need",
            countries="UG",
            support="financial",
            ip_fields="Patents",
            languages="en",
        )
        interest = f"/match/posts/{key}/interest"
        assert owner.post(interest, data=_form(owner, other="OFFER-1")).status_code == 303
        page = owner.get("/match/connections?lang=en").text
        unread = re.findall(r'action="/match/notices/(\d+)/read"', page)
        assert unread and page.count('class="badge notice-unread">unread<') == len(unread)
        count = len(unread)
        noun = "unread notice" if count == 1 else "unread notices"
        assert f'<p id="notices-unread">{count} {noun}</p>' in page
        marked = owner.post(f"/match/notices/{unread[0]}/read", data=_form(owner))
        assert marked.status_code == 303
        after = owner.get("/match/connections?lang=en").text
        shown = after.split(f'id="notice-{unread[0]}"')[1].split("</li>")[0]
        assert "Mark read" not in shown and "read on " in shown
        left = len(re.findall(r'action="/match/notices/(\d+)/read"', after))
        assert left == count - 1
        noun = "unread notice" if left == 1 else "unread notices"
        assert f'<p id="notices-unread">{left} {noun}</p>' in after
        zh = owner.get("/match/connections?lang=zh").text
        assert "已读" in zh and f"{left}条未读通知" in zh
    with logged_in(site, "focal@example.org") as other:
        notice = unread[-1] if count > 1 else unread[0]
        refused = other.post(f"/match/notices/{notice}/read", data=_form(other))
        assert refused.status_code == 403


def test_a_count_of_one_is_singular_in_both_languages(site: AppContext) -> None:
    with acting_as(ADMIN), site.transaction() as session:
        services.create_post(
            session,
            PostCreate(side="offer", title_en="Seed bank licence", owner="W", countries=["FJ"]),
        )
    with logged_in(site, None) as client:
        assert "0 needs and 1 offer name this country." in client.get("/countries/FJI?lang=en").text
        assert "0项需求和1项提供列有该国。" in client.get("/countries/FJI?lang=zh").text
