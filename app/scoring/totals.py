"""Turn one response's answers into a score, using only the instrument's data.

No Flask here: the same function scores a response as it is submitted, in a data repair
script and in the tests that check it against the published tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.instruments import routing
from app.instruments.model import Instrument, Item

Answer = str | list[str]


@dataclass(frozen=True)
class Score:
    """What a response adds up to.

    `raw`, `metric` and `band` are None unless the response is complete: a scale is scored
    only when every scored item is answered (never pro-rated). `metric` is the converted
    score for scales with a conversion table (SWEMWBS) and None for the others (WEMWBS),
    whose raw score is the score. `band` is read from the metric score when the bands apply
    to it, otherwise from the raw score.
    """

    complete: bool
    answered: int
    total: int
    raw: int | None = None
    metric: float | None = None
    band: str | None = None

    def on(self, scale: str) -> float | None:
        """The raw or metric score, whichever `scale` ("raw" or "metric") names."""
        if scale == "metric":
            return self.metric
        if scale == "raw":
            return None if self.raw is None else float(self.raw)
        raise ValueError(f"unknown score scale {scale!r}")


def is_answered(value: object) -> bool:
    """An answer counts when it is not missing, blank or an empty selection."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, list | tuple):
        return len(value) > 0
    return True


def validate_answers(instrument: Instrument, answers: Mapping[str, Answer]) -> None:
    """Raise ValueError if any answer is for an unknown item or is not a value it allows."""
    for item_id, value in answers.items():
        try:
            item = instrument.item(item_id)
        except KeyError:
            raise ValueError(f"{instrument.key} has no item {item_id!r}") from None
        if is_answered(value):
            _check_value(instrument, item, value)


def _check_value(instrument: Instrument, item: Item, value: object) -> None:
    where = f"{instrument.key} item {item.id!r}"
    if item.is_text:
        if not isinstance(value, str):
            raise ValueError(f"{where}: answer must be text")
        if item.max_length is not None and len(value) > item.max_length:
            raise ValueError(f"{where}: answer is longer than {item.max_length} characters")
        return
    if item.kind == "multiple_choice":
        if not isinstance(value, list | tuple):
            raise ValueError(f"{where}: answer must be a list of option values")
        if len(set(value)) != len(value):
            raise ValueError(f"{where}: an option is chosen twice")
        if item.max_choices is not None and len(value) > item.max_choices:
            raise ValueError(f"{where}: more than {item.max_choices} options chosen")
        for option in value:
            if option not in item.values:
                raise ValueError(f"{where}: {option!r} is not one of its options")
        return
    if not isinstance(value, str) or value not in item.values:
        raise ValueError(f"{where}: {value!r} is not one of its options")


def score(instrument: Instrument, answers: Mapping[str, Answer]) -> Score:
    """Score one response.

    Complete means every required item asked is answered and, for a scale, every scored item
    too.
    Instruments without scoring (questionnaires, inspections) get a Score with no raw value.
    Raises ValueError for an unknown item or a value outside the item's options.
    """
    validate_answers(instrument, answers)
    # A questionnaire's pages skipped by its routing were not asked: not required, not counted.
    asked = routing.asked_items(instrument, answers)
    answered = {item.id for item in asked if is_answered(answers.get(item.id))}
    complete = all(item.id in answered for item in asked if item.required)
    counts = {"answered": len(answered), "total": len(asked)}
    scoring = instrument.scoring
    if scoring is None:
        return Score(complete=complete, **counts)
    complete = complete and all(item_id in answered for item_id in scoring.items)
    if not complete:
        return Score(complete=False, **counts)
    raw = sum(int(answers[item_id]) for item_id in scoring.items)
    metric = scoring.convert(raw)
    banded = metric if scoring.bands_apply_to == "metric" else raw
    return Score(
        complete=True,
        raw=raw,
        metric=metric,
        band=scoring.band_for(banded),
        **counts,
    )
