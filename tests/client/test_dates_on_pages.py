"""Dates on the pages people read: British order in English, each language's own format for
respondents, and times in UK time (BST in summer) on staff pages, whatever the server's zone."""

from __future__ import annotations

from datetime import date, datetime

from app.extensions import db
from app.models import AuditEvent
from tests.support.journey import url
from tests.support.pages import ClientRequest, normalize_spaces


def speaking(client, code: str) -> ClientRequest:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = f"{code};q=1.0"
    return ClientRequest(client)


def closed_on(client, demo, code: str, day: date) -> str:
    campaign = demo["service-feedback"]
    campaign.closes_on = day
    db.session.commit()
    page = speaking(client, code).get(url(campaign), expected_status=410)
    return normalize_spaces(page.select_one("main").text)


def test_a_closed_link_gives_its_closing_date_the_british_way(client, demo):
    text = closed_on(client, demo, "en", date(2025, 3, 1))
    assert "It closed on 1 March 2025." in text
    assert "March 1, 2025" not in text


def test_a_closed_link_gives_its_closing_date_in_welsh_as_welsh_writes_it(client, demo):
    assert "1 Mawrth 2025" in closed_on(client, demo, "cy", date(2025, 3, 1))


def audit_rows(page) -> list[list[str]]:
    return [
        [normalize_spaces(cell.text) for cell in row.select("td")]
        for row in page.select("table tbody tr")
    ]


def test_the_audit_log_shows_summer_times_in_bst_and_selects_by_the_uk_day(
    client_request, make_user, sign_in
):
    # Audit rows are add-only, so these are added with their times rather than changed.
    # 23:30 UTC on 7 June 2026 is 00:30 on 8 June in the UK.
    late = AuditEvent(actor_label="late@example.org", action="campaign_opened")
    late.at = datetime(2026, 6, 7, 23, 30)
    winter = AuditEvent(actor_label="winter@example.org", action="campaign_closed")
    winter.at = datetime(2026, 12, 7, 16, 30)
    db.session.add_all([late, winter])
    db.session.commit()
    sign_in(make_user("admin"))
    page = client_request.get("/admin/audit?actor=late@")
    assert audit_rows(page)[0][0] == "8 Jun 2026, 00:30"
    page = client_request.get("/admin/audit?actor=winter@")
    assert audit_rows(page)[0][0] == "7 Dec 2026, 16:30"
    page = client_request.get("/admin/audit?date_from=2026-06-08&date_to=2026-06-08")
    assert [row[1] for row in audit_rows(page)] == ["late@example.org"]
    page = client_request.get("/admin/audit?date_from=2026-06-07&date_to=2026-06-07")
    assert audit_rows(page) == []
