"""The questionnaire editor: a coordinator writes a questionnaire with young people (questions
of every kind on pages, a page skipped by an earlier answer), saves it through the same
checks as a surveys/ file, and uses it in a campaign whose answers reach the evidence."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db, instrument_registry
from app.instrument_store import document_of
from app.models import AuditEvent, Campaign, Response, StoredInstrument
from tests.support.campaigns import create_campaign
from tests.support.journey import answer_page, begin, url
from tests.support.pages import ClientRequest, normalize_spaces

NEW = "/instruments/questionnaires/new"


def edit_url(instrument_id, version=1):
    return f"/instruments/questionnaires/{instrument_id}/{version}/edit"


@pytest.fixture
def coordinator(make_user, sign_in):
    return sign_in(make_user("coordinator"))


def question(text, kind, page, **fields):
    return {
        "text": text,
        "kind": kind,
        "page": str(page),
        "required": "y",
        "min": "1",
        "max": "5",
        **fields,
    }


def club_questions():
    """Six questions of five kinds on three pages, as a youth club group wrote them."""
    return [
        question("Have you been to the club before?", "yes_no", 1),
        question(
            "How did you hear about us?",
            "single_choice",
            1,
            options="A friend\nSchool\nSocial media",
        ),
        question(
            "How good was your last visit?",
            "rating_scale",
            2,
            min="1",
            max="5",
            point_labels="1: really bad\n5: really good",
        ),
        question(
            "What do you do here?",
            "multiple_choice",
            2,
            options="Sport\nMusic\nArt",
            max_choices="2",
        ),
        question("Do you feel safe here?", "yes_no", 3, concerns="No"),
        question("Anything else?", "long_text", 3, required="", max_length="500"),
    ]


def editor_data(questions, rules=(), **top):
    data = {
        "title": "Riverside club feedback",
        "description": "What you think of the club.",
        "prompt": "There are no wrong answers.",
        "estimated_minutes": "3",
        "ages_min": "11",
        "co_written": "Written with young people from Riverside Youth Club, March 2027",
        "start": "",
        "action": "save",
    }
    data.update(top)
    for index, fields in enumerate(questions):
        for name, value in fields.items():
            if name == "required" and not value:
                continue
            data[f"questions-{index}-{name}"] = value
    for index, rule in enumerate(rules):
        for name, value in rule.items():
            data[f"rules-{index}-{name}"] = value
    return data


def start_new(client_request, title="Riverside club feedback", start=""):
    response = client_request.post(NEW, {"title": title, "start": start, "instrument_id": ""})
    return response.headers["Location"]


def summary_of(page) -> str:
    return normalize_spaces(page.select_one(".govuk-error-summary").text)


def error_links(page) -> list[str]:
    return [a["href"] for a in page.select(".govuk-error-summary a")]


# --- Writing and saving --------------------------------------------------------------------


def test_a_blank_questionnaire_gets_an_id_from_its_title_and_is_saved_checked(
    client_request, coordinator
):
    location = start_new(client_request)
    assert location.startswith(edit_url("riverside-club-feedback"))
    page = client_request.get(location)
    assert page.select_one("#title")["value"] == "Riverside club feedback"
    assert "Not saved yet" in page.text
    client_request.post(edit_url("riverside-club-feedback"), editor_data(club_questions()))

    instrument = instrument_registry().get("riverside-club-feedback", 1)
    assert instrument.type == "questionnaire"
    assert instrument.page_count == 3
    assert [item.id for item in instrument.items] == [
        "have_you_been_to_the_club_before",
        "how_did_you_hear_about_us",
        "how_good_was_your_last_visit",
        "what_do_you_do_here",
        "do_you_feel_safe_here",
        "anything_else",
    ]
    heard = instrument.item("how_did_you_hear_about_us")
    assert instrument.option_choices(heard.id) == [
        ("a_friend", "A friend"),
        ("school", "School"),
        ("social_media", "Social media"),
    ]
    assert instrument.item("what_do_you_do_here").max_choices == 2
    assert instrument.item("do_you_feel_safe_here").concerns == ("no",)
    assert instrument.item("anything_else").required is False
    assert instrument.co_written.startswith("Written with young people from Riverside")
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "instrument_saved"
    assert event.detail["instrument"] == "riverside-club-feedback@1"

    # A second title the same makes a second id, never the first one's.
    assert start_new(client_request).startswith(edit_url("riverside-club-feedback-2"))


def test_adding_moving_and_removing_questions_work_with_buttons(client_request, coordinator):
    start_new(client_request)
    target = edit_url("riverside-club-feedback")
    data = editor_data([question("First?", "yes_no", 1)], action="add_question-1")
    page = client_request.post(target, data, expected_status=200)
    assert len(page.select("textarea[name$='-text']")) == 2
    assert page.select_one("#questions-0-item_id")["value"] == "first"

    data = editor_data(
        [question("First?", "yes_no", 1), question("Second?", "yes_no", 1)],
        action="move_down-1",
    )
    page = client_request.post(target, data, expected_status=200)
    # Moved down off the last page: onto a new page 2, with a rule slot for it.
    assert [h.text for h in page.select("h3")] == ["Page 1", "Page 2"]
    assert page.select_one("#rules-0-item") is not None

    data = editor_data(
        [question("First?", "yes_no", 1), question("Second?", "yes_no", 1)],
        action="move_up-1",
    )
    page = client_request.post(target, data, expected_status=200)
    texts = [t.text.strip() for t in page.select("textarea[name$='-text']")]
    assert texts == ["Second?", "First?"]

    data = editor_data(
        [question("First?", "yes_no", 1), question("Second?", "yes_no", 1)],
        action="remove_question-0",
    )
    page = client_request.post(target, data, expected_status=200)
    texts = [t.text.strip() for t in page.select("textarea[name$='-text']")]
    assert texts == ["Second?"]

    data = editor_data([question("First?", "yes_no", 1)], action="add_page")
    page = client_request.post(target, data, expected_status=200)
    assert [h.text for h in page.select("h3")] == ["Page 1", "Page 2"]
    # Nothing is kept until Save.
    assert db.session.scalar(select(StoredInstrument)) is None


@pytest.mark.parametrize(
    "questions, field, message",
    [
        ([question("", "yes_no", 1)], "#questions-0-text", "Enter the text of question 1"),
        (
            [question("How good?", "rating_scale", 1, min="5", max="5")],
            "#questions-0-min",
            "The lowest point of question 1's scale must be below its highest",
        ),
        (
            [question("Which?", "single_choice", 1, options="Only one")],
            "#questions-0-options",
            "Give question 1 at least 2 options",
        ),
        (
            [question("Which?", "single_choice", 1, options="A\nB", concerns="C")],
            "#questions-0-concerns",
            "“C” is not one of the answers to question 1",
        ),
        (
            [question("How good?", "rating_scale", 1, min="one")],
            "#questions-0-min",
            "Enter the lowest point of question 1's scale as a whole number",
        ),
    ],
)
def test_mistakes_are_named_in_the_summary_beside_their_field_and_nothing_is_kept(
    client_request, coordinator, questions, field, message
):
    start_new(client_request)
    page = client_request.post(
        edit_url("riverside-club-feedback"), editor_data(questions), expected_status=400
    )
    assert message in summary_of(page)
    assert field in error_links(page)
    assert message in normalize_spaces(page.select_one(f"{field}").find_parent("div").text)
    assert db.session.scalar(select(StoredInstrument)) is None


def test_a_questionnaire_with_no_questions_is_refused(client_request, coordinator):
    start_new(client_request)
    data = editor_data([])
    page = client_request.post(edit_url("riverside-club-feedback"), data, expected_status=400)
    assert "Add at least one question" in summary_of(page)
    assert "#questions" in error_links(page)


def test_a_page_skipped_by_a_later_or_unknown_answer_is_refused(client_request, coordinator):
    start_new(client_request)
    questions = club_questions()
    rules = [
        {"page": "2", "item": "do_you_feel_safe_here", "answer": "No"},
        {"page": "3", "item": "have_you_been_to_the_club_before", "answer": "Maybe"},
    ]
    page = client_request.post(
        edit_url("riverside-club-feedback"), editor_data(questions, rules), expected_status=400
    )
    summary = summary_of(page)
    assert "Question 5 is not on an earlier page" in summary
    assert "“Maybe” is not one of the answers to question 1" in summary
    assert {"#rules-0-item", "#rules-1-answer"} <= set(error_links(page))


def test_a_routed_page_is_saved_as_skip_if_with_the_answer_value(client_request, coordinator):
    start_new(client_request)
    rules = [{"page": "2", "item": "have_you_been_to_the_club_before", "answer": "No"}]
    client_request.post(edit_url("riverside-club-feedback"), editor_data(club_questions(), rules))
    document = document_of("riverside-club-feedback", 1)
    assert document["pages"][1]["skip_if"] == {
        "item": "have_you_been_to_the_club_before",
        "answer": "no",
    }
    page = client_request.get(edit_url("riverside-club-feedback"))
    assert page.select_one("#rules-0-answer")["value"] == "No"


# --- Starting from another, languages, and answered versions -------------------------------


def test_starting_from_the_project_questionnaire_keeps_its_languages_until_the_shape_changes(
    client_request, coordinator
):
    page = client_request.get(NEW)
    assert page.select_one("input[name=start][value='service-feedback@1']") is not None
    location = start_new(client_request, "Our club feedback", "service-feedback@1")
    page = client_request.get(location)
    assert page.select_one("#questions-0-text").text.strip() == "How often do you come here?"
    assert "Welsh" in page.text

    # Saved with the wording changed only: every language stays.
    form = {
        field["name"]: field.get("value", "")
        for field in page.select("input[name]")
        if field.get("type") not in ("checkbox", "radio")
    }
    form.update({t["name"]: t.text.strip() for t in page.select("textarea[name]")})
    form.update(
        {s["name"]: s.select_one("option[selected]")["value"] for s in page.select("select")}
    )
    form.update({c["name"]: c["value"] for c in page.select("input[type=checkbox][checked]")})
    form["title"] = "Our club feedback"
    form["questions-0-text"] = "How often do you come to the club?"
    form["action"] = "save"
    target = edit_url("our-club-feedback")
    page = client_request.post(target, form, follow_redirects=True, expected_status=200)
    assert "our-club-feedback@1 is saved." in page.text
    instrument = instrument_registry().get("our-club-feedback", 1)
    assert set(instrument.locales) == set(instrument_registry().get("service-feedback").locales)
    assert instrument.item_text("how_often") == "How often do you come to the club?"

    # A question added: the other languages no longer match, so they are taken out, and the
    # page says so.
    form["questions-8-text"] = "Is it easy to get here?"
    form["questions-8-kind"] = "yes_no"
    form["questions-8-page"] = "3"
    form["questions-8-required"] = "y"
    page = client_request.post(target, form, follow_redirects=True, expected_status=200)
    assert "no longer offered in Welsh, Polish" in normalize_spaces(page.text)
    assert instrument_registry().get("our-club-feedback", 1).locales == ("en",)
    # Their words for the texts still there are kept to go on translating.
    row = db.session.scalar(select(StoredInstrument))
    welsh = row.translations_in_progress["cy"]
    assert welsh["items.feel_welcome"] == (
        instrument_registry().get("service-feedback").item_text("feel_welcome", "cy")
    )
    assert "items.is_it_easy_to_get_here" not in welsh
    languages = client_request.get("/instruments/our-club-feedback/1/languages")
    welsh_row = normalize_spaces(languages.select_one("#language-cy").text)
    assert "Not ready" in welsh_row
    assert f"{len(welsh)} of" in welsh_row


def test_an_answered_version_is_read_only_and_offers_a_new_version(
    client_request, coordinator, demo
):
    start_new(client_request)
    client_request.post(edit_url("riverside-club-feedback"), editor_data(club_questions()))
    campaign = demo["service-feedback"]
    db.session.add(
        Response(
            campaign_id=campaign.id,
            instrument_id="riverside-club-feedback",
            instrument_version=1,
            submission_key="riverside-answered-1",
            answers={},
            complete=False,
            answered_count=0,
            language="en",
            text_provenance="project",
        )
    )
    db.session.commit()
    page = client_request.get(edit_url("riverside-club-feedback"))
    assert "cannot change" in page.text
    assert page.select_one("textarea") is None
    new_version = page.find("a", string=lambda s: s and "Make a new version" in s)["href"]
    assert new_version.startswith(edit_url("riverside-club-feedback", 2))
    page = client_request.get(new_version)
    assert page.select_one("#questions-0-text").text.strip() == "Have you been to the club before?"
    # The same group's questionnaire: who wrote it stays; another's starts without it.
    assert page.select_one("#co_written")["value"].startswith("Written with young people")
    other = client_request.get(
        start_new(client_request, "Harbour feedback", "riverside-club-feedback@1")
    )
    assert not other.select_one("#co_written").get("value")
    client_request.post(
        edit_url("riverside-club-feedback"),
        editor_data(club_questions()),
        expected_status=409,
        form_page=new_version,
    )


def test_only_campaign_managers_write_questionnaires(client_request, make_user, sign_in):
    sign_in(make_user("commissioner"))
    client_request.get(NEW, expected_status=403)


def test_file_instruments_and_unknown_versions_are_not_edited_here(client_request, coordinator):
    client_request.get(edit_url("service-feedback"), expected_status=404)
    client_request.get(edit_url("not-there", 3), expected_status=404)
    client_request.get(edit_url("Bad_Id"), expected_status=404)


# --- Used in a campaign, answered, and seen in the evidence --------------------------------


def test_a_written_questionnaire_is_offered_answered_and_counted_in_the_evidence(
    client_request, coordinator, demo, app
):
    start_new(client_request)
    rules = [{"page": "2", "item": "have_you_been_to_the_club_before", "answer": "No"}]
    client_request.post(edit_url("riverside-club-feedback"), editor_data(club_questions(), rules))

    service_id = demo["service-feedback"].service_id
    choose = client_request.get("/admin/campaigns/new")
    assert choose.select_one("input[value='riverside-club-feedback@1']") is not None
    create_campaign(
        client_request,
        {
            "instrument": "riverside-club-feedback@1",
            "name": "Riverside club feedback, spring",
            "service_id": str(service_id),
            "opens_on": ["1", "1", "2026"],
            "closes_on": ["31", "12", "2030"],
            "languages": ["en"],
        },
    )
    campaign = db.session.scalar(select(Campaign).order_by(Campaign.id.desc()))
    hub = f"/admin/campaigns/{campaign.id}"
    client_request.post(f"{hub}/open", {}, form_page=hub)

    # Twenty young people answer, ten who have been before and ten who have not (who pass
    # over page 2): enough for each answer's count to be shown.
    for person in range(20):
        young_person = ClientRequest(app.test_client())
        campaign = db.session.get(Campaign, campaign.id)
        begin(young_person, campaign)
        been = "yes" if person < 10 else "no"
        answer_page(
            young_person,
            campaign,
            1,
            {
                "have_you_been_to_the_club_before": been,
                "how_did_you_hear_about_us": "a_friend",
            },
        )
        page = 3 if been == "no" else 2
        if page == 2:
            answer_page(
                young_person,
                campaign,
                2,
                {"how_good_was_your_last_visit": "4", "what_do_you_do_here": ["sport", "art"]},
            )
        answer_page(
            young_person,
            campaign,
            3,
            {"do_you_feel_safe_here": "yes", "anything_else": "More trips."},
        )
        young_person.post(url(campaign, "/check"), {})
    responses = db.session.scalars(
        select(Response).where(Response.instrument_id == "riverside-club-feedback")
    ).all()
    assert len(responses) == 20 and all(r.complete for r in responses)

    page = client_request.get(f"/evidence/services/{service_id}")
    table = page.select_one("#table-riverside-club-feedback-have_you_been_to_the_club_before")
    assert table is not None
    assert "Have you been to the club before?" in normalize_spaces(table.text)
    rows = {
        normalize_spaces(row.find(["th", "td"]).text): [
            normalize_spaces(cell.text) for cell in row.find_all(["th", "td"])[1:]
        ]
        for row in table.select("tbody tr")
    }
    assert rows["Yes"][0] == "10" and rows["No"][0] == "10"
    assert rows["People who answered"][0] == "20"
    # Page 2 was asked of the ten who had been before, and only they are counted.
    visit = page.select_one("#table-riverside-club-feedback-how_good_was_your_last_visit")
    asked = next(r for r in visit.select("tbody tr") if "People who answered" in r.text)
    assert normalize_spaces(asked.find_all(["th", "td"])[1].text) == "10"
    # Every closed question has its table; the written answer is not in the pack.
    for item in (
        "how_did_you_hear_about_us",
        "how_good_was_your_last_visit",
        "do_you_feel_safe_here",
    ):
        assert page.select_one(f"#table-riverside-club-feedback-{item}") is not None
    assert page.select_one("#table-riverside-club-feedback-anything_else") is None


def test_a_problem_only_the_file_rules_find_is_named_at_its_field(client_request, coordinator):
    start_new(client_request)
    questions = [question("Anything else?", "short_text", 1, item_id="submit")]
    page = client_request.post(
        edit_url("riverside-club-feedback"), editor_data(questions), expected_status=400
    )
    assert "reserved for the form itself" in summary_of(page)
    assert "#questions-0-item_id" in error_links(page)


def test_a_saved_version_nobody_has_answered_can_still_change(client_request, coordinator):
    start_new(client_request)
    target = edit_url("riverside-club-feedback")
    client_request.post(target, editor_data(club_questions()))
    page = client_request.get(target)
    assert "not answered by anyone yet" in page.text
    preview = page.find("a", string="Preview it as a young person sees it")["href"]
    shown = client_request.get(preview)
    assert "Have you been to the club before?" in shown.text
    assert page.select_one("#questions-4-concerns").text.strip() == "No"
    client_request.post(target, editor_data(club_questions(), title="Riverside club survey"))
    row = db.session.scalar(select(StoredInstrument))
    assert row.revision == 2
    assert instrument_registry().get("riverside-club-feedback", 1).title() == (
        "Riverside club survey"
    )


@pytest.mark.parametrize(
    "data, message, field",
    [
        ({"title": "", "start": ""}, "Enter the questionnaire's title", "#title"),
        (
            {"title": "Ours", "instrument_id": "service-feedback"},
            "service-feedback is already taken",
            "#instrument_id",
        ),
        (
            {"title": "Ours", "instrument_id": "Our Survey"},
            "lower-case letters, digits and hyphens",
            "#instrument_id",
        ),
        ({"title": "Ours", "start": "wemwbs@1"}, "Choose one of the questionnaires", "#start"),
    ],
)
def test_a_new_questionnaire_needs_a_title_a_free_id_and_a_questionnaire_to_start_from(
    client_request, coordinator, data, message, field
):
    page = client_request.post(NEW, data, expected_status=400)
    assert message in summary_of(page)
    assert field in error_links(page)


def test_nonsense_sent_to_the_editor_gets_a_message_never_an_error(client_request, coordinator):
    start_new(client_request)
    target = edit_url("riverside-club-feedback")
    nonsense = question(
        "Which?",
        "not_a_kind",
        "ninety",
        options="A\nB",
        option_set="Not A Set!",
        known_values="[1, 2",
        min="-1",
        max_choices="many",
    )
    data = editor_data(
        [nonsense, question("Why?", "long_text", 2, max_length="x" * 6)],
        [{"page": "2", "item": "nowhere", "answer": "x"}],
        estimated_minutes="0",
        ages_min="old",
    )
    page = client_request.post(target, data, expected_status=400)
    summary = summary_of(page)
    assert "Enter how many minutes it takes as a whole number" in summary
    assert "Enter the youngest age as a whole number" in summary
    assert "Enter the most letters an answer to question 2 may have" in summary
    client_request.post(target, {**data, "action": "move_up-x"}, expected_status=400)
    client_request.post(target, {**data, "action": "explode-1"}, expected_status=400)
    assert db.session.scalar(select(StoredInstrument)) is None
