"""The editor's draft written as an instrument document, each mistake tied to the field that
holds it; and the store's problems (paths such as "items[2].min") tied to fields too.
Pure: no Flask, no database."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from app.coproduce.questionnaire_model import (
    CHOICE_KINDS,
    DEFAULT_SOURCE,
    KIND_NAMES,
    TEXT_KINDS,
    YES_NO,
    Error,
    slug,
    unique,
)


class _Writer:
    def __init__(self, draft: dict[str, Any]):
        self.draft = draft
        self.errors: list[Error] = []

    def error(self, field: str, message: str) -> None:
        self.errors.append((field, message))

    def whole(self, field: str, value: str, message: str, minimum: int = 1) -> int | None:
        """A whole number from a field, or None (and an error) when it is not one."""
        text = (value or "").strip()
        if not re.fullmatch(r"-?\d{1,6}", text) or int(text) < minimum:
            self.error(field, message)
            return None
        return int(text)


def document_from_draft(
    draft: dict[str, Any], instrument_id: str, version: int, original: dict | None
) -> tuple[dict[str, Any], list[Error], list[str]]:
    """The document to save, the mistakes found (field id, message) and the codes of the
    languages taken out because the English changed shape."""
    w = _Writer(draft)
    document: dict[str, Any] = {"id": instrument_id, "version": version, "type": "questionnaire"}
    minutes = w.whole(
        "estimated_minutes",
        draft["estimated_minutes"],
        "Enter how many minutes it takes as a whole number, like 4",
    )
    document["estimated_minutes"] = minutes
    ages = dict((original or {}).get("ages") or {})
    if (draft["ages_min"] or "").strip():
        ages["min"] = w.whole(
            "ages_min", draft["ages_min"], "Enter the youngest age as a whole number, like 11"
        )
    else:
        ages.pop("min", None)
    if ages.get("min") is not None:
        document["ages"] = ages
    if (draft["co_written"] or "").strip():
        document["co_written"] = draft["co_written"].strip()
    en: dict[str, Any] = {
        "provenance": "project",
        "source": ((original or {}).get("texts", {}).get("en", {}).get("source")) or DEFAULT_SOURCE,
    }
    for key in ("title", "description", "prompt"):
        if (draft[key] or "").strip():
            en[key] = draft[key].strip()
    if "title" not in en:
        w.error("title", "Enter the questionnaire's title")
    questions = draft["questions"]
    if not questions:
        w.error("questions", "Add at least one question")
    sets: dict[str, list[str]] = {}
    en_items, hints, labels = {}, {}, {}
    items = []
    for index, question in enumerate(questions):
        item = _item(w, index, question, sets, labels)
        items.append(item)
        en_items[question["item_id"]] = question["text"].strip()
        if (question["hint"] or "").strip():
            hints[question["item_id"]] = question["hint"].strip()
    if any(q["kind"] == "yes_no" for q in questions):
        labels.setdefault("yes_no", dict(YES_NO))
    if sets:
        document["option_sets"] = sets
    document["items"] = items
    document["pages"] = _pages(w, questions, draft["rules"], items)
    en["items"] = en_items
    if hints:
        en["hints"] = hints
    if labels:
        en["options"] = labels
    document["texts"] = {"en": en}
    dropped = _keep_languages(document, original)
    return document, w.errors, dropped


def _field(index: int, name: str) -> str:
    return f"questions-{index}-{name}"


def _item(w: _Writer, index: int, q: dict, sets: dict, labels: dict) -> dict[str, Any]:
    number = index + 1
    item_id, kind = q["item_id"], q["kind"]
    item: dict[str, Any] = {"id": item_id, "kind": kind}
    if not (q["text"] or "").strip():
        w.error(_field(index, "text"), f"Enter the text of question {number}")
    if kind not in KIND_NAMES:
        w.error(_field(index, "kind"), f"Choose what kind of answer question {number} takes")
        return item
    if not q.get("required", True):
        item["required"] = False
    answers: dict[str, str] = {}  # every way of writing an answer -> its value
    if kind in CHOICE_KINDS:
        answers = _choices(w, index, q, item, sets, labels)
        if kind == "multiple_choice" and (q["max_choices"] or "").strip():
            item["max_choices"] = w.whole(
                _field(index, "max_choices"),
                q["max_choices"],
                f"Enter the most answers someone may choose for question {number} as a "
                "whole number, like 3",
            )
    elif kind == "rating_scale":
        answers = _rating(w, index, q, item, labels)
    elif kind == "yes_no":
        answers = {"yes": "yes", "no": "no"}
    elif (q["max_length"] or "").strip():
        item["max_length"] = w.whole(
            _field(index, "max_length"),
            q["max_length"],
            f"Enter the most letters an answer to question {number} may have as a whole "
            "number, like 200",
        )
    concerns = [line.strip() for line in (q["concerns"] or "").splitlines() if line.strip()]
    if concerns and kind in TEXT_KINDS:
        w.error(
            _field(index, "concerns"),
            f"Question {number} takes a written answer: only an answer from a list, yes or "
            "no, or a number on a scale can raise a concern",
        )
    elif concerns:
        values = []
        for concern in concerns:
            value = answers.get(concern.lower())
            if value is None:
                w.error(
                    _field(index, "concerns"),
                    f"“{concern}” is not one of the answers to question {number}",
                )
            elif value not in values:
                values.append(value)
        item["concerns"] = values
    q["_answers"] = answers
    return item


def _choices(w: _Writer, index: int, q: dict, item: dict, sets: dict, labels: dict) -> dict:
    number = index + 1
    lines = [line.strip() for line in (q["options"] or "").splitlines() if line.strip()]
    if len(lines) < 2:
        w.error(
            _field(index, "options"),
            f"Give question {number} at least 2 options, each on its own line",
        )
    if len({line.lower() for line in lines}) != len(lines):
        w.error(_field(index, "options"), f"Question {number} has the same option twice")
    try:
        known = json.loads(q.get("known_values") or "{}")
    except ValueError:
        known = {}
    taken: set[str] = set()
    named: dict[str, str] = {}
    for position, line in enumerate(lines, start=1):
        value = known.get(line) if isinstance(known, dict) else None
        if not isinstance(value, str) or value in taken:
            value = unique(slug(line, "_") or f"option_{position}", taken, "_")
        taken.add(value)
        named[value] = line
    values = list(named)
    key = q.get("option_set") or ""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,62}", key):
        key = q["item_id"]
    if key in sets and (sets[key] != values or labels.get(key) != named):
        key = q["item_id"] if q["item_id"] not in sets else f"{q['item_id']}_options"
    sets[key] = values
    labels[key] = named
    item["options"] = key
    q["_option_set"] = key
    answers = {value.lower(): value for value in values}
    answers.update({label.lower(): value for value, label in named.items()})
    return answers


def _rating(w: _Writer, index: int, q: dict, item: dict, labels: dict) -> dict:
    number = index + 1
    low = w.whole(
        _field(index, "min"),
        q["min"],
        f"Enter the lowest point of question {number}'s scale as a whole number, like 1",
        minimum=0,
    )
    high = w.whole(
        _field(index, "max"),
        q["max"],
        f"Enter the highest point of question {number}'s scale as a whole number, like 5",
        minimum=0,
    )
    item["min"], item["max"] = low, high
    if low is not None and high is not None and low >= high:
        w.error(
            _field(index, "min"),
            f"The lowest point of question {number}'s scale must be below its highest",
        )
        return {}
    points: dict[str, str] = {}
    for line in (q["point_labels"] or "").splitlines():
        if not line.strip():
            continue
        point, _, text = line.partition(":")
        point = point.strip()
        if not point.isdigit() or not text.strip():
            w.error(
                _field(index, "point_labels"),
                f"Write each label of question {number} as the point, a colon and the label, "
                "like 1: really bad",
            )
        elif low is not None and high is not None and not low <= int(point) <= high:
            w.error(
                _field(index, "point_labels"),
                f"Point {point} is not on question {number}'s scale of {low} to {high}",
            )
        else:
            points[str(int(point))] = text.strip()
    if points:
        labels[q["item_id"]] = points
    if low is None or high is None:
        return {}
    return {str(n): str(n) for n in range(low, high + 1)}


def _pages(w: _Writer, questions: list[dict], rules: list[dict], items: list[dict]) -> list:
    pages: list[Any] = []
    numbers = {q["item_id"]: i + 1 for i, q in enumerate(questions)}
    by_id = {q["item_id"]: q for q in questions}
    for page in sorted({q["page"] for q in questions}):
        ids = [q["item_id"] for q in questions if q["page"] == page]
        rule = next((r for r in rules if r["page"] == page), None)
        if rule is None or not (rule["item"] or rule["answer"] or "").strip():
            pages.append(ids)
            continue
        position = rules.index(rule)
        skip = _skip_rule(w, position, page, rule, by_id, numbers)
        pages.append({"items": ids, "skip_if": skip} if skip else ids)
    return pages


def _skip_rule(w, position, page, rule, by_id, numbers) -> dict | None:
    field = f"rules-{position}-"
    source = by_id.get(rule["item"] or "")
    answer = (rule["answer"] or "").strip()
    if source is None:
        w.error(field + "item", f"Choose the question whose answer skips page {page}")
        return None
    number = numbers[rule["item"]]
    if source["page"] >= page:
        w.error(
            field + "item",
            f"Question {number} is not on an earlier page: page {page} can only be skipped by "
            "an answer given before it",
        )
        return None
    if source["kind"] in TEXT_KINDS:
        w.error(
            field + "item",
            f"Question {number} takes a written answer: choose a question with answers to "
            "pick from",
        )
        return None
    if not answer:
        w.error(field + "answer", f"Enter the answer that skips page {page}")
        return None
    value = source.get("_answers", {}).get(answer.lower())
    if value is None:
        w.error(field + "answer", f"“{answer}” is not one of the answers to question {number}")
        return None
    return {"item": rule["item"], "answer": value}


# --- Other languages ----------------------------------------------------------------------


def shape(document: dict[str, Any] | None) -> Any:
    """What a translation must match: the questions, their answers, and which optional
    words (hints, description, prompt, labelled points) there are."""
    if not document:
        return None
    en = document.get("texts", {}).get("en", {})
    return (
        [
            (i["id"], i["kind"], i.get("options"), i.get("min"), i.get("max"))
            for i in document.get("items", [])
        ],
        {k: [str(v) for v in vs] for k, vs in document.get("option_sets", {}).items()},
        sorted(en.get("hints", {})),
        {k: sorted(map(str, v)) for k, v in en.get("options", {}).items()},
        "description" in en,
        "prompt" in en,
    )


def other_languages(document: dict[str, Any] | None) -> list[str]:
    return [code for code in (document or {}).get("texts", {}) if code != "en"]


def _keep_languages(document: dict[str, Any], original: dict | None) -> list[str]:
    """Copy the other languages' texts when the English has the same shape; otherwise they
    are left out, and their codes returned so the page can say so."""
    codes = other_languages(original)
    if not codes:
        return []
    if shape(document) != shape(original):
        return codes
    for code in codes:
        document["texts"][code] = copy.deepcopy(original["texts"][code])
    return []


def without_other_languages(document: dict[str, Any]) -> list[str]:
    codes = other_languages(document)
    for code in codes:
        del document["texts"][code]
    return codes


# --- The store's problems, tied to fields --------------------------------------------------

_ITEM_FIELDS = {
    "min": "min",
    "max": "max",
    "max_length": "max_length",
    "max_choices": "max_choices",
    "concerns": "concerns",
    "options": "options",
    "kind": "kind",
    "id": "item_id",
    "required": "required",
}
_TOP_FIELDS = {
    "id": "title",
    "estimated_minutes": "estimated_minutes",
    "ages": "ages_min",
    "co_written": "co_written",
    "texts.en.title": "title",
    "texts.en.description": "description",
    "texts.en.prompt": "prompt",
}


def field_for(path: str, draft: dict[str, Any]) -> str:
    """The field (or anchor) a store problem at `path` belongs to."""
    questions = draft["questions"]
    index_of = {q["item_id"]: i for i, q in enumerate(questions)}
    sets = {q.get("_option_set") or q.get("option_set"): i for i, q in enumerate(questions)}
    match = re.match(r"items\[(\d+)\](?:\.(\w+))?", path)
    if match and int(match.group(1)) < len(questions):
        return _field(int(match.group(1)), _ITEM_FIELDS.get(match.group(2) or "", "text"))
    match = re.match(r"pages\[(\d+)\](.*)", path)
    if match:
        page = int(match.group(1)) + 1
        position = next((i for i, r in enumerate(draft["rules"]) if r["page"] == page), None)
        if position is not None and "skip_if" in match.group(2):
            return f"rules-{position}-" + ("answer" if "answer" in match.group(2) else "item")
        return "questions"
    match = re.match(r"texts\.en\.(items|hints|options)\.(\w+)", path)
    if match:
        part, key = match.groups()
        if part == "options" and key in sets:
            return _field(sets[key], "options")
        if key in index_of:
            i = index_of[key]
            name = {"items": "text", "hints": "hint"}.get(part)
            if name is None:
                kind = questions[i]["kind"]
                name = "point_labels" if kind == "rating_scale" else "options"
            return _field(i, name)
    match = re.match(r"option_sets\.(\w+)", path)
    if match and match.group(1) in sets:
        return _field(sets[match.group(1)], "options")
    for prefix, field in _TOP_FIELDS.items():
        if path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "["):
            return field
    return "questions"
