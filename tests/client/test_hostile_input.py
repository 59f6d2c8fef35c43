"""Random and hostile form posts to every POST route as several roles: never a server
error, and nothing stored when the form was refused."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db
from tests.support.pages import ClientRequest
from tests.support.routes import sample_url

NASTY = [
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "{{ 7 * 7 }}",
    "%(name)s %s %d",
    "../../../etc/passwd",
    "\u202egnp.exe",
    "\x00",
    "\ud7ff\ufeff\u200b",
    "🙂" * 300,
    "A" * 5_000,
    "-1",
    "99999999999999999999",
    "2026-02-30",
]
VALUE = st.one_of(st.text(max_size=40), st.sampled_from(NASTY), st.integers().map(str))
ROLES = [None, "admin", "coordinator", "peer_researcher", "provider", "key_worker"]
# Rows a refused form may still leave: counted sign-in and code attempts, and the audit
# record of a failed sign-in.
ALLOWED_TO_GROW = {"attempt", "attempt_counter", "audit_event"}


def table_counts():
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def field_names(html: str) -> list[str]:
    return sorted(set(re.findall(r'name="([\w-]+)"', html)) - {"csrf_token"})


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_posts_never_break_the_server_or_store_refused_data(app, demo, make_user, data):
    role = data.draw(st.sampled_from(ROLES))
    people = {}
    for name in ["admin", "coordinator", "peer_researcher", "provider", "key_worker"]:
        email = f"hostile-{name}@example.org"
        from app.models import User

        people[name] = db.session.scalar(select(User).where(User.email == email)) or make_user(
            name, provider=demo["wemwbs"].service.provider, email=email
        )
    client = ClientRequest(app.test_client())
    if role:
        client.post("/sign-in", {"email": people[role].email, "password": "correct horse battery"})
    token_page = client._send("get", "/contact-me").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', token_page)
    assert csrf, "no CSRF token to send: every post would stop at the CSRF check"
    rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    for rule in rules:
        url = sample_url(app, rule, demo, people)
        page = client._send("get", url) if "GET" in rule.methods else None
        names = field_names(page.get_data(as_text=True)) if page is not None else []
        # Draw positions, not names: the fields found depend on the database, and what is
        # drawn must not (or Hypothesis cannot replay a failure).
        pairs = data.draw(
            st.lists(
                st.tuples(st.integers(0, 99), st.one_of(VALUE, st.lists(VALUE, max_size=3))),
                max_size=8,
            )
        )
        form = {(names[i % len(names)] if names else f"field{i}"): value for i, value in pairs}
        if data.draw(st.integers(0, 4)):  # mostly with a valid token, sometimes without
            form["csrf_token"] = csrf.group(1)
        before = table_counts()
        response = client._send("post", url, data=form)
        assert response.status_code < 500, (url, form, response.status_code)
        body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        refused = response.status_code >= 400 or "<title>Error:" in body
        if refused:
            after = table_counts()
            grown = {t for t in after if after[t] != before[t]} - ALLOWED_TO_GROW
            assert grown == set(), (url, form, grown)
