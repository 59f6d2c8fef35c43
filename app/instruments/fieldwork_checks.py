"""The loader's checks for star, inspection and mystery_shop files.

Called by `app.instruments.loader._Checker`, whose helpers (`problem`, `field`, `mapping`,
`known_keys`) they use, so a fieldwork file's problems read exactly like any other file's:
the file, the path inside it and what is wrong. The schema is documented in the loader's
module docstring; the objects built are in `app.instruments.fieldwork`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from app.instruments.fieldwork import (
    CHANNELS,
    DEFAULT_STAR_POINTS,
    FIELDWORK_TYPES,
    MAX_STAR_AREAS,
    MIN_STAR_AREAS,
    AreaTexts,
    CharacteristicTexts,
    EvidenceNote,
    FieldworkTexts,
    Framework,
    MysteryShop,
    ScenarioStep,
    Stage,
    Star,
)
from app.instruments.loader import (
    ITEM_ID,
    MAX_RATING_POINTS,
    NAME,
    RESERVED_ITEM_IDS,
    _describe,
)
from app.instruments.model import (
    DEFAULT_LOCALE,
    MAX_LENGTH_CEILING,
    YES_NO_OPTION_SET,
    YES_NO_VALUES,
    Instrument,
    Item,
    LocaleTexts,
)

# Top-level blocks, and which instrument types take each.
DEFINITION_KEYS = {
    "star": ("star",),
    "framework": ("inspection", "mystery_shop"),
    "mystery_shop": ("mystery_shop",),
}
# Keys of a language block that fieldwork types add to the usual ones.
TEXT_KEYS = {
    "star": {"areas", "stages"},
    "inspection": {"characteristics", "evidence_prompt"},
    "mystery_shop": {"characteristics", "evidence_prompt", "scenario", "steps", "checklist"},
}
# Keys of the usual schema that a fieldwork file must not use, and why.
NOT_FOR_FIELDWORK = {
    "items": "the items are made from {what}",
    "pages": "the pages are made from {what}",
    "scoring": "a {kind} is not summed into a score",
}
MIN_STAGES = 2
MAX_CHARACTERISTICS = 20
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


@dataclass(frozen=True)
class Words:
    """One language block of a fieldwork file: item texts and hints, and the rest."""

    items: dict[str, str]
    hints: dict[str, str]
    texts: FieldworkTexts


def text_keys(kind: str | None) -> set[str]:
    """The language-block keys a type adds (none for other types)."""
    return TEXT_KEYS.get(kind, set())


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


# --- Definitions -------------------------------------------------------------------------


def check_definition(
    checker, kind: str | None, top: dict, option_sets: Mapping[str, tuple[str, ...]]
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
        faulty = len(checker.problems) > before
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
    return FieldworkParts(
        kind,
        tuple(items),
        tuple(pages),
        framework=framework,
        mystery_shop=mystery_shop,
        faulty=len(checker.problems) > before,
    )


def _ids(checker, value: Any, path: str, what: str, low: int, high: int) -> list[str]:
    """A list of item ids (areas, characteristics, checklist items), each usable as a field."""
    if not isinstance(value, list):
        checker.problem(path, f"must be a list of {what} ids, not {_describe(value)}")
        return []
    if not low <= len(value) <= high:
        amount = f"from {low} to {high}" if low != high else str(low)
        checker.problem(path, f"must list {amount} {what}s, not {len(value)}")
    ids: list[str] = []
    for index, raw in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(raw, str) or not ITEM_ID.match(raw):
            checker.problem(where, f"{raw!r} must be lower-case letters, digits and _")
        elif raw in RESERVED_ITEM_IDS:
            checker.problem(where, f"{raw!r} is reserved for the form itself")
        elif raw in ids:
            checker.problem(where, f"duplicate {what} {raw!r}")
        else:
            ids.append(raw)
    return ids


def _star(checker, value: Any) -> Star | None:
    if value is None:
        checker.problem("star", "is required for a star (its points, areas and stages)")
        return None
    data = checker.mapping(value, "star")
    if data is None:
        return None
    checker.known_keys(data, {"points", "areas", "stages", "notes"}, "star")
    before = len(checker.problems)
    points = checker.field(data, "points", "star", int, default=DEFAULT_STAR_POINTS)
    if not MIN_STAGES <= points <= MAX_RATING_POINTS:
        checker.problem("star.points", f"must be from {MIN_STAGES} to {MAX_RATING_POINTS}")
        points = None
    areas = _ids(
        checker,
        checker.field(data, "areas", "star", list, required=True, default=[]),
        "star.areas",
        "area",
        MIN_STAR_AREAS,
        MAX_STAR_AREAS,
    )
    stages = _stages(checker, data.get("stages"), points)
    if len(checker.problems) > before or points is None:
        return None
    return Star(points=points, areas=tuple(areas), stages=stages)


def _stages(checker, value: Any, points: int | None) -> tuple[Stage, ...]:
    path = "star.stages"
    if value is None:
        checker.problem(path, "is required: the score ranges of each stage, lowest first")
        return ()
    if not isinstance(value, list) or len(value) < MIN_STAGES:
        checker.problem(path, f"must be a list of at least {MIN_STAGES} stages")
        return ()
    stages: list[Stage] = []
    for index, raw in enumerate(value):
        where = f"{path}[{index}]"
        data = checker.mapping(raw, where)
        if data is None:
            continue
        checker.known_keys(data, {"key", "min", "max"}, where)
        key = checker.field(data, "key", where, str, required=True)
        low = checker.field(data, "min", where, int, required=True)
        high = checker.field(data, "max", where, int, required=True)
        if key is None or low is None or high is None:
            continue
        if not NAME.match(key):
            checker.problem(f"{where}.key", "stage keys are lower-case letters, digits and _")
        elif any(stage.key == key for stage in stages):
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


def _framework(checker, value: Any, option_sets: Mapping[str, tuple[str, ...]]) -> Framework | None:
    path = "framework"
    if value is None:
        checker.problem(path, "is required: the quality characteristics and their rating scale")
        return None
    data = checker.mapping(value, path)
    if data is None:
        return None
    checker.known_keys(
        data, {"rating", "not_observed", "characteristics", "evidence_note", "notes"}, path
    )
    before = len(checker.problems)
    rating_set = checker.field(data, "rating", path, str, required=True)
    scale: tuple[str, ...] = ()
    if rating_set is not None:
        if rating_set not in option_sets:
            checker.problem(f"{path}.rating", f"unknown option set {rating_set!r}")
        else:
            scale = option_sets[rating_set]
            expected = tuple(str(n) for n in range(1, len(scale) + 1))
            if scale != expected or not MIN_RATING_POINTS <= len(scale) <= MAX_FRAMEWORK_POINTS:
                checker.problem(
                    f"{path}.rating",
                    f"option set {rating_set!r} must hold the whole numbers from '1' up, "
                    f"lowest first, with {MIN_RATING_POINTS} to {MAX_FRAMEWORK_POINTS} points "
                    "(e.g. ['1', '2', '3', '4'])",
                )
    not_observed = checker.field(data, "not_observed", path, bool, default=False)
    characteristics = _ids(
        checker,
        checker.field(data, "characteristics", path, list, required=True, default=[]),
        f"{path}.characteristics",
        "characteristic",
        1,
        MAX_CHARACTERISTICS,
    )
    evidence = _evidence_note(checker, data.get("evidence_note"))
    if len(checker.problems) > before or rating_set is None:
        return None
    return Framework(
        characteristics=tuple(characteristics),
        rating_set=rating_set,
        scale=scale,
        not_observed=not_observed,
        evidence=evidence,
    )


def _evidence_note(checker, value: Any) -> EvidenceNote | None:
    path = "framework.evidence_note"
    if value is None or value is False:
        return None
    if value is True:
        return EvidenceNote(max_length=DEFAULT_EVIDENCE_LENGTH)
    data = checker.mapping(value, path)
    if data is None:
        return None
    checker.known_keys(data, {"required", "max_length"}, path)
    length = checker.field(data, "max_length", path, int, default=DEFAULT_EVIDENCE_LENGTH)
    if not 1 <= length <= MAX_LENGTH_CEILING:
        checker.problem(f"{path}.max_length", f"must be between 1 and {MAX_LENGTH_CEILING}")
    return EvidenceNote(
        required=checker.field(data, "required", path, bool, default=False), max_length=length
    )


def _mystery_shop(checker, value: Any) -> MysteryShop | None:
    path = "mystery_shop"
    if value is None:
        checker.problem(path, "is required: the channels and the scenario's steps")
        return None
    data = checker.mapping(value, path)
    if data is None:
        return None
    checker.known_keys(data, {"channels", "steps", "notes"}, path)
    before = len(checker.problems)
    channels: list[str] = []
    raw_channels = checker.field(data, "channels", path, list, required=True, default=[])
    if "channels" in data and not raw_channels:
        checker.problem(f"{path}.channels", "must list at least one channel")
    for index, channel in enumerate(raw_channels):
        where = f"{path}.channels[{index}]"
        if channel not in CHANNELS:
            checker.problem(where, f"unknown channel {channel!r} (one of {', '.join(CHANNELS)})")
        elif channel in channels:
            checker.problem(where, f"duplicate channel {channel!r}")
        else:
            channels.append(channel)
    steps: list[ScenarioStep] = []
    raw_steps = checker.field(data, "steps", path, list, required=True, default=[])
    if "steps" in data and not raw_steps:
        checker.problem(f"{path}.steps", "must list at least one step")
    for index, raw in enumerate(raw_steps):
        where = f"{path}.steps[{index}]"
        step = checker.mapping(raw, where)
        if step is None:
            continue
        checker.known_keys(step, {"id", "checklist", "notes"}, where)
        step_id = checker.field(step, "id", where, str, required=True)
        if step_id is None:
            continue
        if not NAME.match(step_id):
            checker.problem(f"{where}.id", f"{step_id!r} must be lower-case letters, digits and _")
        elif any(s.id == step_id for s in steps):
            checker.problem(f"{where}.id", f"duplicate step {step_id!r}")
        checklist = step.get("checklist", [])
        checklist = _ids(checker, checklist, f"{where}.checklist", "checklist item", 0, 20)
        steps.append(ScenarioStep(id=step_id, checklist=tuple(checklist)))
    if steps and not any(step.checklist for step in steps):
        checker.problem(f"{path}.steps", "no step has a checklist item to answer")
    if len(checker.problems) > before:
        return None
    return MysteryShop(channels=tuple(channels), steps=tuple(steps))


def _check_unique_ids(
    checker, items: list[Item], framework: Framework | None, mystery_shop: MysteryShop | None
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


# --- Words -------------------------------------------------------------------------------


def check_words(checker, parts: FieldworkParts, data: dict, path: str) -> Words:
    """Check the fieldwork keys of one language block; every entry must be there."""
    items: dict[str, str] = {}
    hints: dict[str, str] = {}
    areas: dict[str, AreaTexts] = {}
    stages: dict[str, str] = {}
    characteristics: dict[str, CharacteristicTexts] = {}
    evidence_prompt = scenario = ""
    steps: dict[str, str] = {}
    checklist: dict[str, str] = {}
    if parts.star is not None:
        areas = _area_texts(checker, data, path, parts.star)
        for area_id, area in areas.items():
            items[area_id] = area.name
            if area.description:
                hints[area_id] = area.description
        stages = _labels(
            checker, data, "stages", path, [s.key for s in parts.star.stages], "label for stage"
        )
    if parts.framework is not None:
        framework = parts.framework
        characteristics = _characteristic_texts(checker, data, path, framework)
        for characteristic_id, words in characteristics.items():
            items[characteristic_id] = words.text
            if words.hint:
                hints[characteristic_id] = words.hint
        if framework.evidence is not None:
            evidence_prompt = checker.field(data, "evidence_prompt", path, str, required=True)
            evidence_prompt = (evidence_prompt or "").strip()
            for characteristic_id in framework.characteristics:
                items[framework.evidence_item(characteristic_id)] = evidence_prompt
        elif "evidence_prompt" in data:
            checker.problem(f"{path}.evidence_prompt", "the framework has no evidence_note")
    if parts.mystery_shop is not None:
        shop = parts.mystery_shop
        scenario = (checker.field(data, "scenario", path, str, required=True) or "").strip()
        steps = _labels(checker, data, "steps", path, [s.id for s in shop.steps], "text for step")
        checklist = _labels(
            checker, data, "checklist", path, list(shop.checklist), "question for checklist item"
        )
        items.update(checklist)
    texts = FieldworkTexts(
        areas=MappingProxyType(areas),
        stages=MappingProxyType(stages),
        characteristics=MappingProxyType(characteristics),
        evidence_prompt=evidence_prompt,
        scenario=scenario,
        steps=MappingProxyType(steps),
        checklist=MappingProxyType(checklist),
    )
    return Words(items=items, hints=hints, texts=texts)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _labels(checker, data: dict, key: str, path: str, expected: list[str], what: str) -> dict:
    """A mapping of id -> text that must name every expected id and nothing else."""
    value = checker.field(data, key, path, dict, required=True, default={})
    labels: dict[str, str] = {}
    for name, text in value.items():
        if name not in expected:
            checker.problem(f"{path}.{key}.{name}", f"unknown {what.split(' for ')[-1]}")
        elif _text(text) is None:
            checker.problem(f"{path}.{key}.{name}", "must be text")
        else:
            labels[name] = _text(text)
    if key in data:
        for name in expected:
            if name not in labels and name not in value:
                checker.problem(f"{path}.{key}", f"no {what} {name!r}")
    return labels


def _entries(checker, value: dict, path: str, section: str, known, unknown: str):
    """Walk a section whose entries are either plain text or a mapping of details.

    Yields (id, where, text, entry): `text` for a plain-text entry, else the checked
    `entry` mapping. Unknown ids and entries that are neither are reported and skipped.
    """
    for entry_id, raw in value.items():
        where = f"{path}.{section}.{entry_id}"
        if entry_id not in known:
            checker.problem(where, unknown)
            continue
        if _text(raw) is not None:
            yield entry_id, where, _text(raw), None
            continue
        entry = checker.mapping(raw, where) if not isinstance(raw, str) else None
        if entry is None:
            if isinstance(raw, str):
                checker.problem(where, "must be text")
            continue
        yield entry_id, where, None, entry


def _area_texts(checker, data: dict, path: str, star: Star) -> dict[str, AreaTexts]:
    value = checker.field(data, "areas", path, dict, required=True, default={})
    stage_keys = [stage.key for stage in star.stages]
    result: dict[str, AreaTexts] = {}
    entries = _entries(checker, value, path, "areas", star.areas, "unknown area")
    for area_id, where, plain, entry in entries:
        if plain is not None:
            result[area_id] = AreaTexts(name=plain)
            continue
        checker.known_keys(entry, {"name", "description", "ladder"}, where)
        name = checker.field(entry, "name", where, str, required=True)
        description = checker.field(entry, "description", where, str, default="")
        ladder: dict[str, str] = {}
        if "ladder" in entry:
            ladder = _labels(checker, entry, "ladder", where, stage_keys, "ladder text for stage")
        if name is not None:
            result[area_id] = AreaTexts(
                name=name.strip(),
                description=description.strip(),
                ladder=MappingProxyType(ladder),
            )
    if "areas" in data:
        for area_id in star.areas:
            if area_id not in value:
                checker.problem(f"{path}.areas", f"no name for area {area_id!r}")
    return result


def _characteristic_texts(
    checker, data: dict, path: str, framework: Framework
) -> dict[str, CharacteristicTexts]:
    value = checker.field(data, "characteristics", path, dict, required=True, default={})
    result: dict[str, CharacteristicTexts] = {}
    entries = _entries(
        checker, value, path, "characteristics", framework.characteristics,
        "unknown characteristic",
    )  # fmt: skip
    for characteristic_id, where, plain, entry in entries:
        if plain is not None:
            result[characteristic_id] = CharacteristicTexts(text=plain)
            continue
        checker.known_keys(entry, {"text", "hint", "good_looks_like"}, where)
        text = checker.field(entry, "text", where, str, required=True)
        hint = checker.field(entry, "hint", where, str, default="")
        prompts = checker.field(entry, "good_looks_like", where, list, default=[])
        for index, prompt in enumerate(prompts):
            if _text(prompt) is None:
                checker.problem(f"{where}.good_looks_like[{index}]", "must be text")
        if text is not None:
            result[characteristic_id] = CharacteristicTexts(
                text=text.strip(),
                hint=hint.strip(),
                good_looks_like=tuple(p.strip() for p in prompts if _text(p) is not None),
            )
    if "characteristics" in data:
        for characteristic_id in framework.characteristics:
            if characteristic_id not in value:
                checker.problem(
                    f"{path}.characteristics", f"no text for characteristic {characteristic_id!r}"
                )
    return result


def check_same_shape(checker, texts: Mapping[str, LocaleTexts]) -> None:
    """Optional words (area descriptions and ladders, hints, "what good looks like" prompts)
    are in every language or in none, so no language version quietly shows less.

    The other languages are compared with English, or the first language when there is none.
    """
    if not texts:
        return
    reference = DEFAULT_LOCALE if DEFAULT_LOCALE in texts else next(iter(texts))
    base = texts[reference]
    if base.fieldwork is None:
        return
    for locale, locale_texts in texts.items():
        words = locale_texts.fieldwork
        if locale == reference or words is None:
            continue
        path = f"texts.{locale}"
        for area_id, area in base.fieldwork.areas.items():
            other = words.areas.get(area_id)
            if other is None:
                continue
            where = f"{path}.areas.{area_id}"
            _compare(
                checker, where, reference, "a description", area.description, other.description
            )
            _compare(checker, where, reference, "a ladder", area.ladder, other.ladder)
        for characteristic_id, words_there in base.fieldwork.characteristics.items():
            other = words.characteristics.get(characteristic_id)
            if other is None:
                continue
            where = f"{path}.characteristics.{characteristic_id}"
            _compare(checker, where, reference, "a hint", words_there.hint, other.hint)
            wanted, given = len(words_there.good_looks_like), len(other.good_looks_like)
            if wanted != given:
                checker.problem(
                    f"{where}.good_looks_like",
                    f"{given} 'what good looks like' prompts, but the {reference} texts "
                    f"have {wanted}",
                )


def _compare(checker, where: str, reference: str, what: str, wanted: Any, given: Any) -> None:
    noun = what.split(" ", 1)[1]
    if wanted and not given:
        checker.problem(where, f"no {noun}, though the {reference} texts have one")
    elif given and not wanted:
        checker.problem(where, f"has {what}, though the {reference} texts have none")
