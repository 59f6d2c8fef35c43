"""Sign-in leaks nothing and lets no one lock anyone else out: every path costs one hash
check, failures are counted per account and address together, pauses grow, and one address
trying many accounts is paused on its own."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models import AttemptCounter
from app.models import user as user_model
from app.models.timeutil import utcnow
from tests.support.pages import normalize_spaces

RIGHT = "correct horse battery"


def attempt(client_request, email, password, address="192.0.2.1", expected_status=400):
    return client_request.post(
        "/sign-in",
        {"email": email, "password": password},
        expected_status=expected_status,
        environ_base={"REMOTE_ADDR": address},
    )


def end_every_pause():
    """As if the pauses so far had run out a moment ago."""
    a_moment_ago = utcnow() - timedelta(seconds=1)
    db.session.execute(update(AttemptCounter).values(blocked_until=a_moment_ago))
    db.session.commit()


@pytest.fixture
def counted_hash_checks():
    with mock.patch.object(
        user_model, "check_password_hash", wraps=user_model.check_password_hash
    ) as check:
        yield check


@pytest.mark.parametrize("case", ["unknown address", "inactive account", "no password yet",
                                  "wrong password", "right password"])  # fmt: skip
def test_every_sign_in_runs_exactly_one_password_hash_check(
    client_request, make_user, counted_hash_checks, case
):
    user = make_user("admin")
    email, password, status = user.email, "not the password", 400
    if case == "unknown address":
        email = "nobody@example.org"
    elif case == "inactive account":
        user.active = False
    elif case == "no password yet":
        user.password_hash = None
    elif case == "right password":
        password, status = RIGHT, 302
    db.session.commit()
    attempt(client_request, email, password, expected_status=status)
    assert counted_hash_checks.call_count == 1


def test_failures_from_one_address_do_not_lock_the_account_at_another(client_request, make_user):
    user = make_user("admin")
    for _ in range(5):
        attempt(client_request, user.email, "guess", address="198.51.100.7")
    page = attempt(client_request, user.email, RIGHT, "198.51.100.7", expected_status=429)
    assert normalize_spaces(page.h1.text) == "Too many attempts to sign in"
    response = attempt(client_request, user.email, RIGHT, "203.0.113.9", expected_status=302)
    assert response.headers["Location"] == "/staff"


def test_pauses_grow_after_each_further_failure_and_a_right_password_clears_them(
    client_request, make_user
):
    user = make_user("admin")
    for _ in range(5):
        attempt(client_request, user.email, "guess")
    page = attempt(client_request, user.email, RIGHT, expected_status=429)
    assert "Wait 1 minute, then try again" in normalize_spaces(page.text)
    end_every_pause()
    attempt(client_request, user.email, "guess again")
    page = attempt(client_request, user.email, RIGHT, expected_status=429)
    assert "Wait 2 minutes, then try again" in normalize_spaces(page.text)
    end_every_pause()
    attempt(client_request, user.email, "and again")
    page = attempt(client_request, user.email, RIGHT, expected_status=429)
    assert "Wait 4 minutes, then try again" in normalize_spaces(page.text)
    end_every_pause()
    attempt(client_request, user.email, RIGHT, expected_status=302)
    db.session.rollback()
    # The account's count starts again; the address keeps its seven failures.
    counters = db.session.execute(select(AttemptCounter.kind, AttemptCounter.count)).all()
    assert [tuple(row) for row in counters] == [("sign_in_address", 7)]


def test_one_address_trying_many_accounts_is_paused_but_not_other_addresses(
    client_request, make_user
):
    user = make_user("admin")
    for n in range(30):
        attempt(client_request, f"person{n}@example.org", "Summer2026!")
    page = attempt(client_request, user.email, RIGHT, expected_status=429)
    assert "Wait 15 minutes" in normalize_spaces(page.text)
    attempt(client_request, user.email, RIGHT, "203.0.113.9", expected_status=302)


def test_right_passwords_from_a_shared_office_address_never_add_up(client_request, make_user):
    users = [make_user("coordinator") for _ in range(3)]
    for _ in range(12):
        for user in users:
            attempt(client_request, user.email, RIGHT, expected_status=302)
    db.session.rollback()
    assert set(db.session.scalars(select(AttemptCounter.count))) == {0}


def test_an_ipv6_network_is_counted_as_one_address(client_request, make_user):
    user = make_user("admin")
    for n in range(5):
        attempt(client_request, user.email, "guess", address=f"2001:db8:5:7::{n + 1:x}")
    attempt(client_request, user.email, RIGHT, "2001:db8:5:7:ffff::1", expected_status=429)
    attempt(client_request, user.email, RIGHT, "2001:db8:5:8::1", expected_status=302)
