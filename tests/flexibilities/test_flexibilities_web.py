"""The flexibilities pages in both languages: comparisons with "not stated", the update
form for the jurisdiction's focal point only, and the update on the provision at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.web.editing_support import add_accounts, csrf_token, logged_in

from devagenda.core.actor import Actor, Role, acting_as
from devagenda.core.context import AppContext
from devagenda.flexibilities.schemas import ProvisionIn
from devagenda.flexibilities.services import create_provision

EDITOR = Actor(label="editor", role=Role.EDITOR)


@pytest.fixture(scope="module")
def site(databases) -> Iterator[tuple[AppContext, int]]:  # type: ignore[no-untyped-def]
    context = AppContext.for_url(databases.initialized_url())
    add_accounts(context)
    with acting_as(EDITOR), context.transaction() as session:
        provision = create_provision(
            session,
            ProvisionIn(
                jurisdiction="KEN",
                category="research-exception",
                law_title="Industrial Property Act <b>",
                articles="s. 58(1)",
                texts={"en": "Acts done for research"},
            ),
        )
    yield context, provision.id
    context.engine.dispose()


def test_the_comparisons_in_both_languages(site: tuple[AppContext, int]) -> None:
    context, _ = site
    with logged_in(context, None) as client:
        zh = client.get("/flexibilities/categories/research-exception?jurisdictions=KEN,PER")
        assert zh.status_code == 200
        assert "研究例外" in zh.text and "未说明" in zh.text
        assert "Industrial Property Act &lt;b&gt;" in zh.text  # escaped
        assert "format=pdf" in zh.text
        en = client.get("/flexibilities/jurisdictions/KEN?lang=en")
        assert en.status_code == 200
        assert en.text.count("not stated, which is not none") == 13
        assert "Submit a Member State update" not in en.text


def test_only_the_jurisdictions_focal_point_gets_the_form(site: tuple[AppContext, int]) -> None:
    context, _ = site
    with logged_in(context, None) as client:
        assert client.get("/flexibilities/jurisdictions/KEN/update").status_code == 303
    for email in ("reader@example.org", "editor@example.org", "admin@example.org"):
        with logged_in(context, email) as client:
            refused = client.get("/flexibilities/jurisdictions/KEN/update?lang=en")
            assert refused.status_code == 403, email
            assert "only a focal point of KEN" in refused.text
    with logged_in(context, "focal@example.org") as client:
        assert client.get("/flexibilities/jurisdictions/KEN/update").status_code == 200
        assert client.get("/flexibilities/jurisdictions/PER/update").status_code == 403


def test_a_submitted_update_is_on_the_provision_for_anonymous_readers(
    site: tuple[AppContext, int],
) -> None:
    context, provision_id = site
    form = {
        "communication_reference": "Note verbale KE/2024/9",
        "communication_date": "2024-02-01",
        "summary": "Section 58 amended",
        "provision": str(provision_id),
        "law_title": "Industrial Property Act",
        "articles": "s. 58(1)",
        "language": "en",
        "text": "Acts done for experimental purposes",
    }
    with logged_in(context, "focal@example.org") as client:
        bad = client.post(
            "/flexibilities/jurisdictions/KEN/update?lang=en",
            data={**form, "communication_date": "soon", "csrf_token": csrf_token(client)},
        )
        assert bad.status_code == 422 and "Date of the communication" in bad.text
        done = client.post(
            "/flexibilities/jurisdictions/KEN/update",
            data={**form, "csrf_token": csrf_token(client)},
        )
        assert done.status_code == 303
        assert done.headers["location"].startswith(f"/flexibilities/provisions/{provision_id}")
    with logged_in(context, None) as client:
        page = client.get(f"/flexibilities/provisions/{provision_id}?lang=en")
        assert "Note verbale KE/2024/9" in page.text
        assert "Acts done for experimental purposes" in page.text
        assert "Note verbale KE/2024/9" in client.get("/flexibilities/jurisdictions/KEN").text


def test_a_post_without_the_csrf_token_is_refused(site: tuple[AppContext, int]) -> None:
    context, _ = site
    with logged_in(context, "focal@example.org") as client:
        response = client.post("/flexibilities/jurisdictions/KEN/update", data={"summary": "x"})
        assert response.status_code == 403


def test_the_country_page_counts_its_provisions(site: tuple[AppContext, int]) -> None:
    context, _ = site
    with logged_in(context, None) as client:
        page = client.get("/countries/KEN?lang=en")
        assert page.status_code == 200
        assert "holds 1 provision and 1 Member State update of this country." in page.text
        assert 'href="/flexibilities/jurisdictions/KEN"' in page.text


def test_the_dashboard_shows_the_database(site: tuple[AppContext, int]) -> None:
    context, _ = site
    with logged_in(context, None) as client:
        page = client.get("/?lang=en")
        assert page.status_code == 200
        assert "1 provision of 1 jurisdiction recorded." in page.text
