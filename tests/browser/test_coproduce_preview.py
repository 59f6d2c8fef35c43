"""Previews of the starter questionnaire, framework and mystery shop in Chromium at 320 px, in
English, Welsh and Arabic, with axe on every page (the frame at phone width too); and a
coordinator walking through a preview with JavaScript off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.support.titles import expect_url_ending

pytestmark = pytest.mark.browser

# (instrument, version, its last page)
STARTERS = [
    ("service-feedback", 1, 3),
    ("young-inspectors-framework", 1, 7),
    ("mystery-shop-checklist", 1, 8),
]
LANGUAGES = [("en", "ltr"), ("cy", "ltr"), ("ar", "rtl")]


def sign_in(page, base):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill("coordinator@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_url_ending(page, "/staff")


def address(base, instrument_id, version, locale, page, query=""):
    return f"{base}/instruments/{instrument_id}/{version}/preview/{locale}/{page}{query}"


@pytest.mark.parametrize(("instrument_id", "version", "last"), STARTERS)
def test_previews_pass_axe_at_320_px_in_english_welsh_and_arabic(
    phone, live_server, check_accessible, instrument_id, version, last
):
    base = live_server["url"]
    sign_in(phone, base)
    for locale, direction in LANGUAGES:
        for number in sorted({1, 2, last}):
            phone.goto(address(base, instrument_id, version, locale, number))
            part = phone.locator("#preview")
            expect(part).to_have_attribute("lang", locale)
            expect(part).to_have_attribute("dir", direction)
            check_accessible(phone, f"preview-{instrument_id}-{locale}-{number}")
        # At phone width the bare page is in a frame; axe checks the frame's page too.
        phone.goto(address(base, instrument_id, version, locale, 1, "?phone=1"))
        frame = phone.frame_locator("#preview-phone")
        expect(frame.locator("html")).to_have_attribute("lang", locale)
        expect(frame.locator("html")).to_have_attribute("dir", direction)
        expect(frame.get_by_role("heading", level=1)).to_be_visible()
        check_accessible(phone, f"preview-{instrument_id}-{locale}-phone")
        for number in (1, last):
            phone.goto(address(base, instrument_id, version, locale, number, "?frame=1"))
            expect(phone.locator("html")).to_have_attribute("lang", locale)
            check_accessible(phone, f"preview-{instrument_id}-{locale}-bare-{number}")


def test_a_preview_is_walked_through_with_javascript_off(phone_without_javascript, live_server):
    page = phone_without_javascript
    base = live_server["url"]
    sign_in(page, base)
    page.goto(address(base, "service-feedback", 1, "cy", 1))
    expect(page.locator("#preview")).to_have_attribute("lang", "cy")
    # Welsh words from the catalogue on the button, which leads to the next page.
    page.locator("#preview-continue").click()
    expect_url_ending(page, "/preview/cy/2")
    # The switcher keeps the page and changes the language.
    page.get_by_role("link", name="العربية").click()
    expect_url_ending(page, "/preview/ar/2")
    expect(page.locator("#preview")).to_have_attribute("dir", "rtl")
    # At phone width the page is in a frame no wider than the phone, and its links stay in it.
    page.get_by_role("link", name="Preview at phone width (320 pixels)").click()
    expect_url_ending(page, "/preview/ar/2?phone=1")
    frame = page.frame_locator("#preview-phone")
    expect(frame.locator("html")).to_have_attribute("lang", "ar")
    box = page.locator("#preview-phone").bounding_box()
    assert box is not None and box["width"] <= 320
    frame.locator("#preview-continue").click()
    expect(frame.locator("#preview-continue")).to_be_disabled()
    expect(frame.locator(".govuk-caption-l")).to_contain_text("3")
    # The staff page around the frame stays where it was.
    expect_url_ending(page, "/preview/ar/2?phone=1")
    # Back at full width, the pages can be followed with the pagination links.
    page.get_by_role("link", name="Preview at full width").click()
    expect_url_ending(page, "/preview/ar/2")
    page.get_by_role("navigation", name="Pages of the preview").get_by_role(
        "link", name="Page 1"
    ).first.click()
    expect_url_ending(page, "/preview/ar/1")


@pytest.mark.parametrize(
    ("instrument_id", "locale", "number"),
    [("service-feedback", "ar", 3), ("mystery-shop-checklist", "cy", 1)],
)
def test_on_a_desktop_the_phone_width_view_is_320_px_wide_and_nothing_in_it_scrolls_sideways(
    browser, live_server, check_accessible, instrument_id, locale, number
):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        base = live_server["url"]
        sign_in(page, base)
        page.goto(address(base, instrument_id, 1, locale, number))
        page.get_by_role("link", name="Preview at phone width (320 pixels)").click()
        expect_url_ending(page, f"/preview/{locale}/{number}?phone=1")
        frame_box = page.locator("#preview-phone")
        expect(page.frame_locator("#preview-phone").locator("#preview-note")).to_be_visible()
        box = frame_box.bounding_box()
        assert box is not None and box["width"] == 320
        inner = frame_box.element_handle().content_frame()
        # Nothing in the page scrolls sideways within the phone's width.
        width = inner.evaluate("document.documentElement.clientWidth")
        assert width <= 320
        assert inner.evaluate("document.documentElement.scrollWidth") <= width
        check_accessible(page, f"preview-{instrument_id}-{locale}-desktop-phone")
    finally:
        context.close()
