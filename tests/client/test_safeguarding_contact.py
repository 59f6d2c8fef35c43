"""What a safeguarding lead needs to act on a request for contact (the service and provider
by name, the language by its name, UK times, how and when it is safe to make contact, the
key worker and the service's contact), and respondent confirmations that reload without
sending anything twice."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Participant, Reading, Response, SafeguardingAlert
from app.safeguarding.details import language_name, uk_time
from tests.support.journey import answer_and_send, begin, url
from tests.support.pages import normalize_spaces


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def rows(page, list_id: str) -> dict[str, str]:
    found = {}
    for row in page.select(f"#{list_id} .govuk-summary-list__row"):
        key = normalize_spaces(row.select_one("dt").text)
        found[key] = normalize_spaces(row.select_one("dd").get_text(" "))
    return found


@pytest.mark.parametrize(
    "moment, shown",
    [
        (datetime(2026, 12, 7, 16, 30), "7 Dec 2026, 16:30"),  # winter: UK is UTC
        (datetime(2026, 7, 7, 15, 30), "7 Jul 2026, 16:30"),  # summer: UK is UTC+1
        (datetime(2026, 3, 29, 0, 5), "29 Mar 2026, 00:05"),  # before the clocks go on
        (datetime(2026, 3, 29, 1, 5), "29 Mar 2026, 02:05"),  # after
        (datetime(2026, 10, 24, 23, 0), "25 Oct 2026, 00:00"),  # a UK date, not UTC's
        (datetime(2026, 1, 1, 12, 0), "1 Jan 2026, 12:00"),
    ],
)
def test_times_are_shown_as_uk_clocks_showed_them(moment, shown):
    assert uk_time(moment) == shown


def test_languages_are_named_in_english_and_in_themselves():
    assert language_name("pl") == "Polish (Polski)"
    assert language_name("en") == "English"
    assert language_name("ar") == "Arabic (العربية)"
    assert language_name("xx") == "xx"


def test_a_request_through_the_key_worker_shows_the_lead_who_to_call_and_how(
    client_request, app, demo, make_user, sign_in
):
    campaign = demo["wemwbs"]
    service = campaign.service
    service.contact_name, service.contact_phone = "Dana Duty Manager", "01632 960 124"
    service.contact_email = "dana@example.org"
    worker = make_user("key_worker", email="kim@example.org")
    worker.name = "Kim Key Worker"
    participant = Participant.create()
    db.session.add(participant)
    db.session.flush()
    db.session.add(
        Reading(
            submission_key="k1",
            participant=participant,
            service_id=service.id,
            recorded_by_id=worker.id,
            instrument_id="outcomes-wheel",
            instrument_version=1,
            taken_on=date(2026, 11, 1),
            scores={},
        )
    )
    db.session.commit()
    code = participant.code

    # A young person who gave their code asks to be contacted through their key worker:
    # after school, and leave no message.
    begin(client_request, campaign, code=code)
    response = client_request.post(
        url(campaign, "/contact-me"),
        {
            "contact_method": "worker",
            "safe_to_message": "no_message",
            "best_time": "After school",
            "message": "Please",
        },
    )
    assert response.headers["Location"] == url(campaign, "/contact-me/sent")
    [alert] = db.session.scalars(select(SafeguardingAlert)).all()

    sign_in(make_user("safeguarding_lead"))
    page = client_request.get(f"/safeguarding/alerts/{alert.id}")
    details = rows(page, "alert-details")
    assert details["Service"] == "Riverside Youth Club (Riverside Youth Trust)"
    assert details["Campaign"] == campaign.name
    assert details["Raised"] == uk_time(alert.created_at)
    assert "UTC" not in page.select_one("main").text
    contact = rows(page, "contact-details")
    assert contact["They asked for"] == "Through their key worker or the service"
    assert contact["Safe to call or leave a message?"] == (
        "Contact them, but do not leave a message"
    )
    assert contact["Best time"] == "After school"
    assert contact["Key worker"] == (
        "Kim Key Worker kim@example.org Riverside Youth Club (Riverside Youth Trust)"
    )
    assert contact["Contact at the service"] == ("Dana Duty Manager 01632 960 124 dana@example.org")


def test_the_language_of_a_request_is_named(client_request, demo, make_user, sign_in):
    client = client_request.client
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "pl;q=1.0"
    client_request.post("/contact-me", {"contact_method": "worker", "safe_to_message": "yes"})
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE")
    [alert] = db.session.scalars(select(SafeguardingAlert)).all()
    sign_in(make_user("safeguarding_lead"))
    page = client_request.get(f"/safeguarding/alerts/{alert.id}")
    assert rows(page, "alert-details")["Language"] == "Polish (Polski)"
    # Not through a campaign: the lead is told the service is not known, not left guessing.
    assert (
        "did not come through a campaign" in rows(page, "contact-details")["Contact at the service"]
    )


def test_contact_me_asks_whether_it_is_safe_to_leave_a_message(client_request, demo):
    page = client_request.post(
        "/contact-me", {"contact_method": "phone", "contact_detail": "0"}, expected_status=400
    )
    summary = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert "Select whether it is safe to call you or leave a message" in summary
    assert page.select_one("input[name=contact_detail]")["value"] == "0"
    assert count(SafeguardingAlert) == 0


# --- Reloading a confirmation sends nothing again ----------------------------------------


def test_reloading_we_have_your_message_raises_no_second_alert(client_request, demo):
    campaign = demo["wemwbs"]
    response = client_request.post(
        url(campaign, "/contact-me"),
        {"contact_method": "worker", "safe_to_message": "yes", "message": "Please"},
    )
    sent = response.headers["Location"]
    for _ in range(3):
        page = client_request.get(sent)
        assert normalize_spaces(page.h1.text) == "We have your message"
    [alert] = db.session.scalars(select(SafeguardingAlert)).all()
    assert alert.repeats == 0
    # The page is not there for someone who has sent nothing.
    other = type(client_request)(client_request.client.application.test_client())
    assert other.get(sent, expected_status=302).headers["Location"] == url(campaign, "/contact-me")


def test_reloading_the_answers_sent_page_stores_one_response(client_request, app, demo):
    campaign = demo["wemwbs"]
    begin(client_request, campaign)
    response = answer_and_send(client_request, campaign, app)
    for _ in range(3):
        client_request.get(response.headers["Location"])
    assert count(Response) == 1


def test_reloading_the_answers_deleted_page_deletes_nothing_more(client_request, app, demo):
    campaign = demo["wemwbs"]
    begin(client_request, campaign)
    answer_and_send(client_request, campaign, app)
    code = db.session.scalar(select(Participant.code))
    client_request.post("/my-answers", {"code": code})
    response = client_request.post("/my-answers/delete", {})
    assert response.headers["Location"] == "/my-answers/deleted"
    for _ in range(2):
        page = client_request.get("/my-answers/deleted")
        assert normalize_spaces(page.h1.text) == "Your answers have been deleted"
    assert count(Response) == 0
    # Another browser cannot be told answers were deleted that it never deleted.
    other = type(client_request)(client_request.client.application.test_client())
    other.get("/my-answers/deleted", expected_status=302)


@pytest.mark.parametrize(
    "instrument_id, path, age_band, heading",
    [
        ("wemwbs", "/consent", None, "You have not taken part"),
        ("swemwbs", "/parent-consent", "under_11", "You can take part another time"),
    ],
)
def test_reloading_the_page_after_saying_no_sends_nothing(
    client_request, demo, instrument_id, path, age_band, heading
):
    campaign = demo[instrument_id]
    if age_band:
        client_request.post(url(campaign, "/age"), {"age_band": age_band})
    response = client_request.post(url(campaign, path), {"consent": "no"})
    for _ in range(2):
        page = client_request.get(response.headers["Location"])
        assert normalize_spaces(page.h1.text) == heading
