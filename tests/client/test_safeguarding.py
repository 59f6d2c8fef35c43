"""Safeguarding: a concern raised on a phone, by an answer or by staff reaches a lead's queue
and inbox; leads acknowledge, act and close; late alerts escalate; email is never lost.

The mail server is aiosmtpd on loopback: a real SMTP conversation, checked by what arrives.
"""

from __future__ import annotations

import textwrap
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.extensions import db
from app.instruments import InstrumentError, load_instruments
from app.models import SafeguardingAlert, SafeguardingEmail
from app.models.timeutil import utcnow
from app.safeguarding import alerts, detect, notify
from tests.support.journey import a_valid_answer, begin, instrument_of, url
from tests.support.pages import normalize_spaces
from tests.support.servers import free_port


class Inbox:
    """What the loopback mail server received: (recipients, parsed message)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 Message accepted"


class MailServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.inbox.messages


@pytest.fixture
def mail(app, monkeypatch):
    """A loopback SMTP server the app is configured for; not started until the test says."""
    server = MailServer(free_port())
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", server.port)
    monkeypatch.setitem(app.config, "SMTP_TIMEOUT", 5)
    monkeypatch.setitem(app.config, "SAFEGUARDING_ESCALATION_EMAIL", "duty@example.org")
    yield server
    server.stop()


@pytest.fixture
def lead(make_user):
    return make_user("safeguarding_lead", email="lead@example.org")


def all_alerts():
    db.session.rollback()
    return db.session.scalars(select(SafeguardingAlert).order_by(SafeguardingAlert.id)).all()


def queue_rows(page):
    return [normalize_spaces(row.text) for row in page.select("tr.app-alert-row")]


def test_contact_request_on_a_phone_reaches_the_queue_and_the_leads_inbox(
    client_request, demo, lead, mail, sign_in
):
    mail.start()
    campaign = demo["wemwbs"]
    client_request.post(
        url(campaign, "/contact-me"),
        {
            "contact_method": "phone",
            "contact_detail": "07700 900123",
            "safe_to_message": "yes",
            "message": "Please call",
        },
    )
    client_request.last.close()  # the server sends once the page has gone, as gunicorn does

    [alert] = all_alerts()
    assert (alert.source, alert.urgency, alert.campaign_id) == (
        "contact_request",
        "high",
        campaign.id,
    )
    [(recipients, message)] = mail.messages
    assert recipients == ["lead@example.org"]
    assert message["Subject"] == f"Safeguarding alert {alert.id} (high): Asked to be contacted"
    body = message.get_content()
    assert f"/safeguarding/alerts/{alert.id}" in body
    # Email is not a safe place for the respondent's details: they stay behind the sign-in.
    assert "07700" not in body and "Please call" not in body

    sign_in(lead)
    assert queue_rows(client_request.get("/safeguarding/"))[0].startswith(f"Alert {alert.id} High")
    page = client_request.get(f"/safeguarding/alerts/{alert.id}")
    assert "07700 900123" in normalize_spaces(page.select_one("#contact-details").text)


def test_a_message_with_a_concern_phrase_makes_the_contact_request_urgent(client_request, lead):
    client_request.post(
        "/contact-me",
        {"contact_method": "worker", "safe_to_message": "yes", "message": "I am scared to go home"},
    )
    assert [a.urgency for a in all_alerts()] == ["urgent"]


def test_the_queue_puts_the_most_urgent_first_then_the_oldest(client_request, lead, sign_in):
    now = utcnow()
    for urgency, minutes_ago in [("normal", 50), ("high", 10), ("urgent", 5), ("high", 30)]:
        alerts.add_alert(
            source="staff", urgency=urgency, created_at=now - timedelta(minutes=minutes_ago)
        )
    db.session.commit()
    sign_in(lead)
    rows = queue_rows(client_request.get("/safeguarding/"))
    assert [row.split()[:3] for row in rows] == [
        ["Alert", "3", "Urgent"],
        ["Alert", "4", "High"],
        ["Alert", "2", "High"],
        ["Alert", "1", "Normal"],
    ]


def error_summary(page) -> list[tuple[str, str]]:
    return [
        (normalize_spaces(link.text), link["href"])
        for link in page.select(".govuk-error-summary a")
    ]


def test_a_lead_acknowledges_records_actions_and_closes_with_an_outcome(
    client_request, lead, sign_in
):
    alert = alerts.raise_alert(source="staff", urgency="high", message="Seen a bruise")
    sign_in(lead)
    page_url = f"/safeguarding/alerts/{alert.id}"
    client_request.post(f"{page_url}/acknowledge", {}, form_page=page_url)
    client_request.post(
        f"{page_url}/actions", {"text": "Called the key worker", "record": "Record action"},
        form_page=page_url,
    )  # fmt: skip
    response = client_request.post(
        f"{page_url}/actions", {"text": "", "close_alert": "Close the alert"}, form_page=page_url
    )
    assert response.headers["Location"] == f"{page_url}/close"
    page = client_request.post(f"{page_url}/close", {"outcome": " "}, expected_status=400)
    assert error_summary(page) == [("Enter the outcome before you close the alert", "#outcome")]
    response = client_request.post(
        f"{page_url}/close", {"outcome": "Referred to children's services"}
    )
    assert response.headers["Location"] == f"{page_url}/close/check"
    [alert] = all_alerts()
    assert alert.status == "acknowledged"  # nothing closes before the check
    page = client_request.get(f"{page_url}/close/check")
    check = normalize_spaces(page.select_one("#close-check").text)
    assert "Called the key worker" in check and "Referred to children's services" in check
    response = client_request.post(f"{page_url}/close/check", {})
    assert response.headers["Location"] == "/safeguarding/"

    [alert] = all_alerts()
    assert alert.status == "closed"
    assert alert.acknowledged_by.email == alert.closed_by.email == "lead@example.org"
    assert [(a.user.email, a.text) for a in alert.actions] == [
        ("lead@example.org", "Called the key worker")
    ]
    assert alert.outcome == "Referred to children's services"
    queue = client_request.get("/safeguarding/")
    assert queue_rows(queue) == []
    assert "closed" in normalize_spaces(queue.select_one("main").text)
    page = normalize_spaces(client_request.get(page_url).select_one("main").text)
    assert "Called the key worker" in page and "Referred to children's services" in page


def test_an_alert_closes_only_once_acknowledged_acted_on_and_with_an_outcome(
    client_request, lead, sign_in
):
    alert = alerts.raise_alert(source="staff", urgency="high", message="Seen a bruise")
    sign_in(lead)
    page_url = f"/safeguarding/alerts/{alert.id}"
    # Never acknowledged, nothing done: the close pages refuse, saying what is missing.
    missing = [
        ("Acknowledge the alert before you close it", f"{page_url}#acknowledge"),
        ("Record at least one thing that was done before you close it", f"{page_url}#text"),
    ]
    page = client_request.post(
        f"{page_url}/close", {"outcome": "test"}, form_page=page_url, expected_status=409
    )
    assert error_summary(page) == missing
    page = client_request.post(
        f"{page_url}/close/check", {}, form_page=page_url, expected_status=409
    )
    assert error_summary(page) == missing + [
        ("Enter the outcome before you close the alert", f"{page_url}/close#outcome")
    ]
    page = client_request.post(
        f"{page_url}/actions", {"text": "Rang them", "record": "Record action"},
        form_page=page_url, expected_status=409,
    )  # fmt: skip
    assert error_summary(page) == [
        ("Acknowledge the alert before you record what was done", f"{page_url}#acknowledge")
    ]
    assert all_alerts()[0].actions == []

    client_request.post(f"{page_url}/acknowledge", {}, form_page=page_url)
    page = client_request.post(
        f"{page_url}/actions", {"text": "", "close_alert": "Close the alert"},
        form_page=page_url, expected_status=409,
    )  # fmt: skip
    assert error_summary(page) == [
        ("Record at least one thing that was done before you close it", f"{page_url}#text")
    ]
    # The check page, with no outcome yet, sends the lead to write one.
    response = client_request.get(f"{page_url}/close/check", expected_status=302)
    assert response.headers["Location"] == f"{page_url}/close"
    [alert] = all_alerts()
    assert (alert.status, alert.closed_at, alert.outcome) == ("acknowledged", None, None)


def test_what_was_done_is_kept_when_the_lead_goes_on_to_close(client_request, lead, sign_in):
    alert = alerts.raise_alert(source="staff", urgency="urgent", message="Worried")
    sign_in(lead)
    page_url = f"/safeguarding/alerts/{alert.id}"
    client_request.post(f"{page_url}/acknowledge", {}, form_page=page_url)
    page = client_request.get(page_url)
    # One form on the page: nothing typed can be lost to another form's button.
    assert len(page.select("main form")) == 1
    response = client_request.post(
        f"{page_url}/actions",
        {"text": "Spoke to the duty social worker", "close_alert": "Close the alert"},
        form_page=page_url,
    )
    assert response.headers["Location"] == f"{page_url}/close"
    [alert] = all_alerts()
    assert [a.text for a in alert.actions] == ["Spoke to the duty social worker"]
    # Too long is refused with the words kept.
    page = client_request.post(
        f"{page_url}/actions", {"text": "x" * 4001, "record": "Record action"},
        form_page=page_url, expected_status=400,
    )  # fmt: skip
    assert page.select_one("textarea#text").text.strip() == "x" * 4001


def test_an_unacknowledged_alert_is_overdue_and_escalated_once(
    client_request, app, lead, mail, sign_in
):
    mail.start()
    minutes = app.config["SAFEGUARDING_ACK_MINUTES"]
    raised = utcnow() - timedelta(minutes=minutes + 1)
    late = alerts.add_alert(source="answer", urgency="high", created_at=raised)
    on_time = alerts.add_alert(source="staff", urgency="high")
    db.session.commit()
    notify.send_due()
    mail.messages.clear()

    sign_in(lead)
    rows = queue_rows(client_request.get("/safeguarding/"))
    assert [("Overdue" in row) for row in rows] == [True, False]

    assert alerts.escalate_overdue() == [late]
    assert alerts.escalate_overdue() == []  # once only
    assert notify.send_due() == (2, 0)
    assert sorted(r for recipients, _ in mail.messages for r in recipients) == [
        "duty@example.org",
        "lead@example.org",
    ]
    assert all(m["Subject"].startswith(f"OVERDUE safeguarding alert {late.id}")
               for _, m in mail.messages)  # fmt: skip
    # An injected clock: the other alert escalates only once its own time has passed.
    assert alerts.escalate_overdue(now=on_time.created_at + timedelta(minutes=minutes)) == [on_time]
    page = client_request.get(f"/safeguarding/alerts/{late.id}")
    assert "Escalated" in normalize_spaces(page.select_one(".govuk-warning-text").text)


def test_an_email_that_fails_is_kept_retried_and_delivered_exactly_once(app, lead, mail):
    alert = alerts.raise_alert(source="staff", urgency="urgent")  # mail server down
    [email] = db.session.scalars(select(SafeguardingEmail)).all()
    assert email.sent_at is None and email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert all_alerts() == [alert]  # the alert stands whatever the mail server does

    now = utcnow()
    assert notify.send_due(now=now) == (0, 0)  # not due again yet: backing off
    mail.start()
    assert notify.send_due(now=now + timedelta(minutes=2)) == (1, 0)
    assert notify.send_due(now=now + timedelta(hours=3)) == (0, 0)
    assert [recipients for recipients, _ in mail.messages] == [["lead@example.org"]]
    db.session.refresh(email)
    assert email.sent_at is not None and email.attempts == 2 and email.last_error is None


def test_the_send_command_retries_the_outbox(app, runner, lead, mail):
    alerts.raise_alert(source="staff", urgency="high")
    result = runner.invoke(args=["safeguarding", "send"])
    assert result.exit_code == 0 and "Sent 0" in result.output  # not due yet
    db.session.execute(
        SafeguardingEmail.__table__.update().values(next_attempt_at=utcnow() - timedelta(1))
    )
    db.session.commit()
    mail.start()
    result = runner.invoke(args=["safeguarding", "send"])
    assert "Sent 1 safeguarding email(s); 0 failed" in result.output
    assert len(mail.messages) == 1


@pytest.mark.parametrize("role", ["key_worker", "coordinator", "provider", "peer_researcher"])
def test_other_staff_cannot_see_alerts_but_can_raise_one(
    client_request, make_user, lead, mail, sign_in, role
):
    mail.start()
    existing = alerts.raise_alert(source="contact_request", contact_detail="07700 900999")
    mail.messages.clear()
    sign_in(make_user(role))
    client_request.get("/safeguarding/", expected_status=403)
    client_request.get(f"/safeguarding/alerts/{existing.id}", expected_status=403)
    page = client_request.post("/safeguarding/raise", {"message": ""}, expected_status=400)
    assert "Select how urgent" in page.select_one(".govuk-error-summary").text
    client_request.post(
        "/safeguarding/raise", {"urgency": "urgent", "message": "Young person ABCD-2345 upset"}
    )
    client_request.last.close()
    raised = all_alerts()[-1]
    assert (raised.source, raised.urgency, raised.raised_by.has_role(role)) == (
        "staff",
        "urgent",
        True,
    )
    assert len(mail.messages) == 1


def answer_service_feedback(client_request, app, campaign, **answers):
    instrument = instrument_of(app, campaign)
    begin(client_request, campaign)
    for page in range(1, instrument.page_count + 1):
        data = {item.id: a_valid_answer(item) for item in instrument.page_items(page)}
        data.update({k: v for k, v in answers.items() if k in data})
        client_request.post(url(campaign, f"/questions/{page}"), data)
    client_request.post(url(campaign, "/check"), {})
    return client_request.last


def test_concern_words_in_a_free_text_answer_raise_one_urgent_alert(
    client_request, app, demo, lead, mail, sign_in
):
    mail.start()
    campaign = demo["service-feedback"]
    answer_service_feedback(
        client_request, app, campaign, change_one_thing="Sometimes I want to  KILL myself"
    ).close()
    # A second tap on Send finds the stored response and raises nothing more.
    client_request.post(url(campaign, "/check"), {}, form_page=url(campaign, "/contact-me"))

    [alert] = all_alerts()
    assert (alert.source, alert.urgency) == ("free_text", "urgent")
    assert alert.response is not None and alert.campaign_id == campaign.id
    assert len(mail.messages) == 1
    assert "kill" not in mail.messages[0][1].get_content().lower()
    sign_in(lead)
    page = client_request.get(f"/safeguarding/alerts/{alert.id}")
    assert "Sometimes I want to KILL myself" in normalize_spaces(page.select_one("main").text)


def test_ordinary_answers_raise_no_alert(client_request, app, demo, lead):
    answer_service_feedback(
        client_request, app, demo["service-feedback"], change_one_thing="No more abusers? ok"
    )
    assert all_alerts() == []


def test_phrases_match_whole_words_in_the_answers_language_and_english(app):
    assert detect.matches_concern_phrase("Ydw i eisiau marw", "cy")  # the shipped list
    phrases = {"en": (detect.re.compile(r"(?<!\w)self\s+harm(?!\w)"),), "cy": ()}
    assert detect.matches_concern_phrase("thinking about self   harm", "cy", phrases)
    assert not detect.matches_concern_phrase("selfharmony", "en", phrases)


CONCERN_INSTRUMENT = """
    id: check-in
    version: 1
    type: questionnaire
    estimated_minutes: 1
    option_sets: {feeling: [good, ok, bad]}
    items:
      - {id: safe_at_home, kind: yes_no, concerns: ["{concern}"]}
      - {id: feeling, kind: single_choice, options: feeling, concerns: [bad]}
    texts:
      en:
        provenance: project
        title: Check in
        items:
          safe_at_home: Do you feel safe at home?
          feeling: How are you?
        options:
          feeling: {good: Good, ok: OK, bad: Bad}
          yes_no: {"yes": "Yes", "no": "No"}
