"""Forms built from instrument data: the right questions, in order, with clear messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask_babel import Babel
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from wtforms import RadioField, SelectMultipleField

from app.forms import (
    ERROR_MESSAGES,
    FIELD_BUILDERS,
    PageStep,
    answers_from_form,
    build_page_form,
    handle_instrument_page,
    initial_data,
)
from app.instruments import ITEM_KINDS, load_instrument_file, load_instruments

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"
OPTIONS = ["None of the time", "Rarely", "Some of the time", "Often", "All of the time"]


@pytest.fixture(scope="module")
def registry():
    return load_instruments([SURVEYS])


@pytest.fixture(scope="module")
def app():
    # A bare app: the shared conftest builds the whole platform, which these tests don't need.
    app = Flask(__name__)
    app.config.update(TESTING=True, SECRET_KEY="test", WTF_CSRF_ENABLED=False)
    Babel(app)
    app.jinja_loader = ChoiceLoader(
        [
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            )
        ]
    )
    return app


def submitted(app, form_class, data):
    """The page's form, as bound to a POST of `data`, after validation."""
    with app.test_request_context(method="POST", data=data):
        form = form_class()
        form.validate()
        return form


def html(app, field):
    with app.test_request_context():
        return BeautifulSoup(str(field()), "html.parser")


def test_every_item_kind_has_a_field_builder():
    assert set(FIELD_BUILDERS) == set(ITEM_KINDS)


def test_wemwbs_page_1_has_its_seven_questions_each_with_five_options_in_order(app, registry):
    wemwbs = registry.get("wemwbs")
    form_class = build_page_form(wemwbs, 1, "en")
    with app.test_request_context():
        form = form_class()
        fields = form.item_fields()
    assert [field.name for field in fields] == [item.id for item in wemwbs.page_items(1)]
    for field in fields:
        assert isinstance(field, RadioField)
        assert [choice.label for choice in field.choices] == OPTIONS
        assert [choice.value for choice in field.choices] == ["1", "2", "3", "4", "5"]


def test_each_question_renders_as_a_fieldset_whose_legend_is_the_item(app, registry):
    wemwbs = registry.get("wemwbs")
    with app.test_request_context():
        form = build_page_form(wemwbs, 1, "en")()
    for item in wemwbs.page_items(1):
        page = html(app, form[item.id])
        legend = page.select_one("fieldset legend")
        assert legend.text.strip() == wemwbs.item_text(item.id, "en")
        assert "govuk-fieldset__legend--s" in legend["class"]
        radios = page.select("input[type=radio]")
        assert [radio["value"] for radio in radios] == ["1", "2", "3", "4", "5"]
        assert [label.text.strip() for label in page.select("label")] == OPTIONS
        # The first radio carries the field id, so the error summary can link to it.
        assert radios[0]["id"] == item.id
        assert page.select_one(".govuk-hint") is None
        assert not radios[0].has_attr("required")


def test_a_page_with_a_single_question_uses_a_larger_legend(app, tmp_path):
    path = tmp_path / "one-1.yaml"
    path.write_text(
        "id: one\nversion: 1\ntype: questionnaire\nestimated_minutes: 1\n"
        "items:\n  - {id: happy, kind: yes_no}\n"
        "texts:\n  en:\n    provenance: project\n    title: One\n"
        "    items: {happy: Are you happy here}\n"
        "    options:\n      yes_no: {'yes': 'Yes', 'no': 'No'}\n"
    )
    form_class = build_page_form(load_instrument_file(path), 1, "en")
    with app.test_request_context():
        page = html(app, form_class().happy)
    assert "govuk-fieldset__legend--m" in page.select_one("legend")["class"]
    assert "govuk-radios--inline" in page.select_one(".govuk-radios")["class"]


