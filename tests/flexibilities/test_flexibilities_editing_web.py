"""The editors' flexibilities pages in both languages: a provision's edit form and its
deletion, a member-state update's page and the page attaching it to the provisions it
changes; each for editors and administrators only, with problems beside their fields."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from itertools import count

import pytest
from tests.web.editing_support import add_accounts, csrf_token, logged_in

from devagenda.accounts.services import create_user
from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.context import AppContext
from devagenda.flexibilities import services
from devagenda.flexibilities.schemas import ProvisionIn, UpdateIn

EDITOR = Actor(label="editor", role=Role.EDITOR)
KENYA_FOCAL = Actor(label="focal@example.org", role=Role.FOCAL_POINT, countries=frozenset({"KEN"}))
# None is an anonymous browser; the focal point of Peru is added here.
WRITERS = {
    None: False,
    "reader@example.org": False,
    "focal@example.org": False,
    "focal-per@example.org": False,
    "editor@example.org": True,
    "admin@example.org": True,
}
serial = count(1)


@pytest.fixture(scope="module")
def context(databases) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.initialized_url())
    add_accounts(context)
    with acting_as(Actor(label="operator:test", role=Role.ADMIN)), context.transaction() as s:
        create_user(
            s,
            email="focal-per@example.org",
            role="focal-point",
            password="correct horse battery staple",
            countries=("PER",),
        )
    yield context
    context.engine.dispose()


def _provision(context: AppContext, **changes: object) -> int:
    data = {
        "jurisdiction": "KEN",
        "category": "research-exception",
        "law_title": f"Industrial Property Act {next(serial)}",
        "articles": "s. 58(1)",
        "texts": {"en": "Acts done for research", "zh": "为研究目的的行为"},
        **changes,
    }
    with acting_as(EDITOR), context.transaction() as session:
        return services.create_provision(session, ProvisionIn.model_validate(data)).id


def _update(context: AppContext) -> int:
    """A Kenyan update that adds a provision, to be attached to others."""
    data = UpdateIn(
        jurisdiction="KEN",
        communication_reference=f"KE/2024/{next(serial)}",
        communication_date=date(2024, 3, 4),
        summary="A new section",
        adds=[ProvisionIn(jurisdiction="KEN", category="exhaustion", law_title="Act")],
    )
    with acting_as(KENYA_FOCAL), context.transaction() as session:
        return services.submit_update(session, data).id


def _get(context: AppContext, provision_id: int):  # type: ignore[no-untyped-def]
    with context.sessions() as session:
        return services.get_provision(session, provision_id)


def test_the_forms_by_role(context: AppContext) -> None:
    provision_id = _provision(context)
    update_id = _update(context)
    forms = (
        f"/flexibilities/provisions/{provision_id}/edit",
        f"/flexibilities/provisions/{provision_id}/delete",
        f"/flexibilities/updates/{update_id}/attach",
    )
    for email, allowed in WRITERS.items():
        with logged_in(context, email) as browser:
            for path in forms:
                response = browser.get(path, params={"lang": "en"})
                if allowed:
                    assert response.status_code == 200 and "csrf_token" in response.text, path
                elif email is None:
                    assert response.status_code == 303, path
                    assert response.headers["location"].startswith("/login?next="), path
                else:
                    assert response.status_code == 403, (email, path)
            if email == "focal@example.org":
                refused = browser.get(forms[0], params={"lang": "en"}).text
                assert "through a member-state update" in refused


def test_the_links_show_only_to_editors(context: AppContext) -> None:
    provision_id = _provision(context)
    update_id = _update(context)
    for email, allowed in WRITERS.items():
        with logged_in(context, email) as browser:
            page = browser.get(f"/flexibilities/provisions/{provision_id}?lang=en").text
            assert (f'href="/flexibilities/provisions/{provision_id}/edit"' in page) is allowed
            assert (f'href="/flexibilities/provisions/{provision_id}/delete"' in page) is allowed
            shown = browser.get(f"/flexibilities/updates/{update_id}?lang=en")
            assert shown.status_code == 200
            attach = f'href="/flexibilities/updates/{update_id}/attach"'
            assert (attach in shown.text) is allowed, email


def test_an_editor_edits_a_provision_in_either_language(context: AppContext) -> None:
    provision_id = _provision(context, law_date="2001-08-10")
    with logged_in(context, "editor@example.org") as browser:
        form = browser.get(f"/flexibilities/provisions/{provision_id}/edit?lang=zh")
        assert form.status_code == 200
        assert "原文（中文）" in form.text and "规定代码" in form.text
        version = re.search(r'name="version" value="(\d+)"', form.text)
        assert version
        was = {
            "was.law_title": _get(context, provision_id).law_title,
            "was.articles": "s. 58(1)",
            "was.law_date": "2001-08-10",
            "was.text_en": "Acts done for research",
        }
        posted = {"version": version.group(1), "csrf_token": csrf_token(browser), **was}
        bad = browser.post(
            f"/flexibilities/provisions/{provision_id}/edit?lang=en",
            data={**posted, "law_date": "soon", "articles": "s. 58(2)"},
        )
        assert bad.status_code == 422
        problems = set(re.findall(r'class="form-problem" id="problem-([a-z_]+)"', bad.text))
        assert problems == {"law_date"}  # the model's check first; the service's after
        assert _get(context, provision_id).articles == "s. 58(1)"
        done = browser.post(
            f"/flexibilities/provisions/{provision_id}/edit",
            data={
                **posted,
                "law_date": "2001-08-10",
                "articles": "s. 58(2)",
                "text_en": "Acts done for experimental purposes",
                "source": "https://www.kenyalaw.org/ipa",
            },
        )
        assert done.status_code == 303, done.text
        assert done.headers["location"] == f"/flexibilities/provisions/{provision_id}"
    stored = _get(context, provision_id)
    assert stored.articles == "s. 58(2)"
    assert stored.texts == {"en": "Acts done for experimental purposes", "zh": "为研究目的的行为"}
    assert stored.law_date == date(2001, 8, 10)
    with logged_in(context, None) as browser:
        history = browser.get(f"/flexibilities/provisions/{provision_id}/history?lang=en")
        assert history.status_code == 200 and "s. 58(2)" in history.text


def test_an_editor_deletes_a_provision(context: AppContext) -> None:
    provision_id = _provision(context)
    with logged_in(context, "editor@example.org") as browser:
        confirm = browser.get(f"/flexibilities/provisions/{provision_id}/delete?lang=en")
        version = re.search(r'name="version" value="(\d+)"', confirm.text)
        assert version
        done = browser.post(
            f"/flexibilities/provisions/{provision_id}/delete",
            data={"version": version.group(1), "csrf_token": csrf_token(browser)},
        )
        assert done.status_code == 303
        assert done.headers["location"] == "/flexibilities/jurisdictions/KEN"
        assert browser.get(f"/flexibilities/provisions/{provision_id}").status_code == 404


def test_an_editor_attaches_an_update(context: AppContext) -> None:
    first, second = _provision(context), _provision(context)
    peruvian = _provision(context, jurisdiction="PER")
    update_id = _update(context)
    path = f"/flexibilities/updates/{update_id}/attach"
    with logged_in(context, "editor@example.org") as browser:
        form = browser.get(path, params={"lang": "zh"})
        assert "关联更新" in form.text and f'value="{first}"' in form.text
        assert f'value="{peruvian}"' not in form.text  # another jurisdiction's
        token = csrf_token(browser)
        empty = browser.post(f"{path}?lang=en", data={"csrf_token": token, "effect": "amends"})
        assert empty.status_code == 422
        assert 'id="problem-provision"' in empty.text
        assert "choose at least one provision" in empty.text
        other = browser.post(path, data={"csrf_token": token, "provision": str(peruvian)})
        assert other.status_code == 422 and "the update of KEN" in other.text
        done = browser.post(
            path,
            data={"csrf_token": token, "provision": [str(first), str(second)], "effect": "amends"},
        )
        assert done.status_code == 303
        shown = browser.get(f"/flexibilities/updates/{update_id}?lang=en").text
    for provision_id in (first, second):
        assert f'href="/flexibilities/provisions/{provision_id}"' in shown
        updates = _get(context, provision_id).member_state_updates
        assert [(u.id, u.effect.value) for u in updates] == [(update_id, "amends")]
    assert _get(context, peruvian).member_state_updates == []


def test_only_editors_attach(context: AppContext) -> None:
    provision_id = _provision(context)
    update_id = _update(context)
    for email in ("focal@example.org", "reader@example.org", None):
        with logged_in(context, email) as browser:
            response = browser.post(
                f"/flexibilities/updates/{update_id}/attach",
                data={"csrf_token": csrf_token(browser), "provision": str(provision_id)},
            )
            assert response.status_code == 403, email
    assert _get(context, provision_id).member_state_updates == []
