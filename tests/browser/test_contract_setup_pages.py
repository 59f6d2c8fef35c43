"""Setting up commissioning bodies, contracts, measures and targets, in Chromium with axe, on
a phone (320 px) and a desktop (1280 px), including each form's error state."""

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
    # Each role lands on its own home page.
    page.wait_for_url(lambda url: "/sign-in" not in url)


def _fill_date(page, name, day, month, year):
    boxes = page.locator(f"input[name={name}]")
    for index, value in enumerate((day, month, year)):
        boxes.nth(index).fill(value)


@pytest.mark.parametrize("width", [320, 1280])
def test_an_admin_sets_up_a_contract_its_measures_and_targets(
    browser, live_server, check_accessible, width
):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    base = live_server["url"]
    _sign_in(page, base, "admin@example.org")

    page.goto(f"{base}/admin/bodies")
    check_accessible(page, f"bodies-{width}")
    page.get_by_role("link", name="Northshire County Council").click()
    check_accessible(page, f"body-{width}")
    page.goto(f"{base}/admin/bodies/new")
    check_accessible(page, f"body-new-{width}")
    page.get_by_role("button", name="Save").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, f"body-new-errors-{width}")
    page.goto(f"{base}/admin/users/new")
    check_accessible(page, f"user-new-with-bodies-{width}")

    page.goto(f"{base}/contracts/new")
    check_accessible(page, f"contract-new-{width}")
    page.get_by_role("button", name="Save contract").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, f"contract-new-errors-{width}")

    page.get_by_label("Contract reference").fill(f"BROWSER-{width}")
    page.get_by_label("Title").fill("Youth counselling, tried in a browser")
    page.get_by_label("Northshire County Council").check()
    page.get_by_label("Provider", exact=True).select_option(label="Harbour Family Support")
    _fill_date(page, "starts_on", "1", "4", "2026")
    _fill_date(page, "ends_on", "31", "3", "2028")
    page.get_by_label("Monitoring period, in months").fill("3")
    page.get_by_label("Medium").check()
    page.get_by_role("button", name="Save contract").click()
    page.wait_for_url(re.compile(r"/contracts/\d+"))
    contract_id = re.search(r"/contracts/(\d+)", page.url).group(1)

    measures = f"{base}/contracts/{contract_id}/measures"
    page.goto(measures)
    check_accessible(page, f"measures-{width}")
    page.get_by_role("link", name="Choose Mean wellbeing score (WEMWBS)").click()
    check_accessible(page, f"measure-add-{width}")
    page.get_by_role("button", name="Save target").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, f"measure-add-errors-{width}")
    page.get_by_label("Target").fill("48")
    page.get_by_label("Tolerance").fill("2")
    page.get_by_role("button", name="Save target").click()
    page.wait_for_url(measures)
    row = page.locator("table").first.locator("tbody tr").first
    expect(row).to_contain_text("48.0")
    check_accessible(page, f"measures-chosen-{width}")
    page.get_by_role("link", name="Change target for Mean wellbeing score (WEMWBS)").click()
    check_accessible(page, f"measure-edit-{width}")

    page.goto(f"{measures}/local")
    check_accessible(page, f"measure-local-{width}")
    page.get_by_role("button", name="Add measure").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, f"measure-local-errors-{width}")

    page.goto(f"{base}/contracts/{contract_id}/edit")
    check_accessible(page, f"contract-edit-{width}")
    context.close()


def test_setting_up_a_target_works_without_javascript(phone_without_javascript, live_server):
    page = phone_without_javascript
    base = live_server["url"]
    _sign_in(page, base, "commissioner@example.org")
    page.goto(f"{base}/contracts/new")
    assert page.title().startswith("Add a contract")
    page.get_by_label("Contract reference").fill("NO-SCRIPT-1")
    page.get_by_label("Title").fill("Contract set up without JavaScript")
    page.get_by_label("Northshire County Council").check()
    page.get_by_label("Provider", exact=True).select_option(label="Harbour Family Support")
    _fill_date(page, "starts_on", "1", "4", "2026")
    _fill_date(page, "ends_on", "1", "3", "2026")
    page.get_by_role("button", name="Save contract").click()
    expect_title_starting(page, "Error:")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The end date must be after the start date"
    )
    _fill_date(page, "ends_on", "31", "3", "2028")
    page.get_by_role("button", name="Save contract").click()
    page.wait_for_url(re.compile(r"/contracts/\d+"))
    contract_id = re.search(r"/contracts/(\d+)", page.url).group(1)
    page.goto(f"{base}/contracts/{contract_id}/measures")
    page.get_by_role("link", name="Choose Median wait from referral to first appointment").click()
    page.get_by_label("Target").fill("21")
    page.get_by_role("button", name="Save target").click()
    page.wait_for_url(f"{base}/contracts/{contract_id}/measures")
    expect(page.locator("table").first).to_contain_text("21 days")
