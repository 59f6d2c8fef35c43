"""A participant sees, downloads and deletes their own answers with their code; old answers
are anonymised on schedule; admins answer subject access requests."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app import privacy
from app.extensions import db
from app.models import AuditEvent, Draft, Participant, Response, SafeguardingAlert
from app.models.codes import display_code
from app.models.timeutil import utcnow
from tests.support.pages import normalize_spaces

FEEDBACK = {
    "how_often": "weekly",
    "overall_rating": "8",
    "feel_welcome": "yes",
    "in_a_few_words": "Kind staff",
    "change_one_thing": "Longer opening hours",
}


def add_response(campaign, participant, submitted_at=None, key="r1", answers=None):
    response = Response(
        submission_key=key,
        campaign_id=campaign.id,
        participant=participant,
        instrument_id=campaign.instrument_id,
        instrument_version=campaign.instrument_version,
        language="en",
        text_provenance="source",
        answers=dict(answers or FEEDBACK),
        complete=True,
        answered_count=len(answers or FEEDBACK),
        submitted_at=submitted_at or utcnow(),
    )
    db.session.add(response)
    db.session.commit()
    return response


@pytest.fixture
def participant(app):
    person = Participant.create()
    db.session.add(person)
    db.session.commit()
    return person


def look_up(client_request, code):
    return client_request.post("/my-answers", {"code": code})


def count(model):
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_participant_sees_their_answers_in_words_after_entering_their_code(
    client_request, demo, participant
):
    add_response(demo["service-feedback"], participant)
    response = look_up(client_request, display_code(participant.code).lower())
    assert response.location.endswith("/my-answers/answers")
    assert participant.code not in response.location
    page = client_request.get("/my-answers/answers")
    assert normalize_spaces(page.select_one("h1").text) == "Your answers"
    text = normalize_spaces(page.text)
    assert "Kind staff" in text and "Longer opening hours" in text
    assert page.select_one("h2").text.strip() != "service-feedback"


def test_the_code_is_asked_for_before_any_answers_are_shown(client_request):
    response = client_request.get("/my-answers/answers", expected_status=302)
    assert response.location.endswith("/my-answers")
    page = client_request.get("/my-answers")
    assert normalize_spaces(page.select_one("h1").text) == "See or delete your answers"


def test_a_participant_downloads_their_answers_as_json(client_request, demo, participant):
    add_response(demo["service-feedback"], participant)
    look_up(client_request, participant.code)
    download = client_request.get("/my-answers/download")
    assert download.mimetype == "application/json"
    assert "attachment" in download.headers["Content-Disposition"]
    data = json.loads(download.get_data(as_text=True))
    assert data["responses"][0]["answers"]["in_a_few_words"] == "Kind staff"


def test_deleting_removes_answers_drafts_and_the_code_but_keeps_alerts(
    client_request, demo, participant
):
    campaign = demo["service-feedback"]
    response = add_response(campaign, participant)
    db.session.add(Draft(token="d1", campaign_id=campaign.id, participant=participant))
    db.session.add(
        SafeguardingAlert(
            source="free_text", participant=participant, response=response, campaign_id=campaign.id
        )
    )
    db.session.commit()
    code = participant.code
    look_up(client_request, code)
    page = client_request.get("/my-answers/delete")
    assert "delete your answers" in normalize_spaces(page.select_one("h1").text)
    page = client_request.post("/my-answers/delete", {}, expected_status=200, follow_redirects=True)
    assert normalize_spaces(page.select_one("h1").text) == "Your answers have been deleted"
    assert count(Response) == 0 and count(Draft) == 0 and count(Participant) == 0
    alert = db.session.scalar(select(SafeguardingAlert))
    assert alert.participant_id is None and alert.response_id is None
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "participant_deleted_own_data")
    )
    assert code not in json.dumps(event.detail) + event.actor_label
    page = client_request.post("/my-answers", {"code": code}, expected_status=400)
    assert "could not find that code" in normalize_spaces(page.text)


def test_wrong_codes_are_rate_limited_per_address(client_request, app):
    for _ in range(10):
        client_request.post("/my-answers", {"code": "ABCD2345"}, expected_status=400)
    client_request.post("/my-answers", {"code": "ABCD2345"}, expected_status=429)


def test_the_confirmation_and_help_pages_link_to_your_answers(client_request):
    page = client_request.get("/help")
    assert page.find("a", string="See or delete your answers")["href"] == "/my-answers"


def test_retention_anonymises_old_responses_once_and_deletes_stale_drafts(
    app, runner, demo, participant
):
    campaign = demo["service-feedback"]
    campaign.retention_months = 12
    now = datetime(2026, 6, 15, 12, 0)
    old = add_response(campaign, participant, now - timedelta(days=400), key="old")
    recent = add_response(campaign, participant, now - timedelta(days=100), key="recent")
    db.session.add(
        Draft(token="stale", campaign_id=campaign.id, updated_at=now - timedelta(days=31))
    )
    db.session.add(Draft(token="fresh", campaign_id=campaign.id, updated_at=now))
    db.session.commit()

    assert privacy.run_retention(now) == {"responses_anonymised": 1, "drafts_deleted": 1}
    db.session.refresh(old)
    db.session.refresh(recent)
    assert old.participant_id is None and old.submitted_at == now - timedelta(days=400)
    assert "in_a_few_words" not in old.answers and "change_one_thing" not in old.answers
    assert old.answers["overall_rating"] == "8"
    assert recent.participant_id == participant.id and "in_a_few_words" in recent.answers
    assert privacy.run_retention(now) == {"responses_anonymised": 0, "drafts_deleted": 0}

    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "Anonymised" in result.output and "drafts" in result.output


def test_months_before_keeps_to_the_end_of_a_short_month():
    assert privacy.months_before(datetime(2026, 3, 31), 1) == datetime(2026, 2, 28)
    assert privacy.months_before(datetime(2026, 1, 15), 24) == datetime(2024, 1, 15)


def test_an_admin_downloads_everything_held_for_a_code_and_it_is_audited(
    client_request, demo, participant, make_user, sign_in
):
    add_response(demo["service-feedback"], participant)
    sign_in(make_user("admin"))
    page = client_request.get("/admin/subject-access")
    assert normalize_spaces(page.select_one("h1").text) == "Subject access request"
    download = client_request.post(
        "/admin/subject-access", {"code": participant.code}, expected_status=200
    )
    assert download.mimetype == "application/json"
    data = json.loads(download.get_data(as_text=True))
    assert data["code"] == participant.code and len(data["responses"]) == 1
    assert "safeguarding_alerts" in data and "drafts" in data
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "subject_access_export")
    )
    assert event is not None and participant.code not in json.dumps(event.detail)
    page = client_request.post("/admin/subject-access", {"code": "ABCD2345"}, expected_status=400)
    assert "No participant has that code" in normalize_spaces(page.text)


@pytest.mark.parametrize("role", ["coordinator", "commissioner", "safeguarding_lead"])
def test_only_admins_may_export_or_read_the_audit_log(client_request, make_user, sign_in, role):
    sign_in(make_user(role))
    client_request.get("/admin/subject-access", expected_status=403)
    client_request.get("/admin/audit", expected_status=403)


def test_retention_expires_old_wheel_readings_with_their_notes_and_codes_left_empty(
    app, demo, participant, make_user
):
    from app.models import Reading

    now = datetime(2026, 6, 15, 12, 0)
    keyworker = make_user("key_worker")
    service = demo["service-feedback"].service

    def reading(person, taken_on, key):
        db.session.add(
            Reading(
                submission_key=key,
                participant_id=person.id,
                service_id=service.id,
                recorded_by_id=keyworker.id,
                instrument_id="outcomes-wheel",
                instrument_version=1,
                taken_on=taken_on,
                scores={},
                note="Talked about home",
            )
        )

    old_only = Participant(code="OLDONLY2", created_at=now - timedelta(days=900))
    empty_old = Participant(code="EMPTYOLD", created_at=now - timedelta(days=40))
    empty_new = Participant(code="EMPTYNEW", created_at=now - timedelta(days=3))
    db.session.add_all([old_only, empty_old, empty_new])
    db.session.flush()
    reading(old_only, (now - timedelta(days=800)).date(), "old-reading")
    reading(participant, (now - timedelta(days=800)).date(), "old-reading-2")
    reading(participant, (now - timedelta(days=30)).date(), "recent-reading")
    add_response(demo["service-feedback"], participant, now - timedelta(days=10), key="kept")
    participant.created_at = now - timedelta(days=900)
    db.session.commit()

    assert privacy.expire_readings_and_codes(now) == {"readings_deleted": 2, "codes_deleted": 2}
    notes = db.session.scalars(select(Reading.note)).all()
    keys = db.session.scalars(select(Reading.submission_key)).all()
    assert keys == ["recent-reading"] and len(notes) == 1
    codes = set(db.session.scalars(select(Participant.code)))
    # The person with a recent reading and answer keeps their code, and so does a code
    # made this week that may be about to be used; emptied and long-empty codes go.
    assert participant.code in codes and "EMPTYNEW" in codes
    assert "OLDONLY2" not in codes and "EMPTYOLD" not in codes
    assert privacy.expire_readings_and_codes(now) == {"readings_deleted": 0, "codes_deleted": 0}


def _session_cookie(client_request) -> str:
    cookie = client_request.client.get_cookie("session")
    return cookie.value if cookie else ""


def test_the_code_is_never_kept_in_the_cookie_and_finish_closes_the_answers(
    app, client_request, demo, participant
):
    add_response(demo["service-feedback"], participant)
    look_up(client_request, participant.code)
    page = client_request.get("/my-answers/answers")
    # The cookie is signed, not secret: what it holds must not be the code.
    session = app.session_interface.get_signing_serializer(app).loads(
        _session_cookie(client_request)
    )
    assert participant.code not in json.dumps(session)
    assert display_code(participant.code) not in json.dumps(session)

    assert page.select_one("form[action='/my-answers/finish'] button, "
                           "form[action='/my-answers/finish'] input[type=submit]")  # fmt: skip
    finished = client_request.post(
        "/my-answers/finish", {}, form_page="/my-answers/answers", expected_status=302
    )
    assert finished.location.endswith("/my-answers/finished")
    page = client_request.get("/my-answers/finished")
    assert normalize_spaces(page.select_one("h1").text) == "Your answers are closed"
    # The next person on this phone is asked for a code, and sees nothing.
    again = client_request.get("/my-answers/answers", expected_status=302)
    assert again.location.endswith("/my-answers")
    client_request.get("/my-answers/download", expected_status=302)


def test_answers_close_after_ten_minutes_without_use(
    client_request, demo, participant, monkeypatch
):
    import time

    from app.respond import my_answers

    add_response(demo["service-feedback"], participant)
    now = time.time()
    monkeypatch.setattr(my_answers.time, "time", lambda: now)
    look_up(client_request, participant.code)
    monkeypatch.setattr(my_answers.time, "time", lambda: now + 9 * 60)
    client_request.get("/my-answers/answers")  # each use starts the ten minutes again
    monkeypatch.setattr(my_answers.time, "time", lambda: now + 18 * 60)
    client_request.get("/my-answers/answers")
    monkeypatch.setattr(my_answers.time, "time", lambda: now + 29 * 60)
    closed = client_request.get("/my-answers/answers", expected_status=302)
    assert closed.location.endswith("/my-answers")
