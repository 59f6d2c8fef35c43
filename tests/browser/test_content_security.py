"""The Content-Security-Policy blocks nothing the pages need: no violations in Chromium."""

from __future__ import annotations

import sqlite3

import pytest

from app.accounts.cli import DEMO_PASSWORD

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


def test_pages_run_under_the_policy_without_violations(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    base = live_server["url"]
    with sqlite3.connect(live_server["database"]) as connection:
        token = connection.execute(
            "SELECT token FROM campaign WHERE instrument_id = 'service-feedback'"
        ).fetchone()[0]
    seen = []
    for path in [f"/s/{token}", f"/s/{token}/consent", f"/s/{token}/help", "/sign-in"]:
        response = page.goto(base + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        seen += page.evaluate("window.__violations")
    # GOV.UK Frontend's script ran (it marks the body) despite the strict policy.
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    page.get_by_label("Email address").fill("admin@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(base + "/admin/campaigns/1")
    seen += page.evaluate("window.__violations")
    assert seen == []
    context.close()
