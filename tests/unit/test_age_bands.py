"""Who agrees to taking part, by age band: pure rules, no Flask."""

import pytest

from app.age_bands import (
    AGE_BAND_KEYS,
    AGE_BANDS,
    CONSENT_AGES,
    age_band,
    is_adult,
    needs_parent_or_carer,
)


@pytest.mark.parametrize(
    ("key", "own_consent_age", "needs_parent"),
    [
        ("under_11", 13, True),
        ("11_12", 13, True),
        ("13_15", 13, False),
        ("16_17", 13, False),
        ("13_15", 16, True),
        ("16_17", 16, False),
        ("16_17", 18, True),
        ("18_24", 18, False),
        ("11_12", 11, False),
        ("under_11", 11, True),
        ("25_plus", 18, False),
        # Anyone who would rather not say, or whose band is unknown, is treated as under age.
        ("not_said", 11, True),
        ("not_said", 13, True),
        (None, 13, True),
        ("99_100", 13, True),
    ],
)
def test_a_parent_or_carer_agrees_below_the_age_of_own_consent(key, own_consent_age, needs_parent):
    assert needs_parent_or_carer(key, own_consent_age) is needs_parent


def test_every_consent_age_starts_a_band_so_no_one_younger_agrees_for_themselves():
    starts = {band.youngest for band in AGE_BANDS}
    assert set(CONSENT_AGES) <= starts
    for consent_age in CONSENT_AGES:
        for band in AGE_BANDS:
            if band.youngest is None or band.youngest < consent_age:
                assert needs_parent_or_carer(band.key, consent_age), (band, consent_age)


def test_adult_wording_is_for_18_and_over_only():
    assert [band.key for band in AGE_BANDS if is_adult(band.key)] == ["18_24", "25_plus"]
    assert not is_adult("not_said")


def test_band_keys_are_stable_because_responses_store_them():
    assert AGE_BAND_KEYS == (
        "under_11", "11_12", "13_15", "16_17", "18_24", "25_plus", "not_said"
    )  # fmt: skip
    assert age_band("13_15").label == "13 to 15"
