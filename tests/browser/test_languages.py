"""Every respondent page in every language on a 320 px phone, with axe on each, and the
right-to-left layout of Arabic checked where a person would notice it.

One journey, one browser context: at each step the page is shown in each language in turn
(through the switcher's `?lang=`), rather than ten separate journeys."""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from app.languages import LANGUAGE_CODES, TRANSLATED_CODES, language
from app.respond.submission_limit import ADDRESS, client_key
from tests.support.titles import expect_title_starting, expect_url_ending

pytestmark = pytest.mark.browser


def campaign_tokens(database) -> dict[str, str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT instrument_id, token FROM campaign WHERE name IN (?, ?) ORDER BY id",
            ("Tell us about the club", "Wellbeing check (WEMWBS)"),
        ).fetchall()
    return dict(rows)


def with_language(address: str, code: str) -> str:
    parts = urlsplit(address)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "lang"] + [("lang", code)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def submit(page):
    """Press the page's main button, whatever language it is labelled in."""
    page.locator("main form button").first.click()


def answer_every_question(page):
    for fieldset in page.locator("main fieldset").all():
        checkboxes = fieldset.locator("input[type=checkbox]")
        if checkboxes.count():
            checkboxes.nth(0).check()
            checkboxes.nth(1).check()
        else:
            fieldset.locator("input[type=radio]").first.check()


@contextmanager
def campaign_setting(database, token: str, column: str, value):
    """Change one setting of a campaign in the live database, and put it back afterwards."""
    with sqlite3.connect(database) as connection:
        (before,) = connection.execute(
            f"SELECT {column} FROM campaign WHERE token = ?", (token,)
        ).fetchone()
        connection.execute(f"UPDATE campaign SET {column} = ? WHERE token = ?", (value, token))
    try:
        yield
    finally:
        with sqlite3.connect(database) as connection:
            connection.execute(f"UPDATE campaign SET {column} = ? WHERE token = ?", (before, token))


@contextmanager
def sends_used_up(live_server, count: int = 600):
    """This address has sent its limit of answers (as a busy school might): the next send
    is paused. The counts are keyed as the app keys them (app.respond.submission_limit)."""
    key = client_key(live_server["env"]["SECRET_KEY"], ADDRESS, "127.0.0.1")
    now = str(datetime.now(UTC).replace(tzinfo=None))
    with sqlite3.connect(live_server["database"]) as connection:
        connection.executemany(
            "INSERT INTO attempt (kind, key, created_at) VALUES (?, ?, ?)",
            [(ADDRESS, key, now)] * count,
        )
    try:
        yield
    finally:
        with sqlite3.connect(live_server["database"]) as connection:
            connection.execute("DELETE FROM attempt WHERE kind = ?", (ADDRESS,))


@pytest.fixture
def in_each_language(phone, check_accessible):
    """Show the current page (or what `action` leads to from it) in each language, check its
    language and direction, and run axe on it."""

    def show(name: str, action=None, codes=LANGUAGE_CODES):
        address = phone.url
        for code in codes:
            phone.goto(with_language(address, code))
            if action is not None:
                action(phone)
            html = phone.locator("html")
            assert html.get_attribute("lang") == code, f"{name} in {code}"
            assert html.get_attribute("dir") == language(code).direction, f"{name} in {code}"
            check_accessible(phone, f"{name}-{code}")

    return show


def test_every_respondent_page_in_every_language_passes_axe_at_320px(
    phone, live_server, in_each_language
):
    base = live_server["url"]
    tokens = campaign_tokens(live_server["database"])
    feedback = f"{base}/s/{tokens['service-feedback']}"

    phone.goto(feedback)
    in_each_language("start")
    phone.goto(f"{feedback}/consent")
    in_each_language("consent")
    in_each_language("consent-error", submit)
    phone.check("input[name=consent][value=yes]")
    submit(phone)

    expect_url_ending(phone, "/code")
    in_each_language("code")
    in_each_language("code-error", submit)
    phone.check("input[name=has_code][value=no]")
    submit(phone)

    expect_url_ending(phone, "/questions/1")
    in_each_language("questions-1")
    in_each_language("questions-1-error", submit)
    answer_every_question(phone)
    submit(phone)
    in_each_language("questions-2")
    answer_every_question(phone)
    submit(phone)
    in_each_language("questions-3")
    phone.locator("button[value=save]").click()

    expect_url_ending(phone, "/saved")
    in_each_language("saved")
    phone.goto(f"{feedback}/resume")
    in_each_language("resume")
    in_each_language("resume-error", submit)
    phone.goto(f"{feedback}/check")
    # Page 3 was saved unanswered, so sending lists what is missing.
    in_each_language("check-error", submit)

    phone.goto(f"{feedback}/questions/3")
    answer_every_question(phone)
    submit(phone)
    expect_url_ending(phone, "/check")
    in_each_language("check")
    # Too many sends from this address: a paused page, and the answers are kept.
    with sends_used_up(live_server):
        in_each_language("sending-paused", submit)
    phone.goto(f"{feedback}/check")
    submit(phone)
    expect_url_ending(phone, "/confirmation")
    in_each_language("confirmation")

    # See or delete your answers, with the code just given. (Deleting ends the session's
    # access, so its last page is checked once, in tests/client/test_privacy.py.)
    code = phone.locator("#participant-code").inner_text()
    phone.goto(f"{base}/my-answers")
    in_each_language("my-answers-code")
    in_each_language("my-answers-code-error", submit)
    phone.fill("input[name=code]", code)
    submit(phone)
    expect_url_ending(phone, "/my-answers/answers")
    in_each_language("my-answers")
    phone.goto(f"{base}/my-answers/delete")
    in_each_language("my-answers-delete")
    # "I have finished" closes the answers on this phone.
    phone.goto(f"{base}/my-answers/answers")
    phone.locator("form[action='/my-answers/finish'] button").click()
    expect_url_ending(phone, "/my-answers/finished")
    in_each_language("my-answers-finished")

    def ask_for_contact(page):
        page.check("input[name=contact_method][value=worker]")
        page.check("input[name=safe_to_message][value=no_message]")
        submit(page)

    # A campaign's help page adds the service's own contact; the rest match those outside.
    phone.goto(f"{feedback}/help")
    in_each_language("campaign-help")
    phone.goto(f"{base}/help")
    in_each_language("help")
    phone.goto(f"{base}/contact-me")
    in_each_language("contact-me")
    in_each_language("contact-me-error", submit)
    in_each_language("contact-sent", ask_for_contact)

    # The privacy notice, linked from every consent page.
    phone.goto(f"{feedback}/privacy")
    in_each_language("privacy")

    # Consent by age: the age band first, then a parent or carer below the age of own
    # consent (and the kind stop page when none agrees), or wording for the person's age.
    def choose_age(band):
        def choose(page):
            page.check(f'input[name=age_band][value="{band}"]')
            submit(page)

        return choose

    def no_parent_or_carer_agrees(page):
        choose_age("under_11")(page)
        page.check("input[name=consent][value=no]")
        submit(page)

    with campaign_setting(live_server["database"], tokens["service-feedback"], "asks_age_band", 1):
        phone.goto(feedback)
        assert phone.locator("a.govuk-button--start").get_attribute("href").endswith("/age")
        phone.goto(f"{feedback}/age")
        in_each_language("age")
        in_each_language("age-error", submit)
        in_each_language("consent-young", choose_age("13_15"))
        phone.goto(f"{feedback}/age")
        in_each_language("consent-adult", choose_age("25_plus"))
        phone.goto(f"{feedback}/age")
        in_each_language("parent-consent", choose_age("not_said"))
        expect_url_ending(phone, "/parent-consent")
        in_each_language("parent-consent-error", submit)
        phone.goto(f"{feedback}/age")
        in_each_language("come-back-with-a-parent", no_parent_or_carer_agrees)

    phone.goto(f"{base}/s/no-such-campaign")
    in_each_language("not-found")
    # WEMWBS is offered in every language and has texts in English only.
    phone.goto(f"{base}/s/{tokens['wemwbs']}")
    in_each_language("not-in-your-language", codes=TRANSLATED_CODES)

    with sqlite3.connect(live_server["database"]) as connection:
        connection.execute(
            "UPDATE campaign SET status = 'closed' WHERE token = ?", (tokens["service-feedback"],)
        )
    try:
        phone.goto(feedback)
        in_each_language("closed")
    finally:
        with sqlite3.connect(live_server["database"]) as connection:
            connection.execute(
                "UPDATE campaign SET status = 'open' WHERE token = ?",
                (tokens["service-feedback"],),
            )


@pytest.fixture
def screenshots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("BROWSER_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def css(locator, *properties: str) -> list[str]:
    """Computed values of CSS properties of the first element `locator` finds."""
    return locator.first.evaluate(
        "(element, names) => names.map((name) => getComputedStyle(element)[name])",
        list(properties),
    )


def text_box(locator) -> dict:
    """Where the text of an element is drawn (not the element's box, which a block fills)."""
    return locator.first.evaluate(
        """(element) => {
            const range = document.createRange();
            range.selectNodeContents(element);
            const box = range.getBoundingClientRect();
            return {x: box.x, width: box.width};
        }"""
    )


def boxes(page, item_selector: str, input_class: str, label_class: str) -> list[tuple]:
    items = page.locator(item_selector).all()
    assert items, item_selector
    return [
        (item.locator(input_class).bounding_box(), item.locator(label_class).bounding_box())
        for item in items
    ]


def drawn_controls_cover_inputs(page, item_selector: str) -> bool:
    """Whether each drawn ring or box (the label's ::before) is centred on its real input."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].every((item) => {
            const input = item.querySelector('input');
            const drawn = getComputedStyle(item.querySelector('label'), '::before');
            const drawnCentre = parseFloat(drawn.left) + parseFloat(drawn.width) / 2;
            const inputCentre = input.offsetLeft + input.offsetWidth / 2;
            return Math.abs(drawnCentre - inputCentre) <= 2;
        })""",
        item_selector,
    )


def test_arabic_pages_read_right_to_left(phone, live_server, screenshots, check_accessible):
    feedback = (
        f"{live_server['url']}/s/{campaign_tokens(live_server['database'])['service-feedback']}"
    )
    phone.goto(f"{feedback}/consent?lang=ar")
    phone.check("input[name=consent][value=yes]")
    submit(phone)
    phone.check("input[name=has_code][value=no]")
    submit(phone)
    expect_url_ending(phone, "/questions/1")
    check_accessible(phone, "ar-question-page")
    phone.screenshot(path=str(screenshots / "ar-question-page.png"), full_page=True)

    # Each radio sits to the right of its label, and the ring is drawn over it.
    for radio, label in boxes(phone, ".govuk-radios__item", ".govuk-radios__input", "label"):
        assert radio["x"] >= label["x"] + label["width"] - 1, (radio, label)
    assert drawn_controls_cover_inputs(phone, ".govuk-radios__item")

    # The language switcher starts from the right: English, the first, is rightmost.
    english = phone.locator('.app-language-switcher a[hreflang="en"]').bounding_box()
    welsh = phone.locator('.app-language-switcher a[hreflang="cy"]').bounding_box()
    assert english["x"] > welsh["x"]
    # The back link's chevron is on its right, pointing right.
    padding_right, padding_left = css(
        phone.locator(".govuk-back-link"), "paddingRight", "paddingLeft"
    )
    assert padding_right != "0px" and padding_left == "0px"

    submit(phone)
    expect_title_starting(phone, "خطأ:")
    check_accessible(phone, "ar-error-page")
    phone.screenshot(path=str(screenshots / "ar-error-page.png"), full_page=True)
    summary = phone.locator(".govuk-error-summary")
    assert css(summary, "direction") == ["rtl"]
    title = text_box(phone.locator(".govuk-error-summary__title"))
    box = summary.bounding_box()
    # The short title is set against the summary's right edge (inside border and padding).
    assert box["x"] + box["width"] - (title["x"] + title["width"]) < 30
    assert title["x"] - box["x"] > 60
    # The red bar beside a question in error is on its right.
    bar = css(phone.locator(".govuk-form-group--error"), "borderRightWidth", "borderLeftWidth")
    assert bar == ["5px", "0px"]
    for radio, label in boxes(phone, ".govuk-radios__item", ".govuk-radios__input", "label"):
        assert radio["x"] >= label["x"] + label["width"] - 1

    answer_every_question(phone)
    submit(phone)
    expect_url_ending(phone, "/questions/2")
    checkbox_boxes = boxes(phone, ".govuk-checkboxes__item", ".govuk-checkboxes__input", "label")
    for checkbox, label in checkbox_boxes:
        assert checkbox["x"] >= label["x"] + label["width"] - 1
    assert drawn_controls_cover_inputs(phone, ".govuk-checkboxes__item")

    # Check your answers on a wider screen, where it is a table: question on the right,
    # answer in the middle, "Change" on the left.
    answer_every_question(phone)
    submit(phone)
    answer_every_question(phone)
    submit(phone)
    expect_url_ending(phone, "/check")
    phone.set_viewport_size({"width": 1024, "height": 768})
    row = phone.locator(".govuk-summary-list__row").first
    key = row.locator(".govuk-summary-list__key").bounding_box()
    value = row.locator(".govuk-summary-list__value").bounding_box()
    change = row.locator(".govuk-summary-list__actions").bounding_box()
    assert key["x"] > value["x"] > change["x"]
