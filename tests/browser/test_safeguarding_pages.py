"""Safeguarding pages in Chromium with axe, on a phone (320 px) and a desktop (1280 px):
a concern raised on a phone reaches the lead's queue, and the lead works it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.support.titles import expect_title_starting

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [320, 1280])
def test_a_concern_from_a_phone_reaches_the_leads_queue_and_every_page_is_accessible(
    browser, live_server, check_accessible, width
):
    base = live_server["url"]
    phone = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    phone.goto(f"{base}/contact-me")
    phone.check("input[name=contact_method][value=worker]")
    # Each run's own words: the same request again from one device folds into its alert.
    phone.fill("textarea[name=message]", f"Please talk to me ({width} px)")
    phone.get_by_role("button", name="Ask someone to contact me").click()
    phone.context.close()

    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill("safeguarding@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if width > 640:  # on a phone the navigation folds behind a menu button
        page.get_by_role("link", name="Safeguarding").first.click()
    else:
        page.goto(f"{base}/safeguarding/")
    check_accessible(page, f"safeguarding-queue-{width}")
    page.locator("tr.app-alert-row a").last.click()
    check_accessible(page, f"safeguarding-alert-{width}")
    page.get_by_role("button", name="Close alert").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, f"safeguarding-alert-errors-{width}")
    page.get_by_role("button", name="Acknowledge: I am dealing with this").click()
    page.get_by_label("What was done").fill("Rang the key worker")
    page.get_by_role("button", name="Record action").click()
    expect(page.locator("main")).to_contain_text("Rang the key worker")
    check_accessible(page, f"safeguarding-alert-acted-{width}")
    page.goto(f"{base}/safeguarding/raise")
    check_accessible(page, f"safeguarding-raise-{width}")
    page.get_by_role("button", name="Send to the safeguarding leads").click()
    check_accessible(page, f"safeguarding-raise-errors-{width}")
    context.close()
