"""Every route has a declared policy, and every role gets exactly what the policy says."""

import pytest
from flask_login import AnonymousUserMixin

from app.access import POLICY, rule_for
from app.models import ROLES
from tests.support.pages import ClientRequest
from tests.support.routes import sample_url


def every_route(app):
    return [rule for rule in app.url_map.iter_rules()]


def test_every_route_has_a_declared_policy(app):
    missing = sorted(rule.endpoint for rule in every_route(app) if rule_for(rule.endpoint) is None)
    assert missing == [], f"routes without an access policy: {missing}"


def test_the_policy_names_only_routes_that_exist(app):
    endpoints = {rule.endpoint for rule in every_route(app)}
    assert sorted(set(POLICY) - endpoints) == []


@pytest.mark.parametrize("role", [None, *sorted(ROLES)])
def test_each_role_reaches_what_the_policy_allows_and_nothing_else(app, demo, make_user, role):
    people = {name: make_user(name, provider=demo["wemwbs"].service.provider) for name in ROLES}
    client = ClientRequest(app.test_client())
    user = AnonymousUserMixin()
    if role:
        user = people[role]
        client.post("/sign-in", {"email": user.email, "password": "correct horse battery"})
    wrong = []
    for rule in every_route(app):
        if "GET" not in rule.methods:
            continue
        url = sample_url(app, rule, demo, people)
        response = client._send("get", url)
        allowed = rule_for(rule.endpoint).allows(user)
        refused = response.status_code == 403 or (
            response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
        )
        if allowed == refused:
            wrong.append(
                (url, response.status_code, "should be allowed" if allowed else "should be refused")
            )
    assert wrong == []
