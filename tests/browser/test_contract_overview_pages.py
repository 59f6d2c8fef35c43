"""The contracts overview and a contract's page in Chromium with axe, at phone and desktop
width, as a commissioner and as a provider, with JavaScript on and off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.support.titles import expect_title_starting

pytestmark = pytest.mark.browser


def _sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _expect_references(page, references: list[str]) -> None:
    """The contracts table lists these references, in this order (waits for the page)."""
    expect(page.locator("#contracts tbody th a")).to_have_text(references)


@pytest.mark.parametrize("width", [320, 1280])
def test_a_commissioner_finds_the_contract_furthest_off_target_and_opens_it(
    browser, live_server, check_accessible, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    base = live_server["url"]
    _sign_in(page, base, "commissioner@example.org")
    expect(page).to_have_url(re.compile(r"/contracts/$"))
    expect(page.locator("#furthest-off")).to_contain_text(
        "Furthest off target: HFS-2025-007 Early help family support, Northshire"
    )
    check_accessible(page, f"contracts-overview-{width}")

    page.get_by_label("Risk").select_option("low")
    page.get_by_role("button", name="Filter contracts").click()
    expect(page).to_have_url(re.compile(r"risk=low"))
    _expect_references(page, ["CYP-2026-014"])
    page.get_by_role("link", name="Clear filters").click()
    page.get_by_role("link", name="Contract", exact=True).click()
    expect(page.locator("#contracts-caption")).to_contain_text("sorted by contract, A to Z")
    _expect_references(page, ["CYP-2026-014", "HFS-2025-007"])

    page.goto(f"{base}/contracts/?risk=extreme")
    expect_title_starting(page, "Error:")
    check_accessible(page, f"contracts-overview-error-{width}")

    page.goto(f"{base}/contracts/")
    page.locator("#furthest-off a").click()
    expect(page.locator("h1")).to_have_text("Early help family support, Northshire")
    page.wait_for_load_state("load")
    # Every chart has loaded, with its finding in words beside it.
    images = page.locator("img.app-chart")
    assert images.count() >= 5
    widths = page.eval_on_selector_all(
        "img.app-chart", "images => images.map(image => image.naturalWidth)"
    )
    assert all(w > 0 for w in widths), widths
    check_accessible(page, f"contract-page-{width}")
    page.get_by_role("button", name="Work the figures out again").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The figures were worked out again"
    )
    check_accessible(page, f"contract-page-refreshed-{width}")
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_a_provider_sees_its_own_contract_and_no_other(
    browser, live_server, check_accessible, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    base = live_server["url"]
    _sign_in(page, base, "provider@example.org")
    page.locator("main").get_by_role("link", name="Contracts").click()
    _expect_references(page, ["CYP-2026-014"])
    check_accessible(page, f"contracts-overview-provider-{width}")
    page.get_by_role("link", name="CYP-2026-014").click()
    expect(page.locator("h1")).to_have_text("Open-access youth work, Riverside")
    check_accessible(page, f"contract-page-provider-{width}")
    context.close()


def test_the_overview_sorts_and_filters_without_javascript(phone_without_javascript, live_server):
    page = phone_without_javascript
    base = live_server["url"]
    _sign_in(page, base, "southvale@example.org")
    expect(page).to_have_url(re.compile(r"/contracts/$"))
    assert "HFS-2025-007" not in page.content()
    page.get_by_role("link", name="Risk", exact=True).click()
    _expect_references(page, ["MCS-2026-003", "CYP-2026-014"])
    page.get_by_label("Show").select_option("overdue")
    page.get_by_role("button", name="Filter contracts").click()
    _expect_references(page, ["MCS-2026-003"])
    expect(page.locator("#contracts td[data-column=waiting]")).to_contain_text("1 return overdue")
