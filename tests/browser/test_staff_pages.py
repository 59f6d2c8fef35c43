"""Staff pages in Chromium with axe, on a phone (320 px) and a desktop (1280 px)."""

from __future__ import annotations

import pytest

from app.accounts.cli import DEMO_PASSWORD
from tests.support.titles import expect_title_starting, expect_url_ending

pytestmark = pytest.mark.browser

STAFF_PAGES = [
    "/staff",
    "/admin/campaigns",
    "/admin/campaigns/new",
    "/admin/campaigns/1",
    "/admin/campaigns/1/consent",
    "/admin/campaigns/1/edit",
    "/admin/campaigns/1/licence",
    "/admin/instruments",
    "/admin/providers",
    "/admin/providers/new",
    "/admin/providers/1",
    "/admin/services",
    "/admin/services/new",
    "/admin/services/1",
    "/admin/users",
    "/admin/users/new",
    "/admin/users/1",
    "/admin/exports/responses",
]


@pytest.mark.parametrize("width", [320, 1280])
def test_every_admin_page_is_accessible_at_phone_and_desktop_width(
    browser, live_server, check_accessible, width
):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    base = live_server["url"]
    page.goto(f"{base}/sign-in")
    check_accessible(page, f"sign-in-{width}")
    page.get_by_role("button", name="Sign in").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, f"sign-in-error-{width}")
    page.get_by_label("Email address").fill("admin@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_url_ending(page, "/staff")
    for path in STAFF_PAGES:
        page.goto(base + path)
        check_accessible(page, f"{path.strip('/').replace('/', '-')}-{width}")
    page.goto(f"{base}/admin/campaigns/new")
    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, f"campaign-errors-{width}")
    page.goto(f"{base}/admin/exports/responses")
    page.get_by_role("button", name="Download responses").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, f"export-errors-{width}")
    context.close()
