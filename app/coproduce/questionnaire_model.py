"""A questionnaire as the editor holds it (a "draft": what the form's fields say), and the
instrument document (exactly what a surveys/*.yaml file holds) it is read from and written
to. Pure: no Flask, no database.

The draft is a dict whose keys are the editor's field names, so a form fills it and it fills
a form. Each question carries its page number; pages are the groups of questions with the
same number, and each page after the first may have a rule "skip this page if the answer to
an earlier question was ...", written as `{items: [...], skip_if: {item, answer}}`.
"""

from __future__ import annotations

import json
from typing import Any

from app.coproduce import framework_document
from app.coproduce.framework_document import slug

KINDS = (
    ("single_choice", "One answer from a list"),
    ("multiple_choice", "One or more answers from a list"),
    ("rating_scale", "A number on a scale"),
    ("yes_no", "Yes or no"),
    ("short_text", "A few words"),
    ("long_text", "A longer written answer"),
)
KIND_NAMES = dict(KINDS)
CHOICE_KINDS = ("single_choice", "multiple_choice")
TEXT_KINDS = ("short_text", "long_text")
YES_NO = {"yes": "Yes", "no": "No"}
DEFAULT_SOURCE = "Written on screen by the project with young people."

# An error for the page: (the field's id, or an anchor, and the message).
Error = tuple[str, str]


# --- Ids ----------------------------------------------------------------------------------


def unique(base: str, taken: set[str], separator: str) -> str:
    """The framework editor's rule for a free id, the id then counted as taken."""
    value = framework_document.unique(base, taken, base, separator)
    taken.add(value)
    return value


# --- A draft ------------------------------------------------------------------------------


def blank_question(page: int = 1) -> dict[str, Any]:
    return {
        "item_id": "",
        "text": "",
        "hint": "",
        "kind": "single_choice",
        "required": True,
        "options": "",
        "option_set": "",
        "known_values": "",
        "max_choices": "",
        "min": "1",
        "max": "5",
        "point_labels": "",
        "max_length": "",
        "concerns": "",
        "page": page,
    }


def blank_draft(title: str = "", start: str = "") -> dict[str, Any]:
    return {
        "title": title,
        "description": "",
        "prompt": "",
        "estimated_minutes": "3",
        "ages_min": "",
        "co_written": "",
        "start": start,
        "questions": [blank_question()],
        "rules": [],
    }


def draft_from_document(document: dict[str, Any], start: str = "") -> dict[str, Any]:
    """The editor's fields for an instrument document (a questionnaire)."""
    en = document.get("texts", {}).get("en", {})
    labels = en.get("options", {})
    sets = document.get("option_sets", {})
    items = {item["id"]: item for item in document.get("items", [])}
    page_of, rules = {}, []
    for number, page in enumerate(_pages(document), start=1):
        ids = page["items"] if isinstance(page, dict) else page
        for item_id in ids:
            page_of[item_id] = number
        rule = page.get("skip_if") if isinstance(page, dict) else None
        if rule:
            answer = _label_of(items.get(rule["item"], {}), rule["answer"], sets, labels)
            rules.append({"page": number, "item": rule["item"], "answer": answer})
    questions = []
    for item in document.get("items", []):
        question = blank_question(page_of.get(item["id"], 1))
        kind = item["kind"]
        question.update(
            item_id=item["id"],
            text=en.get("items", {}).get(item["id"], ""),
            hint=en.get("hints", {}).get(item["id"], ""),
            kind=kind,
            required=item.get("required", True),
            max_choices=str(item.get("max_choices", "")),
            max_length=str(item.get("max_length", "")),
            min=str(item.get("min", 1)),
            max=str(item.get("max", 5)),
        )
        if kind in CHOICE_KINDS:
            values = [str(v) for v in sets.get(item["options"], [])]
            named = _option_labels(item, values, labels)
            question["options"] = "\n".join(named[v] for v in values)
            question["option_set"] = item["options"]
            question["known_values"] = json.dumps({named[v]: v for v in values})
        if kind == "rating_scale":
            points = labels.get(item["id"], {})
            question["point_labels"] = "\n".join(f"{k}: {v}" for k, v in points.items())
        question["concerns"] = "\n".join(
            _label_of(item, value, sets, labels) for value in item.get("concerns", [])
        )
        questions.append(question)
    return {
        "title": en.get("title", ""),
        "description": en.get("description", ""),
        "prompt": en.get("prompt", ""),
        "estimated_minutes": str(document.get("estimated_minutes", "")),
        "ages_min": str(document.get("ages", {}).get("min", "")),
        "co_written": document.get("co_written", ""),
        "start": start,
        "questions": questions or [blank_question()],
        "rules": rules,
    }


