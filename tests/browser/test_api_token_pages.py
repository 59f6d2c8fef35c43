"""The API token pages in Chromium with axe, on a phone (320 px) and a desktop (1280 px):
the list, a refused form, the page that shows a new token once, and the revoke
confirmation; the same journey with JavaScript off; and an admin's view of someone's
tokens."""

from __future__ import annotations

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
    page.wait_for_url(lambda url: "/sign-in" not in url)
    # Each role lands on its own home (commissioners on the contracts overview); the token
    # pages are reached from the staff home page.
    page.goto(f"{base}/staff")


@pytest.mark.parametrize("width", [320, 1280])
def test_a_commissioner_makes_sees_once_and_revokes_a_token(
    browser, live_server, check_accessible, width
):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    base = live_server["url"]
    _sign_in(page, base, "commissioner@example.org")
    page.get_by_role("link", name="API tokens").click()
    expect_title_starting(page, "Your API tokens")
    check_accessible(page, f"api-tokens-{width}")

    page.get_by_role("button", name="Make a token").click()
    expect_title_starting(page, "Error:")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the token")
    check_accessible(page, f"api-tokens-error-{width}")

    name = f"Dashboard at {width} px"
    page.get_by_label("Name of the token").fill(name)
    page.get_by_role("button", name="Make a token").click()
    expect_title_starting(page, "Your new API token")
    token = page.locator("#api-token").inner_text().strip()
    assert token.startswith("hys_")
    check_accessible(page, f"api-token-created-{width}")

    page.get_by_role("link", name="Back to API tokens").click()
    expect_title_starting(page, "Your API tokens")
    assert token not in page.content() and token[:12] in page.content()
    page.get_by_role("link", name=f"Revoke the token {name}").click()
    expect_title_starting(page, f"Revoke the token {name}")
    check_accessible(page, f"api-token-revoke-{width}")
    page.get_by_role("button", name="Revoke the token").click()
    expect_title_starting(page, "Your API tokens")
    assert f"The token ‘{name}’ is revoked" in page.content()
    check_accessible(page, f"api-tokens-after-revoke-{width}")
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_an_admins_view_of_someones_tokens_is_accessible(
    browser, live_server, check_accessible, width
):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    base = live_server["url"]
    _sign_in(page, base, "admin@example.org")
    page.goto(f"{base}/admin/users")
    page.get_by_role("link", name="Pat Provider").click()
    page.get_by_role("link", name="Pat Provider’s API tokens").click()
    expect_title_starting(page, "API tokens of Pat Provider")
    check_accessible(page, f"admin-api-tokens-{width}")
    page.get_by_label("Name of the token").fill(f"Returns feed {width}")
    page.get_by_role("button", name="Make a token").click()
    expect_title_starting(page, "New API token for Pat Provider")
    check_accessible(page, f"admin-api-token-created-{width}")
    context.close()


def test_making_and_revoking_a_token_works_without_javascript(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    base = live_server["url"]
    _sign_in(page, base, "provider@example.org")
    page.goto(f"{base}/account/api-tokens")
    page.get_by_label("Name of the token").fill("Without JavaScript")
    page.get_by_role("button", name="Make a token").click()
    expect_title_starting(page, "Your new API token")
    assert page.locator("#api-token").inner_text().startswith("hys_")
    page.get_by_role("link", name="Back to API tokens").click()
    page.get_by_role("link", name="Revoke the token Without JavaScript").click()
    page.get_by_role("button", name="Revoke the token").click()
    expect_title_starting(page, "Your API tokens")
    assert "The token ‘Without JavaScript’ is revoked" in page.content()
    context.close()
