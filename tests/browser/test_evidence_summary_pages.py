"""The evidence summary and written-answer themes in Chromium with axe: a commissioner reads
the demo club's summary on a desktop and a phone, follows a line to its detail, and marks a
theme with JavaScript off."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.support.titles import expect_title_starting, expect_url_ending

pytestmark = pytest.mark.browser

THEME = "Getting there by bus"


def _sign_in(page, base, email="commissioner@example.org"):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_url_ending(page, "/contracts/" if email.startswith("commissioner") else "/staff")


def _open_demo_club(page, base):
    """The demo club's evidence for the last complete period, which holds the demo's
    answers, mystery shops and themes (pages open on the current period so far)."""
    page.goto(f"{base}/evidence/")
    page.get_by_role("link", name="Riverside Youth Club").click()
    expect_title_starting(page, "Riverside Youth Club: evidence for")
    link = page.locator("#period-note").get_by_role("link", name=re.compile(r"^Show .* instead$"))
    page.goto(urljoin(page.url, link.get_attribute("href")))
    expect(page.locator("#period-note")).to_contain_text("so far")
    expect_title_starting(page, "Riverside Youth Club: evidence for")


@pytest.mark.parametrize("width", [320, 1280])
def test_the_demo_club_opens_with_a_summary_whose_lines_lead_to_the_detail(
    browser, live_server, check_accessible, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    base = live_server["url"]
    _sign_in(page, base)
    _open_demo_club(page, base)
    summary = page.locator("#summary")
    expect(summary.get_by_role("heading", name="What is going well")).to_be_visible()
    expect(summary.get_by_role("heading", name="What is of concern")).to_be_visible()
    concern = summary.get_by_role("link", name=re.compile("how long you might have to wait"))
    expect(concern).to_be_visible()
    expect(summary.get_by_text("What people wrote about")).to_be_visible()
    check_accessible(page, f"evidence-summary-{width}")
    concern.click()
    expect_url_ending(page, "#table-mystery-shop-checklist-checklist")
    expect(page.locator("#table-mystery-shop-checklist-checklist")).to_be_in_viewport()
    # The visits table leads to each report.
    page.locator("#table-visits").get_by_role("link").first.click()
    expect(page.locator("#report-checklist")).to_be_visible()
    check_accessible(page, f"evidence-visit-report-{width}")
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_the_written_answers_page_with_themes_is_accessible(
    browser, live_server, check_accessible, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    base = live_server["url"]
    _sign_in(page, base)
    _open_demo_club(page, base)
    page.get_by_role("link", name="Read the written answers for this period").click()
    expect_title_starting(page, "Riverside Youth Club: written answers")
    expect(page.locator("#theme-counts")).to_contain_text("Waiting times")
    expect(page.get_by_role("checkbox", name="Waiting times").first).to_be_visible()
    check_accessible(page, f"evidence-written-themes-{width}")
    context.close()


def test_a_commissioner_marks_a_theme_without_javascript(phone_without_javascript, live_server):
    page = phone_without_javascript
    base = live_server["url"]
    _sign_in(page, base)
    _open_demo_club(page, base)
    page.get_by_role("link", name="Read the written answers for this period").click()
    expect_title_starting(page, "Riverside Youth Club: written answers")
    # A name too long is explained, and the page keeps what was typed.
    page.get_by_label("Add a theme").fill("x" * 81)
    page.get_by_role("button", name="Save themes").click()
    expect_title_starting(page, "Error: ")
    expect(page.locator(".govuk-error-summary")).to_contain_text("80 characters or fewer")
    page.get_by_label("Add a theme").fill(THEME)
    page.get_by_role("button", name="Save themes").click()
    expect(page.locator("#theme-counts")).to_contain_text(THEME)
    page.get_by_role("checkbox", name=THEME).first.check()
    page.get_by_role("button", name="Save themes").click()
    expect(page.get_by_text("Themes saved.")).to_be_visible()
    expect(page.get_by_role("checkbox", name=THEME).first).to_be_checked()
    row = page.locator("#theme-counts tr", has_text=THEME)
    expect(row).to_contain_text("fewer than 10")
