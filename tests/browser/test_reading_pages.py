"""A key worker records two outcomes-wheel readings on a phone, with axe on every page."""

from __future__ import annotations

import pytest

from app.accounts.cli import DEMO_PASSWORD
from tests.support.titles import expect_url_containing

pytestmark = pytest.mark.browser


def sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def record_reading(page, base, check, width, score, code=None, month="3"):
    page.goto(f"{base}/fieldwork/readings/new")
    check(page, f"reading-start-{width}")
    if code:
        page.get_by_label("The young person's code").fill(code)
    page.get_by_role("button", name="Continue").click()
    check(page, f"reading-record-{width}")
    page.get_by_label("Month").fill(month)
    for fieldset in page.locator("fieldset.govuk-fieldset").all()[1:]:
        fieldset.get_by_label(str(score), exact=True).check()
    page.get_by_role("button", name="Save reading").click()
    expect_url_containing(page, "/fieldwork/participants/")
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
    alt = page.locator("img.app-chart").get_attribute("alt")
    assert "moved up" in alt or "up 3 points" in alt
    page.goto(f"{base}/fieldwork/participants")
    check_accessible(page, f"participant-search-{width}")
    context.close()
