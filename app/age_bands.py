"""Age bands a respondent may choose, and who gives consent for each.

No Flask here: the journey uses it to decide who is asked for consent, and evidence can
filter responses by the stable keys stored on them (`Response.age_band`).
"""

from __future__ import annotations

from dataclasses import dataclass

# From this age the consent wording is written for adults.
ADULT_AGE = 18


@dataclass(frozen=True)
class AgeBand:
    """One band: a key stored on responses (never renamed), an English label for staff
    pages and exports, and its first and last age (None: open-ended)."""

    key: str
    label: str
    youngest: int | None
    oldest: int | None


# Band edges fall on the ages a campaign may set as the age of own consent (11, 13, 16, 18),
# so "its oldest age is below the consent age" never lets anyone under that age consent.
AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("under_11", "Under 11", None, 10),
    AgeBand("11_12", "11 to 12", 11, 12),
    AgeBand("13_15", "13 to 15", 13, 15),
    AgeBand("16_17", "16 to 17", 16, 17),
    AgeBand("18_24", "18 to 24", 18, 24),
    AgeBand("25_plus", "25 or over", 25, None),
)
NOT_SAID = AgeBand("not_said", "Rather not say", None, None)
ALL_BANDS: tuple[AgeBand, ...] = (*AGE_BANDS, NOT_SAID)
AGE_BAND_KEYS: tuple[str, ...] = tuple(band.key for band in ALL_BANDS)
# The ages a campaign may choose as the age of own consent: the first age of a band.
CONSENT_AGES: tuple[int, ...] = (11, 13, 16, 18)

_BY_KEY = {band.key: band for band in ALL_BANDS}


def age_band(key: str | None) -> AgeBand | None:
    """The band with this key, or None for no band or an unknown key."""
    return _BY_KEY.get(key or "")


def needs_parent_or_carer(key: str | None, own_consent_age: int) -> bool:
    """Whether a parent or carer must agree before someone in this band takes part.

    A band is below the age of own consent when its oldest age is. Anyone who would rather
    not say (or whose band is unknown) is treated as possibly under age: the safe choice.
    """
    band = age_band(key)
    if band is None or band is NOT_SAID:
        return True
    return band.oldest is not None and band.oldest < own_consent_age


def is_adult(key: str | None) -> bool:
    """Whether the band is 18 or over, so consent can be asked in adult wording."""
    band = age_band(key)
    return band is not None and band.youngest is not None and band.youngest >= ADULT_AGE
