"""Guesses at codes and passwords are counted atomically, by the client's network: twenty at
once cannot slip ten past a limit of ten, and an IPv6 connection counts as one address."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from app import throttle
from app.extensions import db
from app.models import AttemptCounter, Participant, Response
from tests.support.journey import agree, answer_and_send
from tests.support.pages import ClientRequest

WINDOW = timedelta(minutes=15)


def phone(app, address: str = "192.0.2.1") -> ClientRequest:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return ClientRequest(client)


def all_at_once(how_many: int, work) -> list:
    """Run `work(n)` in `how_many` threads released together; their results in order."""
    results = [None] * how_many
    start = threading.Barrier(how_many)

    def run(n):
        start.wait()
        results[n] = work(n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(how_many)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("192.0.2.10", "192.0.2.10"),
        ("2001:db8:aa:bb:1:2:3:4", "2001:db8:aa:bb::/64"),
        ("2001:DB8:AA:BB::ffff", "2001:db8:aa:bb::/64"),
        ("::ffff:192.0.2.10", "192.0.2.10"),
        ("", "unknown"),
        (None, "unknown"),
        ("not an address", "unknown"),
    ],
)
def test_clients_are_counted_by_address_and_ipv6_by_its_64_network(address, counted_as):
    assert throttle.client_address(address) == counted_as


def test_twenty_claims_at_once_let_exactly_ten_through(app):
    def claim(_n):
        with app.app_context():
            return throttle.claim("test", "one address", 10, (WINDOW,), WINDOW)

    results = all_at_once(20, claim)
    assert sum(result is None for result in results) == 10
    assert db.session.scalar(select(AttemptCounter.count)) == 10


def test_a_claim_counts_with_one_update_that_decides(app):
    statements = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    throttle.claim("test", "key", 3, (WINDOW,), WINDOW)  # the row exists from now on
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        throttle.claim("test", "key", 3, (WINDOW,), WINDOW)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    updates = [s for s in statements if s.startswith("UPDATE attempt_counter")]
    assert len(updates) == 1
    assert "count=CASE" in updates[0] and "RETURNING" in updates[0]
    assert not [s for s in statements if s.startswith("SELECT")]


def test_twenty_wrong_codes_at_once_get_exactly_ten_checks(app):
    phones = [phone(app) for _ in range(20)]
    tokens = []
    for each in phones:
        page = each._send("get", "/my-answers").get_data(as_text=True)
        tokens.append(re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1))

    def guess(n):
        data = {"code": "ABCD2345", "csrf_token": tokens[n]}
        return phones[n].client.post("/my-answers", data=data).status_code

    statuses = all_at_once(20, guess)
    assert sorted(statuses) == [400] * 10 + [429] * 10


def test_right_codes_do_not_use_up_the_budget_for_wrong_ones(app, client_request):
    participant = Participant.create()
    db.session.add(participant)
    db.session.commit()
    for _ in range(12):
        client_request.post("/my-answers", {"code": participant.code})
    for _ in range(10):
        client_request.post("/my-answers", {"code": "ABCD2345"}, expected_status=400)
    client_request.post("/my-answers", {"code": "ABCD2345"}, expected_status=429)


def test_wrong_codes_from_one_ipv6_network_share_one_budget(app):
    for n in range(10):
        phone(app, f"2001:db8:1:2::{n + 1:x}").post(
            "/my-answers", {"code": "ABCD2345"}, expected_status=400
        )
    phone(app, "2001:db8:1:2:ffff::9").post(
        "/my-answers", {"code": "ABCD2345"}, expected_status=429
    )
    phone(app, "2001:db8:1:3::1").post("/my-answers", {"code": "ABCD2345"}, expected_status=400)


def test_sends_from_one_ipv6_network_share_the_address_limit(app, demo, monkeypatch):
    monkeypatch.setitem(app.config, "SUBMISSIONS_PER_ADDRESS", 1)
    campaign = demo["wemwbs"]
    first = phone(app, "2001:db8:9:9::1")
    agree(first, campaign)
    answer_and_send(first, campaign, app)
    second = phone(app, "2001:db8:9:9::2")
    agree(second, campaign)
    answer_and_send(second, campaign, app, expected_status=429)
    elsewhere = phone(app, "2001:db8:9:a::1")
    agree(elsewhere, campaign)
    answer_and_send(elsewhere, campaign, app)
    assert len(db.session.scalars(select(Response.id)).all()) == 2
