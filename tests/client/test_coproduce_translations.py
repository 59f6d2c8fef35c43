"""Translating an instrument on screen: every English text beside its translation, work kept
part way through, a language offered only once every text is translated, placeholders kept,
an answered version's words never changed, and instruments from files shown but not changed."""

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db, instrument_registry
from app.instrument_store import save, start_from, stored
from app.instruments.text_paths import english_texts, texts_of
from app.models import AuditEvent, Campaign, Draft
from tests.support.pages import normalize_spaces

NEW = "/admin/campaigns/new"
DETAILS = "/admin/campaigns/new/details"


def only_english(document: dict) -> dict:
    document["texts"] = {"en": document["texts"]["en"]}
    return document


def riverside_framework() -> dict:
    document = start_from("young-inspectors-framework", 1, new_id="riverside-framework")
    document["version"] = 1
    return only_english(document)


def riverside_feedback() -> dict:
    document = start_from("service-feedback", 1, new_id="riverside-feedback")
    document["version"] = 1
    return only_english(document)


def welsh_of(starter: str) -> dict[str, str]:
    """The project's own Welsh of a starter instrument, text by text. (The Welsh of
    service-feedback words yes and no for each question; the English words them once.)"""
    welsh = dict(texts_of(start_from(starter, 1), "cy"))
    if starter == "service-feedback":
        welsh.update({"options.yes_no.yes": "Ie", "options.yes_no.no": "Na"})
    return welsh


def translation_form(page) -> tuple[dict, dict]:
    """The revision the page was drawn at, and each text box's name by its English text."""
    revision = page.select_one("input[name=revision]")["value"]
    boxes = {}
    for box in page.select("#translations textarea"):
        label = page.select_one(f"label[for={box['id']}] span[lang=en]")
        boxes[normalize_spaces(label.text)] = box
    return {"revision": revision}, boxes


def answers(document: dict, translations: dict[str, str], revision: str) -> dict:
    data = {"revision": revision}
    for index, (key, _) in enumerate(english_texts(document)):
        data[f"text_{index}"] = translations.get(key, "")
    return data


def statuses(page) -> dict[str, str]:
    return {
        row["id"].removeprefix("language-"): normalize_spaces(
            row.select_one(".govuk-summary-list__value").text
        )
        for row in page.select("#languages .govuk-summary-list__row")
    }


@pytest.fixture
def coordinator(make_user, sign_in, client_request):
    sign_in(make_user("coordinator"))
    return client_request


def test_a_framework_is_translated_into_welsh_over_two_sittings(app, coordinator):
    document = riverside_framework()
    save(document)
    db.session.commit()
    english = english_texts(document)
    welsh = welsh_of("young-inspectors-framework")
    url = "/instruments/riverside-framework/1/languages"

    languages = coordinator.get(url)
    assert statuses(languages)["cy"] == "Not started"
    page = coordinator.get(f"{url}/cy")
    boxes = page.select("#translations textarea")
    assert len(boxes) == len(english) == 38
    assert {box["lang"] for box in boxes} == {"cy"}
    assert len(page.select("#translations .govuk-tag")) == 38  # "Not translated yet"
    assert normalize_spaces(page.select_one("#progress").text).startswith("0 of 38 texts")

    # First sitting: half the texts.
    first = {key: welsh[key] for key, _ in english[:19]}
    revision = page.select_one("input[name=revision]")["value"]
    response = coordinator.post(f"{url}/cy", answers(document, first, revision))
    assert response.headers["Location"].endswith("/languages/cy")
    page = coordinator.get(f"{url}/cy")
    banner = normalize_spaces(page.select_one(".govuk-notification-banner").text)
    assert "Saved. Welsh: 19 of 38 texts translated." in banner
    title_box = page.select_one("#text_0")
    assert title_box.text == welsh["title"]
    assert len(page.select("#translations .govuk-tag")) == 19
    assert statuses(coordinator.get(url))["cy"] == "Not ready 19 of 38 texts translated"
    # Part way through, the instrument itself has no Welsh: it cannot be offered in it.
    assert "cy" not in instrument_registry().get("riverside-framework", 1).texts

    # Second sitting: the rest. The language joins the instrument and is offered.
    revision = page.select_one("input[name=revision]")["value"]
    response = coordinator.post(f"{url}/cy", answers(document, welsh, revision))
    assert response.headers["Location"].endswith("/instruments/riverside-framework/1/languages")
    languages = coordinator.get(url)
    assert statuses(languages)["cy"] == "Offered The project's own translation"
    assert statuses(languages)["pl"] == "Not started"
    framework = instrument_registry().get("riverside-framework", 1)
    assert framework.texts["cy"].provenance == "project"
    assert framework.fieldwork_texts("cy").characteristics["safe_here"].text == (
        "Rydw i'n teimlo'n ddiogel yma"
    )
    row = stored("riverside-framework", 1)
    assert row.translations_in_progress is None
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "instrument_translation_saved" in actions
    assert "instrument_language_added" in actions


