"""A routed questionnaire on a 320 px phone in Chromium: answering No passes over the page
it skips (in Welsh, with JavaScript off), answering Yes shows it, and every page of the
walk passes axe. The questionnaire is the routed test fixture, served beside the
platform's own (INSTRUMENT_PACKS), asked by the demo's feedback campaign."""

from __future__ import annotations

import json
import sqlite3

import pytest

from app.config import REPO_ROOT
from tests.support.servers import Gunicorn, free_port, prepare_database, server_environment
from tests.support.titles import expect_url_ending

pytestmark = pytest.mark.browser

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "routed"


@pytest.fixture(scope="module")
def routed_server(tmp_path_factory, browser):
    database = tmp_path_factory.mktemp("routed") / "live.sqlite3"
    port = free_port()
    env = server_environment(f"sqlite:///{database}", port, INSTRUMENT_PACKS=str(FIXTURES))
    prepare_database(env)
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE campaign SET instrument_id = 'club-visits' "
            "WHERE instrument_id = 'service-feedback'"
        )
        (token,) = connection.execute(
            "SELECT token FROM campaign WHERE instrument_id = 'club-visits'"
        ).fetchone()
    server = Gunicorn(env, port, workers=1)
    yield {"url": f"{server.url}/s/{token}", "database": database}
    server.stop()


def last_answers(database) -> dict:
    with sqlite3.connect(database) as connection:
        (answers,) = connection.execute(
            "SELECT answers FROM response WHERE instrument_id = 'club-visits' "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()
    return json.loads(answers)


def begin(page, start: str, words: dict) -> None:
    page.goto(start)
    page.get_by_role("button", name=words["start"]).click()
    page.get_by_label(words["agree"]).check()
    page.get_by_role("button", name=words["continue"]).click()
    page.get_by_label(words["no_code"]).check()
    page.get_by_role("button", name=words["continue"]).click()
    expect_url_ending(page, "/questions/1")


def test_answering_no_in_welsh_without_javascript_passes_over_the_page(
    phone_without_javascript, routed_server
):
    page = phone_without_javascript
    welsh = {
        "start": "Dechrau nawr",
        "agree": "Ydw, rwy'n hapus i gymryd rhan",
        "continue": "Parhau",
        "no_code": "Nac oes, neu dydw i ddim wedi gwneud hyn o'r blaen",
    }
    begin(page, f"{routed_server['url']}?lang=cy", welsh)
    assert "Tudalen 1 o 4" in page.locator(".govuk-caption-l").inner_text()
    page.get_by_label("Nac ydw").check()
    page.get_by_role("button", name=welsh["continue"]).click()
    expect_url_ending(page, "/questions/3")
    assert "Tudalen 2 o 3" in page.locator(".govuk-caption-l").inner_text()
    page.get_by_label("Celf").check()
    page.get_by_role("button", name=welsh["continue"]).click()
    expect_url_ending(page, "/questions/4")
    page.get_by_label("Celf").check()
    page.get_by_role("button", name=welsh["continue"]).click()
    expect_url_ending(page, "/check")
    # Back from the check page is the last page shown; back from there passes over page 2.
    page.get_by_role("link", name="Yn ôl").click()
    expect_url_ending(page, "/questions/4")
    page.get_by_role("link", name="Yn ôl").click()
    expect_url_ending(page, "/questions/3")
    page.get_by_role("link", name="Yn ôl").click()
    expect_url_ending(page, "/questions/1")
    page.get_by_role("button", name=welsh["continue"]).click()
    expect_url_ending(page, "/questions/3")
    page.goto(page.url.replace("/questions/3", "/check"))
    page.get_by_role("button", name="Anfon fy atebion").click()
    expect_url_ending(page, "/confirmation")
    assert last_answers(routed_server["database"]) == {
        "been_before": "no",
        "activities": ["art"],
        "favourite": "art",
    }


def test_answering_yes_shows_the_page_and_every_page_is_accessible(
    phone, routed_server, check_accessible
):
    english = {
        "start": "Start now",
        "agree": "Yes, I am happy to take part",
        "continue": "Continue",
        "no_code": "No, or I have not done this before",
    }
    begin(phone, routed_server["url"], english)
    check_accessible(phone, "routed-questions-1")
    phone.get_by_label("Yes", exact=True).check()
    phone.get_by_role("button", name="Continue").click()
    expect_url_ending(phone, "/questions/2")
    check_accessible(phone, "routed-questions-2")
    assert "Page 2 of 4" in phone.locator(".govuk-caption-l").inner_text()
    phone.get_by_label("4", exact=True).check()
    phone.get_by_role("button", name="Continue").click()
    expect_url_ending(phone, "/questions/3")
    phone.get_by_label("Nothing yet").check()
    phone.get_by_role("button", name="Continue").click()
    # Nothing yet: the page about what they like most is passed over.
    expect_url_ending(phone, "/check")
    check_accessible(phone, "routed-check")
    assert "What do you like doing most?" not in phone.locator("main").inner_text()
    phone.get_by_role("button", name="Send my answers").click()
    expect_url_ending(phone, "/confirmation")
    assert last_answers(routed_server["database"]) == {
        "been_before": "yes",
        "last_time": "4",
        "activities": ["nothing"],
    }