def test_missing_answers_are_each_given_a_clear_message(app, registry):
    wemwbs = registry.get("wemwbs")
    form = submitted(app, build_page_form(wemwbs, 1, "en"), {"optimistic": "4"})
    assert set(form.errors) == {item.id for item in wemwbs.page_items(1)} - {"optimistic"}
    for item_id, messages in form.errors.items():
        assert messages == [f"Select an answer for: {wemwbs.item_text(item_id, 'en')}"]
    page = html(app, form.useful)
    assert (
        "Select an answer for: I've been feeling useful"
        in page.select_one(".govuk-error-message").text
    )
    # The answer already given is kept on screen.
    assert html(app, form.optimistic).select_one("input[checked]")["value"] == "4"


def test_a_tampered_value_is_refused(app, registry):
    swemwbs = registry.get("swemwbs")
    data = {item.id: "3" for item in swemwbs.items}
    data["relaxed"] = "6"
    form = submitted(app, build_page_form(swemwbs, 1, "en"), data)
    assert form.errors == {"relaxed": ["Select one of the options shown"]}


def test_a_complete_page_gives_its_answers(app, registry):
    swemwbs = registry.get("swemwbs")
    data = {item.id: "4" for item in swemwbs.items}
    form = submitted(app, build_page_form(swemwbs, 1, "en"), data)
    assert form.errors == {}
    assert answers_from_form(form) == data


def feedback_page_3(app, registry, **answers):
    feedback = registry.get("service-feedback")
    data = {"recommend": "yes", **answers}
    return submitted(app, build_page_form(feedback, 3, "en"), data)


def test_long_text_over_its_limit_is_refused_with_the_limit_in_the_message(app, registry):
    form = feedback_page_3(app, registry, change_one_thing="a" * 1001)
    assert form.errors == {"change_one_thing": ["Your answer must be 1,000 characters or fewer"]}
    page = html(app, form.change_one_thing)
    assert page.select_one("textarea").text == "a" * 1001
    assert page.select_one("[data-maxlength]")["data-maxlength"] == "1000"


def test_long_text_at_its_limit_is_accepted_counting_a_line_break_once(app, registry):
    text = "a" * 499 + "\r\n" + "b" * 500
    form = feedback_page_3(app, registry, change_one_thing=text)
    assert form.errors == {}
    assert answers_from_form(form)["change_one_thing"] == "a" * 499 + "\n" + "b" * 500


def test_free_text_is_trimmed_and_unanswered_optional_questions_are_left_out(app, registry):
    form = feedback_page_3(app, registry, in_a_few_words="  Fun and friendly  ")
    assert form.errors == {}
    assert answers_from_form(form) == {"in_a_few_words": "Fun and friendly", "recommend": "yes"}


def test_a_required_text_question_asks_for_an_answer(app, tmp_path):
    path = tmp_path / "ask-1.yaml"
    path.write_text(
        "id: ask\nversion: 1\ntype: questionnaire\nestimated_minutes: 1\n"
        "items:\n  - {id: name_of_club, kind: short_text}\n"
        "texts:\n  en:\n    provenance: project\n    title: Ask\n"
        "    items: {name_of_club: Which club do you go to}\n"
    )
    form_class = build_page_form(load_instrument_file(path), 1, "en")
    form = submitted(app, form_class, {"name_of_club": "   "})
    assert form.errors == {"name_of_club": ["Enter your answer to: Which club do you go to"]}


def test_multiple_choice_gives_a_list_in_option_order(app, registry):
    feedback = registry.get("service-feedback")
    form_class = build_page_form(feedback, 2, "en")
    data = {"feel_welcome": "yes", "listened_to": "mostly", "good_things": ["safe_place", "staff"]}
    form = submitted(app, form_class, data)
    assert isinstance(form.good_things, SelectMultipleField)
    assert form.errors == {}
    assert answers_from_form(form)["good_things"] == ["staff", "safe_place"]
    page = html(app, form.good_things)
    assert page.select_one("legend").text.strip() == "What is good about coming here?"
    assert page.select_one(".govuk-hint").text.strip() == "Choose up to 3."
    assert len(page.select("input[type=checkbox]")) == 6