def test_campaign_set_up_offers_only_complete_languages_and_says_how_far_others_are(
    app, coordinator, demo
):
    document = riverside_feedback()
    save(document)
    db.session.commit()
    welsh = welsh_of("service-feedback")
    english = english_texts(document)
    url = "/instruments/riverside-feedback/1/languages/cy"
    page = coordinator.get(url)
    revision = page.select_one("input[name=revision]")["value"]
    twelve = {key: welsh[key] for key, _ in english[:12]}
    coordinator.post(url, answers(document, twelve, revision))

    page = coordinator.post(DETAILS, {"instrument": "riverside-feedback@1"}, 200, form_page=NEW)
    checkbox = page.select_one("input[name=languages][value=cy]")
    assert checkbox.has_attr("disabled")
    reason = normalize_spaces(page.select_one(f"#{checkbox['aria-describedby']}").text)
    assert reason.startswith(f"Welsh: 12 of {len(english)} texts translated")
    polish = page.select_one("input[name=languages][value=pl]")
    reason = normalize_spaces(page.select_one(f"#{polish['aria-describedby']}").text)
    assert reason == "Tell us what you think has no Polish text, so it cannot be offered in Polish."
    # Sent anyway, Welsh is refused.
    data = {
        "instrument": "riverside-feedback@1",
        "name": "Spring feedback",
        "service_id": str(demo["wemwbs"].service_id),
        "opens_on": ["1", "1", "2026"],
        "closes_on": ["31", "12", "2030"],
        "languages": ["en", "cy"],
        "step": "check",
    }
    refused = coordinator.post(DETAILS, data, 400, form_page=NEW)
    assert "has no Welsh text" in refused.select_one(".govuk-error-summary").text

    page = coordinator.get(url)
    revision = page.select_one("input[name=revision]")["value"]
    done = coordinator.post(url, answers(document, welsh, revision))
    assert done.headers["Location"].endswith("/instruments/riverside-feedback/1/languages")
    page = coordinator.post(DETAILS, {"instrument": "riverside-feedback@1"}, 200, form_page=NEW)
    checkbox = page.select_one("input[name=languages][value=cy]")
    assert not checkbox.has_attr("disabled") and checkbox.has_attr("checked")
    check = coordinator.post(DETAILS, data, 200, form_page=NEW)
    assert normalize_spaces(check.h1.text) == "Check the campaign before you create it"


def test_a_lost_placeholder_is_named_against_its_text_and_the_others_are_kept(app, coordinator):
    document = riverside_feedback()
    document["texts"]["en"]["title"] = "Tell us what you think of {service}"
    save(document)
    db.session.commit()
    welsh = welsh_of("service-feedback")
    url = "/instruments/riverside-feedback/1/languages/cy"
    page = coordinator.get(url)
    revision = page.select_one("input[name=revision]")["value"]
    sent = dict(welsh)  # every text, but the title loses {service}
    page = coordinator.post(url, answers(document, sent, revision), 400)
    summary = page.select_one(".govuk-error-summary")
    link = summary.select_one("a[href='#text_0']")
    assert normalize_spaces(link.text) == (
        "Title: The translation must keep the placeholders of the English: it lost {service}"
    )
    assert "The other translations are saved" in summary.text
    assert page.select_one("#text_0")["aria-describedby"].endswith("text_0-error")
    assert page.select_one("#text_0").text == welsh["title"]  # what was typed stays
    row = stored("riverside-feedback", 1)
    kept = row.translations_in_progress["cy"]
    assert "title" not in kept
    assert kept["items.how_often"] == welsh["items.how_often"]
    assert "cy" not in row.document["texts"]

    page = coordinator.get(url)
    sent["title"] = "Dywedwch wrthym beth yw eich barn am {service}"
    revision = page.select_one("input[name=revision]")["value"]
    coordinator.post(url, answers(document, sent, revision))
    assert stored("riverside-feedback", 1).document["texts"]["cy"]["title"] == sent["title"]


def test_an_answered_version_takes_a_new_language_but_never_changes_one(app, coordinator, demo):
    document = riverside_feedback()
    save(document)
    campaign = Campaign(
        service_id=demo["wemwbs"].service_id,
        name="Spring feedback",
        instrument_id="riverside-feedback",
        instrument_version=1,
        opens_on=date(2027, 3, 1),
        closes_on=date(2027, 6, 30),
    )
    db.session.add(campaign)
    db.session.commit()
    db.session.add(Draft(token="t" * 32, campaign_id=campaign.id))
    db.session.commit()
    welsh = welsh_of("service-feedback")
    url = "/instruments/riverside-feedback/1/languages/cy"

    page = coordinator.get(url)
    revision = page.select_one("input[name=revision]")["value"]
    coordinator.post(url, answers(document, welsh, revision))
    assert "cy" in instrument_registry().get("riverside-feedback", 1).texts

    page = coordinator.get(url)
    assert normalize_spaces(page.select_one("#progress").text).startswith(
        "Tell us what you think is offered in Welsh"
    )
    changed = dict(welsh, title="Teitl newydd")
    revision = page.select_one("input[name=revision]")["value"]
    page = coordinator.post(url, answers(document, changed, revision), 400)
    summary = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert "has been answered, so its words cannot change: make a new version (2)" in summary
    assert stored("riverside-feedback", 1).document["texts"]["cy"]["title"] == welsh["title"]

    # Emptying a text of an offered language is refused too, naming the text.
    emptied = dict(welsh, title="")
    page = coordinator.post(url, answers(document, emptied, revision), 400)
    link = page.select_one(".govuk-error-summary a[href='#text_0']")
    assert "every text must stay translated" in link.text


