"""Setting a campaign and a visit up as a coordinator or admin would: check the answers,
create, work through the campaign's task list, and correct things afterwards without a new
link or QR code. axe on every page at 320 px and 1280 px; the campaign also with
JavaScript off on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.support.titles import expect_title_starting, expect_url_ending

pytestmark = pytest.mark.browser

INSPECTOR = "Jordan Young Inspector (inspector@example.org)"


def sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_url_ending(page, "/staff")


def task_status(page, title):
    row = page.locator("#setup-tasks li").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )
    return row.locator(".govuk-task-list__status")


def fill_date(page, legend, day, month, year):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def create_wemwbs_campaign(page, base, name, check=lambda _name: None) -> str:
    """Choose WEMWBS, give the details, change the name on the check page, create it.
    Returns the campaign page's address."""
    page.goto(f"{base}/admin/campaigns")
    page.get_by_role("button", name="Create a campaign").click()
    expect_title_starting(page, "What do you want to ask?")
    check("campaign-choose")
    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "Error:")
    check("campaign-choose-errors")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what you want to ask")
    # The licence is said before anything else is typed.
    expect(
        page.get_by_text("Licensed: record your organisation’s WEMWBS licence").first
    ).to_be_visible()
    page.get_by_label("Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)").check()
    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "Campaign details")
    check("campaign-details")
    # WEMWBS has English text only: the other languages are shown, not offered, with why.
    expect(page.get_by_label("English", exact=True)).to_be_checked()
    welsh = page.get_by_label("Cymraeg (Welsh)")
    expect(welsh).to_be_disabled()
    expect(
        page.get_by_text("WEMWBS has no Welsh text, so it cannot be offered in Welsh.")
    ).to_be_visible()

    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "Error:")
    check("campaign-details-errors")
    page.get_by_label("Name of the campaign").fill(name + " draft")
    fill_date(page, "Opens on", "1", "1", "2026")
    fill_date(page, "Closes on", "31", "12", "2030")
    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "Check the campaign before you create it")
    check("campaign-check")
    answers = page.locator("#check-answers")
    expect(answers).to_contain_text(name + " draft")
    expect(answers).to_contain_text("31 December 2030")

    page.get_by_role("button", name="Change name").click()
    expect_title_starting(page, "Campaign details")
    name_box = page.get_by_label("Name of the campaign")
    expect(name_box).to_have_value(name + " draft")
    expect(page.get_by_role("group", name="Closes on").get_by_label("Year")).to_have_value("2030")
    name_box.fill(name)
    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "Check the campaign before you create it")
    expect(page.locator("#check-answers")).to_contain_text(name)
    page.get_by_role("button", name="Create campaign").click()
    expect(page).to_have_url(re.compile(r"/admin/campaigns/\d+$"))
    return page.url


@pytest.mark.parametrize("width", [320, 1280])
def test_a_campaign_is_checked_created_set_up_from_its_task_list_and_corrected(
    browser, live_server, check_accessible, width
):
    base = live_server["url"]
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    sign_in(page, base, "admin@example.org")
    name = f"Wellbeing check {width}"
    hub = create_wemwbs_campaign(
        page, base, name, lambda step: check_accessible(page, f"{step}-{width}")
    )
    expect(page.locator("h1")).to_have_text(name)
    check_accessible(page, f"campaign-tasks-{width}")
    expect(task_status(page, "Licence")).to_have_text("Needed before opening")
    expect(task_status(page, "Open the campaign")).to_have_text("Cannot open yet")
    link = page.locator("#respondent-link").inner_text()

    # Opening without the licence: an error in words, linked to the licence field.
    page.get_by_role("button", name="Open the campaign").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, f"campaign-open-errors-{width}")
    error = page.locator(".govuk-error-summary").get_by_role(
        "link", name="Record the WEMWBS licence reference before opening"
    )
    error.click()
    expect(page.get_by_label("WEMWBS licence reference")).to_be_focused()
    page.get_by_label("WEMWBS licence reference").fill("WEMWBS-REG-2026")
    page.get_by_role("button", name="Open the campaign").click()
    expect(page.locator("#campaign-status")).to_have_text("Open")
    expect(task_status(page, "Licence")).to_have_text("Completed")
    expect(task_status(page, "Open the campaign")).to_have_text("Open")

    # The closing date changes later, and the link stays the same.
    page.get_by_role("link", name="Change dates").click()
    expect_title_starting(page, "Change campaign details")
    check_accessible(page, f"campaign-edit-{width}")
    fill_date(page, "Closes on", "30", "6", "2031")
    page.get_by_role("button", name="Save changes").click()
    expect_url_ending(page, hub.removeprefix(base))
    expect(page.locator("#campaign-dates")).to_have_text("1 January 2026 to 30 June 2031")
    expect(page.locator("#respondent-link")).to_have_text(link)

    page.goto(f"{base}/admin/audit?action=campaign_details_changed")
    expect(page.locator("table")).to_contain_text("31 December 2030 → 30 June 2031")
    context.close()


def test_a_campaign_is_set_up_on_a_phone_with_javascript_off(live_server, phone_without_javascript):
    page = phone_without_javascript
    base = live_server["url"]
    sign_in(page, base, "coordinator@example.org")
    create_wemwbs_campaign(page, base, "No-script wellbeing check")
    expect(page.locator("#campaign-status")).to_have_text("Draft")
    page.get_by_role("link", name="Change languages").click()
    expect_title_starting(page, "Change campaign details")
    expect(page.get_by_label("Polski (Polish)")).to_be_disabled()
    page.get_by_label("Name of the campaign").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect_title_starting(page, "Error:")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the campaign")


@pytest.mark.parametrize("width", [320, 1280])
def test_a_visit_is_checked_before_scheduling_and_changed_afterwards(
    browser, live_server, check_accessible, width
):
    base = live_server["url"]
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    sign_in(page, base, "coordinator@example.org")
    page.goto(f"{base}/fieldwork/visits/new")
    page.get_by_label("Known visit", exact=True).check()
    page.get_by_label("Visit in person", exact=True).check()
    page.get_by_label("Framework or scenario to rate against").select_option(
        label="Young inspectors' framework (version 1)"
    )
    fill_date(page, "Date of the visit", "9" if width == 320 else "10", "4", "2027")
    page.get_by_label("Scenario (optional)").fill("Ask how to join the youth forum.")
    page.get_by_label(INSPECTOR).check()
    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "Check the visit before you schedule it")
    check_accessible(page, f"visit-check-{width}")
    page.get_by_role("button", name="Change scenario").click()
    expect_title_starting(page, "Schedule a visit")
    scenario = page.get_by_label("Scenario (optional)")
    expect(scenario).to_have_value("Ask how to join the youth forum.")
    expect(page.get_by_label(INSPECTOR)).to_be_checked()
    scenario.fill("Ask how to join the youth forum, and when it meets.")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#check-answers")).to_contain_text("and when it meets.")
    page.get_by_role("button", name="Schedule visit").click()
    expect(page).to_have_url(re.compile(r"/fieldwork/visits/\d+$"))

    page.get_by_role("link", name="Change the date, scenario or panel").click()
    expect_title_starting(page, "Change the visit")
    check_accessible(page, f"visit-edit-{width}")
    fill_date(page, "Date of the visit", "17", "4", "2027")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(re.compile(r"/fieldwork/visits/\d+$"))
    expect(page.locator(".govuk-summary-list")).to_contain_text("17 April 2027")
    context.close()
