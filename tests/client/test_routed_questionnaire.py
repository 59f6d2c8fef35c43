"""A routed questionnaire as a young person's phone walks it, without JavaScript, in English
and Welsh: a page skipped by an earlier answer is not shown, "back" passes over it, its
questions are not required, its answers are not kept (also when an answer is changed
afterwards), the check page leaves it out and progress counts only the pages shown.

The questionnaire is the routed test fixture (tests/fixtures/routed/club-visits-1.yaml):
page 2 only for someone who has been before, page 4 only for someone who does something at
the club.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.config import REPO_ROOT
from app.evidence import queries
from app.evidence.periods import period_containing
from app.extensions import db
from app.models import Draft, Response
from app.models.timeutil import uk_today
from tests.support.apps import make_app
from tests.support.pages import ClientRequest, normalize_spaces
from tests.support.visits import inspector_who_visited

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "routed"

# What each language's pages say, from its catalogue.
WORDS = {
    "en": {"page": "Page {} of {}", "check": "Check your answers"},
    "cy": {"page": "Tudalen {} o {}", "check": "Gwirio eich atebion"},
}


@pytest.fixture(scope="module")
def routed_app(migrated_app, database_url):
    """The app with the routed questionnaire loaded beside the platform's own."""
    return make_app(database_url, INSTRUMENT_DIRS=[str(REPO_ROOT / "surveys"), str(FIXTURES)])


@pytest.fixture
def club(demo, routed_app):
    """The demo feedback campaign, asking the routed questionnaire instead: its token and
    service, with the routed app's context pushed for the test."""
    campaign = demo["service-feedback"]
    campaign.instrument_id = "club-visits"
    db.session.commit()
    found = {"token": campaign.token, "service_id": campaign.service_id, "id": campaign.id}
    with routed_app.app_context():
        yield found
        db.session.remove()


def phone(routed_app, code: str) -> ClientRequest:
    client = routed_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = f"{code};q=1.0"
    return ClientRequest(client)


def path(club, rest: str = "") -> str:
    return f"/s/{club['token']}{rest}"


def begin(browser, club) -> None:
    browser.post(path(club, "/consent"), {"consent": "yes"})
    browser.post(path(club, "/code"), {"has_code": "no"})


def answer(browser, club, page: int, data: dict, query: str = "") -> str:
    """Answer a page; where the respondent is sent next."""
    sent = browser.post(path(club, f"/questions/{page}{query}"), {**data, "action": "continue"})
    return sent.headers["Location"]


def progress(page) -> str:
    return normalize_spaces(page.select_one(".govuk-caption-l").text)


def back_link(page) -> str:
    return page.select_one(".govuk-back-link")["href"]


def questions_on(check_page) -> list[str]:
    return [normalize_spaces(k.text) for k in check_page.select(".govuk-summary-list__key")]


def draft_answers() -> dict:
    db.session.rollback()
    return db.session.scalar(select(Draft)).answers


@pytest.mark.parametrize("code", ["en", "cy"])
def test_answering_no_skips_the_page_and_the_progress_counts_what_is_shown(routed_app, club, code):
    words = WORDS[code]
    browser = phone(routed_app, code)
    begin(browser, club)
    first = browser.get(path(club, "/questions/1"))
    assert progress(first) == words["page"].format(1, 4)

    # No: page 2 (about the last visit) is passed over.
    assert answer(browser, club, 1, {"been_before": "no"}) == path(club, "/questions/3")
    third = browser.get(path(club, "/questions/3"))
    assert progress(third) == words["page"].format(2, 3)
    assert words["page"].format(2, 3).lower() in third.title.text.lower()
    assert back_link(third) == path(club, "/questions/1")
    # The page itself, asked for by an old link or the browser's back button, moves on.
    skipped = browser.get(path(club, "/questions/2"), expected_status=302)
    assert skipped.headers["Location"] == path(club, "/questions/3")

    assert answer(browser, club, 3, {"activities": "sport"}) == path(club, "/questions/4")
    fourth = browser.get(path(club, "/questions/4"))
    assert progress(fourth) == words["page"].format(3, 3)
    assert back_link(fourth) == path(club, "/questions/3")
    assert answer(browser, club, 4, {"favourite": "sport"}) == path(club, "/check")

    check = browser.get(path(club, "/check"))
    assert normalize_spaces(check.h1.text) == words["check"]
    asked = questions_on(check)
    assert len(asked) == 3  # been before, activities, favourite: nothing from page 2
    assert back_link(check) == path(club, "/questions/4")
    browser.post(path(club, "/check"), {})
    response = db.session.scalar(select(Response))
    assert response.answers == {
        "been_before": "no",
        "activities": ["sport"],
        "favourite": "sport",
    }
    # The rating on the skipped page was required, but it was not asked.
    assert response.complete and response.answered_count == 3


