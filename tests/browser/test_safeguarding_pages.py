"""Safeguarding pages in Chromium with axe, on a phone (320 px) and a desktop (1280 px):
a concern raised on a phone reaches the lead's queue with what the lead needs to act, and
the lead works it through to a checked close, losing nothing typed on the way."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.support.titles import expect_title_starting, expect_url_ending

pytestmark = pytest.mark.browser


def alerts_with_message(database, message: str) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT id, status, repeats, outcome FROM safeguarding_alert WHERE message = ?",
            (message,),
        ).fetchall()


def actions_of(database, alert_id: int) -> list[str]:
    with sqlite3.connect(database) as connection:
        return [
            text
            for (text,) in connection.execute(
                "SELECT text FROM safeguarding_action WHERE alert_id = ? ORDER BY id", (alert_id,)
            )
        ]


def earlier_requests_an_hour_back(database) -> None:
    """Every browser test asks from the same address, and after three new alerts in an hour
    from one device further requests fold into the latest: earlier requests are moved back
    an hour, so each test's request is judged on its own."""
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE safeguarding_alert SET created_at = datetime(created_at, '-1 hour') "
            "WHERE source = 'contact_request'"
        )


def ask_to_be_contacted(browser, base: str, message: str, javascript: bool = True, database=None):
    """A young person on a phone asks to be contacted through their key worker, after
    school, with no message left; then reloads the thank-you page."""
    if database is not None:
        earlier_requests_an_hour_back(database)
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, java_script_enabled=javascript
    )
    phone = context.new_page()
    phone.goto(f"{base}/contact-me")
    phone.get_by_label("Through my key worker or the service").check()
    phone.get_by_label("You can contact me, but do not leave a message").check()
    phone.get_by_label("When is the best time to contact you? (optional)").fill("After 4pm")
    phone.get_by_label("Anything you want to tell us (optional)").fill(message)
    phone.get_by_role("button", name="Ask someone to contact me").click()
    expect_title_starting(phone, "We have your message")
    phone.reload()
    expect_title_starting(phone, "We have your message")
    context.close()


def sign_in_as_lead(browser, base: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill("safeguarding@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_url_ending(page, "/staff")
    return context, page


@pytest.mark.parametrize("width", [320, 1280])
def test_a_concern_from_a_phone_reaches_the_leads_queue_and_every_page_is_accessible(
    browser, live_server, check_accessible, width
):
    base = live_server["url"]
    database = live_server["database"]
    # Each run's own words: the same request again from one device folds into its alert.
    message = f"Please talk to me ({width} px)"
    ask_to_be_contacted(browser, base, message, database=database)
    # Reloading "We have your message" sent nothing again.
    [(alert_id, status, repeats, _outcome)] = alerts_with_message(database, message)
    assert (status, repeats) == ("new", 0)

    context, page = sign_in_as_lead(browser, base, width)
    if width > 640:  # on a phone the navigation folds behind a menu button
        page.get_by_role("link", name="Safeguarding").first.click()
    else:
        page.goto(f"{base}/safeguarding/")
    expect_title_starting(page, "Safeguarding alerts")
    check_accessible(page, f"safeguarding-queue-{width}")
    page.get_by_role("link", name=f"Alert {alert_id}", exact=True).click()
    expect_title_starting(page, f"Alert {alert_id}")
    check_accessible(page, f"safeguarding-alert-{width}")

    # What a lead needs: where it came from by name, the language, UK time, and how and
    # when it is safe to make contact, with whom.
    details = page.locator("#alert-details")
    expect(details).to_contain_text("Language")
    expect(details).to_contain_text("English")
    expect(details).not_to_contain_text("UTC")
    contact = page.locator("#contact-details")
    expect(contact).to_contain_text("Through their key worker or the service")
    expect(contact).to_contain_text("Contact them, but do not leave a message")
    expect(contact).to_contain_text("After 4pm")

    # Nothing can be done or closed before someone acknowledges the alert.
    expect(page.get_by_role("button", name="Close the alert")).to_have_count(0)
    page.get_by_role("button", name="Acknowledge: I am dealing with this").click()
    expect(page.locator("#alert-details")).to_contain_text("Acknowledged")

    # Closing with nothing done is refused in an error summary that links to the field.
    page.get_by_role("button", name="Close the alert").click()
    expect_title_starting(page, "Error:")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Record at least one thing that was done")
    check_accessible(page, f"safeguarding-alert-errors-{width}")
    summary.get_by_role("link").click()
    expect(page.get_by_label("What was done")).to_be_focused()

    # A note typed in "What was done" is kept when the lead goes straight on to close.
    page.get_by_label("What was done").fill("Rang the key worker, who will call after 4pm")
    page.get_by_role("button", name="Close the alert").click()
    expect_url_ending(page, f"/safeguarding/alerts/{alert_id}/close")
    assert actions_of(database, alert_id) == ["Rang the key worker, who will call after 4pm"]
    check_accessible(page, f"safeguarding-close-{width}")
    page.get_by_role("button", name="Continue").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, f"safeguarding-close-errors-{width}")
    page.get_by_label("Outcome").fill("Key worker is in touch; no further action")
    page.get_by_role("button", name="Continue").click()
    expect_url_ending(page, f"/safeguarding/alerts/{alert_id}/close/check")
    check = page.locator("#close-check")
    expect(check).to_contain_text("Rang the key worker, who will call after 4pm")
    expect(check).to_contain_text("Key worker is in touch; no further action")
    check_accessible(page, f"safeguarding-close-check-{width}")
    assert alerts_with_message(database, message)[0][1] == "acknowledged"
    page.get_by_role("button", name="Close alert").click()
    expect_url_ending(page, "/safeguarding/")
    expect(page.locator("main")).to_contain_text(f"Alert {alert_id} closed.")
    assert alerts_with_message(database, message)[0][1:] == (
        "closed",
        0,
        "Key worker is in touch; no further action",
    )

    page.goto(f"{base}/safeguarding/raise")
    check_accessible(page, f"safeguarding-raise-{width}")
    page.get_by_role("button", name="Send to the safeguarding leads").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, f"safeguarding-raise-errors-{width}")
    context.close()


def test_the_demo_alert_shows_the_key_worker_and_the_services_contact(
    browser, live_server, check_accessible
):
    with sqlite3.connect(live_server["database"]) as connection:
        [(alert_id,)] = connection.execute(
            "SELECT id FROM safeguarding_alert WHERE best_time = 'Po szkole, po 16:00'"
        ).fetchall()
    context, page = sign_in_as_lead(browser, live_server["url"], 1280)
    page.goto(f"{live_server['url']}/safeguarding/alerts/{alert_id}")
    details = page.locator("#alert-details")
    expect(details).to_contain_text("Riverside Youth Club (Riverside Youth Trust)")
    expect(details).to_contain_text("Polish (Polski)")
    contact = page.locator("#contact-details")
    expect(contact).to_contain_text("Kim Key Worker")
    expect(contact).to_contain_text("keyworker@example.org")
    expect(contact).to_contain_text("Dana Duty Manager")
    expect(contact).to_contain_text("01632 960 124")
    expect(contact).to_contain_text("Po szkole, po 16:00")
    context.close()


def test_contact_me_works_without_javascript_and_reloads_safely(browser, live_server):
    message = "No JavaScript on this phone"
    ask_to_be_contacted(
        browser, live_server["url"], message, javascript=False, database=live_server["database"]
    )
    assert [row[1:3] for row in alerts_with_message(live_server["database"], message)] == [
        ("new", 0)
    ]
