"""A questionnaire's routing: a page skipped by an earlier answer, written as `skip_if` in
the instrument file, checked on loading with the place of each mistake, and applied to the
pages shown, their progress, the questions asked and the answers kept."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from app.instruments import InstrumentError, load_instruments, routing
from app.scoring import score

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "routed"
SURVEYS = Path(__file__).resolve().parents[2] / "surveys"


def questionnaire() -> dict:
    """A small questionnaire whose third page is skipped by a No on the first."""
    return {
        "id": "routed",
        "version": 1,
        "type": "questionnaire",
        "estimated_minutes": 1,
        "option_sets": {"colours": ["red", "blue"]},
        "items": [
            {"id": "pets", "kind": "yes_no"},
            {"id": "colours", "kind": "multiple_choice", "options": "colours"},
            {"id": "rating", "kind": "rating_scale", "min": 1, "max": 5},
            {"id": "note", "kind": "short_text", "required": False},
            {"id": "pet_name", "kind": "short_text"},
        ],
        "pages": [
            ["pets", "note"],
            ["colours", "rating"],
            {"items": ["pet_name"], "skip_if": {"item": "pets", "answer": "no"}},
        ],
        "texts": {
            "en": {
                "provenance": "project",
                "title": "Routed",
                "items": {
                    "pets": "Pets?",
                    "colours": "Colours?",
                    "rating": "Rating?",
                    "note": "Note?",
                    "pet_name": "Pet's name?",
                },
                "options": {
                    "colours": {"red": "Red", "blue": "Blue"},
                    "yes_no": {"yes": "Yes", "no": "No"},
                },
            }
        },
    }


def load(tmp_path: Path, data: dict):
    (tmp_path / "routed-1.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return load_instruments([tmp_path]).get("routed")


def broken(tmp_path: Path, change) -> list[str]:
    data = copy.deepcopy(questionnaire())
    change(data)
    path = tmp_path / "routed-1.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(InstrumentError) as caught:
        load_instruments([tmp_path])
    return [str(problem).removeprefix(f"{path}: ") for problem in caught.value.problems]


def rule(data: dict, item, answer) -> None:
    data["pages"][2]["skip_if"] = {"item": item, "answer": answer}


# --- The format ------------------------------------------------------------------------------


def test_a_page_with_a_rule_keeps_its_items_in_the_pages_and_its_rule_beside_them(tmp_path):
    instrument = load(tmp_path, questionnaire())
    assert instrument.pages == (("pets", "note"), ("colours", "rating"), ("pet_name",))
    assert instrument.page_count == 3
    assert [item.id for item in instrument.page_items(3)] == ["pet_name"]
    first, second, third = instrument.page_rules
    assert (first, second) == (None, None)
    assert (third.item, third.answer) == ("pets", "no")


def test_plain_pages_have_no_rules_and_the_shipped_instruments_do_not_route():
    registry = load_instruments([SURVEYS])
    assert all(instrument.page_rules == () for instrument in registry)


def test_a_rating_answer_may_be_written_as_a_bare_number(tmp_path):
    data = questionnaire()
    rule(data, "rating", 5)
    instrument = load(tmp_path, data)
    assert instrument.page_rules[2].answer == "5"
    assert routing.shown_pages(instrument, {"rating": "5"}) == [1, 2]
    assert routing.shown_pages(instrument, {"rating": "4"}) == [1, 2, 3]


# --- Mistakes are named where they are ---------------------------------------------------------


def test_a_rule_naming_an_unknown_item_is_named(tmp_path):
    found = broken(tmp_path, lambda d: rule(d, "dog", "no"))
    assert found == ["pages[2].skip_if.item: unknown item 'dog'"]


def test_a_rule_must_name_an_item_on_an_earlier_page(tmp_path):
    def on_this_page(data):
        data["pages"][2]["items"].append("rating")
        data["pages"][1].remove("rating")
        rule(data, "rating", "1")

    found = broken(tmp_path, on_this_page)
    assert found == [
        "pages[2].skip_if.item: item 'rating' is on this page: a page can only be skipped by "
        "an answer given on an earlier page"
    ]

    def later(data):
        data["pages"][1] = {"items": ["colours", "rating"], "skip_if": {"item": "pet_name",
                                                                       "answer": "x"}}  # fmt: skip
        data["pages"][2] = ["pet_name"]

    found = broken(tmp_path, later)
    assert found == [
        "pages[1].skip_if.item: item 'pet_name' is on page 3, after this one: a page can only "
        "be skipped by an answer given on an earlier page"
    ]


def test_a_rule_on_the_first_page_can_name_nothing_earlier(tmp_path):
    def first(data):
        data["pages"][0] = {"items": ["pets", "note"], "skip_if": {"item": "pets", "answer": "no"}}

    found = broken(tmp_path, first)
    assert found == [
        "pages[0].skip_if.item: item 'pets' is on this page: a page can only be skipped by an "
        "answer given on an earlier page"
    ]


@pytest.mark.parametrize(
    ("item", "answer", "allowed"),
    [
        ("pets", "maybe", "yes, no"),
        ("colours", "green", "red, blue"),
        ("rating", 6, "1, 2, 3, 4, 5"),
    ],
)
def test_a_rule_answer_must_be_one_of_the_items_answers(tmp_path, item, answer, allowed):
    found = broken(tmp_path, lambda d: rule(d, item, answer))
    assert found == [f"pages[2].skip_if.answer: {answer!r} is not an answer to {item!r} "
                     f"(one of {allowed})"]  # fmt: skip


def test_a_text_answer_cannot_skip_a_page(tmp_path):
    found = broken(tmp_path, lambda d: rule(d, "note", "nothing"))
    assert found == [
        "pages[2].skip_if.item: item 'note' is a short_text question: only a choice, yes/no or "
        "rating answer can skip a page"
    ]


def test_a_bare_yaml_no_is_explained(tmp_path):
    path = tmp_path / "routed-1.yaml"
    text = yaml.safe_dump(questionnaire(), sort_keys=False).replace("answer: 'no'", "answer: no")
    path.write_text(text)
    with pytest.raises(InstrumentError) as caught:
        load_instruments([tmp_path])
    (problem,) = caught.value.problems
    assert problem.path == "pages[2].skip_if.answer"
    assert "not false" in problem.message and "put the value in quotes" in problem.message


def test_a_rule_needs_its_item_and_answer_and_nothing_else(tmp_path):
    def half(data):
        data["pages"][2]["skip_if"] = {"item": "pets", "when": "no"}

    found = broken(tmp_path, half)
    assert "pages[2].skip_if.answer: is required: the answer to that item that skips this page" in (
        found
    )
    assert "pages[2].skip_if.when: unknown key" in found
    found = broken(tmp_path, lambda d: d["pages"][2].pop("items"))
    assert found[0] == "pages[2].items: is required: the page's item ids"


def test_an_unknown_item_on_a_page_with_a_rule_is_named_inside_its_items(tmp_path):
    found = broken(tmp_path, lambda d: d["pages"][2]["items"].append("cat"))
    assert found == ["pages[2].items[1]: unknown item 'cat'"]


def test_a_scale_never_routes(tmp_path):
    def scale(data):
        data["type"] = "scale"
        data["items"] = [i for i in data["items"] if i["id"] in ("pets", "rating", "pet_name")]
        data["items"][2] = {"id": "pet_name", "kind": "rating_scale", "min": 1, "max": 5}
        data["pages"] = [["pets"], ["rating"], data["pages"][2]]
        data["scoring"] = {
            "rule": "sum",
            "items": ["rating", "pet_name"],
            "complete_only": True,
            "range": {"min": 2, "max": 10},
        }
        del data["texts"]["en"]["items"]["colours"], data["texts"]["en"]["items"]["note"]
        del data["texts"]["en"]["options"]["colours"]
        data["licence"] = {"holder": "Someone", "name": "Scale", "notice": "Scale © Someone"}

    found = broken(tmp_path, scale)
    assert found == [
        "pages[2].skip_if: only a questionnaire may skip pages: a scale is answered in full "
        "(a scale's score needs every item)"
    ]


# --- Applying the rules ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def club():
    """The routed fixture: page 2 skipped by been_before "no", page 4 by activities
    including "nothing"."""
    return load_instruments([FIXTURES]).get("club-visits")


def test_pages_shown_follow_the_answers_so_far(club):
    assert routing.shown_pages(club, {}) == [1, 2, 3, 4]
    assert routing.shown_pages(club, {"been_before": "yes"}) == [1, 2, 3, 4]
    assert routing.shown_pages(club, {"been_before": "no"}) == [1, 3, 4]
    # For multiple choice, a rule's answer skips the page when the answers include it.
    assert routing.shown_pages(club, {"activities": ["sport", "nothing"]}) == [1, 2, 3]
    assert routing.shown_pages(club, {"activities": ["sport"]}) == [1, 2, 3, 4]
    assert routing.shown_pages(club, {"been_before": "no", "activities": ["nothing"]}) == [1, 3]


def test_moving_through_the_pages_passes_over_the_skipped_ones(club):
    answers = {"been_before": "no", "activities": ["nothing"]}
    assert routing.next_page(club, 1, answers) == 3
    assert routing.next_page(club, 3, answers) is None
    assert routing.previous_page(club, 3, answers) == 1
    assert routing.previous_page(club, 1, answers) is None
    assert routing.last_page(club, answers) == 3
    assert routing.last_page(club, {"been_before": "yes"}) == 4


def test_progress_counts_the_pages_shown(club):
    assert routing.progress(club, 1, {}) == (1, 4)
    assert routing.progress(club, 3, {"been_before": "no"}) == (2, 3)
    assert routing.progress(club, 4, {"been_before": "no", "activities": ["art"]}) == (3, 3)


def test_a_rule_whose_item_was_not_asked_does_not_skip(tmp_path):
    data = questionnaire()
    data["pages"] = [
        ["pets", "note"],
        {"items": ["pet_name", "colours"], "skip_if": {"item": "pets", "answer": "no"}},
        {"items": ["rating"], "skip_if": {"item": "colours", "answer": "red"}},
    ]
    instrument = load(tmp_path, data)
    # Colours were answered red, then pets changed to No: page 2 is skipped, so its answer
    # no longer counts and page 3 is shown.
    assert routing.shown_pages(instrument, {"pets": "no", "colours": ["red"]}) == [1, 3]
    assert routing.shown_pages(instrument, {"pets": "yes", "colours": ["red"]}) == [1, 2]


def test_skipped_answers_are_not_kept_and_skipped_questions_not_required(club):
    answers = {"been_before": "no", "last_time": "4", "what_changed": "More", "activities": ["art"]}
    assert routing.without_skipped(club, answers) == {"been_before": "no", "activities": ["art"]}
    assert [item.id for item in routing.asked_items(club, answers)] == [
        "been_before",
        "activities",
        "favourite",
    ]
    kept = routing.without_skipped(club, answers)
    assert not score(club, kept).complete  # favourite is asked and unanswered
    result = score(club, {**kept, "favourite": "art"})
    assert (result.complete, result.answered, result.total) == (True, 3, 3)
    # Answered Yes, page 2's required rating is asked again.
    assert not score(
        club, {"been_before": "yes", "activities": ["art"], "favourite": "art"}
    ).complete


def _any_answers():
    """Any answers to the routed fixture's questions, some left out."""
    return st.fixed_dictionaries(
        {},
        optional={
            "been_before": st.sampled_from(["yes", "no"]),
            "last_time": st.sampled_from(["1", "3", "5"]),
            "what_changed": st.just("More games"),
            "activities": st.lists(
                st.sampled_from(["sport", "music", "art", "nothing"]), min_size=1, unique=True
            ),
            "favourite": st.sampled_from(["sport", "music", "art"]),
        },
    )


@given(answers=_any_answers())
def test_dropping_skipped_answers_never_changes_the_pages_shown(club, answers):
    kept = routing.without_skipped(club, answers)
    shown = routing.shown_pages(club, answers)
    assert routing.shown_pages(club, kept) == shown
    assert routing.without_skipped(club, kept) == kept
    asked = {item.id for item in routing.asked_items(club, answers)}
    assert set(kept) == set(answers) & asked
    assert asked == {i for n in shown for i in club.pages[n - 1]}
    # Moving on from any page shown, forwards or back, lands on a page shown.
    for page in shown:
        for step in (routing.next_page(club, page, answers),
                     routing.previous_page(club, page, answers)):  # fmt: skip
            assert step is None or step in shown
