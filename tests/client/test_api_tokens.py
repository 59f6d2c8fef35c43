"""API tokens: made by an operator's command, by a person on their own page, or by an admin
for someone; shown once; only a hash kept; revoked for good; refused once unusable."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken, AuditEvent
from tests.support.api import call, token_by_command
from tests.support.pages import normalize_spaces


def stored_tokens():
    db.session.rollback()
    return db.session.scalars(select(ApiToken).order_by(ApiToken.id)).all()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def created_token(page) -> str:
    return page.select_one("#api-token").text.strip()


def card_titles(page) -> list[str]:
    return [normalize_spaces(t.text) for t in page.select(".govuk-summary-card__title")]


# --- The command ---------------------------------------------------------------------------


def test_the_command_prints_a_new_token_once_on_its_last_line_and_keeps_only_its_hash(
    app, runner, make_user, client
):
    commissioner = make_user("commissioner")
    result = runner.invoke(
        args=["api-tokens", "create", "--email", commissioner.email, "--name", "Power BI"]
    )
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("hys_") and len(token) > 40 and " " not in token

    (stored,) = stored_tokens()
    assert stored.token_hash == sha256(token)
    assert stored.prefix == token[:12] and stored.name == "Power BI"
    assert stored.user_id == commissioner.id
    # Listing says which token is which, never the token.
    listing = runner.invoke(args=["api-tokens", "list", "--email", commissioner.email]).output
    assert stored.prefix in listing and "Power BI" in listing and "in use" in listing
    assert token not in listing

    assert call(client, "/api/v1/contracts", token).status_code == 200
    assert (
        "last used never"
        not in runner.invoke(args=["api-tokens", "list", "--email", commissioner.email]).output
    )


def test_the_command_revokes_a_token_by_prefix_and_the_api_refuses_it_after(
    app, runner, make_user, client
):
    provider = make_user("admin")
    token = token_by_command(runner, provider.email)
    result = runner.invoke(args=["api-tokens", "revoke", token[:12]])
    assert result.exit_code == 0 and "Revoked" in result.output
    response = call(client, "/api/v1/contracts", token)
    assert response.status_code == 401
    assert response.get_json()["message"] == "This API token has been revoked."
    listing = runner.invoke(args=["api-tokens", "list", "--email", provider.email]).output
    assert "revoked" in listing


def test_the_command_refuses_roles_that_may_not_read_evidence_and_unknown_people(
    app, runner, make_user
):
    key_worker = make_user("key_worker")
    result = runner.invoke(
        args=["api-tokens", "create", "--email", key_worker.email, "--name", "Mine"]
    )
    assert result.exit_code != 0
    assert "no role that may read evidence" in result.output
    result = runner.invoke(
        args=["api-tokens", "create", "--email", "nobody@example.org", "--name", "Mine"]
    )
    assert result.exit_code != 0 and "no account for nobody@example.org" in result.output
    assert stored_tokens() == []


# --- A person's own page -------------------------------------------------------------------


def test_a_commissioner_makes_a_token_on_their_page_and_sees_it_only_once(
    client_request, make_user, sign_in, client
):
    commissioner = make_user("commissioner")
    sign_in(commissioner)
    page = client_request.get("/account/api-tokens")
    assert normalize_spaces(page.select_one("h1").text) == "Your API tokens"
    assert "You have no API tokens." in page.text

    created = client_request.post(
        "/account/api-tokens/new",
        {"name": "Contract dashboard"},
        expected_status=200,
        form_page="/account/api-tokens",
    )
    assert normalize_spaces(created.select_one("h1").text) == "Your new API token"
    assert "shown only this once" in created.text
    token = created_token(created)
    (stored,) = stored_tokens()
    assert stored.token_hash == sha256(token) and token != stored.token_hash

    listing = client_request.get("/account/api-tokens")
    assert card_titles(listing) == ["Contract dashboard"]
    assert listing.select_one(".govuk-summary-list code").text == token[:12]
    assert token[:12] in listing.text and token not in client_request.last.get_data(as_text=True)
    assert call(client, "/api/v1/statuses", token).status_code == 200


def test_a_token_needs_a_name_and_a_refused_form_names_the_field(
    client_request, make_user, sign_in
):
    sign_in(make_user("provider"))
    page = client_request.post(
        "/account/api-tokens/new",
        {"name": "   "},
        expected_status=400,
        form_page="/account/api-tokens",
    )
    summary = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert "Enter a name for the token" in summary
    assert page.select_one(".govuk-error-summary a")["href"] == "#name"
    assert page.select_one("title").text.startswith("Error:")
    assert stored_tokens() == []

    client_request.post(
        "/account/api-tokens/new",
        {"name": "Excel"},
        expected_status=200,
        form_page="/account/api-tokens",
    )
    again = client_request.post(
        "/account/api-tokens/new",
        {"name": "excel"},
        expected_status=400,
        form_page="/account/api-tokens",
    )
    assert "already a token in use with this name" in again.select_one(".govuk-error-summary").text
    assert len(stored_tokens()) == 1


def test_revoking_asks_first_then_the_token_stops_working(
    client_request, make_user, sign_in, client
):
    coordinator = make_user("coordinator")
    sign_in(coordinator)
    page = client_request.post(
        "/account/api-tokens/new",
        {"name": "Old report"},
        expected_status=200,
        form_page="/account/api-tokens",
    )
    token = created_token(page)
    (stored,) = stored_tokens()
    listing = client_request.get("/account/api-tokens")
    link = listing.select_one(".govuk-summary-card__actions a")
    assert normalize_spaces(link.text).startswith("Revoke")

    confirm = client_request.get(link["href"])
    assert normalize_spaces(confirm.select_one("h1").text) == "Revoke the token ‘Old report’?"
    assert call(client, "/api/v1/contracts", token).status_code == 200  # not yet

    client_request.post(link["href"], {})
    assert stored_tokens()[0].revoked_at is not None
    after = client_request.get("/account/api-tokens")
    assert "is revoked" in after.text and "Revoked" in after.select_one(".govuk-summary-list").text
    assert after.select(".govuk-summary-card__actions a") == []
    assert call(client, "/api/v1/contracts", token).status_code == 401
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("api_token%")))
    assert [(e.action, e.object_id) for e in events] == [
        ("api_token_created", str(stored.id)),
        ("api_token_revoked", str(stored.id)),
    ]


def test_nobody_can_see_or_revoke_another_persons_token_from_their_own_page(
    client_request, make_user, sign_in, runner, client
):
    owner = make_user("commissioner")
    token = token_by_command(runner, owner.email)
    (stored,) = stored_tokens()
    sign_in(make_user("commissioner"))
    assert "no API tokens" in client_request.get("/account/api-tokens").text
    client_request.get(f"/account/api-tokens/{stored.id}/revoke", expected_status=404)
    client_request.post(
        f"/account/api-tokens/{stored.id}/revoke",
        {},
        expected_status=404,
        form_page="/account/api-tokens",
    )
    assert call(client, "/api/v1/contracts", token).status_code == 200


def test_roles_that_may_not_read_evidence_have_no_token_pages(client_request, make_user, sign_in):
    sign_in(make_user("key_worker"))
    client_request.get("/account/api-tokens", expected_status=403)


# --- An admin, on a person's page -------------------------------------------------------------


def test_an_admin_makes_and_revokes_a_token_for_someone(client_request, make_user, sign_in, client):
    provider = make_user("provider")
    sign_in(make_user("admin"))
    user_page = client_request.get(f"/admin/users/{provider.id}")
    link = user_page.find("a", string=lambda s: s and "API tokens" in s)
    tokens_page = client_request.get(link["href"])
    assert normalize_spaces(tokens_page.select_one("h1").text) == f"API tokens of {provider.name}"

    created = client_request.post(
        f"/admin/users/{provider.id}/api-tokens/new",
        {"name": "Provider returns feed"},
        expected_status=200,
        form_page=link["href"],
    )
    assert f"Give it to {provider.name}" in created.text
    token = created_token(created)
    (stored,) = stored_tokens()
    assert stored.user_id == provider.id and stored.token_hash == sha256(token)
    assert call(client, "/api/v1/contracts", token).status_code == 200

    revoke = f"/admin/users/{provider.id}/api-tokens/{stored.id}/revoke"
    client_request.get(revoke)
    client_request.post(revoke, {})
    assert call(client, "/api/v1/contracts", token).status_code == 401
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "api_token_revoked")
    ).one()
    assert event.detail["by_admin"] is True and event.detail["owner"] == provider.email


def test_an_admin_is_told_why_a_key_worker_cannot_have_a_token(client_request, make_user, sign_in):
    key_worker = make_user("key_worker")
    sign_in(make_user("admin"))
    page = client_request.get(f"/admin/users/{key_worker.id}/api-tokens")
    assert "cannot have API tokens" in page.text and page.select("form input[name=name]") == []
    refused = client_request.post(
        f"/admin/users/{key_worker.id}/api-tokens/new",
        {"name": "Sneaky"},
        expected_status=400,
        form_page=f"/admin/users/{key_worker.id}/api-tokens",
    )
    assert "no role that may read evidence" in refused.select_one(".govuk-error-summary").text
    assert stored_tokens() == []


def test_a_token_stops_working_when_its_owner_is_made_inactive_or_loses_the_role(
    app, runner, make_user, client
):
    commissioner = make_user("commissioner")
    token = token_by_command(runner, commissioner.email)
    commissioner.set_roles(["key_worker"])
    db.session.commit()
    response = call(client, "/api/v1/contracts", token)
    assert response.status_code == 403
    assert "no longer has a role that may read evidence" in response.get_json()["message"]
    commissioner.set_roles(["commissioner"])
    commissioner.active = False
    db.session.commit()
    response = call(client, "/api/v1/contracts", token)
    assert response.status_code == 401
    assert response.get_json()["message"] == ("The account this API token belongs to is inactive.")
