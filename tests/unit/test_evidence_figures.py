"""Figures a provider would check: which norm a scale is compared with, how many change
figures a scale shows, and what a completion rate says when a count behind it is small.
Expected values come from shared INSTRUMENTS.md, not from the YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evidence import maths
from app.evidence.completion import NOT_SHOWN, completion
from app.evidence.suppression import SmallNumbers
from app.evidence.tables import Share
from app.instruments import load_instruments

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"
RULE = SmallNumbers(10)


@pytest.fixture(scope="module")
def registry():
    return load_instruments([SURVEYS])


@pytest.fixture(scope="module")
def wemwbs(registry):
    return registry.get("wemwbs", 1)


@pytest.fixture(scope="module")
def swemwbs(registry):
    return registry.get("swemwbs", 1)


# --- Comparators --------------------------------------------------------------------------


def test_young_peoples_wemwbs_is_compared_with_the_pupils_norm(wemwbs):
    compared = maths.comparator(wemwbs, young_people=True)
    assert compared.group == "pupils aged 13 to 16"
    assert [(n.mean, n.sd) for n in compared.norms] == [(48.8, 6.8)]  # Clarke et al. 2011
    note = compared.note(young_people=True)
    assert note == "Compared with pupils aged 13 to 16 (Clarke et al. 2011): mean 48.8."
    assert "49.4" not in note and "with care" not in note


def test_adults_wemwbs_is_compared_with_the_adult_norm(wemwbs):
    compared = maths.comparator(wemwbs, young_people=False)
    assert compared.group == "adults in Scotland"
    assert [n.mean for n in compared.norms] == [49.4]


def test_swemwbs_names_its_adult_comparator_beside_young_peoples_results(swemwbs):
    compared = maths.comparator(swemwbs, young_people=True)
    assert compared.group == "adults in England"
    assert sorted(n.mean for n in compared.norms) == [23.2, 23.7]  # women, men
    note = compared.note(young_people=True)
    assert note.startswith("Compared with adults in England:")
    assert "No norm for young people" in note


def test_expected_bands_come_from_the_comparators_spread(wemwbs):
    pupils = maths.expected_band_shares(wemwbs, maths.comparator(wemwbs, True).norm)
    adults = maths.expected_band_shares(wemwbs, maths.comparator(wemwbs, False).norm)
    assert sum(pupils.values()) == pytest.approx(1)
    # Pupils' scores are less spread (SD 6.8 against 8.96): fewer in the lowest band.
    assert pupils["probable_depression"] < adults["probable_depression"]


@pytest.mark.parametrize(
    ("ages", "young"),
    [
        ({}, True),  # no ages asked: a young people's service
        ({None: 40}, True),
        ({"13_15": 20, "25_plus": 5}, True),
        ({"25_plus": 30, "16_17": 4, "not_said": 20}, False),  # a parents' campaign
        ({"18_24": 12}, False),  # a view of one adult age band
    ],
)
def test_results_are_young_peoples_unless_most_who_gave_an_age_are_adults(ages, young):
    assert maths.is_young_people(ages) is young


# --- Individual change --------------------------------------------------------------------


def test_swemwbs_shows_one_change_figure_and_wemwbs_both(wemwbs, swemwbs):
    # SWEMWBS: 3 metric points is beyond measurement error (2.87): no separate "reliable".
    assert maths.reports_reliable_change(swemwbs) is False
    # WEMWBS: meaningful 3 points, reliable about 10 (SD 8.96, r 0.83).
    assert maths.reports_reliable_change(wemwbs) is True


# --- Completion rate ----------------------------------------------------------------------


def test_completion_rate_is_a_whole_percentage_when_neither_count_is_small():
    rate = completion(300, 386, 386, RULE)
    assert isinstance(rate.rate, Share) and rate.rate == pytest.approx(300 / 386)
    assert rate.words == ""


def test_few_unfinished_beside_many_responses_gives_a_bound_and_words():
    # 3 of 386 unfinished: "99%" would put them at 2 to 5. "Fewer than 10" beside 386
    # already says the rate is above 376 / 386 = 97.4%.
    rate = completion(383, 386, 386, RULE)
    assert rate.rate == "more than 97%"
    assert rate.words == "fewer than 10 people started without finishing"


def test_few_finished_gives_a_bound_the_other_way():
    rate = completion(4, 200, 200, RULE)
    assert rate.rate == "less than 5%"
    assert rate.words == "fewer than 10 people finished"


def test_no_rate_when_both_counts_or_the_people_are_few():
    assert completion(6, 12, 12, RULE).rate == NOT_SHOWN
    assert completion(8, 9, 9, RULE).words == "fewer than 10 people answered"


def test_a_rate_hidden_for_a_sibling_service_does_not_claim_its_counts_are_small():
    rate = completion(300, 386, 386, RULE, protected=True)
    assert rate.rate == NOT_SHOWN and "fewer than" not in rate.words


@pytest.mark.parametrize("responses", [12, 19, 20, 55, 386, 2000])
@pytest.mark.parametrize("unfinished", range(10))
def test_a_bound_never_narrows_a_hidden_count(responses, unfinished):
    """Every unfinished count from 0 to 9 is consistent with the published bound: the
    reader learns nothing beyond "fewer than 10"."""
    rate = completion(responses - unfinished, responses, responses, RULE).rate
    if not isinstance(rate, str) or not rate.startswith("more than"):
        return
    above = int(rate.removeprefix("more than ").rstrip("%")) / 100
    assert all((responses - u) / responses > above for u in range(10))
