"""A coordinator moderating a visit never loses what they typed: the agreed ratings, notes,
summary and a recommendation are one form, whichever button is pressed. In Chromium with
axe at 320 px (JavaScript off) and 1280 px."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.support.titles import expect_title_starting, expect_url_ending

pytestmark = pytest.mark.browser


def a_visit_to_moderate(database) -> int:
    """A visit of its own for this test, like the demo's mystery shop, not yet moderated."""
    with sqlite3.connect(database) as connection:
        [(service_id, created_by_id)] = connection.execute(
            "SELECT service_id, created_by_id FROM visit ORDER BY id LIMIT 1"
        ).fetchall()
        cursor = connection.execute(
            "INSERT INTO visit (service_id, kind, channel, visit_on, framework_id, "
            "framework_version, created_by_id, created_at) "
            "VALUES (?, 'mystery', 'phone', '2027-02-01', 'mystery-shop-checklist', 1, ?, ?)",
            (service_id, created_by_id, str(datetime.now(UTC).replace(tzinfo=None))),
        )
        return cursor.lastrowid


def stored(database, visit_id: int):
    with sqlite3.connect(database) as connection:
        summary = connection.execute(
            "SELECT summary FROM visit WHERE id = ?", (visit_id,)
        ).fetchone()[0]
        ratings = connection.execute(
            "SELECT rating, note FROM moderated_rating WHERE visit_id = ? ORDER BY id",
            (visit_id,),
        ).fetchall()
        recommendations = [
            text
            for (text,) in connection.execute(
                "SELECT text FROM recommendation WHERE visit_id = ? ORDER BY id", (visit_id,)
            )
        ]
    return summary, ratings, recommendations


# axe needs JavaScript, so the walk without it is a third run, checked by what it shows.
@pytest.mark.parametrize("width, javascript", [(320, True), (1280, True), (320, False)])
def test_adding_a_recommendation_keeps_the_ratings_notes_and_summary(
    browser, live_server, check_accessible, width, javascript
):
    base, database = live_server["url"], live_server["database"]
    visit_id = a_visit_to_moderate(database)
    context = browser.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=javascript
    )
    page = context.new_page()

    def check(name):
        if javascript:
            check_accessible(page, f"{name}-{width}")

    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill("coordinator@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_url_ending(page, "/staff")
    page.goto(f"{base}/fieldwork/visits/{visit_id}/moderate")
    check("moderate-one-form")

    fieldsets = page.locator("form fieldset.govuk-fieldset")
    count = fieldsets.count()
    assert count > 1
    for fieldset in fieldsets.all():
        fieldset.get_by_label("Good", exact=True).check()
    first_note = page.locator("textarea[name^=note_]").first
    first_note.fill("Two of three said Good.")
    page.get_by_label("Summary of the report (optional)").fill("Kind, but hard to reach.")
    page.get_by_label("Recommendation", exact=True).fill("Say when the phone line is open.")
    page.get_by_role("button", name="Add recommendation").click()

    # Back on the page, the recommendation is listed and nothing typed was thrown away.
    recommendations = page.locator("#recommendations + ol")
    expect(recommendations).to_contain_text("Say when the phone line is open.")
    expect(page.get_by_label("Summary of the report (optional)")).to_have_value(
        "Kind, but hard to reach."
    )
    expect(page.locator("textarea[name^=note_]").first).to_have_value("Two of three said Good.")
    expect(page.locator("form fieldset input[type=radio]:checked")).to_have_count(count)
    check("moderate-recommendation-added")
    summary, ratings, texts = stored(database, visit_id)
    assert summary == "Kind, but hard to reach."
    assert len(ratings) == count and ratings[0][1] == "Two of three said Good."
    assert texts == ["Say when the phone line is open."]

    # Adding nothing is refused, and what was typed meanwhile is still on the page.
    page.get_by_label("Summary of the report (optional)").fill("Kind, and now easier to reach.")
    page.get_by_role("button", name="Add recommendation").click()
    expect_title_starting(page, "Error:")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the recommendation")
    expect(page.get_by_label("Summary of the report (optional)")).to_have_value(
        "Kind, and now easier to reach."
    )
    check("moderate-recommendation-errors")

    # Removing a recommendation saves the summary typed since, too.
    page.get_by_role("button", name="Remove recommendation 1").click()
    expect(page.locator("#recommendations ~ p").first).to_contain_text("No recommendations yet")
    summary, _ratings, texts = stored(database, visit_id)
    assert (summary, texts) == ("Kind, and now easier to reach.", [])

    page.get_by_role("button", name="Save moderation").click()
    expect_url_ending(page, f"/fieldwork/visits/{visit_id}")
    context.close()
