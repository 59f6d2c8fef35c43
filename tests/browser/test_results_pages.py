"""The public "you said, we did" page in Chromium with axe: in every language on a 320 px
phone, with JavaScript on and off, right to left for Arabic and Urdu; and the staff flow
that publishes it, at 320 and 1280 px, and without JavaScript."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from app.languages import LANGUAGE_CODES, language
from tests.support.titles import expect_title_starting, expect_url_ending

pytestmark = pytest.mark.browser


def _demo_results(database) -> tuple[int, str]:
    """The demo service's id and its results code (`demo load` publishes its page)."""
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT service_id, code FROM results_link ORDER BY id LIMIT 1"
        ).fetchone()


def _sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def _check_language(page, code, lang):
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", language(lang).direction)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main h2")).to_have_count(5)
    expect(page.locator("main svg.app-qr")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_results_page_is_accessible_in_every_language_on_a_phone(
    browser, live_server, check_accessible, javascript
):
    """Without JavaScript: the page in a browser with JavaScript off, and axe (which needs
    JavaScript to run) on the same page with the application's script refused."""
    phone = {"width": 320, "height": 800}
    context = browser.new_context(viewport=phone)
    if not javascript:
        context.route("**/dist/application.js*", lambda route: route.abort())
    page = context.new_page()
    without = browser.new_context(viewport=phone, java_script_enabled=False)
    plain = without.new_page()
    _service, code = _demo_results(live_server["database"])
    address = f"{live_server['url']}/r/{code}"
    for lang in LANGUAGE_CODES:
        # The switcher's link: the choice is remembered and the address comes back clean.
        page.goto(f"{address}?lang={lang}")
        expect_url_ending(page, f"/r/{code}")
        _check_language(page, code, lang)
        check_accessible(page, f"results-{lang}-{'js' if javascript else 'no-js'}")
        if not javascript:
            plain.goto(f"{address}?lang={lang}")
            expect_url_ending(plain, f"/r/{code}")
            _check_language(plain, code, lang)
    without.close()
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_a_coordinator_previews_and_publishes_a_results_page(
    browser, live_server, check_accessible, width
):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    base = live_server["url"]
    service_id, code = _demo_results(live_server["database"])
    _sign_in(page, base, "coordinator@example.org")
    page.goto(f"{base}/results-pages")
    check_accessible(page, f"results-pages-{width}")
    page.get_by_role("link", name="Preview and publish Riverside Youth Club").click()
    expect_title_starting(page, "Results page: Riverside Youth Club")
    expect(page.locator(".app-results-preview")).to_contain_text("young people answered")
    check_accessible(page, f"results-preview-{width}")

    # Another period's preview, then a publish with no poster language: an error.
    chooser = page.get_by_label("Period to preview")
    earlier = chooser.locator("option").nth(2).inner_text()
    chooser.select_option(label=earlier)
    page.get_by_role("button", name="Show the preview").click()
    expect(page.locator("h2").filter(has_text="Preview:")).to_have_text(f"Preview: {earlier}")
    for box in page.get_by_role("checkbox").all():
        box.uncheck()
    page.get_by_role("button", name="Publish this page").click()
    expect_title_starting(page, "Error:")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose at least one language for the poster"
    )
    check_accessible(page, f"results-publish-error-{width}")
    page.get_by_label("English (English)").check()
    page.get_by_label("Arabic (العربية)").check()
    page.get_by_role("button", name="Publish this page").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Published the results page")
    expect(page.get_by_role("link", name="Poster in Arabic (PDF, A4)")).to_be_visible()
    check_accessible(page, f"results-published-{width}")

    page.goto(f"{base}/results-pages/services/{service_id}/wording")
    check_accessible(page, f"results-wording-list-{width}")
    page.get_by_role("link", name="Change").first.click()
    expect(page.locator("h1")).to_have_text("Public wording for an action")
    check_accessible(page, f"results-wording-{width}")
    context.close()


def test_a_provider_writes_public_wording_without_javascript(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    base = live_server["url"]
    service_id, code = _demo_results(live_server["database"])
    _sign_in(page, base, "provider@example.org")
    page.goto(f"{base}/results-pages/services/{service_id}/wording")
    page.get_by_role("link", name="Change").first.click()
    expect(page.locator("h1")).to_have_text("Public wording for an action")
    page.get_by_label("Public wording for young people").fill("")
    page.get_by_label("Show this on the public results page").check()
    page.get_by_role("button", name="Save the public wording").click()
    expect_title_starting(page, "Error:")
    page.get_by_role("link", name="Write the public wording before marking it public").click()
    page.get_by_label("Public wording for young people").fill(
        "You asked us to answer the phone after school. Now we do."
    )
    page.get_by_role("button", name="Save the public wording").click()
    expect_title_starting(page, "Public wording: Riverside Youth Club")
    expect(page.locator("main")).to_contain_text("You asked us to answer the phone after school.")
    context.close()
