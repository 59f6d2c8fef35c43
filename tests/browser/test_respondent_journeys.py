"""Whole journeys on a 320 px phone screen in Chromium, with axe on every page."""

from __future__ import annotations

import sqlite3

import pytest

from tests.support.titles import expect_title_starting, expect_url_ending

pytestmark = pytest.mark.browser


def campaign_links(database) -> dict[str, str]:
    """The demo's open campaign for each instrument (other tests add closed or unopened ones
    to the same database)."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT instrument_id, token FROM campaign WHERE status = 'open' ORDER BY id DESC"
        ).fetchall()
    return dict(rows)


def stored(database, instrument_id):
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT raw_score, metric_score, band, complete FROM response "
            "WHERE instrument_id = ? ORDER BY id",
            (instrument_id,),
        ).fetchall()


def choose_on_every_question(page, label: str):
    for fieldset in page.locator("fieldset.govuk-fieldset").all():
        fieldset.get_by_label(label, exact=True).check()


def run_journey(page, base, token, option_label, check=None):
    def visit_check(name):
        if check:
            check(page, name)

    page.goto(f"{base}/s/{token}")
    visit_check("start")
    page.get_by_role("button", name="Start now").click()
    if page.url.endswith("/age"):
        # Campaigns that ask an age band first (the demo SWEMWBS): old enough to agree.
        visit_check("age")
        page.get_by_label("16 to 17").check()
        page.get_by_role("button", name="Continue").click()
    visit_check("consent")
    page.get_by_label("Yes, I am happy to take part").check()
    page.get_by_role("button", name="Continue").click()
    visit_check("code")
    page.get_by_label("No, or I have not done this before").check()
    page.get_by_role("button", name="Continue").click()
    number = 1
    while "/questions/" in page.url:
        visit_check(f"questions-{number}")
        choose_on_every_question(page, option_label)
        page.get_by_role("button", name="Continue").click()
        number += 1
    expect_url_ending(page, "/check")
    visit_check("check")
    page.get_by_role("button", name="Send my answers").click()
    expect_url_ending(page, "/confirmation")
    visit_check("confirmation")
    return page.locator("#participant-code").inner_text()


def test_wemwbs_on_a_phone_is_accessible_and_stores_the_score(phone, live_server, check_accessible):
    token = campaign_links(live_server["database"])["wemwbs"]
    code = run_journey(phone, live_server["url"], token, "Often", check_accessible)
    assert len(code.replace("-", "")) == 8
    assert stored(live_server["database"], "wemwbs")[-1] == (56, None, "average", 1)


def test_swemwbs_with_javascript_off_stores_the_metric_score(phone_without_javascript, live_server):
    token = campaign_links(live_server["database"])["swemwbs"]
    run_journey(phone_without_javascript, live_server["url"], token, "All of the time")
    assert stored(live_server["database"], "swemwbs")[-1] == (35, 35.0, "high", 1)


def test_swemwbs_on_a_phone_is_accessible(phone, live_server, check_accessible):
    token = campaign_links(live_server["database"])["swemwbs"]
    run_journey(phone, live_server["url"], token, "Rarely", check_accessible)
    assert stored(live_server["database"], "swemwbs")[-1] == (14, 15.32, "probable_depression", 1)


def test_error_help_and_contact_pages_are_accessible(phone, live_server, check_accessible):
    base = live_server["url"]
    token = campaign_links(live_server["database"])["wemwbs"]
    phone.goto(f"{base}/s/{token}/consent")
    phone.get_by_role("button", name="Continue").click()
    expect_title_starting(phone, "Error:")
    check_accessible(phone, "consent-error")
    phone.goto(f"{base}/s/{token}/help")
    check_accessible(phone, "help")
    phone.goto(f"{base}/s/{token}/contact-me")
    check_accessible(phone, "contact-me")
    phone.goto(f"{base}/s/{token}/resume")
    check_accessible(phone, "resume")
    phone.goto(f"{base}/s/no-such-campaign")
    check_accessible(phone, "not-found")