@pytest.mark.parametrize("code", ["en", "cy"])
def test_answering_yes_shows_the_page_and_changing_the_answer_back_drops_it(routed_app, club, code):
    words = WORDS[code]
    browser = phone(routed_app, code)
    begin(browser, club)
    assert answer(browser, club, 1, {"been_before": "yes"}) == path(club, "/questions/2")
    second = browser.get(path(club, "/questions/2"))
    assert progress(second) == words["page"].format(2, 4)
    assert back_link(second) == path(club, "/questions/1")
    # Its questions are required when it is shown.
    refused = browser.post(path(club, "/questions/2"), {"action": "continue"}, expected_status=200)
    assert refused.select_one(".govuk-error-summary") is not None
    answer(browser, club, 2, {"last_time": "4", "what_changed": "New games"})
    # Nothing yet: the last page (what they like most) is passed over, to the check page.
    assert answer(browser, club, 3, {"activities": "nothing"}) == path(club, "/check")
    check = browser.get(path(club, "/check"))
    assert len(questions_on(check)) == 4  # pages 1 to 3
    assert back_link(check) == path(club, "/questions/3")

    # Changed to No from the check page: page 2's answers go, and it leaves the check page.
    change = "?return=check"
    assert answer(browser, club, 1, {"been_before": "no"}, change) == path(club, "/check")
    assert draft_answers() == {"been_before": "no", "activities": ["nothing"]}
    check = browser.get(path(club, "/check"))
    assert len(questions_on(check)) == 2

    # Changed back to Yes: page 2 is asked again before the check page.
    assert answer(browser, club, 1, {"been_before": "yes"}, change) == path(
        club, "/questions/2?return=check"
    )
    again = browser.get(path(club, "/questions/2?return=check"))
    assert again.select_one("input[name=last_time][checked]") is None
    assert back_link(again) == path(club, "/check")
    assert answer(browser, club, 2, {"last_time": "2"}, change) == path(club, "/check")
    # Sending without page 2 would have been refused: it is shown, and its rating required.
    browser.post(path(club, "/check"), {})
    response = db.session.scalar(select(Response))
    # What was written about the changes went with the page's first answers.
    assert response.answers == {"been_before": "yes", "last_time": "2", "activities": ["nothing"]}
    assert response.complete


def test_a_page_brought_back_by_a_change_must_be_answered_before_sending(routed_app, club):
    browser = phone(routed_app, "en")
    begin(browser, club)
    answer(browser, club, 1, {"been_before": "no"})
    answer(browser, club, 3, {"activities": "art"})
    answer(browser, club, 4, {"favourite": "art"})
    # Yes on page 1, reached from the check page, then straight back to the check page.
    answer(browser, club, 1, {"been_before": "yes"}, "?return=check")
    check = browser.post(path(club, "/check"), {}, expected_status=400)
    summary = normalize_spaces(check.select_one(".govuk-error-summary").text)
    assert "How good was your last visit?" in summary
    assert db.session.scalar(select(Response)) is None


def test_a_skipped_question_counts_only_the_people_who_were_asked(routed_app, club):
    for been_before in ("no", "no", "yes"):
        browser = phone(routed_app, "en")
        begin(browser, club)
        answer(browser, club, 1, {"been_before": been_before})
        if been_before == "yes":
            answer(browser, club, 2, {"last_time": "5"})
        answer(browser, club, 3, {"activities": "music"})
        answer(browser, club, 4, {"favourite": "music"})
        browser.post(path(club, "/check"), {})
    instrument = routed_app.extensions["instruments"].get("club-visits")
    since, until = period_containing(uk_today()).utc_bounds()
    scope = queries.Scope((club["service_id"],), since, until, "club-visits")
    found = queries.question_distributions(scope, instrument)
    assert found["been_before"] == ({"yes": 1, "no": 2}, 3)
    last_time, asked = found["last_time"]
    assert asked == 1 and last_time["5"] == 1 and sum(last_time.values()) == 1
    assert found["favourite"][1] == 3


def test_a_peer_researcher_entering_a_routed_questionnaire_skips_the_same_pages(
    routed_app, club, make_user
):
    user = inspector_who_visited(make_user, club["service_id"])
    browser = phone(routed_app, "en")
    browser.post("/sign-in", {"email": user.email, "password": "correct horse battery"})
    started = browser.post(
        f"/fieldwork/collected/campaigns/{club['id']}/new", {"language": "cy", "agreed": "y"}
    )
    first = started.headers["Location"]
    entry = first.removesuffix("/questions/1")

    def enter(page, data, query=""):
        url = f"{entry}/questions/{page}{query}"
        return browser.post(url, {**data, "action": "continue"}).headers["Location"]

    assert enter(1, {"been_before": "no"}) == f"{entry}/questions/3"
    third = browser.get(f"{entry}/questions/3")
    assert progress(third).startswith("Page 2 of 3")
    assert back_link(third) == f"{entry}/questions/1"
    assert enter(3, {"activities": "nothing"}) == f"{entry}/check"
    check = browser.get(f"{entry}/check")
    assert questions_on(check) == [
        "Have you been to the club before?",
        "What do you do at the club?",
    ]
    assert back_link(check) == f"{entry}/questions/3"

    # Changed to Yes: the page about the last visit is entered before the check page.
    assert enter(1, {"been_before": "yes"}, "?return=check") == f"{entry}/questions/2?return=check"
    assert enter(2, {"last_time": "3"}, "?return=check") == f"{entry}/check"
    # And to No again: its answer is dropped.
    assert enter(1, {"been_before": "no"}, "?return=check") == f"{entry}/check"
    browser.post(f"{entry}/check", {})
    response = db.session.scalar(select(Response))
    assert response.mode == "peer_researcher"
    assert response.answers == {"been_before": "no", "activities": ["nothing"]}
    assert response.complete
