"""A young person's journey through a campaign, as their phone's browser would make it."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import Draft, Participant, Response, SafeguardingAlert
from tests.support.journey import agree, answer_page, begin, instrument_of, url
from tests.support.pages import ClientRequest, normalize_spaces


def complete(client_request, campaign, instrument, value="4", code=None):
    begin(client_request, campaign, code)
    for page in range(1, instrument.page_count + 1):
        answer_page(
            client_request, campaign, page, {item.id: value for item in instrument.page_items(page)}
        )
    client_request.post(url(campaign, "/check"), {})
    return client_request.get(url(campaign, "/confirmation"))


def stored_responses():
    return db.session.scalars(select(Response).order_by(Response.id)).all()


def test_pages_served_from_kept_parts_are_the_pages_rendered_afresh(client, demo, app):
    # Components and the layout's header, footer and switcher are kept once rendered
    # (app.fragments): a page built from them must be the page rendered from nothing.
    from app.fragments import EXTENSION, Fragments

    campaign = demo["wemwbs"]
    phone = ClientRequest(client)
    paths = [url(campaign), url(campaign, "/consent"), url(campaign, "/help")]

    def page(path):
        return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", str(phone.get(path)))

    afresh = []
    for path in paths:
        app.extensions[EXTENSION] = Fragments()
        afresh.append(page(path))
    for path in paths:
        page(path)
    assert [page(path) for path in paths] == afresh


def test_start_page_says_what_it_is_how_long_and_who_sees_answers(client_request, demo, app):
    campaign = demo["wemwbs"]
    page = client_request.get(url(campaign))
    instrument = instrument_of(app, campaign)
    # Headed by the campaign's own name; the scale's full name is lower down.
    assert normalize_spaces(page.h1.text) == campaign.name
    assert normalize_spaces(page.select_one("#instrument-name").text) == (
        f"Questions: {instrument.title('en')}"
    )
    body = normalize_spaces(page.text)
    assert "minutes" in body
    assert "see everyone's answers added together" in body
    assert instrument.licence.notice in body
    start = page.select_one("a.govuk-button--start")
    assert normalize_spaces(start.text) == "Start now"
    assert start["href"] == url(campaign, "/consent")


def test_wemwbs_journey_stores_a_scored_response_and_shows_the_code_to_keep(
    client_request, demo, app
):
    campaign = demo["wemwbs"]
    instrument = instrument_of(app, campaign)
    page = complete(client_request, campaign, instrument, value="4")

    assert "Your answers have been sent" in normalize_spaces(page.h1.text)
    shown_code = normalize_spaces(page.select_one("#participant-code").text)
    assert page.select_one("svg.app-qr") is not None

    [response] = stored_responses()
    assert response.complete is True
    assert response.raw_score == 14 * 4
    assert response.band == "average"
    assert response.language == "en"
    assert response.text_provenance == "validated"
    assert response.participant.code == shown_code.replace("-", "")
    assert db.session.scalar(select(func.count(Draft.id))) == 0


def test_swemwbs_journey_stores_the_metric_score_from_the_conversion_table(
    client_request, demo, app
):
    campaign = demo["swemwbs"]
    instrument = instrument_of(app, campaign)
    complete(client_request, campaign, instrument, value="3")
    [response] = stored_responses()
    assert response.raw_score == 21
    assert response.metric_score == 19.25
    assert response.band == "possible_depression"


def test_pressing_send_twice_stores_one_response(client_request, client, demo, app):
    campaign = demo["swemwbs"]
    instrument = instrument_of(app, campaign)
    begin(client_request, campaign)
    answer_page(client_request, campaign, 1, {i.id: "5" for i in instrument.page_items(1)})
    check_page = client.get(url(campaign, "/check")).get_data(as_text=True)
    token = check_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]

    first = client.post(url(campaign, "/check"), data={"csrf_token": token})
    again = client.post(url(campaign, "/check"), data={"csrf_token": token})

    assert first.status_code == again.status_code == 302
    assert again.headers["Location"].endswith("/confirmation")
    assert len(stored_responses()) == 1


def test_missing_answers_show_an_error_summary_and_keep_the_answers_given(
    client_request, demo, app
):
    campaign = demo["wemwbs"]
    instrument = instrument_of(app, campaign)
    begin(client_request, campaign)
    items = instrument.page_items(1)
    given = {item.id: "2" for item in items[:3]}
    page = answer_page(client_request, campaign, 1, given, expected_status=200)

    assert page.title.text.startswith("Error:")
    summary_links = [a["href"] for a in page.select(".govuk-error-summary a")]
    assert summary_links == [f"#{item.id}" for item in items[3:]]
    for item in items[3:]:
        assert page.find(id=item.id) is not None
    for item in items[:3]:
        checked = page.find("input", attrs={"name": item.id, "checked": True})
        assert checked is not None and checked["value"] == "2"


def test_a_tampered_answer_gets_a_clear_message_and_is_not_stored(client_request, demo, app):
    campaign = demo["swemwbs"]
    instrument = instrument_of(app, campaign)
    begin(client_request, campaign)
    values = {item.id: "3" for item in instrument.page_items(1)}
    first = instrument.page_items(1)[0].id
    values[first] = "9"
    page = answer_page(client_request, campaign, 1, values, expected_status=200)
    message = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert "Select one of the options" in message
    draft = db.session.scalar(select(Draft))
    assert first not in (draft.answers or {})


def test_saving_gives_a_resume_code_that_brings_the_answers_back_on_another_phone(
    client_request, demo, app
):
    campaign = demo["wemwbs"]
    instrument = instrument_of(app, campaign)
    begin(client_request, campaign)
    page_one = {item.id: "3" for item in instrument.page_items(1)}
    answer_page(client_request, campaign, 1, page_one)
    partial = {instrument.page_items(2)[0].id: "5"}
    answer_page(client_request, campaign, 2, partial, extra={"action": "save"})
    saved = client_request.get(url(campaign, "/saved"))
    resume_code = normalize_spaces(saved.select_one("#resume-code").text)

    other_phone = app.test_client()

    other = ClientRequest(other_phone)
    response = other.post(url(campaign, "/resume"), {"resume_code": resume_code.lower()})
    assert response.headers["Location"].endswith("/questions/2")
    page = other.get(url(campaign, "/questions/2"))
    assert page.find("input", attrs={"name": partial.popitem()[0], "checked": True})["value"] == "5"


def test_a_code_from_last_time_links_the_new_answers_to_the_old(client_request, client, demo, app):
    campaign = demo["swemwbs"]
    instrument = instrument_of(app, campaign)
    page = complete(client_request, campaign, instrument, value="2")
    code = normalize_spaces(page.select_one("#participant-code").text)

    complete(client_request, campaign, instrument, value="4", code=code.lower())

    first, second = stored_responses()
    assert first.participant_id == second.participant_id
    assert db.session.scalar(select(func.count(Participant.id))) == 1


def test_an_unknown_code_is_refused_with_a_message(client_request, demo):
    campaign = demo["swemwbs"]
    agree(client_request, campaign)
    page = client_request.post(
        url(campaign, "/code"), {"has_code": "yes", "code": "ABCD-2345"}, expected_status=200
    )
    assert "We could not find that code" in normalize_spaces(page.text)


def test_saying_no_to_consent_stores_nothing(client_request, demo):
    page = client_request.post(
        url(demo["wemwbs"], "/consent"), {"consent": "no"}, 200, follow_redirects=True
    )
    assert "Nothing has been saved" in page.text
    assert db.session.scalar(select(func.count(Draft.id))) == 0


def test_unknown_not_yet_open_and_closed_campaigns_get_clear_pages(client_request, demo):
    page = client_request.get("/s/not-a-real-campaign", expected_status=404)
    assert normalize_spaces(page.h1.text) == "Page not found"

    campaign = demo["wemwbs"]
    campaign.status = "draft"
    db.session.commit()
    page = client_request.get(url(campaign), expected_status=404)
    assert normalize_spaces(page.h1.text) == "This survey is not open yet"

    campaign.close()
    db.session.commit()
    page = client_request.get(url(campaign, "/questions/1"), expected_status=410)
    assert normalize_spaces(page.h1.text) == "This survey has closed"


def test_an_oversized_request_is_refused_with_a_page_not_a_crash(client_request, demo):
    response = client_request.client.post(
        url(demo["wemwbs"], "/consent"), data={"consent": "x" * 200_000}
    )
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_a_form_without_its_security_token_gets_a_timed_out_page(client, demo):
    response = client.post(url(demo["wemwbs"], "/consent"), data={"consent": "yes"})
    assert response.status_code == 400
    assert "Your page timed out" in response.get_data(as_text=True)


def test_sending_with_unanswered_questions_lists_them(client_request, demo, app):
    campaign = demo["swemwbs"]
    begin(client_request, campaign)
    page = client_request.post(url(campaign, "/check"), {}, expected_status=400)
    links = page.select(".govuk-error-summary a")
    assert len(links) == 7
    assert links[0]["href"].startswith(url(campaign, "/questions/1"))
    assert stored_responses() == []


def test_check_your_answers_lists_each_answer_with_a_change_link(client_request, demo, app):
    campaign = demo["swemwbs"]
    instrument = instrument_of(app, campaign)
    begin(client_request, campaign)
    answer_page(client_request, campaign, 1, {i.id: "1" for i in instrument.page_items(1)})
    page = client_request.get(url(campaign, "/check"))
    rows = page.select(".govuk-summary-list__row")
    assert len(rows) == 7
    assert normalize_spaces(rows[0].select_one("dd").text) == "None of the time"
    change = rows[0].select_one(".govuk-summary-list__actions a")["href"]
    assert "return=check" in change


def test_asking_for_contact_stores_a_safeguarding_alert(client_request, demo):
    campaign = demo["wemwbs"]
    help_page = client_request.get(url(campaign, "/help"))
    assert "999" in help_page.text
    page = client_request.post(
        url(campaign, "/contact-me"),
        {
            "contact_method": "text",
            "contact_detail": "07700 900123",
            "safe_to_message": "no_message",
            "best_time": "After 4pm",
            "message": "worried",
        },
        expected_status=200,
        follow_redirects=True,
    )
    assert "We have your message" in page.text
    [alert] = db.session.scalars(select(SafeguardingAlert)).all()
    assert (alert.source, alert.contact_method, alert.campaign_id) == (
        "contact_request",
        "text",
        campaign.id,
    )


def test_contact_by_phone_needs_a_number(client_request, demo):
    page = client_request.post(
        url(demo["wemwbs"], "/contact-me"),
        {"contact_method": "phone", "safe_to_message": "yes"},
        expected_status=400,
    )
    assert "Enter a phone number or email address" in page.text
    assert db.session.scalar(select(func.count(SafeguardingAlert.id))) == 0


def test_campaign_qr_codes_are_served_for_posters(client, demo):
    campaign = demo["wemwbs"]
    svg = client.get(url(campaign, "/qr.svg"))
    png = client.get(url(campaign, "/qr.png"))
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")


def test_every_respondent_page_passes_the_page_checks(client_request, demo, app):
    campaign = demo["service-feedback"]
    pages = ["", "/consent", "/resume", "/help", "/contact-me"]
    for path in pages:
        client_request.get(url(campaign, path))
    client_request.get("/help")
    client_request.get("/contact-me")
    begin(client_request, campaign)
    instrument = instrument_of(app, campaign)
    for page in range(1, instrument.page_count + 1):
        client_request.get(url(campaign, f"/questions/{page}"))
    client_request.get(url(campaign, "/code"))
    client_request.get(url(campaign, "/check"))


def test_guessing_resume_codes_is_stopped_with_a_clear_page(client_request, demo):
    campaign = demo["wemwbs"]
    for _ in range(10):
        client_request.post(
            url(campaign, "/resume"), {"resume_code": "ABCD-2345"}, expected_status=200
        )
    page = client_request.post(
        url(campaign, "/resume"), {"resume_code": "ABCD-2345"}, expected_status=429
    )
    assert normalize_spaces(page.h1.text) == "Too many tries"


def test_guessing_participant_codes_is_stopped(client_request, demo):
    campaign = demo["swemwbs"]
    agree(client_request, campaign)
    for _ in range(10):
        client_request.post(
            url(campaign, "/code"), {"has_code": "yes", "code": "ABCD-2345"}, expected_status=200
        )
    client_request.post(
        url(campaign, "/code"), {"has_code": "yes", "code": "ABCD-2345"}, expected_status=429
    )
