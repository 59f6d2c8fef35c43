"""A mystery shop from scheduling to the provider's reply, in Chromium with axe on every page at
320 px and 1280 px; and a young inspector's whole rating on a phone with JavaScript off."""

from __future__ import annotations

import re
import sqlite3
from datetime import date

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.support.titles import expect_title_starting, expect_url_ending

pytestmark = pytest.mark.browser

SERVICE = "Riverside Youth Club (Riverside Youth Trust)"
INSPECTOR = "Jordan Young Inspector (inspector@example.org)"


def sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Commissioners start at the contracts overview, everyone else at the staff home.
    landing = "/contracts/" if email.startswith("commissioner") else "/staff"
    assert page.url.endswith(landing), page.url


def schedule_mystery_shop(page, base, day: int, check=None) -> int:
    """The coordinator schedules a phone mystery shop with the demo inspector on the panel.

    Each test gives its own day: the same visit scheduled twice in a row is taken for a
    double submit and made once."""
    page.goto(f"{base}/fieldwork/visits")
    if check:
        check("visits")
    page.get_by_role("button", name="Schedule a visit").click()
    if check:
        check("visit-new")
        page.get_by_role("button", name="Continue").click()
        expect_title_starting(page, "Error:")
        check("visit-new-errors")
    page.get_by_label("Service", exact=True).select_option(label=SERVICE)
    page.get_by_label("Mystery shop", exact=True).check()
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Framework or scenario to rate against").select_option(
        label="Mystery shop: phoning for help with anxiety (version 1)"
    )
    page.get_by_label("Day", exact=True).fill(str(day))
    page.get_by_label("Month", exact=True).fill("3")
    page.get_by_label("Year", exact=True).fill("2027")
    page.get_by_label("Scenario (optional)").fill("Use the made-up name Sam.")
    page.get_by_label(INSPECTOR).check()
    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "Check the visit before you schedule it")
    if check:
        check("visit-check")
    page.get_by_role("button", name="Schedule visit").click()
    expect(page).to_have_url(re.compile(r"/fieldwork/visits/\d+$"))
    match = re.search(r"/fieldwork/visits/(\d+)$", page.url)
    assert match, page.url
    if check:
        check("visit-coordinator")
    return int(match.group(1))


def answer_rating_page(page, rating="Good", note="They were kind and said their name."):
    """Answer every question on a rating page: Yes to checks, `rating` to characteristics."""
    for fieldset in page.locator("fieldset.govuk-fieldset").all():
        yes = fieldset.get_by_label("Yes", exact=True)
        if yes.count():
            yes.check()
        else:
            fieldset.get_by_label(rating, exact=True).check()
    notes = page.locator("textarea")
    if notes.count():
        notes.first.fill(note)


def rate_whole_visit(page, base, visit_id, check=None, save_on_page=None):
    page.goto(f"{base}/fieldwork/visits/{visit_id}")
    if check:
        check("visit-member")
    page.get_by_role("button", name="Start rating").click()
    if check:
        page.get_by_role("button", name="Continue").click()
        expect_title_starting(page, "Error:")
        check("rate-errors")
    number = 1
    while "/rate/" in page.url and not page.url.endswith("/rate/check"):
        if check:
            check(f"rate-{number}")
        answer_rating_page(page)
        if number == save_on_page:
            page.get_by_role("button", name="Save and come back later").click()
            expect_url_ending(page, f"/fieldwork/visits/{visit_id}")
            page.get_by_role("button", name="Continue rating").click()
            expect_url_ending(page, f"/rate/{number + 1}")
            number += 1
            continue
        page.get_by_role("button", name="Continue").click()
        number += 1
    expect_url_ending(page, "/rate/check")
    if check:
        check("rate-check")
    page.get_by_role("button", name="Submit my ratings").click()
    expect_url_ending(page, f"/fieldwork/visits/{visit_id}")
    return number - 1


def submitted(database, visit_id):
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT u.email, r.ratings, r.notes, r.submitted_at IS NOT NULL FROM panel_rating r "
            "JOIN user_account u ON u.id = r.user_id WHERE r.visit_id = ?",
            (visit_id,),
        ).fetchall()


