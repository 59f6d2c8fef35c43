"""Scores, bands and change, checked against the published values in shared INSTRUMENTS.md."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from app.instruments import load_instruments
from app.scoring import Score, meaningful_change, reliable_change, score

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"

# Copied from shared INSTRUMENTS.md, not from the YAML, so a typo in either is caught.
SWEMWBS_METRIC = {
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32,
    15: 15.84, 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98,
    23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03,
    31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
}  # fmt: skip


@pytest.fixture(scope="module")
def registry():
    return load_instruments([SURVEYS])


@pytest.fixture(scope="module")
def wemwbs(registry):
    return registry.get("wemwbs", 1)


@pytest.fixture(scope="module")
def swemwbs(registry):
    return registry.get("swemwbs", 1)


@pytest.fixture(scope="module")
def feedback(registry):
    return registry.get("service-feedback", 1)


def answers_summing_to(instrument, total: int) -> dict[str, str]:
    """Answers (each 1 to 5) to every scored item, adding up to `total`."""
    item_ids = list(instrument.scoring.items)
    extra = total - len(item_ids)
    answers = {}
    for item_id in item_ids:
        step = min(4, extra)
        answers[item_id] = str(1 + step)
        extra -= step
    assert extra == 0, f"{total} is out of range"
    return answers


def scored(instrument, total: int) -> Score:
    return score(instrument, answers_summing_to(instrument, total))


@pytest.mark.parametrize(("raw", "metric"), sorted(SWEMWBS_METRIC.items()))
def test_every_swemwbs_raw_score_converts_to_its_published_metric_score(swemwbs, raw, metric):
    result = scored(swemwbs, raw)
    assert result.complete
    assert result.raw == raw
    assert result.metric == pytest.approx(metric, abs=1e-9)


def test_the_swemwbs_table_covers_exactly_the_raw_range(swemwbs):
    assert dict(swemwbs.scoring.conversion) == pytest.approx(SWEMWBS_METRIC)


def test_wemwbs_runs_from_14_to_70_and_has_no_metric_score(wemwbs):
    lowest = score(wemwbs, {item.id: "1" for item in wemwbs.items})
    highest = score(wemwbs, {item.id: "5" for item in wemwbs.items})
    assert (lowest.raw, highest.raw) == (14, 70)
    assert lowest.metric is None and highest.metric is None
    assert (lowest.answered, lowest.total) == (14, 14)


@pytest.mark.parametrize(
    ("raw", "band"),
    [
        (14, "probable_depression"),
        (40, "probable_depression"),
        (41, "possible_depression"),
        (44, "possible_depression"),
        (45, "average"),
        (59, "average"),
        (60, "high"),
        (70, "high"),
    ],
)
def test_wemwbs_bands_change_exactly_at_the_published_boundaries(wemwbs, raw, band):
    assert scored(wemwbs, raw).band == band


@pytest.mark.parametrize(
    ("metric", "band"),
    [
        (7, "probable_depression"),
        (17, "probable_depression"),
        (17.98, "probable_depression"),
        (18, "possible_depression"),
        (20, "possible_depression"),
        (20.73, "possible_depression"),
        (21, "average"),
        (27, "average"),
        (27.99, "average"),
        (28, "high"),
        (35, "high"),
    ],
)
def test_swemwbs_bands_apply_to_the_metric_score_on_both_sides_of_each_boundary(
    swemwbs, metric, band
):
    assert swemwbs.scoring.band_for(metric) == band


@pytest.mark.parametrize(
    ("raw", "band"),
    [
        (19, "probable_depression"),  # metric 17.98
        (20, "possible_depression"),  # metric 18.59
        (23, "possible_depression"),  # metric 20.73
        (24, "average"),  # metric 21.54
        (30, "average"),  # metric 27.03
        (31, "high"),  # metric 28.13
    ],
)
def test_a_swemwbs_response_is_banded_on_its_converted_score(swemwbs, raw, band):
    assert scored(swemwbs, raw).band == band


def test_an_incomplete_response_is_counted_but_not_scored(wemwbs):
    answers = {item.id: "4" for item in wemwbs.items[:-1]}
    result = score(wemwbs, answers)
    assert result == Score(complete=False, answered=13, total=14)
    assert result.raw is None and result.metric is None and result.band is None


def test_a_blank_answer_counts_as_unanswered(swemwbs):
    answers = answers_summing_to(swemwbs, 21)
    answers["relaxed"] = ""
    assert score(swemwbs, answers).complete is False


@pytest.mark.parametrize("value", ["0", "6", "five", "", 3])
def test_a_value_outside_the_options_is_rejected(wemwbs, value):
    answers = {item.id: "3" for item in wemwbs.items}
    answers["useful"] = value
    if value == "":
        assert score(wemwbs, answers).complete is False
        return
    with pytest.raises(ValueError, match="useful"):
        score(wemwbs, answers)


def test_an_answer_to_a_question_the_instrument_does_not_have_is_rejected(swemwbs):
    answers = answers_summing_to(swemwbs, 20)
    answers["loved"] = "3"  # a WEMWBS item that SWEMWBS does not ask
    with pytest.raises(ValueError, match="no item 'loved'"):
        score(swemwbs, answers)


def test_a_questionnaire_is_complete_when_its_required_questions_are_answered(feedback):
    answers = {
        "how_often": "most_weeks",
        "overall_rating": "8",
        "feel_welcome": "yes",
        "good_things": ["staff", "friends"],
        "listened_to": "mostly",
        "recommend": "no",
    }
    result = score(feedback, answers)
    assert result.complete is True
    assert (result.answered, result.total) == (6, 8)
    assert result.raw is None and result.band is None
    del answers["recommend"]
    assert score(feedback, answers).complete is False


def test_a_questionnaire_rejects_too_many_choices_and_unknown_ratings(feedback):
    with pytest.raises(ValueError, match="more than 3"):
        score(feedback, {"good_things": ["staff", "friends", "activities", "safe_place"]})
    with pytest.raises(ValueError, match="overall_rating"):
        score(feedback, {"overall_rating": "11"})


@pytest.mark.parametrize(
    ("first", "latest", "meaningful"),
    [(40, 43, True), (40, 42, False), (43, 40, True), (50, 50, False)],
)
def test_wemwbs_meaningful_change_is_3_points_either_way(wemwbs, first, latest, meaningful):
    assert meaningful_change(wemwbs, scored(wemwbs, first), scored(wemwbs, latest)) is meaningful


def test_swemwbs_meaningful_change_is_measured_in_metric_points(swemwbs):
    # raw 20 -> 24 is 4 raw points but 2.95 metric points; raw 20 -> 25 is 3.76.
    assert meaningful_change(swemwbs, scored(swemwbs, 20), scored(swemwbs, 24)) is False
    assert meaningful_change(swemwbs, scored(swemwbs, 20), scored(swemwbs, 25)) is True


def test_wemwbs_reliable_change_needs_about_10_points(wemwbs):
    standard_error = 8.96 * math.sqrt(1 - 0.83)
    ten, reliable_at_ten = reliable_change(wemwbs, scored(wemwbs, 40), scored(wemwbs, 50))
    assert ten == pytest.approx(10 / math.sqrt(2 * standard_error**2))
    assert ten == pytest.approx(1.914, abs=0.001)
    assert reliable_at_ten is False
    eleven, reliable_at_eleven = reliable_change(wemwbs, scored(wemwbs, 40), scored(wemwbs, 51))
    assert eleven > 1.96 and reliable_at_eleven is True
    decline, reliable_decline = reliable_change(wemwbs, scored(wemwbs, 51), scored(wemwbs, 40))
    assert decline == pytest.approx(-eleven) and reliable_decline is True
    assert wemwbs.scoring.reliable_change.difference_threshold == pytest.approx(10.24, abs=0.01)


def test_swemwbs_reliable_change_uses_the_published_sem(swemwbs):
    # 2.77 x SEM (Shah et al. 2018): about 2.9 metric points.
    assert swemwbs.scoring.reliable_change.difference_threshold == pytest.approx(2.85, abs=0.01)
    _index, reliable = reliable_change(swemwbs, scored(swemwbs, 20), scored(swemwbs, 25))
    assert reliable is True


def test_change_is_not_judged_when_a_reading_was_not_scored(wemwbs, feedback):
    incomplete = score(wemwbs, {"optimistic": "3"})
    assert meaningful_change(wemwbs, incomplete, scored(wemwbs, 50)) is None
    assert reliable_change(wemwbs, scored(wemwbs, 40), incomplete) is None
    unscored = score(feedback, {})
    assert meaningful_change(feedback, unscored, unscored) is None
    assert reliable_change(feedback, unscored, unscored) is None
