"""Who agrees to taking part (by age band), the privacy notice each campaign shows, and the
limit on how many sets of answers one client may send in a while."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.age_bands import AGE_BAND_KEYS
from app.extensions import db
from app.models import Attempt, Draft, Response
from tests.support.campaigns import create_campaign
from tests.support.journey import (
    a_valid_answer,
    agree,
    answer_and_send,
    answer_page,
    instrument_of,
    url,
)
from tests.support.pages import ClientRequest, normalize_spaces


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def only_response() -> Response:
    [response] = db.session.scalars(select(Response)).all()
    return response


# --- Age band and who agrees --------------------------------------------------------------


def test_a_campaign_that_asks_age_starts_with_the_age_question(client_request, demo):
    campaign = demo["swemwbs"]
    start = client_request.get(url(campaign))
    assert start.select_one("a.govuk-button--start")["href"] == url(campaign, "/age")

    page = client_request.get(url(campaign, "/age"))
    assert normalize_spaces(page.h1.text) == "How old are you?"
    choices = [normalize_spaces(label.text) for label in page.select(".govuk-radios__label")]
    assert choices == [
        "Under 11",
        "11 to 12",
        "13 to 15",
        "16 to 17",
        "18 to 24",
        "25 or over",
        "I would rather not say",
    ]
    values = tuple(radio["value"] for radio in page.select("input[name=age_band]"))
    assert values == AGE_BAND_KEYS
    # Going straight to the consent page still asks the age first.
    assert client_request.get(url(campaign, "/consent"), 302).headers["Location"].endswith("/age")


def test_no_age_chosen_gets_a_clear_message(client_request, demo):
    page = client_request.post(url(demo["swemwbs"], "/age"), {}, expected_status=200)
    assert page.title.text.startswith("Error:")
    assert "Select how old you are, or that you would rather not say" in normalize_spaces(
        page.select_one(".govuk-error-summary").text
    )


def test_below_the_consent_age_a_parent_or_carer_agrees_and_the_response_says_so(
    client_request, demo, app
):
    campaign = demo["swemwbs"]
    moved = client_request.post(url(campaign, "/age"), {"age_band": "11_12"})
    assert moved.headers["Location"].endswith("/parent-consent")

    page = client_request.get(url(campaign, "/parent-consent"))
    assert normalize_spaces(page.h1.text) == "A parent or carer needs to agree"
    text = normalize_spaces(page.text)
    assert "Please give this phone to a parent or carer" in text
    assert "before anyone under 13 answers these questions" in text
    legend = normalize_spaces(page.select_one("legend").text)
    assert legend == "Are you their parent or carer, and do you agree to them taking part?"
    assert page.select_one("#privacy-notice-link")["href"] == url(campaign, "/privacy")
    # The young person's own consent page is not where they can agree for themselves.
    assert (
        client_request.get(url(campaign, "/consent"), 302)
        .headers["Location"]
        .endswith("/parent-consent")
    )

    client_request.post(url(campaign, "/parent-consent"), {"consent": "yes"})
    answer_and_send(client_request, campaign, app)

    response = only_response()
    assert (response.age_band, response.consent_by) == ("11_12", "parent_or_carer")
    assert response.consent_notice_version == campaign.privacy_notice_version
    assert response.consented_at is not None


def test_rather_not_say_is_treated_as_possibly_under_age(client_request, demo):
    campaign = demo["swemwbs"]
    moved = client_request.post(url(campaign, "/age"), {"age_band": "not_said"})
    assert moved.headers["Location"].endswith("/parent-consent")


def test_when_no_parent_or_carer_agrees_the_journey_stops_kindly_and_keeps_nothing(
    client_request, demo
):
    campaign = demo["swemwbs"]
    client_request.post(url(campaign, "/age"), {"age_band": "under_11"})
    page = client_request.post(
        url(campaign, "/parent-consent"),
        {"consent": "no"},
        expected_status=200,
        follow_redirects=True,
    )

    assert normalize_spaces(page.h1.text) == "You can take part another time"
    text = normalize_spaces(page.text)
    assert "No harm done, and nothing has been saved." in text
    assert "come back to this link with a parent or carer" in text
    links = {normalize_spaces(a.text): a["href"] for a in page.select("main a")}
    assert links["See who you can talk to"] == url(campaign, "/help")
    assert links["I would like someone to contact me"] == url(campaign, "/contact-me")
    assert count(Draft) == count(Response) == 0
    # Nothing of this visit is kept: starting again asks the age again.
    assert client_request.get(url(campaign, "/consent"), 302).headers["Location"].endswith("/age")
    assert (
        client_request.get(url(campaign, "/questions/1"), 302)
        .headers["Location"]
        .endswith(url(campaign))
    )


def test_a_young_person_of_the_consent_age_agrees_for_themselves_in_short_sentences(
    client_request, demo, app
):
    campaign = demo["swemwbs"]
    moved = client_request.post(url(campaign, "/age"), {"age_band": "13_15"})
    assert moved.headers["Location"].endswith("/consent")
    page = client_request.get(url(campaign, "/consent"))
    terms = [normalize_spaces(li.text) for li in page.select("#consent-terms li")]
    assert "It is your choice to take part." in terms
    assert "You can stop at any time." in terms
    sentences = [s for term in terms for s in term.split(". ")]
    assert all(len(sentence.split()) <= 12 for sentence in sentences), sentences
    assert page.select_one("#privacy-notice-link")["href"] == url(campaign, "/privacy")

    client_request.post(url(campaign, "/consent"), {"consent": "yes"})
    answer_and_send(client_request, campaign, app)
    response = only_response()
    assert (response.age_band, response.consent_by) == ("13_15", "self")


def test_adults_are_asked_in_adult_wording(client_request, demo):
    campaign = demo["swemwbs"]
    client_request.post(url(campaign, "/age"), {"age_band": "25_plus"})
    page = client_request.get(url(campaign, "/consent"))
    assert "Taking part is voluntary." in normalize_spaces(page.select_one("#consent-terms").text)
    assert normalize_spaces(page.select_one("legend").text) == "Do you agree to take part?"
    assert normalize_spaces(page.select_one("#privacy-notice-link").text) == (
        "Read the privacy notice"
    )


def test_the_age_of_own_consent_is_the_campaigns(client_request, demo):
    campaign = demo["swemwbs"]
    campaign.own_consent_age = 16
    db.session.commit()
    moved = client_request.post(url(campaign, "/age"), {"age_band": "13_15"})
    assert moved.headers["Location"].endswith("/parent-consent")
    page = client_request.get(url(campaign, "/parent-consent"))
    assert "before anyone under 16 answers" in normalize_spaces(page.text)


def test_a_campaign_that_does_not_ask_age_works_as_before(client_request, demo, app):
    campaign = demo["wemwbs"]
    assert client_request.get(url(campaign, "/age"), 302).headers["Location"].endswith("/consent")
    assert (
        client_request.get(url(campaign, "/parent-consent"), 302)
        .headers["Location"]
        .endswith("/consent")
    )
    page = client_request.get(url(campaign, "/consent"))
    assert "Taking part is your choice." in normalize_spaces(page.text)
    assert normalize_spaces(page.select_one("legend").text) == (
        "Are you happy to answer these questions?"
    )
    client_request.post(url(campaign, "/consent"), {"consent": "yes"})
    answer_and_send(client_request, campaign, app)

    response = only_response()
    assert response.complete and response.raw_score == 14 * 3
    assert (response.age_band, response.consent_by, response.consent_notice_version) == (
        None,
        "self",
        1,
    )


# --- The privacy notice -------------------------------------------------------------------


def test_the_privacy_notice_shows_the_campaigns_words_and_how_long_answers_are_kept(
    client_request, demo
):
    campaign = demo["wemwbs"]
    campaign.retention_months = 18
    campaign.privacy_notice = (
        "Northside Council holds your answers.\r\n\r\n"
        "Ask <b>Jo</b> at data@northside.example.org if you have a question."
    )
    db.session.commit()

    page = client_request.get(url(campaign, "/privacy"))
    assert normalize_spaces(page.h1.text) == "How we look after your answers"
    assert normalize_spaces(page.select_one("#retention-period").text) == "18 months"
    paragraphs = [
        normalize_spaces(p.text) for p in page.select("#campaign-privacy-notice p.govuk-body")
    ]
    assert paragraphs == [
        "Northside Council holds your answers.",
        "Ask <b>Jo</b> at data@northside.example.org if you have a question.",
    ]
    assert page.select_one("#campaign-privacy-notice b") is None
    text = normalize_spaces(page.text)
    assert "You get a code, not a name." in text
    assert page.find("a", href="/my-answers").text == "See, download or delete your answers"
    assert normalize_spaces(page.select_one("#privacy-notice-version").text) == (
        "Privacy notice version 2"
    )


def test_in_another_language_the_campaigns_own_words_are_marked_as_english(client, demo):
    campaign = demo["service-feedback"]
    welsh = ClientRequest(client)
    welsh.get(url(campaign, "/privacy?lang=cy"), expected_status=303)
    page = welsh.get(url(campaign, "/privacy"))
    assert page.html["lang"] == "cy"
    notice = page.select_one("#campaign-privacy-notice")
    assert (notice["lang"], notice["dir"]) == ("en", "ltr")
    assert "Riverside Youth Trust is responsible for your answers." in notice.text
    assert normalize_spaces(page.select_one("#retention-period").text) == "24 mis"


def test_a_campaign_without_its_own_notice_says_whom_to_ask(client_request, demo):
    campaign = demo["wemwbs"]
    campaign.privacy_notice = ""
    db.session.commit()
    page = client_request.get(url(campaign, "/privacy"))
    assert page.select_one("#campaign-privacy-notice") is None
    assert "Ask the person who gave you the link who is responsible" in normalize_spaces(page.text)


def sign_in_as_coordinator(app, make_user) -> ClientRequest:
    staff = ClientRequest(app.test_client())
    user = make_user("coordinator")
    staff.post("/sign-in", {"email": user.email, "password": "correct horse battery"})
    return staff


def test_consent_records_the_notice_version_shown_even_when_it_changes_meanwhile(
    client_request, demo, app, make_user
):
    campaign = demo["wemwbs"]
    shown = client_request.get(url(campaign, "/consent"))
    assert shown.select_one("input[name=notice_version]")["value"] == "1"
    csrf = shown.select_one("input[name=csrf_token]")["value"]

    staff = sign_in_as_coordinator(app, make_user)
    settings = f"/admin/campaigns/{campaign.id}/consent"
    form = staff.get(settings)
    assert form.select_one("textarea[name=privacy_notice]").text.startswith("Riverside Youth")
    staff.post(settings, {"privacy_notice": "Northside Council now holds your answers."})
    detail = staff.get(f"/admin/campaigns/{campaign.id}")
    assert "The privacy notice is version 2" in detail.text
    assert "Northside Council now holds your answers." in detail.select_one("#privacy-notice").text

    # The person agreed on the page that linked to version 1.
    client_request.post(
        url(campaign, "/consent"), {"consent": "yes", "notice_version": "1", "csrf_token": csrf}
    )
    assert db.session.scalar(select(Draft.consent_notice_version)) == 1

    # Someone arriving now is shown, and agrees to, version 2.
    other = ClientRequest(app.test_client())
    page = other.get(url(campaign, "/consent"))
    assert page.select_one("input[name=notice_version]")["value"] == "2"
    other.post(url(campaign, "/consent"), {"consent": "yes"})
    versions = db.session.scalars(select(Draft.consent_notice_version).order_by(Draft.id)).all()
    assert versions == [1, 2]


def test_saving_the_same_notice_keeps_its_version_and_a_made_up_version_is_not_stored(
    client_request, demo, app, make_user
):
    campaign = demo["wemwbs"]
    staff = sign_in_as_coordinator(app, make_user)
    settings = f"/admin/campaigns/{campaign.id}/consent"
    staff.post(
        settings,
        {"privacy_notice": campaign.privacy_notice, "asks_age_band": "y", "own_consent_age": "16"},
    )
    db.session.refresh(campaign)
    assert (campaign.privacy_notice_version, campaign.asks_age_band, campaign.own_consent_age) == (
        1,
        True,
        16,
    )

    campaign.asks_age_band = False
    db.session.commit()
    client_request.post(url(campaign, "/consent"), {"consent": "yes", "notice_version": "7"})
    assert db.session.scalar(select(Draft.consent_notice_version)) == 1


def test_a_new_campaign_starts_with_the_configured_consent_age_and_sets_consent_after(
    client_request, demo, make_user, sign_in
):
    sign_in(make_user("admin"))
    create_campaign(
        client_request,
        {"name": "Summer check", "service_id": demo["wemwbs"].service_id,
         "instrument": "swemwbs@1", "opens_on": ["1", "6", "2026"],
         "closes_on": ["31", "8", "2030"], "languages": ["en"]},
    )  # fmt: skip
    from app.models import Campaign

    campaign = db.session.scalar(select(Campaign).where(Campaign.name == "Summer check"))
    assert (campaign.asks_age_band, campaign.own_consent_age) == (False, 13)
    form = client_request.get(f"/admin/campaigns/{campaign.id}/consent")
    assert form.select_one("select[name=own_consent_age] option[selected]")["value"] == "13"
    client_request.post(
        f"/admin/campaigns/{campaign.id}/consent",
        {"asks_age_band": "y", "own_consent_age": "16",
         "privacy_notice": "We hold your answers.\n\nAsk us anything."},
    )  # fmt: skip
    db.session.refresh(campaign)
    assert (campaign.asks_age_band, campaign.own_consent_age) == (True, 16)
    assert campaign.privacy_notice_paragraphs == ["We hold your answers.", "Ask us anything."]
    assert campaign.privacy_notice_version == 2


# --- The limit on sending answers ---------------------------------------------------------


@pytest.fixture
def tight_limits(app, monkeypatch):
    monkeypatch.setitem(app.config, "SUBMISSIONS_PER_BROWSER", 2)
    monkeypatch.setitem(app.config, "SUBMISSION_WINDOW_MINUTES", 10)


def test_too_many_sends_from_one_browser_are_paused_without_losing_the_answers(
    client_request, demo, app, tight_limits
):
    campaign = demo["wemwbs"]
    for _ in range(2):
        agree(client_request, campaign)
        answer_and_send(client_request, campaign, app)
    assert count(Response) == 2

    agree(client_request, campaign)
    page = answer_and_send(client_request, campaign, app, expected_status=429)
    assert normalize_spaces(page.h1.text) == "Your answers have not been sent yet"
    text = normalize_spaces(page.text)
    assert "Your answers are saved. Nothing is lost." in text
    send_from = normalize_spaces(page.select_one("#send-from").text)
    assert f'From {send_from}, press "Send my answers" again.' in text
    assert page.select_one("form button").text.strip() == "Send my answers"
    resume_code = normalize_spaces(page.select_one("#resume-code").text)
    assert int(client_request.last.headers["Retry-After"]) > 9 * 60
    assert count(Response) == 2
    draft = db.session.scalar(select(Draft))
    assert len(draft.answers) == 14 and draft.resume_code == resume_code.replace("-", "")

    # Ten minutes later the same send goes through.
    db.session.execute(
        update(Attempt).values(created_at=Attempt.created_at - timedelta(minutes=11))
    )
    db.session.commit()
    sent = client_request.post(url(campaign, "/check"), {})
    assert sent.headers["Location"].endswith("/confirmation")
    assert count(Response) == 3 and count(Draft) == 0


def test_a_school_sharing_one_address_has_a_limit_of_its_own(app, demo, monkeypatch):
    monkeypatch.setitem(app.config, "SUBMISSIONS_PER_ADDRESS", 3)
    campaign = demo["wemwbs"]
    for _ in range(3):
        phone = ClientRequest(app.test_client())
        agree(phone, campaign)
        answer_and_send(phone, campaign, app)
    phone = ClientRequest(app.test_client())
    agree(phone, campaign)
    page = answer_and_send(phone, campaign, app, expected_status=429)
    assert "Your answers are saved" in page.text
    assert count(Response) == 3


def test_the_send_counts_keep_no_address_or_session(client_request, demo, app):
    campaign = demo["wemwbs"]
    agree(client_request, campaign)
    answer_and_send(client_request, campaign, app)
    keys = db.session.scalars(select(Attempt.key)).all()
    assert len(keys) == 2
    assert not any("127.0.0.1" in key for key in keys)


def test_the_paused_page_is_in_the_respondents_language(client, demo, app, monkeypatch):
    monkeypatch.setitem(app.config, "SUBMISSIONS_PER_BROWSER", 0)
    campaign = demo["service-feedback"]
    polish = ClientRequest(client)
    polish.get(url(campaign, "?lang=pl"), expected_status=303)
    agree(polish, campaign)
    polish.post(url(campaign, "/code"), {"has_code": "no"})
    instrument = instrument_of(app, campaign)
    for page in range(1, instrument.page_count + 1):
        values = {item.id: a_valid_answer(item) for item in instrument.page_items(page)}
        answer_page(polish, campaign, page, values)
    page = polish.post(url(campaign, "/check"), {}, expected_status=429)
    assert page.html["lang"] == "pl"
    assert normalize_spaces(page.h1.text) == "Twoje odpowiedzi nie zostały jeszcze wysłane"
    assert "Od " in page.text and "Wyślij moje odpowiedzi" in page.text


def test_a_participants_own_download_says_how_they_agreed(client_request, demo, app):
    campaign = demo["swemwbs"]
    client_request.post(url(campaign, "/age"), {"age_band": "11_12"})
    client_request.post(url(campaign, "/parent-consent"), {"consent": "yes"})
    answer_and_send(client_request, campaign, app)
    client_request.post("/my-answers", {"code": only_response().participant.code})
    [record] = json.loads(client_request.get("/my-answers/download").data)["responses"]
    assert (record["age_band"], record["consent_by"], record["privacy_notice_version"]) == (
        "11_12",
        "parent_or_carer",
        1,
    )
