"""Inspection frameworks and mystery-shop scenarios: which are loaded, and their words as
staff pages show them."""

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


def framework_instruments(registry) -> list[Instrument]:
    """The newest version of every inspection framework and mystery-shop scenario."""
    return [i for i in registry.latest() if i.framework is not None]


def instrument_for(registry, visit) -> Instrument:
    """The framework version the visit is rated on; KeyError when it is no longer loaded."""
    return registry.get(visit.framework_id, visit.framework_version)


def rating_choices(instrument: Instrument, characteristic: str) -> list[tuple[str, str]]:
    """The points a characteristic may be rated at, as (value, words) pairs."""
    return instrument.option_choices(characteristic, LOCALE)


def page_guide(instrument: Instrument, page: int, locale: str = LOCALE) -> dict:
    """What helps a rater on a page: "what good looks like", or the scenario step (in
    `locale` for a preview in another language)."""
    first = instrument.page_items(page)[0].id
    texts = instrument.fieldwork_texts(locale)
    framework = instrument.framework
    if first in framework.characteristics:
        return {"good_looks_like": texts.characteristics[first].good_looks_like}
    shop = instrument.mystery_shop
    if shop is not None and first in shop.checklist:
        step = shop.step_of(first)
        number = [s.id for s in shop.steps].index(step.id) + 1
        return {"step": texts.steps.get(step.id, ""), "step_number": number}
    return {}


def check_question(instrument: Instrument, item_id: str) -> str:
    """An item's question on the check page. Every evidence note has the same prompt, so
    the summary names its characteristic instead."""
    framework = instrument.framework
    for characteristic in framework.characteristics:
        if framework.evidence_item(characteristic) == item_id:
            return "Evidence: " + characteristic_text(instrument, characteristic)
    return instrument.item_text(item_id, LOCALE)


def answer_text(instrument: Instrument, item_id: str, answer: str | None) -> str:
    """An answer as the check page shows it: a rating as "Good (3)", anything else in words."""
    if item_id in instrument.framework.characteristics:
        return rating_label(instrument, item_id, answer)
    return instrument.answer_label(item_id, answer, LOCALE)
