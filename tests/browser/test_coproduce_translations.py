"""Translating an instrument on screen as a coordinator would: the languages page and the
translate page pass axe at 320 px, and saving works with JavaScript off, a language part way
through and then complete."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from app.extensions import db
from app.instrument_store import save, start_from, stored
from app.instruments.text_paths import english_texts
from tests.support.apps import make_app
from tests.support.servers import Gunicorn, free_port, prepare_database, server_environment
from tests.support.titles import expect_title_starting, expect_url_ending

pytestmark = pytest.mark.browser

INSTRUMENT = "browser-feedback"


@pytest.fixture(scope="module")
def translating_server(tmp_path_factory, browser):
    """The demo on its own server (the instrument added here stays out of the other
    browser tests' lists), with a questionnaire kept in the database, in English only.
    Gives the server's address and the questionnaire's English texts."""
    database = tmp_path_factory.mktemp("translating") / "translating.sqlite3"
    port = free_port()
    env = server_environment(f"sqlite:///{database}", port)
    prepare_database(env)
    app = make_app(f"sqlite:///{database}")
    with app.app_context():
        document = start_from("service-feedback", 1, new_id=INSTRUMENT)
        document["version"] = 1
        document["texts"] = {"en": document["texts"]["en"]}
        document["texts"]["en"]["title"] = "Tell us about {service}"
        save(document)
        db.session.commit()
        english = english_texts(stored(INSTRUMENT, 1).document)
        db.session.remove()
    server = Gunicorn(env, port, workers=2)
    yield {"url": server.url, "english": english}
    server.stop()


def sign_in(page, base):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill("admin@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_url_ending(page, "/staff")


def test_the_languages_and_translate_pages_pass_axe_at_320_px(
    translating_server, phone, check_accessible
):
    base = translating_server["url"]
    sign_in(phone, base)
    phone.goto(f"{base}/instruments/{INSTRUMENT}/1/languages")
    expect_title_starting(phone, "Languages: Tell us about {service}")
    check_accessible(phone, "translations-languages")
    phone.get_by_role("link", name="Translate Urdu").click()
    expect_url_ending(phone, f"/instruments/{INSTRUMENT}/1/languages/ur")
    expect(phone.locator("#text_0")).to_have_attribute("dir", "rtl")
    check_accessible(phone, "translations-translate")

    # A lost placeholder: the error summary names the text.
    phone.locator("#text_0").fill("عنوان")
    phone.get_by_role("button", name="Save translations").click()
    expect_title_starting(phone, "Error:")
    expect(phone.locator(".govuk-error-summary")).to_contain_text("lost {service}")
    check_accessible(phone, "translations-translate-errors")

    phone.goto(f"{base}/instruments/service-feedback/1/languages/cy")
    expect(phone.locator("#read-only")).to_contain_text("comes from a file")
    check_accessible(phone, "translations-read-only")


def test_a_language_is_translated_with_javascript_off(translating_server, phone_without_javascript):
    page = phone_without_javascript
    base = translating_server["url"]
    english = translating_server["english"]
    sign_in(page, base)
    page.goto(f"{base}/instruments/{INSTRUMENT}/1/languages/so")
    expect(page.locator("#progress")).to_contain_text(f"0 of {len(english)}")
    page.locator("#text_0").fill("Noo sheeg {service}")
    page.locator("#text_1").fill("Sahan gaaban")
    page.get_by_role("button", name="Save translations").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Somali: 2 of {len(english)} texts translated"
    )
    for index in range(2, len(english)):
        page.locator(f"#text_{index}").fill(f"Qoraal {index}")
    page.get_by_role("button", name="Save translations").click()
    expect_url_ending(page, f"/instruments/{INSTRUMENT}/1/languages")
    expect(page.locator("#language-so")).to_contain_text("Offered")