"""


def write_instrument(tmp_path, concern: str):
    text = textwrap.dedent(CONCERN_INSTRUMENT).replace("{concern}", concern)
    (tmp_path / "check-in-1.yaml").write_text(text)
    return load_instruments([tmp_path])


def test_an_instrument_marks_answers_as_concerns(tmp_path):
    instrument = write_instrument(tmp_path, "no").get("check-in", 1)
    assert detect.concern_items(instrument, {"safe_at_home": "no", "feeling": "bad"}) == [
        "safe_at_home",
        "feeling",
    ]
    assert detect.concern_items(instrument, {"safe_at_home": "yes", "feeling": "ok"}) == []


def test_a_concern_that_is_not_an_option_is_refused_with_its_place(tmp_path):
    with pytest.raises(InstrumentError) as error:
        write_instrument(tmp_path, "maybe")
    assert "items[0].concerns" in str(error.value) and "maybe" in str(error.value)


def test_a_flood_of_contact_requests_from_one_device_folds_into_few_alerts_and_emails(
    client_request, app, demo, lead, mail, sign_in
):
    mail.start()
    campaign = demo["wemwbs"]
    same = {
        "contact_method": "phone",
        "contact_detail": "07700 900123",
        "safe_to_message": "yes",
        "message": "Call me",
    }
    for _ in range(12):
        client_request.post(url(campaign, "/contact-me"), same)
        client_request.last.close()
    # The same request again and again is one alert, asked again, and one email.
    [alert] = all_alerts()
    assert alert.repeats == 11 and alert.client_key and "127.0.0.1" not in alert.client_key
    assert len(mail.messages) == 1

    # Different requests: a few new alerts an hour, then they fold into the latest, their
    # words kept on it, without more emails.
    for n in range(12):
        message = {
            "contact_method": "worker",
            "safe_to_message": "yes",
            "message": f"Different words {n}",
        }
        client_request.post(url(campaign, "/contact-me"), message)
        client_request.last.close()
    alerts_now = all_alerts()
    assert len(alerts_now) == 3
    assert len(mail.messages) == 3
    latest = alerts_now[-1]
    assert latest.repeats == 10 and "Different words 11" in latest.message

    # A more urgent request folded into an open alert makes it urgent and tells the leads.
    client_request.post(
        url(campaign, "/contact-me"),
        {"contact_method": "worker", "safe_to_message": "yes", "message": "I am scared to go home"},
    )
    client_request.last.close()
    assert all_alerts()[-1].urgency == "urgent" and len(mail.messages) == 4

    # Another device is not folded into this one's alerts.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.77"
    from tests.support.pages import ClientRequest

    ClientRequest(other).post(url(campaign, "/contact-me"), same)
    assert len(all_alerts()) == 4

    sign_in(lead)
    page = client_request.get(f"/safeguarding/alerts/{alerts_now[0].id}")
    assert "11 more times from the same device" in normalize_spaces(page.text)
