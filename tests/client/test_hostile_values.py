"""NUL characters and numbers too big for the database, in any address, query or form, get
a clear 400 or 404 on both databases, never a server error."""

from __future__ import annotations

import pytest

from app.models import User
from app.security import LARGEST_INTEGER
from tests.support.pages import ClientRequest, normalize_spaces
from tests.support.routes import sample_url

ROLES = ["admin", "coordinator", "commissioner", "provider", "key_worker", "peer_researcher"]


def int_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and any(
            c == "IntegerConverter" or "Integer" in c
            for c in [type(conv).__name__ for conv in rule._converters.values()]
        )
    ]


@pytest.fixture
def people(demo, make_user):
    provider = demo["wemwbs"].service.provider
    made = {name: make_user(name, provider=provider) for name in ROLES}
    made["all"] = make_user(*ROLES[:-1], provider=provider)
    return made


def test_ids_too_big_for_the_database_are_not_found(app, demo, people):
    client = ClientRequest(app.test_client())
    client.post("/sign-in", {"email": people["all"].email, "password": "correct horse battery"})
    rules = int_rules(app)
    assert len(rules) > 10, "the routes with ids were not found"
    for digits in (str(LARGEST_INTEGER + 1), "9" * 20):
        for rule in rules:
            url = sample_url(app, rule, demo, people)
            # Every integer in the address becomes the huge number, one route at a time.
            huge = "/".join(digits if part.isdigit() else part for part in url.split("/"))
            response = client._send("get", huge)
            assert response.status_code == 404, (huge, response.status_code)


def test_the_largest_id_a_column_holds_is_still_a_route(app, demo, people):
    client = ClientRequest(app.test_client())
    client.post("/sign-in", {"email": people["all"].email, "password": "correct horse battery"})
    response = client._send("get", f"/admin/campaigns/{LARGEST_INTEGER}")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["9" * 30, "-4", "abc", "1e9"])
def test_page_numbers_of_any_size_in_a_query_never_break_a_list(app, demo, people, page):
    client = ClientRequest(app.test_client())
    client.post("/sign-in", {"email": people["admin"].email, "password": "correct horse battery"})
    response = client._send("get", f"/admin/audit?page={page}")
    assert response.status_code in (200, 400, 404), response.status_code


@pytest.mark.parametrize(
    "path",
    ["/help%00", "/help?lang=%00", "/my-answers?x=a%00b", "/s/abc%00def"],
)
def test_nul_in_an_address_or_query_is_refused_in_plain_words(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "We could not use what you sent" in response.get_data(as_text=True)


def test_nul_in_a_respondents_answer_is_refused_in_their_language(client_request, demo):
    campaign = demo["service-feedback"]
    client_request.get(f"/s/{campaign.token}?lang=cy", expected_status=303)
    page = client_request.post("/my-answers", {"code": "ABCD\x002345"}, expected_status=400)
    assert normalize_spaces(page.select_one("h1").text) == (
        "Doedd dim modd i ni ddefnyddio'r hyn a anfonoch chi"
    )


def test_nul_in_every_form_as_every_role_is_refused_and_nothing_breaks(app, demo, people):
    for role in [None, *ROLES]:
        client = ClientRequest(app.test_client())
        if role:
            user = people[role]
            client.post("/sign-in", {"email": user.email, "password": "correct horse battery"})
        page = client._send("get", "/contact-me").get_data(as_text=True)
        import re

        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        for rule in app.url_map.iter_rules():
            if "POST" not in rule.methods:
                continue
            url = sample_url(app, rule, demo, people)
            response = client._send(
                "post", url, data={"csrf_token": csrf, "text": "a\x00b", "code": "\x00"}
            )
            assert response.status_code in (400, 302, 403, 404), (role, url, response.status_code)
            if response.status_code == 400:
                assert "We could not use what you sent" in response.get_data(as_text=True)
    assert User.query.count() >= len(ROLES)
