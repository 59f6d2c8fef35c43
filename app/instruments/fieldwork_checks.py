"""The rules of star, inspection and mystery_shop files that JSON Schema cannot say.

The schema (instrument.schema.json) has checked each block's keys, types, lengths and
allowed values; these checks add what compares one part with another: stages contiguous
over the whole scale, a framework's rating naming a whole-number option set, ids unique
across the form, and the blocks a type must not have. The objects built are in
`app.instruments.fieldwork`; the words of each language are checked in
`app.instruments.fieldwork_texts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.instruments.checking import ITEM_ID, Checker
from app.instruments.fieldwork import (
    DEFAULT_STAR_POINTS,
    FIELDWORK_TYPES,
    EvidenceNote,
    Framework,
    MysteryShop,
    ScenarioStep,
    Stage,
    Star,
)
from app.instruments.model import (
    YES_NO_OPTION_SET,
    YES_NO_VALUES,
    Instrument,
    Item,
)

# Top-level blocks, and which instrument types take each.
DEFINITION_KEYS = {
    "star": ("star",),
    "framework": ("inspection", "mystery_shop"),
    "mystery_shop": ("mystery_shop",),
}
# Keys of the usual schema that a fieldwork file must not use, and why.
NOT_FOR_FIELDWORK = {
    "items": "the items are made from {what}",
    "pages": "the pages are made from {what}",
    "scoring": "a {kind} is not summed into a score",
}
# A framework's scale: enough points to say something, few enough to tell apart on a phone.
MIN_RATING_POINTS, MAX_FRAMEWORK_POINTS = 2, 10
DEFAULT_EVIDENCE_LENGTH = 1000


@dataclass(frozen=True)
class FieldworkParts:
    """A fieldwork definition, with the items and pages made from it."""

    kind: str
    items: tuple[Item, ...]
    pages: tuple[tuple[str, ...], ...]
    star: Star | None = None
    framework: Framework | None = None
    mystery_shop: MysteryShop | None = None
    # True when the definition has problems (already reported), so its items are incomplete.
    faulty: bool = False

    def definitions(self) -> dict[str, Any]:
        """Keyword arguments for `Instrument`."""
        return {"star": self.star, "framework": self.framework, "mystery_shop": self.mystery_shop}


def parts_from_instrument(instrument: Instrument) -> FieldworkParts | None:
    """The parts of an instrument already loaded, to check a language file against."""
    if instrument.type not in FIELDWORK_TYPES:
        return None
    return FieldworkParts(
        kind=instrument.type,
        items=instrument.items,
        pages=instrument.pages,
        star=instrument.star,
        framework=instrument.framework,
        mystery_shop=instrument.mystery_shop,
    )


def check_definition(
    checker: Checker, kind: str | None, top: dict, option_sets: Mapping[str, tuple[str, ...]]
) -> FieldworkParts | None:
    """Check a file's fieldwork blocks; the parts for a fieldwork type, else None.

    Also refuses a fieldwork block in a file of another type, and the usual `items`,
    `pages` and `scoring` in a fieldwork file.
    """
    before = len(checker.problems)
    for key, kinds in DEFINITION_KEYS.items():
        if key in top and kind not in kinds:
            checker.problem(key, f"only {' and '.join(kinds)} instruments take {key}")
    if kind not in FIELDWORK_TYPES:
        return None
    what = {"star": "star.areas", "inspection": "framework"}.get(kind, "framework and mystery_shop")
    for key, reason in NOT_FOR_FIELDWORK.items():
        if key in top:
            checker.problem(key, f"not used by a {kind}: {reason.format(what=what, kind=kind)}")
    star = framework = mystery_shop = None
    items: list[Item] = []
    pages: list[tuple[str, ...]] = []
    if kind == "star":
        star = _star(checker, top.get("star"))
        if star is not None:
            items = [Item(id=a, kind="rating_scale", min=1, max=star.points) for a in star.areas]
            pages = [(a,) for a in star.areas]
        faulty = len(checker.problems) > before or checker.broken("star")
        return FieldworkParts(kind, tuple(items), tuple(pages), star=star, faulty=faulty)
    framework = _framework(checker, top.get("framework"), option_sets)
    if kind == "mystery_shop":
        mystery_shop = _mystery_shop(checker, top.get("mystery_shop"))
        if mystery_shop is not None:
            for step in mystery_shop.steps:
                items.extend(
                    Item(
                        id=item_id,
                        kind="yes_no",
                        options=YES_NO_OPTION_SET,
                        option_values=YES_NO_VALUES,
                    )
                    for item_id in step.checklist
                )
                if step.checklist:
                    pages.append(step.checklist)
    if framework is not None:
        for characteristic in framework.characteristics:
            items.append(
                Item(
                    id=characteristic,
                    kind="single_choice",
                    options=framework.rating_set,
                    option_values=framework.rating_values,
                )
            )
            evidence_id = framework.evidence_item(characteristic)
            if evidence_id is None:
                pages.append((characteristic,))
                continue
            items.append(
                Item(
                    id=evidence_id,
                    kind="long_text",
                    required=framework.evidence.required,
                    max_length=framework.evidence.max_length,
                )
            )
            pages.append((characteristic, evidence_id))
    _check_unique_ids(checker, items, framework, mystery_shop)
    faulty = len(checker.problems) > before
    faulty = faulty or checker.broken("framework") or checker.broken("mystery_shop")
    return FieldworkParts(
        kind,
        tuple(items),
        tuple(pages),
        framework=framework,
        mystery_shop=mystery_shop,
        faulty=faulty,
    )


def _ids(checker: Checker, value: Any, path: str, what: str) -> list[str]:
    """The usable ids of a list (areas, characteristics, checklist items); the schema names
    malformed ones, and a repeated one is named here."""
    ids: list[str] = []
    for index, raw in enumerate(value if isinstance(value, list) else []):
        if not isinstance(raw, str):
            continue
        if raw in ids:
            checker.problem(f"{path}[{index}]", f"duplicate {what} {raw!r}")
        else:
            ids.append(raw)
    return ids


def _star(checker: Checker, data: Any) -> Star | None:
    if not isinstance(data, dict):
        return None
    before = len(checker.problems)
    points = checker.get(data, "points", int, DEFAULT_STAR_POINTS)
    areas = _ids(checker, data.get("areas"), "star.areas", "area")
    stages = _stages(checker, data.get("stages"), None if checker.broken("star.points") else points)
    if len(checker.problems) > before or checker.broken("star"):
        return None
    return Star(points=points, areas=tuple(areas), stages=stages)


def _stages(checker: Checker, value: Any, points: int | None) -> tuple[Stage, ...]:
    path = "star.stages"
    if not isinstance(value, list):
        return ()
    stages: list[Stage] = []
    for index, data in enumerate(value):
        where = f"{path}[{index}]"
        key = checker.get(data, "key", str)
        low, high = checker.get(data, "min", int), checker.get(data, "max", int)
        if key is None or low is None or high is None:
            continue
        if any(stage.key == key for stage in stages):
            checker.problem(f"{where}.key", f"duplicate stage {key!r}")
        if low > high:
            checker.problem(where, f"min {low} is more than max {high}")
        stages.append(Stage(key=key, number=len(stages) + 1, min=low, max=high))
    for index, (before, after) in enumerate(zip(stages, stages[1:], strict=False), start=1):
        where = f"{path}[{index}].min"
        if after.min <= before.max:
            checker.problem(
                where,
                f"stage {after.key!r} starts at {after.min}, overlapping {before.key!r} "
                f"(up to {before.max})",
            )
        elif after.min > before.max + 1:
            checker.problem(
                where,
                f"stage {after.key!r} starts at {after.min}, leaving a gap after "
                f"{before.key!r} (up to {before.max})",
            )
    if stages and stages[0].min != 1:
        checker.problem(f"{path}[0].min", "the first stage must start at 1")
    if stages and points is not None and stages[-1].max != points:
        checker.problem(
            f"{path}[{len(stages) - 1}].max",
            f"the last stage must end at {points}, the top of the scale",
        )
    return tuple(stages)


def _framework(
    checker: Checker, data: Any, option_sets: Mapping[str, tuple[str, ...]]
) -> Framework | None:
    path = "framework"
    if not isinstance(data, dict):
        return None
    before = len(checker.problems)
    rating_set = checker.get(data, "rating", str)
    scale: tuple[str, ...] = ()
    if rating_set is not None and rating_set not in option_sets:
        checker.problem(f"{path}.rating", f"unknown option set {rating_set!r}")
    elif rating_set is not None:
        scale = option_sets[rating_set]
        expected = tuple(str(n) for n in range(1, len(scale) + 1))
        if scale != expected or not MIN_RATING_POINTS <= len(scale) <= MAX_FRAMEWORK_POINTS:
            checker.problem(
                f"{path}.rating",
                f"option set {rating_set!r} must hold the whole numbers from '1' up, "
                f"lowest first, with {MIN_RATING_POINTS} to {MAX_FRAMEWORK_POINTS} points "
                "(e.g. ['1', '2', '3', '4'])",
            )
    characteristics = _ids(
        checker, data.get("characteristics"), f"{path}.characteristics", "characteristic"
    )
    evidence = _evidence_note(checker, data.get("evidence_note"))
    if len(checker.problems) > before or checker.broken(path) or rating_set is None:
        return None
    return Framework(
        characteristics=tuple(characteristics),
        rating_set=rating_set,
        scale=scale,
        not_observed=checker.get(data, "not_observed", bool, False),
        evidence=evidence,
    )


def _evidence_note(checker: Checker, value: Any) -> EvidenceNote | None:
    if value is None or value is False:
        return None
    if value is True:
        return EvidenceNote(max_length=DEFAULT_EVIDENCE_LENGTH)
    if not isinstance(value, dict):
        return None
    return EvidenceNote(
        required=checker.get(value, "required", bool, False),
        max_length=checker.get(value, "max_length", int, DEFAULT_EVIDENCE_LENGTH),
    )


def _mystery_shop(checker: Checker, data: Any) -> MysteryShop | None:
    path = "mystery_shop"
    if not isinstance(data, dict):
        return None
    before = len(checker.problems)
    channels: list[str] = []
    for index, channel in enumerate(checker.get(data, "channels", list, [])):
        if channel in channels:
            checker.problem(f"{path}.channels[{index}]", f"duplicate channel {channel!r}")
        elif isinstance(channel, str):
            channels.append(channel)
    steps: list[ScenarioStep] = []
    for index, step in enumerate(checker.get(data, "steps", list, [])):
        where = f"{path}.steps[{index}]"
        step_id = checker.get(step, "id", str)
        if step_id is None:
            continue
        if any(s.id == step_id for s in steps):
            checker.problem(f"{where}.id", f"duplicate step {step_id!r}")
        checklist = _ids(checker, step.get("checklist"), f"{where}.checklist", "checklist item")
        steps.append(ScenarioStep(id=step_id, checklist=tuple(checklist)))
    if steps and not any(step.checklist for step in steps):
        checker.problem(f"{path}.steps", "no step has a checklist item to answer")
    if len(checker.problems) > before or checker.broken(path):
        return None
    return MysteryShop(channels=tuple(channels), steps=tuple(steps))


def _check_unique_ids(
    checker: Checker,
    items: list[Item],
    framework: Framework | None,
    mystery_shop: MysteryShop | None,
) -> None:
    """Checklist items, characteristics and evidence notes become one form's fields."""
    where: dict[str, str] = {}
    if mystery_shop is not None:
        for s, step in enumerate(mystery_shop.steps):
            for c, item_id in enumerate(step.checklist):
                where[item_id] = f"mystery_shop.steps[{s}].checklist[{c}]"
    if framework is not None:
        for index, characteristic in enumerate(framework.characteristics):
            where.setdefault(characteristic, f"framework.characteristics[{index}]")
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            path = where.get(item.id, "framework.characteristics")
            checker.problem(path, f"{item.id!r} is used twice as a field name on this form")
        elif not ITEM_ID.match(item.id):
            checker.problem("framework.characteristics", f"{item.id!r} is too long an id")
        seen.add(item.id)
