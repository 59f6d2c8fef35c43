"""Star readings (stages, distance travelled, moving up a stage) and panel agreement."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.instruments import load_instruments
from app.instruments.fieldwork import NOT_OBSERVED
from app.scoring.panel import agreement, panel_agreement
from app.scoring.star import (
    distance_travelled,
    moved_up_a_stage,
    reading_problems,
    stage_for,
    stages,
    validate_reading,
)

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"


@pytest.fixture(scope="module")
def registry():
    return load_instruments([SURVEYS])


@pytest.fixture(scope="module")
def wheel(registry):
    return registry.get("outcomes-wheel")


@pytest.fixture(scope="module")
def framework(registry):
    return registry.get("young-inspectors-framework")


def reading(wheel, *scores):
    return dict(zip(wheel.star.areas, scores, strict=True))


# --- Stages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "stage", "number"),
    [
        (1, "really_hard", 1),
        (2, "really_hard", 1),
        (3, "starting_to_change", 2),
        (4, "starting_to_change", 2),
        (5, "making_progress", 3),
        (6, "making_progress", 3),
        (7, "mostly_going_well", 4),
        (8, "mostly_going_well", 4),
        (9, "going_really_well", 5),
        (10, "going_really_well", 5),
    ],
)
def test_each_score_falls_in_its_two_point_stage(wheel, score, stage, number):
    found = stage_for(wheel, "feeling_safe", score)
    assert (found.key, found.number) == (stage, number)
    assert stage_for(wheel, "feeling_safe", str(score)) == found


def test_a_score_off_the_scale_or_an_unknown_area_has_no_stage(wheel):
    for score in (0, 11, -1, "seven", True):
        with pytest.raises(ValueError, match="not a score from 1 to 10"):
            stage_for(wheel, "feeling_safe", score)
    with pytest.raises(KeyError, match="no area 'being_safe'"):
        stage_for(wheel, "being_safe", 5)


def test_stage_for_refuses_an_instrument_that_is_not_a_star(registry):
    with pytest.raises(ValueError, match="not a star"):
        stage_for(registry.get("wemwbs"), "optimistic", 3)


# --- Readings ------------------------------------------------------------------------------


def test_a_complete_reading_is_stored_as_whole_numbers_in_wheel_order(wheel):
    answers = {
        area: str(n) for area, n in reversed(reading(wheel, 3, 4, 5, 6, 7, 8, 9, 10).items())
    }
    assert list(validate_reading(wheel, answers).items()) == list(
        reading(wheel, 3, 4, 5, 6, 7, 8, 9, 10).items()
    )


def test_a_reading_must_score_every_area_from_1_to_10(wheel):
    answers = reading(wheel, 3, 4, 5, 6, 7, 8, 9, 10)
    answers["feeling_safe"] = 11
    answers["settled_home"] = "x"
    del answers["liking_who_i_am"]
    answers["being_safe"] = 5
    assert reading_problems(wheel, answers) == [
        "unknown area 'being_safe'",
        "'feeling_safe': 11 is not a score from 1 to 10",
        "'settled_home': 'x' is not a score from 1 to 10",
        "no score for 'liking_who_i_am'",
    ]
    with pytest.raises(ValueError, match="outcomes-wheel@1 reading: unknown area"):
        validate_reading(wheel, answers)


def test_a_draft_reading_may_leave_areas_blank(wheel):
    assert validate_reading(wheel, {"feeling_safe": "4", "settled_home": ""}, complete=False) == {
        "feeling_safe": 4
    }


def test_distance_travelled_is_latest_minus_first_per_area(wheel):
    first = reading(wheel, 3, 4, 5, 2, 6, 3, 4, 5)
    latest = reading(wheel, 7, 5, 6, 4, 6, 5, 3, 7)
    assert distance_travelled(first, latest) == reading(wheel, 4, 1, 1, 2, 0, 2, -1, 2)
    # Stored readings and form answers mix freely; an area missing from either is skipped.
    partial = {"feeling_safe": "9", "settled_home": ""}
    assert distance_travelled(first, partial) == {"feeling_safe": 6}


def test_moving_up_a_stage_means_crossing_into_a_higher_score_range(wheel):
    first = reading(wheel, 3, 4, 5, 2, 6, 3, 4, 10)
    latest = reading(wheel, 4, 5, 6, 3, 7, 1, 4, 10)
    assert moved_up_a_stage(wheel, first, latest) == reading(
        wheel,
        False,  # 3 -> 4: the same stage
        True,  # 4 -> 5
        False,  # 5 -> 6
        True,  # 2 -> 3
        True,  # 6 -> 7
        False,  # 3 -> 1: down
        False,  # unchanged
        False,  # already at the top
    )
    assert stages(wheel, latest)["feeling_safe"] == 2


# --- Panel agreement -----------------------------------------------------------------------


def test_everyone_giving_the_same_rating_is_full_agreement():
    found = agreement(["3", "3", 3], "safe_here", points=4)
    assert (found.level, found.mode, found.range, found.share_agreeing) == ("full", 3, 0, 1.0)
    assert found.ratings == (3, 3, 3) and found.n_raters == 3


def test_ratings_one_point_apart_are_close():
    found = agreement(["3", "4", "3", "3"], points=4)
    assert (found.level, found.mode, found.range, found.share_agreeing) == ("close", 3, 1, 0.75)


def test_ratings_two_or_more_points_apart_are_split():
    found = agreement(["1", "3", "4"], points=4)
    assert (found.level, found.range) == ("split", 3)
    # No rating is more common than another: no single mode, each rating a third.
    assert found.mode is None and found.modes == (1, 3, 4)
    assert found.share_agreeing == pytest.approx(1 / 3)


def test_a_tie_between_two_ratings_has_no_single_mode():
    found = agreement(["2", "2", "3", "3"], points=4)
    assert (found.level, found.mode, found.modes, found.share_agreeing) == (
        "close",
        None,
        (2, 3),
        0.5,
    )


def test_not_observed_and_blank_ratings_are_counted_apart_and_left_out():
    found = agreement(["4", NOT_OBSERVED, None, "", "4"], points=4)
    assert (found.n_raters, found.not_observed, found.missing, found.n_members) == (2, 1, 2, 5)
    assert (found.level, found.mode, found.share_agreeing) == ("full", 4, 1.0)


def test_fewer_than_two_ratings_are_too_few_to_compare():
    assert agreement(["2", NOT_OBSERVED]).level == "too_few"
    nobody = agreement([NOT_OBSERVED, None])
    assert (nobody.level, nobody.mode, nobody.range, nobody.share_agreeing) == (
        "too_few",
        None,
        None,
        None,
    )


def test_a_rating_off_the_scale_is_refused():
    with pytest.raises(ValueError, match="'safe_here': '5' is not a rating from 1 to 4"):
        agreement(["3", "5"], "safe_here", points=4)
    with pytest.raises(ValueError, match="is not a rating"):
        agreement(["0"])


def test_a_panel_gets_agreement_for_every_characteristic_in_framework_order(framework):
    panel = {
        "amira": {"listen_to_me": "4", "safe_here": "3", "have_a_say": NOT_OBSERVED},
        "ben": {"listen_to_me": "4", "safe_here": "1", "listen_to_me_evidence": "Asked me"},
        "chloe": {"listen_to_me": "3", "safe_here": "2"},
    }
    result = panel_agreement(framework, panel)
    assert list(result) == list(framework.framework.characteristics)
    assert result["listen_to_me"].level == "close" and result["listen_to_me"].mode == 4
    assert result["safe_here"].level == "split"
    assert result["have_a_say"].level == "too_few"
    assert (result["have_a_say"].not_observed, result["have_a_say"].missing) == (1, 2)
    assert result["feel_welcome"].n_members == 3


def test_panel_agreement_needs_a_rated_framework(registry):
    with pytest.raises(ValueError, match="not a rated framework"):
        panel_agreement(registry.get("outcomes-wheel"), {})
