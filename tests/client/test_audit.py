"""The audit log records who did what, cannot be changed from the app, and admins search it."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app import audit
from app.extensions import db
from app.models import AuditEvent, Campaign
from app.models.timeutil import uk_today
from tests.support.pages import normalize_spaces


def actions():
    db.session.rollback()
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def rows(page):
    return [
        [normalize_spaces(cell.text) for cell in row.select("td")]
        for row in page.select("tbody tr")
    ]


def test_sign_ins_that_work_and_fail_are_recorded(client_request, make_user):
    user = make_user("admin")
    client_request.post(
        "/sign-in", {"email": user.email, "password": "wrong password"}, expected_status=400
    )
    client_request.post("/sign-in", {"email": user.email, "password": "correct horse battery"})
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["sign_in_failed", "sign_in"]
    assert events[1].actor_user_id == user.id and events[1].actor_label == user.email
    assert "wrong password" not in str(events[0].detail)


def test_campaign_changes_are_recorded_against_the_campaign(
    client_request, demo, make_user, sign_in
):
    sign_in(make_user("admin"))
    campaign = demo["wemwbs"]
    page = f"/admin/campaigns/{campaign.id}"
    client_request.post(f"{page}/close", {}, form_page=page)
    client_request.post(f"{page}/licence", {"licence_reference": "L-1"}, form_page=page)
    client_request.post(f"{page}/open", {}, form_page=page)
    assert actions()[-3:] == ["campaign_closed", "campaign_licence_recorded", "campaign_opened"]
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.object_type, event.object_id) == ("Campaign", str(campaign.id))
    assert isinstance(db.session.get(Campaign, campaign.id), Campaign)


def test_the_audit_screen_searches_by_action_actor_and_date_newest_first(
    client_request, make_user, sign_in
):
    admin = make_user("admin")
    audit.record("campaign_opened", actor="coordinator@example.org")
    audit.record("campaign_closed", actor="someone@example.org")
    sign_in(admin)
    page = client_request.get("/admin/audit")
    assert normalize_spaces(page.select_one("h1").text) == "Audit log"
    region = page.select_one("div.app-table-scroll")
    assert region["role"] == "region" and region["tabindex"] == "0" and region["aria-label"]
    assert [r[2] for r in rows(page)] == ["sign in", "campaign closed", "campaign opened"]

    page = client_request.get("/admin/audit?action=campaign_opened")
    assert [r[1] for r in rows(page)] == ["coordinator@example.org"]
    page = client_request.get("/admin/audit?actor=SOMEONE")
    assert [r[2] for r in rows(page)] == ["campaign closed"]
    today = uk_today().isoformat()
    page = client_request.get(f"/admin/audit?date_from={today}&date_to={today}")
    assert len(rows(page)) == 3
    page = client_request.get("/admin/audit?date_to=2000-01-01")
    assert rows(page) == []
    client_request.get("/admin/audit?date_from=not-a-date", expected_status=400)


def test_the_audit_screen_shows_fifty_entries_a_page(client_request, make_user, sign_in):
    admin = make_user("admin")
    for number in range(60):
        db.session.add(
            AuditEvent(actor_label="system", action="retention_run", detail={"n": number})
        )
    db.session.commit()
    sign_in(admin)
    first = client_request.get("/admin/audit?action=retention_run")
    assert len(rows(first)) == 50
    older = first.select_one("a[rel=next]")["href"]
    assert "action=retention_run" in older
    assert len(rows(client_request.get(older))) == 10


def test_postgresql_refuses_to_change_or_delete_audit_events(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("The add-only trigger is a PostgreSQL feature")
    audit.record("campaign_opened")
    for statement in ("UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError):
            db.session.execute(text(statement))
        db.session.rollback()
    assert actions() == ["campaign_opened"]
