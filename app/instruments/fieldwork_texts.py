"""The words of star, inspection and mystery_shop files, checked against the definition:
every area, stage, characteristic, step and checklist item named in every language, and
optional words (descriptions, ladders, hints, prompts) in every language or in none.

The schema has checked each entry is text or a mapping of the right keys; these checks
compare the entries with the ids the definition declares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from app.instruments.checking import Checker, text_of
from app.instruments.fieldwork import (
    AreaTexts,
    CharacteristicTexts,
    FieldworkTexts,
    Framework,
    Star,
)
from app.instruments.model import DEFAULT_LOCALE, LocaleTexts


@dataclass(frozen=True)
class Words:
    """One language block of a fieldwork file: item texts and hints, and the rest."""

    items: dict[str, str]
    hints: dict[str, str]
    texts: FieldworkTexts


def check_words(checker: Checker, parts, data: dict, path: str) -> Words:
    """Check the fieldwork keys of one language block against `parts`
    (app.instruments.fieldwork_checks.FieldworkParts); every entry must be there."""
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
            if data.get("evidence_prompt") is None:
                checker.problem(f"{path}.evidence_prompt", "is required")
            evidence_prompt = text_of(data.get("evidence_prompt")) or ""
            for characteristic_id in framework.characteristics:
                items[framework.evidence_item(characteristic_id)] = evidence_prompt
        elif "evidence_prompt" in data:
            checker.problem(f"{path}.evidence_prompt", "the framework has no evidence_note")
    if parts.mystery_shop is not None:
        shop = parts.mystery_shop
        scenario = text_of(data.get("scenario")) or ""
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


def _labels(
    checker: Checker, data: dict, key: str, path: str, expected: list[str], what: str
) -> dict[str, str]:
    """A mapping of id -> text that must name every expected id and nothing else."""
    value = checker.get(data, key, dict, {})
    labels: dict[str, str] = {}
    for name, text in value.items():
        if name not in expected:
            checker.problem(f"{path}.{key}.{name}", f"unknown {what.split(' for ')[-1]}")
        elif text_of(text) is not None:
            labels[name] = text_of(text)
    if key in data:
        for name in expected:
            if name not in labels and name not in value:
                checker.problem(f"{path}.{key}", f"no {what} {name!r}")
    return labels


def _entries(checker: Checker, value: dict, path: str, section: str, known, unknown: str):
    """Walk a section whose entries are either plain text or a mapping of details.

    Yields (id, where, text, entry): `text` for a plain-text entry, else the `entry`
    mapping. Unknown ids are reported and skipped, as are entries the schema refused.
    """
    for entry_id, raw in value.items():
        where = f"{path}.{section}.{entry_id}"
        if entry_id not in known:
            checker.problem(where, unknown)
        elif text_of(raw) is not None:
            yield entry_id, where, text_of(raw), None
        elif isinstance(raw, dict):
            yield entry_id, where, None, raw


def _area_texts(checker: Checker, data: dict, path: str, star: Star) -> dict[str, AreaTexts]:
    value = checker.get(data, "areas", dict, {})
    stage_keys = [stage.key for stage in star.stages]
    result: dict[str, AreaTexts] = {}
    for area_id, where, plain, entry in _entries(
        checker, value, path, "areas", star.areas, "unknown area"
    ):
        if plain is not None:
            result[area_id] = AreaTexts(name=plain)
            continue
        ladder: dict[str, str] = {}
        if "ladder" in entry:
            ladder = _labels(checker, entry, "ladder", where, stage_keys, "ladder text for stage")
        name = checker.get(entry, "name", str)
        if name is not None:
            result[area_id] = AreaTexts(
                name=name.strip(),
                description=checker.get(entry, "description", str, "").strip(),
                ladder=MappingProxyType(ladder),
            )
    if "areas" in data:
        for area_id in star.areas:
            if area_id not in value:
                checker.problem(f"{path}.areas", f"no name for area {area_id!r}")
    return result


def _characteristic_texts(
    checker: Checker, data: dict, path: str, framework: Framework
) -> dict[str, CharacteristicTexts]:
    value = checker.get(data, "characteristics", dict, {})
    result: dict[str, CharacteristicTexts] = {}
    entries = _entries(
        checker, value, path, "characteristics", framework.characteristics,
        "unknown characteristic",
    )  # fmt: skip
    for characteristic_id, _where, plain, entry in entries:
        if plain is not None:
            result[characteristic_id] = CharacteristicTexts(text=plain)
            continue
        text = checker.get(entry, "text", str)
        prompts = checker.get(entry, "good_looks_like", list, [])
        if text is not None:
            result[characteristic_id] = CharacteristicTexts(
                text=text.strip(),
                hint=checker.get(entry, "hint", str, "").strip(),
                good_looks_like=tuple(text_of(p) for p in prompts if text_of(p) is not None),
            )
    if "characteristics" in data:
        for characteristic_id in framework.characteristics:
            if characteristic_id not in value:
                checker.problem(
                    f"{path}.characteristics", f"no text for characteristic {characteristic_id!r}"
                )
    return result


def check_same_shape(checker: Checker, texts: Mapping[str, LocaleTexts]) -> None:
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


def _compare(
    checker: Checker, where: str, reference: str, what: str, wanted: Any, given: Any
) -> None:
    noun = what.split(" ", 1)[1]
    if wanted and not given:
        checker.problem(where, f"no {noun}, though the {reference} texts have one")
    elif given and not wanted:
        checker.problem(where, f"has {what}, though the {reference} texts have none")
