"""The framework editor on a phone: a coordinator starts a framework, adds a characteristic
with JavaScript off, saves, and sees problems beside the fields; axe at 320 px on the start
page, the editor, the editor with problems and a mystery shop's editor."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.support.titles import expect_title_starting, expect_url_ending

pytestmark = pytest.mark.browser


def sign_in(page, base, email="coordinator@example.org"):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_url_ending(page, "/staff")


def test_the_editor_passes_axe_at_320_px(live_server, phone, check_accessible):
    base = live_server["url"]
    sign_in(phone, base)
    phone.goto(f"{base}/instruments/frameworks/new")
    check_accessible(phone, "framework-new")
    phone.get_by_label("Title").fill("Phone framework")
    phone.get_by_role("button", name="Continue").click()
    expect_title_starting(phone, "Edit Phone framework")
    check_accessible(phone, "framework-editor")
    # The starter's seven characteristics, then one left blank: named beside its row.
    phone.get_by_role("button", name="Add a characteristic").click()
    expect(phone.locator("#characteristics-7-text")).to_be_visible()
    phone.get_by_role("button", name="Save", exact=True).last.click()
    expect_title_starting(phone, "Error:")
    expect(phone.locator(".govuk-error-summary")).to_contain_text(
        "Enter the words for characteristic 8"
    )
    check_accessible(phone, "framework-editor-errors")

    phone.goto(f"{base}/instruments/mystery-shops/new")
    phone.get_by_label("Title").fill("Phone shop")
    phone.get_by_role("button", name="Continue").click()
    expect_title_starting(phone, "Edit Phone shop")
    check_accessible(phone, "shop-editor")


def test_a_characteristic_is_added_and_saved_with_javascript_off(
    live_server, phone_without_javascript
):
    page = phone_without_javascript
    base = live_server["url"]
    sign_in(page, base)
    page.goto(f"{base}/instruments/frameworks/new")
    page.get_by_label("A blank framework").check()
    page.get_by_label("Title").fill("Quiet places framework")
    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "Edit Quiet places framework")
    expect(page.locator("#characteristics-0-text")).to_have_count(0)
    page.get_by_label("Minutes it takes to fill in").fill("10")
    page.get_by_role("button", name="Add a characteristic").click()
    expect(page.locator("#characteristics-0-text")).to_be_visible()
    page.locator("#characteristics-0-text").fill("There is somewhere quiet to go")
    page.get_by_role("button", name="Add a characteristic").click()
    expect(page.locator("#characteristics-1-text")).to_be_visible()
    expect(page.locator("#characteristics-0-text")).to_have_value("There is somewhere quiet to go")
    page.locator("#characteristics-1-text").fill("Staff notice when I am upset")
    page.get_by_role("button", name="Move up characteristic 2").click()
    expect(page.locator("#characteristics-0-text")).to_have_value("Staff notice when I am upset")
    page.get_by_role("button", name="Save", exact=True).last.click()
    expect_url_ending(page, "/instruments/frameworks/quiet-places-framework/1/edit")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Quiet places framework (version 1) is saved."
    )
    expect(page.locator("#characteristics-1-id")).to_have_value("there_is_somewhere_quiet_to_go")
