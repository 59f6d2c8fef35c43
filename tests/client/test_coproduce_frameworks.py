"""Writing a quality framework or a mystery shop on screen: a coordinator starts one, writes
its characteristics in young people's words and its scale, and saves it; every refusal is
named beside its field; an answered version only shows, and makes the next version; a
framework written here is used on a visit like the project's own."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from app.extensions import db, instrument_registry
from app.instrument_store import save, start_from, stored
from app.models import AuditEvent, StoredInstrument
from app.models.timeutil import uk_today
from tests.support.pages import normalize_spaces
from tests.support.visits import every, moderate_all, rate_everything, schedule

SEVEN = [
    "Staff listen to me",
    "I feel welcome when I arrive",
    "I feel safe here",
    "Things are explained so I understand",
    "My privacy is respected",
    "It is easy to get help",
    "Young people have a say",
]


def scale(points=4, labels=("Not yet", "Getting there", "Good", "Excellent")):
    data = {"points": str(points)}
    data.update({f"labels-{n}-text": label for n, label in enumerate(labels)})
    return data


def framework_form(characteristics, **changes):
    data = {
        "action": "save",
        "title": "Riverside framework",
        "description": "What we look for at Riverside.",
        "prompt": "Rate what you saw.",
        "estimated_minutes": "15",
        "ages_min": "13",
        "co_written": "Written with young people from Riverside Youth Club, March 2027",
        "not_observed": "yes",
        "evidence": "yes",
        "evidence_prompt": "What did you see?",
        **scale(),
    }
    for n, text in enumerate(characteristics):
        data[f"characteristics-{n}-text"] = text
        data[f"characteristics-{n}-id"] = ""
        data[f"characteristics-{n}-hint"] = ""
        data[f"characteristics-{n}-good"] = ""
    data.update(changes)
    return data


def start(client_request, title="Riverside framework", start_from_key="blank", kind="frameworks"):
    response = client_request.post(
        f"/instruments/{kind}/new", {"start": start_from_key, "title": title, "instrument_id": ""}
    )
    return response.headers["Location"]


def errors_of(page):
    summary = page.select_one(".govuk-error-summary")
    assert summary is not None, "no error summary"
    return [(a.get("href"), normalize_spaces(a.text)) for a in summary.select("li a")] + [
        (None, normalize_spaces(li.text)) for li in summary.select("li") if li.find("a") is None
    ]


def written_framework(client_request, characteristics=SEVEN, **changes):
    editor = start(client_request)
    response = client_request.post(editor, framework_form(characteristics, **changes))
    assert response.headers["Location"] == "/instruments/frameworks/riverside-framework/1/edit"
    return editor


# --- Starting and saving ------------------------------------------------------------------


def test_a_framework_started_blank_is_kept_only_when_saved(client_request, sign_in, people):
    sign_in(people["coordinator"])
    page = client_request.get("/instruments/frameworks/new")
    starter = page.select_one("input[name=start][value='young-inspectors-framework@1']")
    assert starter is not None and starter.has_attr("checked")
    editor = start(client_request)
    assert urlsplit(editor).path == "/instruments/frameworks/riverside-framework/1/edit"
    page = client_request.get(editor)
    assert normalize_spaces(page.h1.text) == "Riverside framework"
    assert "not saved yet" in page.select_one(".govuk-caption-l").text
    assert db.session.scalar(select(StoredInstrument)) is None

    client_request.post(editor, framework_form(SEVEN))
    page = client_request.get("/instruments/frameworks/riverside-framework/1/edit")
    assert "Riverside framework (version 1) is saved." in page.text
    framework = instrument_registry().get("riverside-framework", 1)
    assert framework.type == "inspection"
    assert framework.framework.characteristics[:2] == (
        "staff_listen_to_me",
        "i_feel_welcome_when_i_arrive",
    )
    assert len(framework.framework.characteristics) == 7
    assert framework.framework.points == 4 and framework.framework.not_observed
    assert framework.co_written.startswith("Written with young people from Riverside")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "instrument_saved"))
    assert event.detail["instrument"] == "riverside-framework@1"
    # The ids made from the words are shown, and stay as they are when the words change.
    assert page.select_one("#characteristics-0-id")["value"] == "staff_listen_to_me"


def test_rows_are_added_moved_and_removed_by_buttons(client_request, sign_in, people):
    sign_in(people["coordinator"])
    editor = start(client_request)
    page = client_request.post(
        editor,
        framework_form(["First", "Second"], action="add_characteristic"),
        expected_status=200,
    )
    assert page.select_one("#characteristics-2-text")["value"] == ""
    page = client_request.post(
        editor,
        framework_form(["First", "Second"], action="up_characteristic:1"),
        expected_status=200,
    )
    assert page.select_one("#characteristics-0-text")["value"] == "Second"
    page = client_request.post(
        editor,
        framework_form(["First", "Second"], action="remove_characteristic:0"),
        expected_status=200,
    )
    assert page.select_one("#characteristics-0-text")["value"] == "Second"
    assert page.select_one("#characteristics-1-text") is None
    page = client_request.post(
        editor, framework_form(["First"], action="set_points", points="6"), expected_status=200
    )
    assert [i["value"] for i in page.select("input[id^=labels-]")][:4] == [
        "Not yet", "Getting there", "Good", "Excellent",
    ]  # fmt: skip
    assert len(page.select("input[id^=labels-]")) == 6


def test_a_new_framework_from_the_starter_keeps_its_translations_until_its_shape_changes(
    client_request, sign_in, people
):
    sign_in(people["coordinator"])
    editor = start(client_request, start_from_key="young-inspectors-framework@1")
    page = client_request.get(editor)
    assert page.select_one("#characteristics-6-id")["value"] == "have_a_say"
    form = {
        input_["name"]: input_.get("value", "")
        for input_ in page.select("form input[name]")
        if input_.get("type") not in ("checkbox", "submit") and input_["name"] != "csrf_token"
    }
    form.update({t["name"]: t.text.strip() for t in page.select("form textarea")})
    form.update(action="save", not_observed="yes", evidence="yes")
    client_request.post(editor, form)
    kept = stored("riverside-framework", 1).document
    assert "cy" in kept["texts"] and "pl" in kept["texts"]

    form.update({"characteristics-7-text": "There is somewhere quiet to go"})
    client_request.post("/instruments/frameworks/riverside-framework/1/edit", form)
    page = client_request.get("/instruments/frameworks/riverside-framework/1/edit")
    assert "Welsh" in page.select_one(".govuk-notification-banner--success").text
    assert "translated again" in page.text
    assert set(stored("riverside-framework", 1).document["texts"]) == {"en"}


# --- Refusals -----------------------------------------------------------------------------


def test_a_blank_characteristic_is_named_beside_its_row(client_request, sign_in, people):
    sign_in(people["coordinator"])
    editor = start(client_request)
    page = client_request.post(editor, framework_form(["First", ""]), expected_status=200)
    assert ("#characteristics-1-text", "Enter the words for characteristic 2") in errors_of(page)
    page = client_request.post(
        editor, framework_form(["First"], estimated_minutes=""), expected_status=200
    )
    assert errors_of(page) == [("#estimated_minutes", "Enter how many minutes it takes, like 15")]
    assert page.title.text.startswith("Error:")
    assert db.session.scalar(select(StoredInstrument)) is None


def test_a_one_point_scale_is_refused(client_request, sign_in, people):
    sign_in(people["coordinator"])
    editor = start(client_request)
    page = client_request.post(
        editor, framework_form(["First"], **scale(1, ["Only"])), expected_status=200
    )
    (href, message), *_ = errors_of(page)
    assert href == "#points" and "2 to 10" in message
    assert db.session.scalar(select(StoredInstrument)) is None


def test_twenty_one_characteristics_are_refused(client_request, sign_in, people):
    sign_in(people["coordinator"])
    editor = start(client_request)
    twenty_one = [f"Thing number {n}" for n in range(1, 22)]
    page = client_request.post(editor, framework_form(twenty_one), expected_status=200)
    assert any("1 to 20 characteristics: remove 1" in m for _, m in errors_of(page))
    page = client_request.post(
        editor, framework_form(twenty_one[:20], action="add_characteristic"), expected_status=200
    )
    assert any("at most 20" in m for _, m in errors_of(page))
    assert page.select_one("#characteristics-20-text") is None


def test_duplicate_ids_are_named_on_the_second_row(client_request, sign_in, people):
    sign_in(people["coordinator"])
    editor = start(client_request)
    data = framework_form(["First", "Second"])
    data.update({"characteristics-0-id": "welcome", "characteristics-1-id": "welcome"})
    page = client_request.post(editor, data, expected_status=200)
    assert ("#characteristics-1-id", "Duplicate characteristic 'welcome'") in errors_of(page)
    assert db.session.scalar(select(StoredInstrument)) is None


def test_a_taken_id_is_refused_when_starting(client_request, sign_in, people):
    sign_in(people["coordinator"])
    page = client_request.post(
        "/instruments/frameworks/new",
        {"start": "blank", "title": "Mine", "instrument_id": "young-inspectors-framework"},
        expected_status=200,
    )
    assert "already used" in page.select_one(".govuk-error-summary").text
    # Without an id, one is made from the title, and never one that is taken.
    location = start(client_request, title="Young inspectors framework")
    assert urlsplit(location).path == "/instruments/frameworks/young-inspectors-framework-2/1/edit"


def test_an_answered_version_shows_read_only_and_makes_the_next_version(
    app, client_request, sign_in, people, demo
):
    sign_in(people["coordinator"])
    written_framework(client_request)
    framework = instrument_registry().get("riverside-framework", 1)
    schedule(
        client_request, demo["wemwbs"].service_id, [people["ash"]],
        framework="riverside-framework@1",
    )  # fmt: skip
    page = client_request.get("/instruments/frameworks/riverside-framework/1/edit")
    assert page.select_one("input[name=title]") is None
    assert "cannot change" in page.text
    # Saving changes made before the visit was set up is refused, and nothing changes.
    page = client_request.post(
        "/instruments/frameworks/riverside-framework/1/edit",
        framework_form(["Changed"]),
        expected_status=200,
    )
    assert "has been used since you opened it" in errors_of(page)[0][1]
    assert instrument_registry().get("riverside-framework", 1) == framework
    response = client_request.post(
        "/instruments/frameworks/riverside-framework/1/edit", {"action": "new_version"}
    )
    assert response.headers["Location"] == "/instruments/frameworks/riverside-framework/2/edit"
    second = stored("riverside-framework", 2).document
    assert second["co_written"].startswith("Written with young people")
    assert len(second["framework"]["characteristics"]) == 7


def test_only_campaign_managers_write_frameworks(client_request, sign_in, people):
    for role in ("commissioner", "provider", "ash"):
        sign_in(people[role])
        client_request.get("/instruments/frameworks/new", expected_status=403)
    sign_in(people["coordinator"])
    client_request.get("/instruments/frameworks/nothing-here/1/edit", expected_status=404)
    page = client_request.get("/instruments/frameworks/young-inspectors-framework/1/edit")
    assert "one of the platform’s own files" in page.text
    client_request.get("/instruments/mystery-shops/young-inspectors-framework/1/edit", 404)


# --- Mystery shops ------------------------------------------------------------------------


def test_a_mystery_shop_is_written_with_its_steps_and_checklist(client_request, sign_in, people):
    sign_in(people["coordinator"])
    editor = start(client_request, title="Dropping in", kind="mystery-shops")
    data = framework_form(["The person was kind"], title="Dropping in")
    data.update(
        channels=["visit", "phone"],
        scenario="Drop in and ask about the youth club.",
        **{
            "steps-0-text": "Go in and say hello",
            "steps-0-id": "",
            "steps-0-questions-0-text": "Did someone say hello?",
            "steps-0-questions-0-id": "",
        },
    )
    page = client_request.post(editor, dict(data, action="add_question:0"), expected_status=200)
    assert page.select_one("#steps-0-questions-1-text")["value"] == ""
    data["steps-0-questions-1-text"] = "Did they tell you the opening times?"
    response = client_request.post(editor, data)
    assert response.headers["Location"] == "/instruments/mystery-shops/dropping-in/1/edit"
    shop = instrument_registry().get("dropping-in", 1)
    assert shop.type == "mystery_shop"
    assert shop.mystery_shop.channels == ("visit", "phone")
    assert shop.mystery_shop.checklist == (
        "did_someone_say_hello",
        "did_they_tell_you_the_opening_times",
    )

    data["steps-0-questions-1-text"] = ""
    page = client_request.post(
        "/instruments/mystery-shops/dropping-in/1/edit", data, expected_status=200
    )
    assert ("#steps-0-questions-1-text", "Enter checklist question 2 of step 1") in errors_of(page)


# --- The walk: a framework written here, used on a visit ---------------------------------


def test_a_seven_characteristic_framework_written_here_is_used_on_a_visit(
    app, client_request, sign_in, people, demo
):
    sign_in(people["coordinator"])
    written_framework(client_request)
    framework = instrument_registry().get("riverside-framework", 1)
    offered = client_request.get("/fieldwork/visits/new")
    assert offered.select_one("#framework option[value='riverside-framework@1']") is not None
    service_id = demo["wemwbs"].service_id
    today = uk_today()
    visit = schedule(
        client_request, service_id, [people["ash"], people["bo"]],
        framework="riverside-framework@1",
        visit_on=[str(today.day), str(today.month), str(today.year)],
    )  # fmt: skip
    for member, value in ((people["ash"], "3"), (people["bo"], "4")):
        sign_in(member)
        page = client_request.get(f"/fieldwork/visits/{visit.id}/rate/1")
        assert "Staff listen to me" in page.text
        rate_everything(client_request, visit, framework, every(framework, value))
    sign_in(people["coordinator"])
    moderate_all(client_request, visit, framework)
    client_request.post(f"/fieldwork/visits/{visit.id}/finalise", {})
    db.session.refresh(visit)
    assert visit.is_final
    sign_in(people["admin"])
    evidence = normalize_spaces(client_request.get(f"/evidence/services/{service_id}").text)
    for words in SEVEN:
        assert words in evidence


def test_the_store_keeps_what_the_editor_writes_as_a_file_would(app):
    """The editor's document for the starter, unchanged, is the starter's own."""
    from app.coproduce.framework_document import english_document, state_from_document

    document = start_from("young-inspectors-framework", 1, new_id="copy-framework")
    assert english_document(document, state_from_document(document)) == document
    save(document)


def test_words_too_long_or_numbers_that_are_not_numbers_are_named(client_request, sign_in, people):
    sign_in(people["coordinator"])
    editor = start(client_request)
    data = framework_form(["First"], co_written="x" * 301, points="four", ages_min="-3")
    data["characteristics-0-hint"] = "y" * 501
    page = client_request.post(editor, data, expected_status=200)
    assert errors_of(page) == [
        ("#co_written", "Keep this to 300 characters or fewer"),
        ("#characteristics-0-hint", "Keep this to 500 characters or fewer"),
        ("#ages_min", "Enter the age as a whole number, like 15"),
        ("#points", "Enter a number of points from 2 to 10: a scale needs at least 2 points "
         "to rate anything"),
    ]  # fmt: skip
    # What was typed stays on the page to correct.
    assert page.select_one("#co_written").text.strip() == "x" * 301
    assert db.session.scalar(select(StoredInstrument)) is None
