"""The questionnaire editor's draft and the instrument document: a questionnaire read into the
editor and saved unchanged is the same file, its languages kept; changed in shape, its other
languages are left out; buttons move questions between pages as a person expects."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from app.coproduce.questionnaire_document import document_from_draft, field_for
from app.coproduce.questionnaire_model import (
    apply_action,
    blank_question,
    draft_from_document,
    normalise,
)
from app.instruments.loader import check_document

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"
ROUTED = Path(__file__).resolve().parents[1] / "fixtures" / "routed" / "club-visits-1.yaml"


def questionnaires():
    files = [*SURVEYS.glob("*.yaml"), ROUTED]
    documents = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in files]
    return [d for d in documents if d.get("type") == "questionnaire"]


@pytest.mark.parametrize("document", questionnaires(), ids=lambda d: d["id"])
def test_a_questionnaire_read_into_the_editor_and_saved_unchanged_is_the_same(document):
    draft = normalise(draft_from_document(copy.deepcopy(document)))
    written, errors, dropped = document_from_draft(
        draft, document["id"], document["version"], document
    )
    assert errors == [] and dropped == []
    assert written == document
    check_document(written, "editor")


def service_feedback():
    return yaml.safe_load((SURVEYS / "service-feedback-1.yaml").read_text(encoding="utf-8"))


def test_new_wording_keeps_the_translations_and_a_new_option_drops_them():
    original = service_feedback()
    draft = normalise(draft_from_document(copy.deepcopy(original)))
    draft["questions"][0]["text"] = "How often do you come to the club?"
    written, errors, dropped = document_from_draft(draft, "club", 1, original)
    assert errors == [] and dropped == []
    assert written["texts"]["cy"] == original["texts"]["cy"]

    draft["questions"][0]["options"] += "\nEvery day"
    written, errors, dropped = document_from_draft(draft, "club", 1, original)
    assert errors == []
    assert set(dropped) == set(original["texts"]) - {"en"}
    assert list(written["texts"]) == ["en"]
    assert written["option_sets"]["visit_frequency"][-1] == "every_day"
    check_document(written, "editor")


def draft_of(*pages_and_texts):
    questions = []
    for page, text in pages_and_texts:
        question = blank_question(page)
        question.update(text=text, kind="yes_no")
        questions.append(question)
    return normalise({"questions": questions, "rules": []})


def texts(draft):
    return [(q["page"], q["text"]) for q in draft["questions"]]


def test_moving_past_the_edge_of_a_page_goes_onto_the_next_or_previous_page():
    draft = draft_of((1, "A"), (1, "B"), (2, "C"))
    apply_action(draft, "move_down-1")
    assert texts(draft) == [(1, "A"), (2, "B"), (2, "C")]
    apply_action(draft, "move_up-1")
    assert texts(draft) == [(1, "A"), (1, "B"), (2, "C")]
    apply_action(draft, "move_down-1")
    apply_action(draft, "move_down-1")
    assert texts(draft) == [(1, "A"), (2, "C"), (2, "B")]
    apply_action(draft, "move_down-2")  # last on the last page: onto a new page 3
    assert texts(draft) == [(1, "A"), (2, "C"), (3, "B")]
    assert [rule["page"] for rule in draft["rules"]] == [2, 3]
    apply_action(draft, "move_up-2")
    assert texts(draft) == [(1, "A"), (2, "C"), (2, "B")]
    assert [rule["page"] for rule in draft["rules"]] == [2]
    apply_action(draft, "remove_question-0")
    # Page 1 emptied: the pages are numbered again from 1.
    assert texts(draft) == [(1, "C"), (1, "B")]
    assert draft["rules"] == []
    assert apply_action(draft, "remove_question-9") is False


def test_a_question_is_named_from_its_words_once_it_has_some():
    draft = draft_of((1, ""), (1, "Do you feel safe?"), (1, "Do you feel safe?"))
    assert [q["item_id"] for q in draft["questions"]] == [
        "",
        "do_you_feel_safe",
        "do_you_feel_safe_2",
    ]


def test_the_stores_problems_are_tied_to_the_fields_that_hold_them():
    draft = draft_of((1, "A?"), (2, "B?"))
    draft["rules"][0].update(item="a", answer="no")
    assert field_for("items[1].max", draft) == "questions-1-max"
    assert field_for("texts.en.items.b", draft) == "questions-1-text"
    assert field_for("texts.en.hints.a", draft) == "questions-0-hint"
    assert field_for("pages[1].skip_if.answer", draft) == "rules-0-answer"
    assert field_for("texts.en.title", draft) == "title"
    assert field_for("something.else", draft) == "questions"
