"""The forms of the framework and mystery-shop editor.

Starting one is a WTForms form. The editor itself has rows that come and go (characteristics,
scale points, steps and their checklist questions): it is read from the posted fields into a
plain state (app.coproduce.framework_document), changed by the button pressed (each a submit
button, so it all works without JavaScript), and checked here before the store checks the
document by every rule a file meets. Problems are (field id, message) pairs: the error
summary links each to its field; a problem that names no field has None.
"""

from __future__ import annotations

import re
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from app.coproduce.framework_document import (
    CHANNELS,
    DEFAULT_LABELS,
    MAX_CHARACTERISTICS,
    MAX_POINTS,
    MIN_POINTS,
    slug,
    unique,
)
from app.instruments.model import Problem

TEXT_LIMIT = 500
LONG_LIMIT = 2000
ROW_ID = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class StartForm(FlaskForm):
    start = RadioField("Start from", widget=GovRadioInput(), validators=[InputRequired()])
    title = StringField(
        "Title",
        validators=[InputRequired("Enter a title"), Length(max=200)],
        widget=GovTextInput(),
    )
    instrument_id = StringField(
        "Short name (optional)",
        description="Lower-case letters, digits and hyphens, like riverside-framework. "
        "Leave it blank to make one from the title. It never changes once saved.",
        validators=[
            Optional(),
            Length(max=63),
            Regexp(
                r"^[a-z][a-z0-9-]*$",
                message="Use lower-case letters, digits and hyphens, starting with a letter",
            ),
        ],
        widget=GovTextInput(),
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


# --- The editor ---------------------------------------------------------------------------


def _field(form, name: str, limit: int = TEXT_LIMIT) -> str:
    """A posted value, tidied; kept to twice its limit, so a long one is named, not cut."""
    return (form.get(name) or "").replace("\r\n", "\n").strip()[: limit * 2]


def _indexes(form, prefix: str) -> list[int]:
    """The row numbers posted under `prefix` (e.g. characteristics-3-text), in order."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)-")
    found = {int(m.group(1)) for key in form for m in [pattern.match(key)] if m}
    return sorted(n for n in found if n < 100)


def state_from_form(form, kind: str) -> dict[str, Any]:
    """The editor's state from what was posted (every row in the order the page had it)."""
    characteristics = [
        {
            "id": _field(form, f"characteristics-{n}-id", 63),
            "text": _field(form, f"characteristics-{n}-text"),
            "hint": _field(form, f"characteristics-{n}-hint"),
            "good": _field(form, f"characteristics-{n}-good", LONG_LIMIT),
        }
        for n in _indexes(form, "characteristics")
    ]
    labels = [_field(form, f"labels-{n}-text", 100) for n in _indexes(form, "labels")]
    state: dict[str, Any] = {
        "title": _field(form, "title", 200),
        "description": _field(form, "description", LONG_LIMIT),
        "prompt": _field(form, "prompt", LONG_LIMIT),
        "estimated_minutes": _field(form, "estimated_minutes", 10),
        "ages_min": _field(form, "ages_min", 10),
        "co_written": _field(form, "co_written", 300),
        "characteristics": characteristics,
        "points": _field(form, "points", 10),
        "labels": labels,
        "not_observed": form.get("not_observed") == "yes",
        "evidence": form.get("evidence") == "yes",
        "evidence_required": form.get("evidence_required") == "yes",
        "evidence_prompt": _field(form, "evidence_prompt"),
        "channels": [c for c in form.getlist("channels") if c in CHANNELS],
        "scenario": _field(form, "scenario", LONG_LIMIT),
        "steps": [],
    }
    if kind == "mystery_shop":
        for n in _indexes(form, "steps"):
            questions = [
                {
                    "id": _field(form, f"steps-{n}-questions-{q}-id", 63),
                    "text": _field(form, f"steps-{n}-questions-{q}-text"),
                }
                for q in _indexes(form, f"steps-{n}-questions")
            ]
            state["steps"].append(
                {
                    "id": _field(form, f"steps-{n}-id", 63),
                    "text": _field(form, f"steps-{n}-text", LONG_LIMIT),
                    "questions": questions,
                }
            )
    return state


def _points(state) -> int | None:
    value = state["points"]
    return int(value) if value.isdigit() else None


def resize_labels(state) -> None:
    """As many label rows as the scale has points, keeping the labels already written."""
    points = _points(state)
    if points is None or not MIN_POINTS <= points <= MAX_POINTS:
        return
    labels = state["labels"][:points]
    defaults = DEFAULT_LABELS.get(points, [])
    for n in range(len(labels), points):
        labels.append(defaults[n] if n < len(defaults) else "")
    state["labels"] = labels


def apply_action(state, action: str) -> list[tuple[str | None, str]]:
    """Change the rows as the button pressed asks; returns any problem with doing so."""
    name, _, where = action.partition(":")
    numbers = [int(n) for n in where.split("-") if n.isdigit()] if where else []
    rows = state["characteristics"]
    if name == "add_characteristic":
        if len(rows) >= MAX_CHARACTERISTICS:
            return [
                (
                    f"characteristics-{len(rows) - 1}-text",
                    f"A framework has at most {MAX_CHARACTERISTICS} characteristics",
                )
            ]
        rows.append({"id": "", "text": "", "hint": "", "good": ""})
    elif name in ("remove_characteristic", "up_characteristic", "down_characteristic"):
        if len(numbers) != 1 or not 0 <= numbers[0] < len(rows):
            return []
        n = numbers[0]
        if name == "remove_characteristic":
            rows.pop(n)
        elif name == "up_characteristic" and n > 0:
            rows[n - 1], rows[n] = rows[n], rows[n - 1]
        elif name == "down_characteristic" and n < len(rows) - 1:
            rows[n + 1], rows[n] = rows[n], rows[n + 1]
    elif name == "set_points":
        problem = _points_problem(state)
        if problem:
            return [problem]
        resize_labels(state)
    elif name == "add_step":
        state["steps"].append({"id": "", "text": "", "questions": [{"id": "", "text": ""}]})
    elif name == "remove_step" and len(numbers) == 1 and numbers[0] < len(state["steps"]):
        state["steps"].pop(numbers[0])
    elif name == "add_question" and len(numbers) == 1 and numbers[0] < len(state["steps"]):
        state["steps"][numbers[0]]["questions"].append({"id": "", "text": ""})
    elif name == "remove_question" and len(numbers) == 2 and numbers[0] < len(state["steps"]):
        questions = state["steps"][numbers[0]]["questions"]
        if numbers[1] < len(questions):
            questions.pop(numbers[1])
    return []


def _points_problem(state) -> tuple[str, str] | None:
    points = _points(state)
    if points is None or not MIN_POINTS <= points <= MAX_POINTS:
        return (
            "points",
            f"Enter a number of points from {MIN_POINTS} to {MAX_POINTS}: a scale needs at "
            f"least {MIN_POINTS} points to rate anything",
        )
    return None


def fill_ids(state) -> None:
    """Give every row without an id one made from its words (unique on the form: the
    characteristics, checklist questions and their evidence notes are one form's fields)."""
    taken = {row["id"] for row in state["characteristics"] if row["id"]}
    for step in state["steps"]:
        taken |= {q["id"] for q in step["questions"] if q["id"]}
    for number, row in enumerate(state["characteristics"], 1):
        if not row["id"] and row["text"]:
            row["id"] = unique(slug(row["text"], "_"), taken, f"characteristic_{number}", "_")
            taken.add(row["id"])
    step_ids = {step["id"] for step in state["steps"] if step["id"]}
    for number, step in enumerate(state["steps"], 1):
        if not step["id"] and step["text"]:
            step["id"] = unique(slug(step["text"], "_"), step_ids, f"step_{number}", "_")
            step_ids.add(step["id"])
        for question in step["questions"]:
            if not question["id"] and question["text"]:
                question["id"] = unique(slug(question["text"], "_"), taken, "question", "_")
                taken.add(question["id"])


def check_state(state, kind: str) -> list[tuple[str | None, str]]:
    """What must be right before the document is built; the store checks the rest."""
    problems: list[tuple[str | None, str]] = []
    if not state["title"]:
        problems.append(("title", "Enter a title"))
    problems.extend(_lengths(state))
    if not state["estimated_minutes"]:
        problems.append(("estimated_minutes", "Enter how many minutes it takes, like 15"))
    for key, what in (("estimated_minutes", "minutes"), ("ages_min", "age")):
        value = state[key]
        if value and (not value.isdigit() or not 0 < int(value) <= 120):
            problems.append((key, f"Enter the {what} as a whole number, like 15"))
    rows = state["characteristics"]
    if not rows:
        problems.append((None, "Add at least 1 characteristic"))
    if len(rows) > MAX_CHARACTERISTICS:
        problems.append(
            (
                f"characteristics-{MAX_CHARACTERISTICS}-text",
                f"A framework has 1 to {MAX_CHARACTERISTICS} characteristics: remove "
                f"{len(rows) - MAX_CHARACTERISTICS}",
            )
        )
    for n, row in enumerate(rows):
        if not row["text"]:
            problems.append(
                (f"characteristics-{n}-text", f"Enter the words for characteristic {n + 1}")
            )
        if row["id"] and not ROW_ID.match(row["id"]):
            problems.append(
                (
                    f"characteristics-{n}-id",
                    f"The short name of characteristic {n + 1} must be lower-case letters, "
                    "digits and _, starting with a letter",
                )
            )
    points_problem = _points_problem(state)
    if points_problem:
        problems.append(points_problem)
    else:
        resize_labels(state)
        for n, label in enumerate(state["labels"]):
            if not label:
                problems.append((f"labels-{n}-text", f"Enter a label for point {n + 1}"))
    if state["evidence"] and not state["evidence_prompt"]:
        problems.append(("evidence_prompt", "Enter the question that asks for evidence"))
    if kind == "mystery_shop":
        problems.extend(_check_shop(state))
    return problems


LIMITS = {
    "title": 200,
    "description": LONG_LIMIT,
    "prompt": LONG_LIMIT,
    "co_written": 300,
    "evidence_prompt": TEXT_LIMIT,
    "scenario": LONG_LIMIT,
}


def _lengths(state) -> list[tuple[str | None, str]]:
    """Words longer than a page shows well are named, never cut short."""
    found = [
        (key, f"Keep this to {limit} characters or fewer")
        for key, limit in LIMITS.items()
        if len(state[key]) > limit
    ]
    for n, row in enumerate(state["characteristics"]):
        for key, limit in (("text", TEXT_LIMIT), ("hint", TEXT_LIMIT), ("good", LONG_LIMIT)):
            if len(row[key]) > limit:
                found.append(
                    (f"characteristics-{n}-{key}", f"Keep this to {limit} characters or fewer")
                )
    for n, label in enumerate(state["labels"]):
        if len(label) > 100:
            found.append((f"labels-{n}-text", "Keep this to 100 characters or fewer"))
    for n, step in enumerate(state["steps"]):
        if len(step["text"]) > LONG_LIMIT:
            found.append((f"steps-{n}-text", f"Keep this to {LONG_LIMIT} characters or fewer"))
        for q, question in enumerate(step["questions"]):
            if len(question["text"]) > TEXT_LIMIT:
                found.append(
                    (
                        f"steps-{n}-questions-{q}-text",
                        f"Keep this to {TEXT_LIMIT} characters or fewer",
                    )
                )
    return found


def _check_shop(state) -> list[tuple[str | None, str]]:
    problems: list[tuple[str | None, str]] = []
    if not state["channels"]:
        problems.append(("channels", "Choose how the mystery shopper gets in touch"))
    if not state["scenario"]:
        problems.append(("scenario", "Enter the scenario the mystery shopper follows"))
    if not state["steps"]:
        problems.append((None, "Add at least 1 step"))
    for n, step in enumerate(state["steps"]):
        if not step["text"]:
            problems.append((f"steps-{n}-text", f"Enter what to do in step {n + 1}"))
        for q, question in enumerate(step["questions"]):
            if not question["text"]:
                problems.append(
                    (
                        f"steps-{n}-questions-{q}-text",
                        f"Enter checklist question {q + 1} of step {n + 1}",
                    )
                )
    if state["steps"] and not any(step["questions"] for step in state["steps"]):
        problems.append((None, "Add a checklist question to at least 1 step"))
    return problems


# --- The store's problems, placed on the form ---------------------------------------------

_SIMPLE = {
    "estimated_minutes": "estimated_minutes",
    "ages": "ages_min",
    "co_written": "co_written",
    "framework.rating": "points",
    "framework.evidence_note": "evidence",
    "mystery_shop.channels": "channels",
    "texts.en.title": "title",
    "texts.en.description": "description",
    "texts.en.prompt": "prompt",
    "texts.en.evidence_prompt": "evidence_prompt",
    "texts.en.scenario": "scenario",
}


def field_for(path: str, state) -> str | None:
    """The form field a problem's path names, if any."""
    for prefix, field in _SIMPLE.items():
        if path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "["):
            return field
    if path.startswith("option_sets"):
        return "points"
    match = re.match(r"^framework\.characteristics\[(\d+)\]", path)
    if match and int(match.group(1)) < len(state["characteristics"]):
        return f"characteristics-{match.group(1)}-id"
    match = re.match(r"^mystery_shop\.steps\[(\d+)\](?:\.checklist\[(\d+)\])?", path)
    if match:
        step = int(match.group(1))
        if match.group(2) is not None:
            return f"steps-{step}-questions-{match.group(2)}-id"
        return f"steps-{step}-id"
    match = re.match(r"^texts\.en\.characteristics\.([a-z0-9_]+)", path)
    if match:
        for n, row in enumerate(state["characteristics"]):
            if row["id"] == match.group(1):
                return f"characteristics-{n}-{'hint' if '.hint' in path else 'text'}"
    match = re.match(r"^texts\.en\.(steps|checklist)\.([a-z0-9_]+)", path)
    if match:
        for n, step in enumerate(state["steps"]):
            if match.group(1) == "steps" and step["id"] == match.group(2):
                return f"steps-{n}-text"
            for q, question in enumerate(step["questions"]):
                if question["id"] == match.group(2):
                    return f"steps-{n}-questions-{q}-text"
    match = re.match(r"^texts\.en\.options\.[a-z0-9_]+\.(\d+)", path)
    if match and 0 < int(match.group(1)) <= len(state["labels"]):
        return f"labels-{int(match.group(1)) - 1}-text"
    return None


def placed(problems: list[Problem], state) -> list[tuple[str | None, str]]:
    """Each store problem on its field; one that names no field is listed as it is."""
    result = []
    for problem in problems:
        field = field_for(problem.path, state)
        if field is None:
            result.append(
                (None, f"{problem.path}: {problem.message}" if problem.path else problem.message)
            )
        else:
            result.append((field, _sentence(problem.message)))
    return result


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] if message else message