def test_an_instrument_from_a_file_is_shown_side_by_side_and_never_changed(app, coordinator):
    page = coordinator.get("/instruments/young-inspectors-framework/1/languages/cy")
    assert not page.select("textarea")
    assert "comes from a file" in page.select_one("#read-only").text
    rows = page.select("#texts .govuk-summary-list__row")
    assert len(rows) == 38
    first = rows[0].select_one("dd span[lang=cy]")
    assert normalize_spaces(first.text) == "Fframwaith arolygwyr ifanc"
    coordinator.post(
        "/instruments/young-inspectors-framework/1/languages/cy",
        {"revision": "1", "text_0": "Something else"},
        403,
    )
    assert (
        instrument_registry().get("young-inspectors-framework", 1).title("cy")
        == "Fframwaith arolygwyr ifanc"
    )

    licensed = coordinator.get("/instruments/wemwbs/1/languages")
    assert "licensed scale" in licensed.select_one(".govuk-inset-text").text
    assert statuses(licensed)["cy"] == "Not started"
    page = coordinator.get("/instruments/wemwbs/1/languages/ar")
    assert not page.select("textarea")
    assert page.select_one("#texts .govuk-tag").text == "Not translated"


def test_right_to_left_languages_are_written_right_to_left(app, coordinator):
    save(riverside_feedback())
    db.session.commit()
    page = coordinator.get("/instruments/riverside-feedback/1/languages/ar")
    box = page.select_one("#text_0")
    assert (box["lang"], box["dir"]) == ("ar", "rtl")


def test_a_page_drawn_before_the_english_changed_saves_nothing(app, coordinator):
    document = riverside_feedback()
    save(document)
    db.session.commit()
    url = "/instruments/riverside-feedback/1/languages/cy"
    page = coordinator.get(url)
    revision = page.select_one("input[name=revision]")["value"]
    document["texts"]["en"]["title"] = "A new title"
    save(document)
    db.session.commit()
    page = coordinator.post(url, answers(document, {"title": "Teitl"}, revision), 409)
    assert "changed while you were translating" in page.select_one(".govuk-error-summary").text
    assert stored("riverside-feedback", 1).translations_in_progress is None
    # The page now shows the English as it is, ready to save.
    assert normalize_spaces(page.select_one("label[for=text_0] span[lang=en]").text) == (
        "A new title"
    )
    assert page.select_one("#text_0").text == ""
    revision = page.select_one("input[name=revision]")["value"]
    coordinator.post(url, answers(document, {"title": "Teitl newydd"}, revision))
    assert stored("riverside-feedback", 1).translations_in_progress == {
        "cy": {"title": "Teitl newydd"}
    }


def test_validated_wording_changed_before_anyone_answers_becomes_the_projects(app, coordinator):
    document = riverside_framework()
    welsh = welsh_of("young-inspectors-framework")
    document["texts"]["cy"] = start_from("young-inspectors-framework", 1)["texts"]["cy"]
    document["texts"]["cy"]["provenance"] = "validated"
    save(document)
    db.session.commit()
    url = "/instruments/riverside-framework/1/languages"
    assert statuses(coordinator.get(url))["cy"] == "Offered Validated wording"
    page = coordinator.get(f"{url}/cy")
    assert "becomes the project’s own translation" in page.select_one("#validated").text
    revision = page.select_one("input[name=revision]")["value"]
    changed = dict(welsh, title="Ein fframwaith ni")
    coordinator.post(f"{url}/cy", answers(document, changed, revision))
    framework = instrument_registry().get("riverside-framework", 1)
    assert framework.title("cy") == "Ein fframwaith ni"
    assert framework.texts["cy"].provenance == "project"
    assert statuses(coordinator.get(url))["cy"] == "Offered The project's own translation"
    assert "instrument_language_changed" in db.session.scalars(select(AuditEvent.action)).all()


@pytest.mark.parametrize(
    "url",
    [
        "/instruments/no-such-thing/1/languages",
        "/instruments/riverside-feedback/7/languages",
        "/instruments/riverside-feedback/1/languages/xx",
        "/instruments/riverside-feedback/1/languages/en",
    ],
)
def test_an_unknown_instrument_or_language_is_not_found(app, coordinator, url):
    save(riverside_feedback())
    db.session.commit()
    coordinator.get(url, expected_status=404)


def test_only_campaign_managers_translate(app, make_user, sign_in, client_request):
    sign_in(make_user("commissioner"))
    client_request.get("/instruments/service-feedback/1/languages", expected_status=403)
