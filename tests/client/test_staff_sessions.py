"""A session ends everywhere it was copied to: on sign-out, on a new password and when an
admin signs someone out everywhere."""

from __future__ import annotations

import re

from flask_login.utils import encode_cookie
from sqlalchemy import select

from app.accounts.credentials import set_password_link
from app.extensions import db
from app.models import AuditEvent, User
from tests.support.pages import ClientRequest, normalize_spaces


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def client_with_cookie(app, name: str, value: str) -> ClientRequest:
    """Another browser holding a copy of a cookie."""
    other = app.test_client()
    other.set_cookie(name, value)
    return ClientRequest(other)


def lets_in(browser: ClientRequest) -> bool:
    response = browser._send("get", "/admin/users")  # a fresh app context, as a browser has
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/sign-in")
        return False
    assert response.status_code == 200
    return True


def actions() -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_copied_session_cookie_stops_working_when_its_owner_signs_out(
    app, client_request, make_user, sign_in
):
    sign_in(make_user("admin"))
    copy = client_with_cookie(app, "session", session_cookie(client_request.client))
    assert lets_in(copy)
    client_request.post("/sign-out", {}, form_page="/staff")
    assert not lets_in(copy)
    assert "sign_out" in actions()


def test_a_new_password_from_a_link_ends_every_session_with_the_old_one(
    app, client_request, make_user, sign_in
):
    user = make_user("admin")
    sign_in(user)
    copy = client_with_cookie(app, "session", session_cookie(client_request.client))
    path = set_password_link(user)
    path = path[path.index("/set-password/") :]
    someone_else = ClientRequest(app.test_client())
    someone_else.post(path, {"password": "four quiet harbour lanterns", "confirm": "four quiet "
                             "harbour lanterns"})  # fmt: skip
    assert not lets_in(copy)
    assert not lets_in(client_request)
    assert "password_set" in actions()


def test_a_remember_me_cookie_is_checked_the_same_way(app, client_request, make_user, sign_in):
    user = make_user("admin")
    remembered = encode_cookie(user.get_id())
    assert lets_in(client_with_cookie(app, "remember_token", remembered))
    sign_in(user)
    client_request.post("/sign-out", {}, form_page="/staff")
    assert not lets_in(client_with_cookie(app, "remember_token", remembered))


def test_a_session_cookie_from_before_tokens_signs_no_one_in(app, make_user):
    user = make_user("admin")
    old_style = encode_cookie(str(user.id))  # the bare id that cookies used to hold
    assert not lets_in(client_with_cookie(app, "remember_token", old_style))


def test_an_admin_signs_someone_out_everywhere(app, client_request, make_user, sign_in):
    worker = make_user("coordinator")
    phone = ClientRequest(app.test_client())
    phone.post("/sign-in", {"email": worker.email, "password": "correct horse battery"})
    phone.get("/admin/campaigns")  # signed in: the page itself, not a redirect

    admin = make_user("admin")
    sign_in(admin)
    page = client_request.get(f"/admin/users/{worker.id}")
    form = page.find("button", string=re.compile("Sign out everywhere")).find_parent("form")
    assert form["action"] == f"/admin/users/{worker.id}/sign-out-everywhere"
    client_request.post(form["action"], {}, form_page=f"/admin/users/{worker.id}")
    page = client_request.get(f"/admin/users/{worker.id}")
    assert f"{worker.name} is signed out everywhere." in normalize_spaces(page.text)

    response = phone.get("/admin/campaigns", expected_status=302)
    assert response.headers["Location"].startswith("/sign-in")
    assert lets_in(client_request)  # the admin's own session carries on
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "signed_out_everywhere")
    )
    assert event.object_id == str(worker.id) and event.actor_user_id == admin.id


def test_signing_out_everywhere_needs_the_form_token(app, client_request, make_user, sign_in):
    worker = make_user("coordinator")
    token = worker.session_token
    sign_in(make_user("admin"))
    client_request.post(
        f"/admin/users/{worker.id}/sign-out-everywhere", {"csrf_token": "forged"},
        expected_status=400,
    )  # fmt: skip
    db.session.rollback()
    assert db.session.get(User, worker.id).session_token == token