def _pages(document: dict[str, Any]) -> list:
    return document.get("pages") or [[item["id"] for item in document.get("items", [])]]


def _option_labels(item: dict, values: list[str], labels: dict) -> dict[str, str]:
    own = labels.get(item["id"], {})
    shared = labels.get(item.get("options", ""), {})
    return {v: str(own.get(v, shared.get(v, v))) for v in values}


def _label_of(item: dict, value: Any, sets: dict, labels: dict) -> str:
    """How the editor shows an answer value: its English label where it has one."""
    value = str(value)
    kind = item.get("kind")
    if kind in CHOICE_KINDS:
        values = [str(v) for v in sets.get(item["options"], [])]
        return _option_labels(item, values, labels).get(value, value)
    if kind == "yes_no":
        own = {**YES_NO, **labels.get("yes_no", {}), **labels.get(item["id"], {})}
        return str(own.get(value, value))
    return value


def normalise(draft: dict[str, Any]) -> dict[str, Any]:
    """Pages numbered 1, 2, 3 with no gaps, questions in page order, an id for every question
    (derived from its text when left blank), and one rule slot for each page after the
    first. Done after every submit, so the page always shows what will be saved."""
    questions = draft["questions"]
    for question in questions:
        question["page"] = _whole(question.get("page")) or 1
    old_pages = sorted({q["page"] for q in questions})
    renumber = {old: new for new, old in enumerate(old_pages, start=1)}
    for question in questions:
        question["page"] = renumber[question["page"]]
    questions.sort(key=lambda q: q["page"])  # stable: keeps the order within a page
    taken = {q["item_id"].strip() for q in questions if q["item_id"].strip()}
    seen: set[str] = set()
    for number, question in enumerate(questions, start=1):
        question["item_id"] = question["item_id"].strip()
        if question["item_id"] in seen:
            question["item_id"] = ""
        if not question["item_id"] and (question["text"] or "").strip():
            # Named once it says something, and kept after: answers are kept by this name.
            base = slug(question["text"], "_") or f"question_{number}"
            question["item_id"] = unique(base, taken, "_")
        if question["item_id"]:
            seen.add(question["item_id"])
    rules_by_page = {}
    for rule in draft.get("rules", []):
        page = renumber.get(_whole(rule.get("page")))
        if page:
            rules_by_page[page] = rule
    draft["rules"] = [
        {
            "page": page,
            "item": (rules_by_page.get(page) or {}).get("item") or "",
            "answer": (rules_by_page.get(page) or {}).get("answer") or "",
        }
        for page in range(2, len(old_pages) + 1)
    ]
    return draft


def page_count(draft: dict[str, Any]) -> int:
    return max([q["page"] for q in draft["questions"]] or [1])


# --- Adding, removing and moving (the editor's buttons) ------------------------------------


def apply_action(draft: dict[str, Any], action: str) -> bool:
    """Carry out a button's action on the draft; False for an action not known."""
    name, _, argument = action.partition("-")
    questions = draft["questions"]
    index = _whole(argument)
    if name == "add_question":
        page = index if index and index <= page_count(draft) else page_count(draft)
        last = max((i for i, q in enumerate(questions) if q["page"] == page), default=-1)
        questions.insert(last + 1, blank_question(page))
    elif name == "add_page":
        questions.append(blank_question(page_count(draft) + 1))
    elif index is None or not 0 <= index < len(questions):
        return False
    elif name == "remove_question":
        removed = questions.pop(index)
        draft["rules"] = [r for r in draft["rules"] if r["item"] != removed["item_id"]]
        if not questions:
            questions.append(blank_question())
    elif name == "move_up":
        _move(questions, index, -1)
    elif name == "move_down":
        _move(questions, index, +1)
    else:
        return False
    normalise(draft)
    return True


def _move(questions: list[dict], index: int, step: int) -> None:
    """Up or down one place within its page; past the page's edge, onto the page before or
    after (a new page when moving down off the last one)."""
    question = questions[index]
    other = index + step
    if 0 <= other < len(questions) and questions[other]["page"] == question["page"]:
        questions[index], questions[other] = questions[other], question
    elif step < 0 and question["page"] > 1:
        question["page"] -= 1
    elif step > 0:
        question["page"] += 1
        # First on the next page: before that page's questions.
        questions.pop(index)
        first = next((i for i, q in enumerate(questions) if q["page"] >= question["page"]), None)
        questions.insert(len(questions) if first is None else first, question)


def _whole(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
