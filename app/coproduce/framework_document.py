"""A framework or mystery shop as the editor shows it (a plain "state": English words, rows
in order) and as the store keeps it (the surveys/ document), and the way between the two.

The editor writes only the English texts. Other languages already in the document are kept
when they still fit the English shape; a language that no longer does (a characteristic
added, the scale changed) is dropped, so it never quietly shows less than the English, and
the coordinator is told which languages need translating again.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from typing import Any

from app.instruments.model import Problem

DEFAULT_LABELS = {
    2: ["Not yet", "Yes"],
    3: ["Not yet", "Getting there", "Good"],
    4: ["Not yet", "Getting there", "Good", "Excellent"],
    5: ["Not yet", "Getting there", "Good", "Very good", "Excellent"],
}
NOT_OBSERVED_LABEL = "We didn't see this"
EVIDENCE_PROMPT = "What did you see or hear that makes you say this?"
EVIDENCE_LENGTH = 1000
CHANNELS = {"visit": "A visit", "phone": "A phone call", "web": "A website", "email": "An email"}
MIN_POINTS, MAX_POINTS = 2, 10
MAX_CHARACTERISTICS = 20


def slug(text: str, separator: str) -> str:
    """Lower-case letters and digits joined by `separator`, starting with a letter."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", plain.lower())
    value = separator.join(words)
    value = value.lstrip("0123456789" + separator)
    value = value[:40].rstrip(separator)
    return value


def unique(base: str, taken: set[str], fallback: str, separator: str) -> str:
    """`base` (or `fallback` when blank), with a number added until nothing has it."""
    base = base or fallback
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}{separator}{number}"
        number += 1
    return candidate


# --- Document -> state --------------------------------------------------------------------


def blank_document(kind: str, instrument_id: str, title: str) -> dict[str, Any]:
    """A new framework (or mystery shop) with a four-point scale and nothing else yet."""
    labels = DEFAULT_LABELS[4]
    document: dict[str, Any] = {
        "id": instrument_id,
        "version": 1,
        "type": kind,
        "option_sets": {"rating4": ["1", "2", "3", "4"]},
        "framework": {"rating": "rating4", "not_observed": True, "characteristics": []},
        "texts": {
            "en": {
                "provenance": "project",
                "source": "Written on screen with young people.",
                "title": title,
                "characteristics": {},
                "options": {
                    "rating4": {
                        **{str(n): label for n, label in enumerate(labels, 1)},
                        "not_observed": NOT_OBSERVED_LABEL,
                    }
                },
            }
        },
    }
    if kind == "mystery_shop":
        document["framework"]["not_observed"] = False
        del document["texts"]["en"]["options"]["rating4"]["not_observed"]
        document["mystery_shop"] = {"channels": ["visit"], "steps": []}
        document["texts"]["en"]["options"]["yes_no"] = {"yes": "Yes", "no": "No"}
        document["texts"]["en"]["scenario"] = ""
    return document


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def state_from_document(document: dict[str, Any]) -> dict[str, Any]:
    """What the editor shows for a document: its English words and its rows, in order."""
    en = document.get("texts", {}).get("en", {})
    framework = document.get("framework", {})
    rating = framework.get("rating", "")
    scale = document.get("option_sets", {}).get(rating, [])
    labels = en.get("options", {}).get(rating, {})
    evidence = framework.get("evidence_note")
    characteristics = []
    for characteristic_id in framework.get("characteristics", []):
        words = en.get("characteristics", {}).get(characteristic_id, "")
        if isinstance(words, dict):
            prompts = [_text(p) for p in words.get("good_looks_like", [])]
            row = {
                "id": characteristic_id,
                "text": _text(words.get("text")),
                "hint": _text(words.get("hint")),
                "good": "\n".join(p for p in prompts if p),
            }
        else:
            row = {"id": characteristic_id, "text": _text(words), "hint": "", "good": ""}
        characteristics.append(row)
    shop = document.get("mystery_shop") or {}
    steps = [
        {
            "id": step.get("id", ""),
            "text": _text(en.get("steps", {}).get(step.get("id"))),
            "questions": [
                {"id": q, "text": _text(en.get("checklist", {}).get(q))}
                for q in step.get("checklist", [])
            ],
        }
        for step in shop.get("steps", [])
    ]
    ages = document.get("ages") or {}
    return {
        "title": _text(en.get("title")),
        "description": _text(en.get("description")),
        "prompt": _text(en.get("prompt")),
        "estimated_minutes": str(document.get("estimated_minutes", "")),
        "ages_min": str(ages.get("min", "")),
        "co_written": _text(document.get("co_written")),
        "characteristics": characteristics,
        "points": str(len(scale)),
        "labels": [_text(labels.get(value)) for value in scale],
        "not_observed": bool(framework.get("not_observed")),
        "evidence": bool(evidence),
        "evidence_required": isinstance(evidence, dict) and bool(evidence.get("required")),
        "evidence_prompt": _text(en.get("evidence_prompt")) or EVIDENCE_PROMPT,
        "channels": list(shop.get("channels", [])),
        "scenario": _text(en.get("scenario")),
        "steps": steps,
    }


