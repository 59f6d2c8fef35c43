"""The questionnaire editor on a 320 px phone: a coordinator starts a questionnaire, writes
questions on two pages with a page skipped by an earlier answer, sees a mistake named, and
saves; every page passes axe. Without JavaScript, adding a question keeps what was typed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.support.titles import expect_title_starting, expect_url_ending

pytestmark = pytest.mark.browser


def sign_in(page, base):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill("coordinator@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_url_ending(page, "/staff")


def start(page, base, title):
    page.goto(f"{base}/instruments/questionnaires/new")
    expect_title_starting(page, "Write a questionnaire")
    page.get_by_label("A blank questionnaire").check()
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, f"{title}: version 1")


def test_a_questionnaire_is_written_with_a_routed_page_on_a_phone(
    live_server, phone, check_accessible
):
    base = live_server["url"]
    sign_in(phone, base)
    phone.goto(f"{base}/instruments/questionnaires/new")
    check_accessible(phone, "questionnaire-new")
    start(phone, base, "Harbour drop-in feedback")
    check_accessible(phone, "questionnaire-editor")

    phone.get_by_label("Question 1: what it asks").fill("Have you been here before?")
    phone.get_by_label("Question 1: kind of answer").select_option("yes_no")
    phone.get_by_role("button", name="Add a question on a new page").click()
    expect(phone.get_by_role("heading", name="Page 2")).to_be_visible()
    phone.get_by_label("Question 2: what it asks").fill("How was your last visit?")
    phone.get_by_label("Question 2: kind of answer").select_option("rating_scale")
    phone.get_by_label("Question 2: lowest point (scales only)").fill("4")
    phone.get_by_label("Question 2: highest point (scales only)").fill("2")
    phone.get_by_label("Skip page 2 if the answer to").select_option("have_you_been_here_before")
    phone.get_by_label("was").fill("No")
    phone.get_by_role("button", name="Save questionnaire").first.click()
    expect_title_starting(phone, "Error:")
    summary = phone.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The lowest point of question 2's scale must be below")
    check_accessible(phone, "questionnaire-editor-errors")
    summary.get_by_role("link").first.click()
    expect(phone.get_by_label("Question 2: lowest point (scales only)")).to_be_focused()

    phone.get_by_label("Question 2: lowest point (scales only)").fill("1")
    phone.get_by_label("Question 2: highest point (scales only)").fill("5")
    phone.get_by_role("button", name="Save questionnaire").first.click()
    expect(phone.locator(".govuk-notification-banner--success")).to_contain_text(
        "harbour-drop-in-feedback@1 is saved."
    )
    expect(phone.get_by_label("was")).to_have_value("No")
    check_accessible(phone, "questionnaire-editor-saved")


def test_adding_a_question_works_without_javascript(live_server, phone_without_javascript):
    page = phone_without_javascript
    base = live_server["url"]
    sign_in(page, base)
    start(page, base, "Riverside youth club feedback")
    page.get_by_label("Question 1: what it asks").fill("What do you do at the club?")
    page.get_by_label("Question 1: options (lists only)").fill("Sport\nMusic")
    page.get_by_role("button", name="Add a question to page 1").click()
    expect(page.get_by_label("Question 2: what it asks")).to_be_visible()
    expect(page.get_by_label("Question 1: what it asks")).to_have_value(
        "What do you do at the club?"
    )
    expect(page.get_by_label("Question 1: options (lists only)")).to_have_value("Sport\nMusic")
    expect(page.get_by_label("Question 1: short name (optional)")).to_have_value(
        "what_do_you_do_at_the_club"
    )
