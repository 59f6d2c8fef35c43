"""Improvement case pages in Chromium with axe, on a phone (320 px) and a desktop (1280 px),
and without JavaScript: the demo's open case on Harbour's contract (1), its closed case on
Riverside's (2), and a case opened from a measure not met."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.support.titles import expect_title_starting

pytestmark = pytest.mark.browser

COMMISSIONER_PAGES = [
    "/cases/",
    "/cases/notifications",
    "/cases/new",
    "/cases/1",
    "/cases/1/steps/concerns",
    "/cases/1/steps/why",
    "/cases/1/steps/reasons",
    "/cases/1/options",
    "/cases/1/steps/agreed",
    "/cases/1/steps/criteria",
    "/cases/1/steps/monitoring",
    "/cases/1/plan",
    "/cases/1/plan/versions/1",
    "/cases/1/plan/revise",
    "/cases/1/actions/1",
    "/cases/1/reviews/new",
    "/cases/1/escalation",
    "/cases/1/close",
    "/cases/2",
    "/cases/2/steps/why",
    "/cases/2/plan",
    "/cases/2/reviews/1",
]
PROVIDER_PAGES = [
    "/cases/",
    "/cases/1",
    "/cases/1/steps/why",
    "/cases/1/steps/reasons",
    "/cases/1/steps/criteria",
    "/cases/1/plan",
    "/cases/1/actions/1",
    "/cases/1/escalation",
]


def _sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Each role lands on its own home page: wait until the sign-in page has gone.
    page.wait_for_url(lambda url: "/sign-in" not in url)


def _harbour_measure(database) -> tuple[int, int]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT contract.id, contract_measure.id FROM contract_measure"
            " JOIN contract ON contract.id = contract_measure.contract_id"
            " JOIN measure ON measure.id = contract_measure.measure_id"
            " WHERE contract.reference = 'HFS-2025-007'"
            " AND measure.key = 'share-of-referrals-seen'"
        ).fetchone()


@pytest.mark.parametrize("width", [320, 1280])
def test_every_case_page_is_accessible(browser, live_server, check_accessible, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    base = live_server["url"]
    _sign_in(page, base, "commissioner@example.org")
    for path in COMMISSIONER_PAGES:
        page.goto(base + path)
        check_accessible(page, f"{path.strip('/').replace('/', '-') or 'cases'}-{width}")

    # Opened from a measure not met: the form, its errors, the new case and its first action.
    contract_id, measure_id = _harbour_measure(live_server["database"])
    page.goto(f"{base}/cases/new?contract={contract_id}&measure={measure_id}")
    check_accessible(page, f"new-from-measure-{width}")
    page.get_by_label("Name of the case").fill("")
    page.get_by_role("button", name="Open the case").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, f"new-errors-{width}")
    page.get_by_label("Name of the case").fill(f"Referrals seen ({width} px)")
    page.get_by_role("button", name="Open the case").click()
    expect_title_starting(page, f"Referrals seen ({width} px)")
    check_accessible(page, f"new-case-{width}")
    page.get_by_role("link", name="See the action plan").click()
    page.get_by_role("button", name="Add an action").click()
    check_accessible(page, f"action-new-{width}")
    page.get_by_role("button", name="Save the action").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, f"action-errors-{width}")
    page.goto(f"{base}/cases/1/close")
    page.get_by_role("button", name="Close the case").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, f"close-errors-{width}")
    context.close()


def test_a_provider_and_a_commissioner_work_a_case_without_javascript(browser, live_server):
    base = live_server["url"]
    context = browser.new_context(viewport={"width": 320, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, base, "harbour@example.org")
    for path in PROVIDER_PAGES:
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
    page.goto(f"{base}/cases/1/steps/reasons")
    page.get_by_label("Your reasons").fill("")
    page.get_by_role("button", name="Save and return to the case").click()
    expect_title_starting(page, "Error:")
    page.get_by_label("Your reasons").fill("Staff left in the spring")
    page.get_by_role("button", name="Save and return to the case").click()
    expect_title_starting(page, "Families waiting too long")
    page.get_by_role("link", name="See the action plan").click()
    page.get_by_role("link", name="Update action 1").click()
    page.get_by_label("Done (claimed by the owner)").check()
    page.get_by_role("button", name="Save the status").click()
    expect_title_starting(page, "Action plan")
    expect(page.locator("#action-1")).to_contain_text("Done (claimed by the owner)")
    context.close()

    context = browser.new_context(viewport={"width": 320, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, base, "commissioner@example.org")
    page.goto(f"{base}/cases/1/steps/reasons")
    expect(page.locator("#provider-reasons")).to_contain_text("Staff left in the spring")
    page.goto(f"{base}/cases/1/actions/1")
    page.get_by_label("Verified by the commissioner").check()
    page.get_by_role("button", name="Save the status").click()
    expect_title_starting(page, "Action plan")
    expect(page.locator("#action-1")).to_contain_text("Verified by the commissioner")
    context.close()