# --- State -> document --------------------------------------------------------------------


def _put(mapping: dict, key: str, value: Any) -> None:
    if value in ("", None, [], {}):
        mapping.pop(key, None)
    else:
        mapping[key] = value


def english_document(base: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    """`base` with the editor's English words and rows; other languages as they were."""
    document = copy.deepcopy(base)
    en = document.setdefault("texts", {}).setdefault("en", {})
    en.setdefault("provenance", "project")
    _put(document, "estimated_minutes", _number(state["estimated_minutes"]))
    ages_min = _number(state["ages_min"])
    if ages_min is None:
        document.pop("ages", None)
    else:
        document.setdefault("ages", {})["min"] = ages_min
    _put(document, "co_written", state["co_written"])
    for key in ("title", "description", "prompt"):
        _put(en, key, state[key])

    framework = document.setdefault("framework", {})
    option_sets = document.setdefault("option_sets", {})
    options = en.setdefault("options", {})
    points = int(state["points"])
    old_rating = framework.get("rating")
    rating = old_rating if len(option_sets.get(old_rating, [])) == points else f"rating{points}"
    if old_rating and old_rating != rating:
        option_sets.pop(old_rating, None)
        options.pop(old_rating, None)
    option_sets[rating] = [str(n) for n in range(1, points + 1)]
    old_labels = options.get(rating, {})
    labels = {str(n): label for n, label in enumerate(state["labels"], 1)}
    if state["not_observed"]:
        labels["not_observed"] = old_labels.get("not_observed") or NOT_OBSERVED_LABEL
    options[rating] = labels
    framework["rating"] = rating
    framework["not_observed"] = bool(state["not_observed"])
    framework["characteristics"] = [row["id"] for row in state["characteristics"]]
    if state["evidence"]:
        old = framework.get("evidence_note")
        length = old.get("max_length", EVIDENCE_LENGTH) if isinstance(old, dict) else None
        framework["evidence_note"] = {
            "required": bool(state["evidence_required"]),
            "max_length": length or EVIDENCE_LENGTH,
        }
        en["evidence_prompt"] = state["evidence_prompt"]
    else:
        framework.pop("evidence_note", None)
        en.pop("evidence_prompt", None)
    en["characteristics"] = {row["id"]: _characteristic(row) for row in state["characteristics"]}

    if document.get("type") == "mystery_shop":
        document["mystery_shop"] = {
            "channels": list(state["channels"]),
            "steps": [
                {"id": step["id"], "checklist": [q["id"] for q in step["questions"]]}
                for step in state["steps"]
            ],
        }
        en["scenario"] = state["scenario"]
        en["steps"] = {step["id"]: step["text"] for step in state["steps"]}
        en["checklist"] = {q["id"]: q["text"] for step in state["steps"] for q in step["questions"]}
        options.setdefault("yes_no", {"yes": "Yes", "no": "No"})
    return document


def _characteristic(row: dict[str, str]) -> Any:
    prompts = [line.strip() for line in row["good"].splitlines() if line.strip()]
    if not row["hint"] and not prompts:
        return row["text"]
    words: dict[str, Any] = {"text": row["text"]}
    _put(words, "hint", row["hint"])
    _put(words, "good_looks_like", prompts)
    return words


def _number(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def other_languages(problems: list[Problem]) -> set[str]:
    """The languages other than English that a list of problems is about."""
    found = set()
    for problem in problems:
        parts = problem.path.split(".")
        if len(parts) >= 2 and parts[0] == "texts" and parts[1] != "en":
            found.add(parts[1])
    return found
