"""An instrument's words as a flat list, for translating them one text at a time.

Each text has a key naming it as the checker's paths do, without the "texts.<locale>."
in front: "title", "items.how_often", "options.rating4.1", "characteristics.safe_here.text",
"characteristics.safe_here.good_looks_like[0]", "steps.make_the_call". The English block
says which texts there are and how they nest; a translation is a mapping of key -> text,
kept part way through until every text is there, then built back into a language block
exactly the shape of the English one (so it checks like a block written in a file).

Plain Python, like the rest of app.instruments. The gate a translated text meets is the
message catalogues' own (app.languages.catalogues.placeholder_problem): it keeps every
placeholder its English has, %(name)s and {name} alike. Instrument texts have one form each
(the format has no plural messages), so the catalogues' plural rule, which is about the
forms of one message, has nothing more to check here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

ENGLISH = "en"
# Said by the block itself, never translated as a text.
NOT_TEXT = ("provenance",)
# The order a person reads an instrument in; anything else comes after, in its own order.
READING_ORDER = (
    "title",
    "description",
    "prompt",
    "scenario",
    "steps",
    "checklist",
    "characteristics",
    "evidence_prompt",
    "areas",
    "stages",
    "items",
    "hints",
    "options",
    "bands",
)


def english_texts(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every English text of an instrument as (key, text), in reading order."""
    return texts_of(document, ENGLISH)


def texts_of(document: Mapping[str, Any], locale: str) -> list[tuple[str, str]]:
    """Every text of one language block as (key, text), in reading order ([] if none)."""
    block = ((document.get("texts") or {}).get(locale)) or {}
    orders = _orders(document)
    pairs: list[tuple[str, str]] = []
    sections = [key for key in READING_ORDER if key in block]
    sections += [key for key in block if key not in READING_ORDER and key not in NOT_TEXT]
    for section in sections:
        if section == "checklist" and "steps" in block:
            continue  # read with its step
        if section == "steps":
            for step_id, checklist in _steps(document):
                if step_id in block["steps"]:
                    pairs.extend(_walk(f"steps.{step_id}", block["steps"][step_id], {}))
                for item_id in checklist:
                    if item_id in (block.get("checklist") or {}):
                        pairs.extend(_walk(f"checklist.{item_id}", block["checklist"][item_id], {}))
            read = {key for key, _ in pairs}
            for name, value in _ordered(block["steps"], []):
                if f"steps.{name}" not in read:
                    pairs.extend(_walk(f"steps.{name}", value, {}))
            for name, value in _ordered(block.get("checklist") or {}, []):
                if f"checklist.{name}" not in read:
                    pairs.extend(_walk(f"checklist.{name}", value, {}))
            continue
        pairs.extend(_walk(section, block[section], orders.get(section, {})))
    return pairs


def build_block(
    english: Mapping[str, Any], translations: Mapping[str, str], provenance: str = "project"
) -> dict[str, Any]:
    """A language block shaped exactly like the English block, each text taken from
    `translations` by its key. Raises KeyError naming the first text not translated."""

    def build(key: str, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {name: build(f"{key}.{name}", inner) for name, inner in value.items()}
        if isinstance(value, list):
            return [build(f"{key}[{index}]", inner) for index, inner in enumerate(value)]
        text = (translations.get(key) or "").strip()
        if not text:
            raise KeyError(key)
        return text

    block: dict[str, Any] = {"provenance": provenance}
    for section, value in english.items():
        if section not in NOT_TEXT:
            block[section] = build(section, value)
    return block


def set_aside_incomplete(document: Mapping[str, Any]) -> tuple[dict[str, Any], dict]:
    """For an editor whose change to the English left a language short of texts (a new
    question, say): the document with only the languages that have every English text, and
    the others' words as work in progress ({locale: {key: text}}) to keep translating."""
    english = english_texts(document)
    kept = {**document, "texts": dict(document.get("texts") or {})}
    progress: dict[str, dict[str, str]] = {}
    for locale in list(kept["texts"]):
        if locale == ENGLISH:
            continue
        words = dict(texts_of(document, locale))
        if missing(english, words):
            del kept["texts"][locale]
            progress[locale] = {key: words[key] for key, _ in english if words.get(key)}
    return kept, progress


def missing(english: list[tuple[str, str]], translations: Mapping[str, str]) -> list[str]:
    """The keys of the English texts with no translation yet, in reading order."""
    return [key for key, _ in english if not (translations.get(key) or "").strip()]


def _walk(key: str, value: Any, order: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for name, inner in _ordered(value, order.get("", []) if order else []):
            yield from _walk(f"{key}.{name}", inner, order.get(name, {}) if order else {})
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _walk(f"{key}[{index}]", inner, {})
    elif value is not None:
        yield key, str(value)


def _ordered(mapping: Mapping[str, Any], order: list) -> list[tuple[str, Any]]:
    """A mapping's entries with the ids in `order` first, in that order; then the rest."""
    place = {str(name): index for index, name in enumerate(order)}
    entries = list(mapping.items())
    return sorted(entries, key=lambda entry: place.get(str(entry[0]), len(place)))


def _orders(document: Mapping[str, Any]) -> dict[str, dict]:
    """For each section, the order its ids are defined in ({"": [ids], id: {...}})."""
    item_ids = [item.get("id") for item in document.get("items") or [] if isinstance(item, dict)]
    framework = document.get("framework") or {}
    star = document.get("star") or {}
    option_sets = document.get("option_sets") or {}
    options: dict[str, Any] = {"": list(option_sets)}
    for name, values in option_sets.items():
        options[name] = {"": [str(value) for value in values or []]}
    scoring = document.get("scoring") or {}
    bands = [band.get("key") for band in (scoring.get("bands") or {}).get("ranges") or []]
    return {
        "items": {"": item_ids},
        "hints": {"": item_ids},
        "characteristics": {"": list(framework.get("characteristics") or [])},
        "areas": {"": list(star.get("areas") or [])},
        "stages": {"": [stage.get("key") for stage in star.get("stages") or []]},
        "options": options,
        "bands": {"": bands},
    }


def _steps(document: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    steps = (document.get("mystery_shop") or {}).get("steps") or []
    return [
        (step.get("id"), list(step.get("checklist") or []))
        for step in steps
        if isinstance(step, dict)
    ]
