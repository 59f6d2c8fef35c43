"""A panel's submitted ratings side by side, with how far the raters agree."""

from __future__ import annotations

from dataclasses import dataclass

from app.inspections.frameworks import LOCALE, characteristic_text, rating_label
from app.inspections.rating import submitted_ratings
from app.instruments.model import Instrument
from app.models import Visit
from app.scoring import is_answered
from app.scoring.panel import Agreement, panel_agreement

AGREEMENT_LABELS = {
    "full": "Full agreement",
    "close": "Close: within one point",
    "split": "Split: two or more points apart",
    "too_few": "Too few ratings to compare",
}


@dataclass(frozen=True)
class Cell:
    rating: str
    note: str


@dataclass(frozen=True)
class CharacteristicRow:
    characteristic: str
    text: str
    cells: tuple[Cell, ...]
    agreement: Agreement
    agreement_label: str
    most_common: str
    moderated: str
    moderated_note: str


@dataclass(frozen=True)
class ChecklistRow:
    item_id: str
    text: str
    step: str
    answers: tuple[str, ...]
    yes: int
    answered: int


@dataclass(frozen=True)
class PanelTable:
    members: tuple[str, ...]
    rows: tuple[CharacteristicRow, ...]
    checklist: tuple[ChecklistRow, ...]

    @property
    def size(self) -> int:
        return len(self.members)


def describe_agreement(result: Agreement) -> str:
    """The agreement level in words, with who could not rate it."""
    words = AGREEMENT_LABELS[result.level]
    if result.n_raters and result.level != "too_few":
        words += f" ({result.n_raters} ratings)"
    if result.not_observed:
        words += f"; {result.not_observed} did not see this"
    return words


def panel_table(visit: Visit, instrument: Instrument) -> PanelTable:
    """Every submitted rating side by side, with agreement per characteristic and (for a
    mystery shop) the checklist answers."""
    ratings = submitted_ratings(visit)
    members = tuple(rating.user.name for rating in ratings)
    answers = {rating.id: rating.ratings or {} for rating in ratings}
    agreements = panel_agreement(instrument, answers)
    moderated = {m.characteristic: m for m in visit.moderated}
    rows = []
    for characteristic, result in agreements.items():
        # "Most common" only means something when at least two raters gave it.
        repeated = result.modes and round(result.share_agreeing * result.n_raters) > 1
        most_common = (
            " or ".join(rating_label(instrument, characteristic, str(m)) for m in result.modes)
            if repeated
            else ""
        )
        chosen = moderated.get(characteristic)
        rows.append(
            CharacteristicRow(
                characteristic=characteristic,
                text=characteristic_text(instrument, characteristic),
                cells=tuple(
                    Cell(
                        rating_label(instrument, characteristic, answers[r.id].get(characteristic)),
                        (r.notes or {}).get(characteristic, ""),
                    )
                    for r in ratings
                ),
                agreement=result,
                agreement_label=describe_agreement(result),
                most_common=most_common,
                moderated=rating_label(instrument, characteristic, chosen.rating) if chosen else "",
                moderated_note=(chosen.note or "") if chosen else "",
            )
        )
    return PanelTable(
        members=members, rows=tuple(rows), checklist=_checklist(instrument, ratings, answers)
    )


def _checklist(instrument: Instrument, ratings, answers) -> tuple[ChecklistRow, ...]:
    """A mystery shop's checklist, each step with every member's answer; empty otherwise."""
    if instrument.mystery_shop is None:
        return ()
    texts = instrument.fieldwork_texts(LOCALE)
    checklist = []
    for item_id in instrument.mystery_shop.checklist:
        given = [answers[r.id].get(item_id) for r in ratings]
        checklist.append(
            ChecklistRow(
                item_id=item_id,
                text=texts.checklist.get(item_id, item_id),
                step=texts.steps.get(instrument.mystery_shop.step_of(item_id).id, ""),
                answers=tuple(instrument.answer_label(item_id, v, LOCALE) for v in given),
                yes=sum(1 for v in given if v == "yes"),
                answered=sum(1 for v in given if is_answered(v)),
            )
        )
    return tuple(checklist)
