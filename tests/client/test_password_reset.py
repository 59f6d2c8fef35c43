"""Forgotten passwords: a link by email through the outbox that works once and expires, the
same answer whether or not an address has an account, and limits like signing in."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.accounts import credentials
from app.extensions import db
from app.models import SafeguardingEmail
from tests.support.pages import normalize_spaces

ASK = "/sign-in/forgotten-password"


def outbox(kind="password_reset") -> list[SafeguardingEmail]:
    db.session.rollback()
    return list(db.session.scalars(select(SafeguardingEmail).where(SafeguardingEmail.kind == kind)))


def link_in(email: SafeguardingEmail) -> str:
    match = re.search(r"https?://\S+(/set-password/\S+)", email.body)
    assert match, email.body
    return match.group(1)


def test_sign_in_says_what_to_do_about_a_forgotten_password(client_request):
    page = client_request.get("/sign-in")
    link = page.find("a", string=re.compile("Get a link to set a new password"))
    assert link["href"] == ASK


def test_a_reset_link_arrives_by_email_works_once_and_signs_in_with_the_new_password(
    client_request, make_user
):
    user = make_user("provider", email="pat@example.org")
    response = client_request.post(ASK, {"email": " PAT@example.org "})
    assert response.headers["Location"] == f"{ASK}/sent"
    page = client_request.get(f"{ASK}/sent")
    assert normalize_spaces(page.h1.text) == "Check your email"
    [email] = outbox()
    assert email.recipient == "pat@example.org" and email.sent_at is None
    path = link_in(email)

    client_request.post(
        path, {"password": "a brand new passphrase", "confirm": "a brand new passphrase"}
    )
    client_request.get(path, expected_status=410)  # used once, then dead
    response = client_request.post(
        "/sign-in", {"email": user.email, "password": "a brand new passphrase"}
    )
    assert response.headers["Location"] == "/staff"


def test_a_reset_link_expires(client_request, make_user, monkeypatch):
    make_user("coordinator", email="casey@example.org")
    client_request.post(ASK, {"email": "casey@example.org"})
    path = link_in(outbox()[0])
    monkeypatch.setattr(credentials, "SET_PASSWORD_VALID", timedelta(seconds=-1))
    page = client_request.get(path, expected_status=410)
    assert normalize_spaces(page.h1.text) == "This link has expired"
    assert page.find("a", string=re.compile("Get a new link by email"))["href"] == ASK


def test_asking_never_reveals_whether_an_address_has_an_account(client_request, make_user):
    inactive = make_user("admin", email="gone@example.org")
    inactive.active = False
    db.session.commit()
    answers = [
        client_request.post(ASK, {"email": address}).headers["Location"]
        for address in ("nobody@example.org", "gone@example.org")
    ]
    assert answers == [f"{ASK}/sent", f"{ASK}/sent"]
    assert outbox() == []


def test_an_empty_address_gets_an_error_summary(client_request):
    page = client_request.post(ASK, {"email": ""}, expected_status=400)
    assert page.title.text.startswith("Error: ")
    summary = page.select_one(".govuk-error-summary a")
    assert normalize_spaces(summary.text) == "Enter your email address"
    assert summary["href"] == "#email"


def test_asking_again_and_again_is_paused_like_signing_in(client_request, make_user):
    make_user("admin", email="alex@example.org")
    for _ in range(3):
        client_request.post(ASK, {"email": "alex@example.org"})
    page = client_request.post(ASK, {"email": "alex@example.org"}, expected_status=429)
    assert normalize_spaces(page.h1.text) == "Too many requests for a new password link"
    assert len(outbox()) == 3