def test_multiple_choice_refuses_more_than_its_limit_and_none_when_required(app, registry):
    form_class = build_page_form(registry.get("service-feedback"), 2, "en")
    four = ["staff", "friends", "activities", "safe_place"]
    form = submitted(
        app, form_class, {"feel_welcome": "no", "listened_to": "never", "good_things": four}
    )
    assert form.errors == {"good_things": ["Select no more than 3 answers"]}
    form = submitted(app, form_class, {"feel_welcome": "no", "listened_to": "never"})
    assert form.errors == {
        "good_things": ["Select at least one answer for: What is good about coming here?"]
    }


def test_saved_answers_fill_the_page_again(app, registry):
    feedback = registry.get("service-feedback")
    saved = {"how_often": "monthly", "overall_rating": "7", "good_things": ["friends"]}
    data = initial_data(feedback, 2, saved)
    assert data == {"good_things": ["friends"]}
    with app.test_request_context():
        form = build_page_form(feedback, 1, "en")(data=initial_data(feedback, 1, saved))
        page_1 = BeautifulSoup(str(form.how_often()) + str(form.overall_rating()), "html.parser")
    checked = [radio["value"] for radio in page_1.select("input[checked]")]
    assert checked == ["monthly", "7"]


def test_error_messages_are_all_in_one_catalogue():
    assert {"choose_one", "invalid_choice", "enter_text", "too_long"} <= set(ERROR_MESSAGES)


def test_a_language_the_instrument_lacks_shows_its_default_texts(app, registry):
    wemwbs = registry.get("wemwbs")
    assert build_page_form(wemwbs, 2, "cy") is build_page_form(wemwbs, 2, "en")
    with pytest.raises(IndexError):
        build_page_form(wemwbs, 3, "en")


# --- One page's GET and POST (app.forms.pages) --------------------------------------------


def handled(app, instrument, page, method="GET", data=None, stored=None, **options):
    saved: list[tuple] = []
    with app.test_request_context(method=method, data=data):
        outcome = handle_instrument_page(
            instrument,
            page,
            "en",
            stored_answers=lambda: stored or {},
            save_page=lambda item_ids, answers: saved.append((item_ids, answers)),
            **options,
        )
    return outcome, saved


def test_a_page_is_shown_with_its_stored_answers_and_nothing_is_saved(app, registry):
    wemwbs = registry.get("wemwbs")
    outcome, saved = handled(app, wemwbs, 1, stored={"optimistic": "4"})
    assert outcome.step is None and not outcome.refused and saved == []
    assert outcome.form.optimistic.data == "4"


def test_a_complete_page_is_saved_and_leads_to_the_next_page(app, registry):
    wemwbs = registry.get("wemwbs")
    answers = {item.id: "3" for item in wemwbs.page_items(1)}
    outcome, saved = handled(app, wemwbs, 1, "POST", answers)
    assert outcome.step is PageStep.NEXT
    assert saved == [(tuple(answers), answers)]
    last = wemwbs.page_count
    answers = {item.id: "3" for item in wemwbs.page_items(last)}
    assert handled(app, wemwbs, last, "POST", answers)[0].step is PageStep.CHECK
    outcome = handled(app, wemwbs, 1, "POST", answers, returning_to_check=True)[0]
    assert outcome.refused  # page 1's questions were not answered


def test_saving_a_page_keeps_only_its_valid_answers(app, registry):
    wemwbs = registry.get("wemwbs")
    data = {"optimistic": "4", "useful": "99", "action": "save"}
    outcome, saved = handled(app, wemwbs, 1, "POST", data)
    assert outcome.step is PageStep.SAVED and not outcome.complete
    assert saved == [(tuple(item.id for item in wemwbs.page_items(1)), {"optimistic": "4"})]


def test_an_incomplete_page_is_refused_and_nothing_is_saved(app, registry):
    outcome, saved = handled(app, registry.get("wemwbs"), 1, "POST", {"optimistic": "4"})
    assert outcome.refused and outcome.step is None and saved == []
    assert "useful" in outcome.form.errors
