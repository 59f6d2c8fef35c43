"""A young person sees their own scores over time, in words made for them, never with a
clinical band name, in every language."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.extensions import db
from app.languages import LANGUAGE_CODES
from app.models import Participant, Response
from app.models.codes import display_code
from app.respond.progress import ABOUT_THE_SAME, FIRST, HIGHER, LOWER, trend
from tests.support.pages import normalize_spaces


def scored(campaign, participant, key, when, raw, metric, band, complete=True):
    response = Response(
        submission_key=key,
        campaign_id=campaign.id,
        participant=participant,
        instrument_id=campaign.instrument_id,
        instrument_version=campaign.instrument_version,
        language="en",
        text_provenance="source",
        answers={},
        complete=complete,
        answered_count=7,
        raw_score=raw,
        metric_score=metric,
        band=band,
        submitted_at=when,
    )
    db.session.add(response)
    return response


@pytest.fixture
def participant(app):
    person = Participant.create()
    db.session.add(person)
    db.session.commit()
    return person


def open_answers(client_request, participant, code=None):
    if code:
        client_request.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = f"{code};q=1.0"
    client_request.post("/my-answers", {"code": display_code(participant.code)})
    return client_request.get("/my-answers/answers")


@pytest.mark.parametrize(
    ("previous", "latest", "expected"),
    [
        (None, 20, FIRST),
        (17.0, 20.0, HIGHER),  # 3 metric points: SWEMWBS's meaningful change
        (17.0, 19.9, ABOUT_THE_SAME),
        (20.0, 17.1, ABOUT_THE_SAME),
        (20.0, 17.0, LOWER),
    ],
)
def test_a_change_counts_only_when_it_reaches_the_scales_meaningful_change(
    previous, latest, expected
):
    assert trend(previous, latest, 3) == expected


def test_scores_show_over_time_with_words_and_never_a_band_name(client_request, demo, participant):
    campaign = demo["swemwbs"]
    scored(campaign, participant, "a", datetime(2026, 3, 2, 10), 12, 15.32, "probable_depression")
    scored(campaign, participant, "b", datetime(2026, 6, 1, 10), 15, 17.98, "probable_depression")
    scored(campaign, participant, "c", datetime(2026, 9, 7, 10), 19, 21.54, "average")
    # Unfinished answers have no score to show.
    scored(campaign, participant, "d", datetime(2026, 9, 9, 10), None, None, None, False)
    db.session.commit()

    page = open_answers(client_request, participant)
    section = page.select_one("#scores-over-time")
    assert section is not None
    text = normalize_spaces(section.text)
    assert "Your score is higher than last time." in text
    # Oldest first, each with its date in words and its score out of the scale's highest.
    assert [normalize_spaces(li.text) for li in section.select("#scores-swemwbs li")] == [
        "2 March 2026: 15 out of 35",
        "1 June 2026: 18 out of 35",
        "7 September 2026: 22 out of 35",
    ]
    assert section.select_one("a[href='/help']") is not None
    whole_page = normalize_spaces(page.text).lower()
    for band in ("depression", "average wellbeing", "high wellbeing"):
        assert band not in whole_page


def test_a_first_score_says_there_is_more_to_see_next_time(client_request, demo, participant):
    scored(demo["wemwbs"], participant, "a", datetime(2026, 9, 7, 10), 50, None, "average")
    db.session.commit()
    page = open_answers(client_request, participant)
    assert "This is your first score." in normalize_spaces(page.select_one("#trend-wemwbs").text)
    assert "out of 70" in page.select_one("#scores-wemwbs").text


def test_answers_without_a_score_show_no_scores_section(client_request, demo, participant):
    scored(demo["service-feedback"], participant, "a", datetime(2026, 9, 7, 10), None, None, None)
    db.session.commit()
    page = open_answers(client_request, participant)
    assert page.select_one("#scores-over-time") is None


@pytest.mark.parametrize("code", [c for c in LANGUAGE_CODES if c != "en"])
def test_the_young_persons_view_is_in_their_language(client_request, demo, participant, code):
    campaign = demo["swemwbs"]
    scored(campaign, participant, "a", datetime(2026, 3, 2, 10), 19, 21.54, "average")
    scored(campaign, participant, "b", datetime(2026, 6, 1, 10), 15, 17.98, "probable_depression")
    db.session.commit()
    page = open_answers(client_request, participant, code)
    assert page.html["lang"] == code
    text = normalize_spaces(page.select_one("#scores-over-time").text)
    for english in ("Your scores over time", "lower than last time", "out of"):
        assert english not in text
    assert "35" in text or "٣٥" in text or "৩৫" in text or "۳۵" in text
