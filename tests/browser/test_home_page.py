"""`/` on a phone: accessible in every language, and usable with JavaScript off."""

from __future__ import annotations

from app.languages import LANGUAGE_CODES, language
from tests.support.titles import expect_url_ending


def test_the_home_page_in_every_language_passes_axe_at_320px(phone, live_server, check_accessible):
    for code in LANGUAGE_CODES:
        phone.goto(f"{live_server['url']}/?lang={code}")
        html = phone.locator("html")
        assert html.get_attribute("lang") == code
        assert html.get_attribute("dir") == language(code).direction
        check_accessible(phone, f"home-{code}")


def test_the_home_page_leads_to_staff_sign_in_without_javascript(
    phone_without_javascript, live_server
):
    page = phone_without_javascript
    page.goto(live_server["url"] + "/")
    page.get_by_role("link", name="Sign in to your workspace").click()
    expect_url_ending(page, "/sign-in")
