"""A key worker records two outcomes-wheel readings on a phone, with axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.support.titles import (
    expect_title_starting,
    expect_url_containing,
    expect_url_ending,
)

pytestmark = pytest.mark.browser

# The project's outcomes wheel has eight areas, one page each.
AREAS = 8


def sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Key workers start at the staff home.
    expect_url_ending(page, "/staff")


def record_reading(page, base, check, width, score, code=None, month="3"):
    """Walk the stepped form: start, the date, one page per area, the check page, save."""
    page.goto(f"{base}/fieldwork/readings/new")
    check(page, f"reading-start-{width}")
    if code:
        page.get_by_label("The young person's code").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "My outcomes wheel: date of the new reading")
    check(page, f"reading-date-{width}")
    page.get_by_label("Month").fill(month)
    page.get_by_role("button", name="Continue").click()
    for number in range(1, AREAS + 1):
        expect_title_starting(page, f"My outcomes wheel: area {number} of {AREAS}")
        if number == 1:
            check(page, f"reading-area-{width}")
        page.get_by_label(str(score), exact=True).check()
        page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "My outcomes wheel: check the reading")
    check(page, f"reading-check-{width}")
    page.get_by_role("button", name="Save reading").click()
    expect_url_containing(page, "/fieldwork/participants/")
    expect(page.locator("h1")).to_contain_text("Readings for ")
    # The address holds a reference of the session; the code is on the page, to read out.
    code = page.locator("h1").inner_text().removeprefix("Readings for ").strip()
    assert code.replace("-", "") not in page.url
    return code


@pytest.mark.parametrize("width", [320, 1280])
def test_recording_and_comparing_readings_is_accessible(
    browser, live_server, check_accessible, width
):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    base = live_server["url"]
    sign_in(page, base, "keyworker@example.org")
    page.goto(f"{base}/fieldwork/")
    check_accessible(page, f"fieldwork-{width}")
    code = record_reading(page, base, check_accessible, width, score=3)
    check_accessible(page, f"participant-one-reading-{width}")
    record_reading(page, base, check_accessible, width, score=6, code=code, month="6")
    check_accessible(page, f"participant-two-readings-{width}")
    # The image's alt says what the chart is; its caption gives the finding.
    assert "Wheel chart" in page.locator("img.app-chart").get_attribute("alt")
    expect(page.locator("figure figcaption").first).to_contain_text(
        re.compile("moved up|up 3 points")
    )
    page.goto(f"{base}/fieldwork/participants")
    check_accessible(page, f"participant-search-{width}")
    context.close()


def test_first_and_latest_table_shows_the_change_column_on_a_phone_without_scrolling(
    browser, live_server, check_accessible
):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    base = live_server["url"]
    sign_in(page, base, "keyworker@example.org")
    code = record_reading(page, base, check_accessible, 320, score=2, month="2")
    record_reading(page, base, check_accessible, 320, score=9, code=code, month="5")
    table = page.get_by_role("region", name="First and latest reading by area")
    change = table.get_by_role("columnheader", name="Change")
    expect(change).to_be_visible()
    box, region = change.bounding_box(), table.bounding_box()
    assert box["x"] + box["width"] <= region["x"] + region["width"] <= 320
    sideways = table.evaluate("box => box.scrollWidth - box.clientWidth")
    assert sideways <= 0, f"the table scrolls {sideways} px sideways at 320 px"
    expect(table.locator("tbody tr").first.locator("td").last).to_have_text("+7")
    context.close()


def test_a_reading_is_recorded_and_changed_from_the_check_page_without_javascript(
    browser, live_server, phone_without_javascript
):
    page = phone_without_javascript
    base = live_server["url"]
    sign_in(page, base, "keyworker@example.org")
    page.goto(f"{base}/fieldwork/readings/new")
    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "My outcomes wheel: date of the new reading")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Continue").click()
    # A page sent without a score says so, and links to the question.
    expect_title_starting(page, "My outcomes wheel: area 1 of 8")
    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "Error: My outcomes wheel: area 1 of 8")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Feeling safe")
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    for number in range(2, AREAS + 1):
        expect_title_starting(page, f"My outcomes wheel: area {number} of {AREAS}")
        page.get_by_label("4", exact=True).check()
        page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "My outcomes wheel: check the reading")
    expect(page.locator(".govuk-summary-list__value").first).to_have_text("1 April 2026")
    page.get_by_role("link", name="Change Coping with how I feel").click()
    expect_title_starting(page, "My outcomes wheel: area 2 of 8")
    # The score chosen before is still chosen.
    expect(page.get_by_label("4", exact=True)).to_be_checked()
    page.get_by_label("8", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "My outcomes wheel: check the reading")
    expect(page.locator(".govuk-summary-list__row").nth(2)).to_contain_text("8: ")
    page.get_by_label("Note (optional)").fill("Talked about school")
    page.get_by_role("button", name="Save reading").click()
    expect_url_containing(page, "/fieldwork/participants/")
    expect(page.locator(".govuk-notification-banner, .app-flash").first).to_contain_text(
        "Reading saved"
    )
    every = page.get_by_role("region", name="Every reading")
    expect(every.locator("thead th").last).to_have_text("1 Apr 2026")
    expect(every.locator("tbody tr").nth(1).locator("td").last).to_have_text("8")