@pytest.mark.parametrize("width", [320, 1280])
def test_a_mystery_shop_from_scheduling_to_reply_is_accessible(
    browser, live_server, check_accessible, width
):
    base = live_server["url"]
    contexts = []

    def person(email):
        context = browser.new_context(viewport={"width": width, "height": 800})
        contexts.append(context)
        page = context.new_page()
        sign_in(page, base, email)
        return page

    coordinator = person("coordinator@example.org")
    visit_id = schedule_mystery_shop(
        coordinator,
        base,
        day=1 if width == 320 else 2,
        check=lambda name: check_accessible(coordinator, f"{name}-{width}"),
    )

    inspector = person("inspector@example.org")
    pages = rate_whole_visit(
        inspector, base, visit_id, lambda name: check_accessible(inspector, f"{name}-{width}")
    )
    assert pages == 8
    check_accessible(inspector, f"visit-member-submitted-{width}")
    assert inspector.locator("#panel-ratings").is_visible()

    coordinator.goto(f"{base}/fieldwork/visits/{visit_id}")
    check_accessible(coordinator, f"visit-with-ratings-{width}")
    coordinator.get_by_role("link", name="Moderate ratings and write recommendations").click()
    check_accessible(coordinator, f"moderate-{width}")
    coordinator.get_by_label("Recommendation", exact=True).fill("Say when the phone line is open.")
    coordinator.get_by_role("button", name="Add recommendation").click()
    coordinator.get_by_role("button", name="Add recommendation").click()
    expect_title_starting(coordinator, "Error:")
    check_accessible(coordinator, f"moderate-errors-{width}")
    for fieldset in coordinator.locator("form fieldset.govuk-fieldset").all():
        fieldset.get_by_label("Good", exact=True).check()
    coordinator.get_by_label("Summary of the report (optional)").fill("Kind, but hard to reach.")
    coordinator.get_by_role("button", name="Save moderation").click()
    coordinator.get_by_role("link", name="Finalise the report").click()
    check_accessible(coordinator, f"finalise-{width}")
    coordinator.get_by_role("button", name="Finalise the report").click()
    expect_url_ending(coordinator, f"/reports/{visit_id}")
    check_accessible(coordinator, f"report-coordinator-{width}")
    coordinator.goto(f"{base}/fieldwork/visits/{visit_id}/moderate")
    check_accessible(coordinator, f"report-is-final-{width}")
    coordinator.goto(f"{base}/fieldwork/visits/{visit_id}/supersede")
    check_accessible(coordinator, f"supersede-{width}")
    coordinator.get_by_role("button", name="Supersede this report").click()
    expect_title_starting(coordinator, "Error:")
    check_accessible(coordinator, f"supersede-errors-{width}")

    provider = person("provider@example.org")
    provider.goto(f"{base}/reports/")
    check_accessible(provider, f"reports-{width}")
    provider.goto(f"{base}/reports/{visit_id}")
    check_accessible(provider, f"report-provider-{width}")
    provider.get_by_role("link", name="Reply to recommendation 1").click()
    check_accessible(provider, f"reply-{width}")
    provider.get_by_role("button", name="Send reply").click()
    expect_title_starting(provider, "Error:")
    check_accessible(provider, f"reply-errors-{width}")
    provider.get_by_label("What we will do", exact=True).fill(
        "Put the opening hours on every leaflet."
    )
    provider.get_by_label("Day", exact=True).fill("30")
    provider.get_by_label("Month", exact=True).fill("6")
    provider.get_by_label("Year", exact=True).fill(str(date.today().year + 1))
    provider.get_by_role("button", name="Send reply").click()
    assert re.search(rf"/reports/{visit_id}#recommendation-\d+$", provider.url), provider.url
    assert "Put the opening hours on every leaflet." in provider.content()
    check_accessible(provider, f"report-replied-{width}")

    commissioner = person("commissioner@example.org")
    commissioner.goto(f"{base}/reports/{visit_id}")
    assert "Put the opening hours on every leaflet." in commissioner.content()
    check_accessible(commissioner, f"report-commissioner-{width}")
    for context in contexts:
        context.close()


def test_a_peer_researcher_rates_a_whole_visit_on_a_phone_with_javascript_off(
    browser, live_server, phone_without_javascript
):
    base = live_server["url"]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    coordinator = context.new_page()
    sign_in(coordinator, base, "coordinator@example.org")
    visit_id = schedule_mystery_shop(coordinator, base, day=3)
    context.close()

    phone = phone_without_javascript
    sign_in(phone, base, "inspector@example.org")
    pages = rate_whole_visit(phone, base, visit_id, save_on_page=3)
    assert pages == 8
    assert "Your ratings are submitted" in phone.content()
    [(email, ratings, notes, done)] = submitted(live_server["database"], visit_id)
    assert (email, done) == ("inspector@example.org", 1)
    assert '"friendly_and_kind": "3"' in ratings and '"number_easy_to_find": "yes"' in ratings
    assert "They were kind" in notes
