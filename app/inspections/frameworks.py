"""Words of an inspection framework or mystery-shop scenario as staff pages show them."""

from __future__ import annotations

from app.instruments.fieldwork import NOT_OBSERVED
from app.instruments.model import Instrument
from app.scoring import is_answered

# Staff pages are in English; the framework's own words come from its English texts.
LOCALE = "en"


def characteristic_text(instrument: Instrument, characteristic: str) -> str:
    return instrument.fieldwork_texts(LOCALE).characteristics[characteristic].text


def rating_label(instrument: Instrument, characteristic: str, value: str | None) -> str:
    """A point on the scale as "Good (3)"; "not observed" as the option's own words."""
    if not is_answered(value):
        return ""
    label = instrument.answer_label(characteristic, value, LOCALE)
    return label if value == NOT_OBSERVED or label == value else f"{label} ({value})"
