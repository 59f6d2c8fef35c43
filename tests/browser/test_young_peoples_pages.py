"""A young person's own scores over time in every language on a 320 px phone, with
JavaScript on and off; helplines a phone can call; and a peer researcher entering a paper
questionnaire at phone and desktop width, with JavaScript off too. axe on every page."""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.cli import DEMO_PASSWORD
from app.extensions import db
from app.languages import LANGUAGE_CODES
from app.models import Campaign, Participant, Response
from app.models.codes import display_code
from tests.support.apps import make_app
from tests.support.titles import expect_title_starting, expect_url_ending

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scored_code(live_server):
    """A young person with three SWEMWBS scores in the live demo database; their code."""
    app = make_app(f"sqlite:///{live_server['database']}")
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).filter_by(instrument_id="swemwbs"))
        person = Participant.create()
        db.session.add(person)
        for key, when, raw, metric, band in (
            ("progress-a", datetime(2026, 3, 2, 10), 12, 15.32, "probable_depression"),
            ("progress-b", datetime(2026, 6, 1, 10), 15, 17.98, "probable_depression"),
            ("progress-c", datetime(2026, 9, 7, 10), 19, 21.54, "average"),
        ):
            db.session.add(
                Response(
                    submission_key=key,
                    campaign_id=campaign.id,
                    participant=person,
                    instrument_id="swemwbs",
                    instrument_version=campaign.instrument_version,
                    language="en",
                    text_provenance="validated",
                    answers={},
                    complete=True,
                    answered_count=7,
                    raw_score=raw,
                    metric_score=metric,
                    band=band,
                    submitted_at=when,
                )
            )
        db.session.commit()
        code = display_code(person.code)
        db.session.remove()
    return code


def _open_answers(page, base, code):
    page.goto(f"{base}/my-answers")
    page.fill("input[name=code]", code)
    page.locator("main form button").first.click()
    expect_url_ending(page, "/my-answers/answers")


def test_a_young_persons_scores_over_time_in_every_language(
    phone, live_server, check_accessible, scored_code
):
    base = live_server["url"]
    _open_answers(phone, base, scored_code)
    section = phone.locator("#scores-over-time")
    expect(section).to_contain_text("Your score is higher than last time.")
    expect(phone.locator("#scores-swemwbs li")).to_have_count(3)
    # The bars grow with the scores, and say nothing a screen reader would read twice.
    widths = phone.eval_on_selector_all(
        "#scores-swemwbs svg rect:last-child", "rects => rects.map(r => r.getBBox().width)"
    )
    assert widths == sorted(widths) and widths[0] < widths[-1]
    assert phone.locator("#scores-swemwbs svg[aria-hidden=true]").count() == 3
    for code in LANGUAGE_CODES:
        phone.goto(f"{base}/my-answers/answers?lang={code}")
        expect(phone.locator("html")).to_have_attribute("lang", code)
        expect(phone.locator("#scores-over-time")).to_be_visible()
        assert "depression" not in phone.locator("main").inner_text().lower()
        check_accessible(phone, f"my-answers-scores-{code}")


def test_scores_over_time_without_javascript(phone_without_javascript, live_server, scored_code):
    page = phone_without_javascript
    _open_answers(page, live_server["url"], scored_code)
    expect(page.locator("#scores-swemwbs li")).to_have_count(3)
    expect(page.locator("#trend-swemwbs")).to_contain_text("higher than last time")


def test_helplines_are_links_a_phone_can_call_or_text(phone, live_server, check_accessible):
    phone.goto(f"{live_server['url']}/help?lang=ar")
    links = phone.locator("#helplines a")
    expect(links).to_have_count(4)
    assert [links.nth(i).get_attribute("href") for i in range(4)] == [
        "tel:08001111",
        "sms:85258?&body=SHOUT",
        "tel:116123",
        "tel:111",
    ]
    check_accessible(phone, "help-ar")


def _sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_url_ending(page, "/staff")


def _enter_a_questionnaire(page, check_accessible, name):
    """The whole entry; `check_accessible` is None with JavaScript off (axe needs it)."""
    check_accessible = check_accessible or (lambda page, name: None)
    page.locator("#campaigns a", has_text="Tell us about the club").click()
    expect_title_starting(page, "Enter answers for")
    check_accessible(page, f"collected-start-{name}")
    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "Error:")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm that the young person agreed to take part"
    )
    check_accessible(page, f"collected-start-error-{name}")
    page.get_by_label("Language the young person answered in").select_option("cy")
    page.get_by_label("The young person agreed to take part").check()
    page.get_by_role("button", name="Continue").click()
    expect_url_ending(page, "/questions/1")
    check_accessible(page, f"collected-questions-{name}")
    while "/questions/" in page.url:
        for fieldset in page.locator("main fieldset").all():
            boxes = fieldset.locator("input[type=checkbox]")
            (boxes if boxes.count() else fieldset.locator("input[type=radio]")).first.check()
        before = page.url
        page.get_by_role("button", name="Continue").click()
        expect(page).not_to_have_url(before)
    expect_url_ending(page, "/check")
    check_accessible(page, f"collected-check-{name}")
    page.get_by_role("button", name="Save these answers").click()
    expect_url_ending(page, "/fieldwork/collected/")
    expect(page.locator("main")).to_contain_text("saved as collected by a peer researcher")
    check_accessible(page, f"collected-saved-{name}")


@pytest.mark.parametrize("width", [320, 1280])
def test_a_peer_researcher_enters_a_paper_questionnaire(
    browser, live_server, check_accessible, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    base = live_server["url"]
    _sign_in(page, base, "inspector@example.org")
    page.goto(f"{base}/fieldwork/")
    page.get_by_role("link", name="Enter questionnaires collected from young people").click()
    expect_title_starting(page, "Questionnaires collected")
    check_accessible(page, f"collected-index-{width}")
    _enter_a_questionnaire(page, check_accessible, str(width))
    context.close()


def test_a_paper_questionnaire_is_entered_without_javascript(phone_without_javascript, live_server):
    page = phone_without_javascript
    base = live_server["url"]
    _sign_in(page, base, "inspector@example.org")
    page.goto(f"{base}/fieldwork/collected/")
    _enter_a_questionnaire(page, None, "no-js")
