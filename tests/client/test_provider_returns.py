"""Provider returns: a provider fills in its figures and self-assessment for a period, saves a
draft and submits once; a refused return stores nothing; late returns are reminded about
once; commissioners of the contract's council read returns, query them, and the provider
answers. Everyone else gets 404."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.contracts import returns as return_pages
from app.extensions import db
from app.models import (
    AuditEvent,
    ContractMeasure,
    ProviderReturn,
    ReturnQuery,
    SafeguardingEmail,
)
from app.models.timeutil import uk_today
from app.monitoring import library, status
from app.monitoring import returns as provider_returns
from app.monitoring.returns_due import overdue_returns
from tests.support.contract_returns import complete_return, two_councils
from tests.support.pages import ClientRequest, normalize_spaces

# The contract runs quarterly from 1 April 2025. On 10 October 2026 the July to September
# return is not yet due (due 20 October); April to June's is overdue.
TODAY = date(2026, 10, 10)
LATEST = "2026-07-01"
OVERDUE = "2026-04-01"


@pytest.fixture
def world(app, make_user, monkeypatch):
    monkeypatch.setattr(return_pages, "uk_today", lambda: TODAY)
    return two_councils(make_user)


@pytest.fixture
def signed_in(app):
    """signed_in(user): a browser of that user's own, signed in."""

    def sign(user):
        client = ClientRequest(app.test_client())
        client.post("/sign-in", {"email": user.email, "password": "correct horse battery"})
        return client

    return sign


def stored_returns():
    return db.session.scalars(select(ProviderReturn)).all()


def error_summary(page) -> dict[str, str]:
    """The error summary's messages by the field each links to."""
    summary = page.select_one(".govuk-error-summary")
    assert summary is not None, "no error summary"
    return {link["href"].lstrip("#"): normalize_spaces(link.text) for link in summary.select("a")}


def text(page) -> str:
    return normalize_spaces(page.get_text(" "))


# --- The list and the form ------------------------------------------------------------------


def test_the_returns_list_shows_each_period_with_its_state(world, sign_in):
    client = sign_in(world.provider_user)
    page = client.get(world.list_url)
    latest = page.select_one(f"#return-{LATEST}")
    overdue = page.select_one(f"#return-{OVERDUE}")
    assert "July to September 2026" in text(latest)
    assert "Not started" in text(latest)
    assert "20 October 2026" in text(latest)
    assert "April to June 2026" in text(overdue)
    assert "Overdue" in text(overdue)


def test_a_draft_then_a_submit_shows_on_the_list_and_the_return(world, sign_in):
    client = sign_in(world.provider_user)
    client.post(
        world.return_url(LATEST),
        {
            "referrals": "40",
            "people_seen": "",
            "went_well": "A Saturday clinic.",
            "action": "draft",
        },
    )
    [draft] = stored_returns()
    assert draft.status == "draft"
    assert draft.figures == {"referrals": 40}
    assert draft.went_well == "A Saturday clinic."
    page = client.get(world.return_url(LATEST))
    assert page.select_one("#referrals")["value"] == "40"
    assert "Draft" in text(page.select_one("#return-state"))
    assert "Draft" in text(client.get(world.list_url).select_one(f"#return-{LATEST}"))

    client.post(world.return_url(LATEST), complete_return())
    db.session.refresh(draft)
    assert draft.status == "submitted"
    assert draft.figures["people_seen"] == 32
    assert draft.submitted_by_id == world.provider_user.id
    page = client.get(world.return_url(LATEST))
    assert "has been submitted" in text(page)
    assert "Submitted" in text(page.select_one("#return-state"))
    assert page.select_one("#referrals") is None, "a submitted return is read only"
    assert "32" in text(page.select_one("#return-figures"))
    assert "Saturday clinic" in text(page.select_one("#return-self-assessment"))
    assert "Submitted" in text(client.get(world.list_url).select_one(f"#return-{LATEST}"))
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["return_draft_saved", "return_submitted"]


# --- Refused returns ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("referrals", "-3", "Referrals received must be 0 or more"),
        ("complaints", "twelve", "Complaints received must be a whole number, like 12"),
        ("median_wait_days", "3.5", "must be a whole number"),
        ("referrals", "99999999999999999999999", "Referrals received must be 1,000,000 or fewer"),
        ("complaints", "-99999999999999999999999", "Complaints received must be 0 or more"),
        (
            "people_seen",
            "41",
            "People seen for the first time must not be more than referrals received (40)",
        ),
        (
            "missed_appointments",
            "121",
            "Appointments missed without notice must not be more than appointments offered",
        ),
    ],
)
@pytest.mark.parametrize("action", ["draft", "submit"])
def test_a_wrong_figure_is_refused_naming_the_field_and_nothing_is_stored(
    world, sign_in, field, value, message, action
):
    client = sign_in(world.provider_user)
    page = client.post(
        world.return_url(LATEST),
        complete_return(**{field: value, "action": action}),
        expected_status=400,
    )
    errors = error_summary(page)
    assert list(errors) == [field]
    assert message in errors[field]
    assert page.select_one("title").text.startswith("Error:")
    assert message in text(page.select_one(f"#{field}-error"))
    # What was typed comes back, so nothing has to be typed again.
    assert page.select_one(f"#{field}")["value"] == value
    assert page.select_one("#went_well").text.strip().startswith("Waiting times")
    assert stored_returns() == []


def test_a_submit_needs_every_figure_and_every_answer(world, sign_in):
    client = sign_in(world.provider_user)
    page = client.post(
        world.return_url(LATEST),
        complete_return(complaints="", doing_about_it="  "),
        expected_status=400,
    )
    assert error_summary(page) == {
        "complaints": "Enter complaints received",
        "doing_about_it": "Enter what you are doing about it",
    }
    assert stored_returns() == []


def test_a_refused_return_leaves_the_saved_draft_as_it_was(world, sign_in):
    client = sign_in(world.provider_user)
    client.post(world.return_url(LATEST), {"referrals": "40", "action": "draft"})
    client.post(
        world.return_url(LATEST),
        complete_return(referrals="12", people_seen="-1", action="draft"),
        expected_status=400,
    )
    [draft] = stored_returns()
    db.session.refresh(draft)
    assert draft.status == "draft"
    assert draft.figures == {"referrals": 40}
    assert draft.went_well == ""


def test_figures_may_be_written_with_commas(world, sign_in):
    client = sign_in(world.provider_user)
    client.post(world.return_url(LATEST), complete_return(appointments_offered="1,200"))
    [submitted] = stored_returns()
    assert submitted.figures["appointments_offered"] == 1200


# --- Submitted once -------------------------------------------------------------------------


def test_a_second_submit_changes_nothing_and_shows_the_submitted_return(world, sign_in):
    client = sign_in(world.provider_user)
    client.post(world.return_url(LATEST), complete_return())
    [submitted] = stored_returns()
    first = (submitted.submitted_at, dict(submitted.figures), submitted.went_well)

    for again in (complete_return(referrals="99"), complete_return(action="draft", referrals="")):
        response = client.post(world.return_url(LATEST), again)
        assert response.headers["Location"].endswith(world.return_url(LATEST))
    db.session.refresh(submitted)
    assert (submitted.submitted_at, submitted.figures, submitted.went_well) == first
    assert submitted.status == "submitted"
    page = client.get(world.return_url(LATEST))
    assert "40" in text(page.select_one("#return-figures"))
    assert "99" not in text(page.select_one("#return-figures"))
    submits = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "return_submitted")
    )
    assert submits == 1


def test_a_submitted_returns_figures_reach_the_contracts_measures(world, sign_in):
    library.sync_library()
    measure = library.measure_by_key("share-of-referrals-seen")
    chosen = ContractMeasure(contract=world.contract, measure=measure, target=75, tolerance=5)
    db.session.add(chosen)
    db.session.commit()
    period = status.period_of(world.contract, date.fromisoformat(LATEST))
    before = status.refresh(world.contract, TODAY)[chosen.id, period]
    assert before.status == status.NO_DATA
    client = sign_in(world.provider_user)
    client.post(world.return_url(LATEST), complete_return())
    after = status.latest_results(world.contract, TODAY)[chosen.id]
    assert after.value == 80.0
    assert after.status == status.MET
    assert "80% against a target of 75%" in after.reason


# --- Who may see what -----------------------------------------------------------------------


def test_another_provider_gets_not_found(world, sign_in):
    client = sign_in(world.other_provider_user)
    client.get(world.list_url, expected_status=404)
    client.get(world.return_url(LATEST), expected_status=404)
    client.post(
        world.return_url(LATEST),
        complete_return(),
        expected_status=404,
        form_page=f"/contracts/{world.other_contract.id}/returns",
    )
    assert stored_returns() == []


def test_a_commissioner_of_another_council_gets_not_found(world, sign_in):
    client = sign_in(world.southvale_commissioner)
    client.get(world.list_url, expected_status=404)
    client.get(world.return_url(LATEST), expected_status=404)
    client.get(f"/contracts/{world.other_contract.id}/returns")


def test_the_contracts_commissioner_reads_returns_but_cannot_fill_them_in(world, signed_in):
    provider = signed_in(world.provider_user)
    provider.post(world.return_url(LATEST), complete_return())
    client = signed_in(world.commissioner)
    page = client.get(world.return_url(LATEST))
    assert "Saturday clinic" in text(page)
    page = client.get(world.return_url(OVERDUE))
    assert "has not submitted this return yet" in text(page)
    assert "overdue" in text(page)
    assert page.select_one("#referrals") is None
    client.post(world.return_url(OVERDUE), complete_return(), expected_status=403)
    assert len(stored_returns()) == 1


@pytest.mark.parametrize(
    "start", ["2026-07-02", "2026-10-01", "2025-01-01", "20260701", "x", "0001-01-01", "9999-12-31"]
)
def test_a_day_that_starts_no_complete_period_is_not_found(world, sign_in, start):
    client = sign_in(world.provider_user)
    client.get(world.return_url(start), expected_status=404)


# --- Reminders ------------------------------------------------------------------------------


def reminders():
    return db.session.scalars(
        select(SafeguardingEmail)
        .where(SafeguardingEmail.kind == "return_reminder")
        .order_by(SafeguardingEmail.id)
    ).all()


def test_remind_queues_one_email_per_overdue_return_once(world, runner, make_user):
    from app.models import User

    make_user("provider", provider=world.contract.provider, email="second@example.org")
    gone = make_user("provider", provider=world.contract.provider, email="gone@example.org")
    gone.active = False
    db.session.commit()
    expected = {
        *overdue_returns(world.contract),
        *overdue_returns(world.other_contract),
    }
    assert expected, "the contracts have overdue returns"

    result = runner.invoke(args=["contracts", "remind"])
    assert result.exit_code == 0, result.output
    assert f"Queued reminders for {len(overdue_returns(world.contract)) * 2}" in result.output
    sent = reminders()
    riverside = {(e.recipient, e.subject) for e in sent if "CYP-2026-014" in e.subject}
    periods = overdue_returns(world.contract)
    assert riverside == {
        (email, f"Overdue provider return: CYP-2026-014, {p.label}")
        for email in ("provider@example.org", "second@example.org")
        for p in periods
    }
    assert {e.recipient for e in sent if "HFS-2025-007" in e.subject} == {"harbour@example.org"}
    assert all(e.alert_id is None for e in sent)
    # A "not started" return now stands for each overdue period, marked as reminded.
    rows = db.session.scalars(
        select(ProviderReturn).where(ProviderReturn.contract_id == world.contract.id)
    ).all()
    assert {r.period_start for r in rows} == {p.start for p in periods}
    assert all(r.status == "not_started" and r.reminded_at for r in rows)
    assert db.session.scalar(select(User).filter_by(email="gone@example.org")) is not None

    again = runner.invoke(args=["contracts", "remind"])
    assert again.exit_code == 0, again.output
    assert "Queued reminders for 0 overdue returns" in again.output
    assert len(reminders()) == len(sent)


def test_a_provider_with_nobody_to_email_is_reminded_once_somebody_can_be(world, runner):
    world.other_provider_user.active = False
    db.session.commit()
    result = runner.invoke(args=["contracts", "remind"])
    periods = overdue_returns(world.other_contract)
    assert (
        f"Overdue, but its provider has no active account to email: HFS-2025-007, "
        f"{periods[0].label}" in result.output
    )
    assert not [e for e in reminders() if "HFS-2025-007" in e.subject]

    world.other_provider_user.active = True
    db.session.commit()
    result = runner.invoke(args=["contracts", "remind"])
    assert f"Queued reminders for {len(periods)} overdue returns" in result.output
    assert len([e for e in reminders() if "HFS-2025-007" in e.subject]) == len(periods)


def test_a_reminder_says_which_contract_and_period_and_links_to_the_form(world, app, runner):
    app.config["PUBLIC_BASE_URL"] = "https://voice.example.org"
    runner.invoke(args=["contracts", "remind"])
    period = overdue_returns(world.contract)[0]
    [email] = [
        e
        for e in reminders()
        if e.recipient == "provider@example.org" and e.subject.endswith(period.label)
    ]
    assert "CYP-2026-014" in email.body
    assert period.label in email.body
    assert (
        f"https://voice.example.org/contracts/{world.contract.id}/returns/"
        f"{period.start.isoformat()}" in email.body
    )


def test_a_submitted_return_is_not_reminded_about(world, runner, sign_in, monkeypatch):
    monkeypatch.setattr(return_pages, "uk_today", uk_today)
    period = overdue_returns(world.contract)[0]
    client = sign_in(world.provider_user)
    client.post(world.return_url(period.start.isoformat()), complete_return())
    runner.invoke(args=["contracts", "remind"])
    assert not [e for e in reminders() if e.subject.endswith(f"CYP-2026-014, {period.label}")]


# --- Questions and answers ------------------------------------------------------------------


def test_a_commissioner_queries_a_return_and_the_provider_answers(world, signed_in):
    provider = signed_in(world.provider_user)
    provider.post(world.return_url(LATEST), complete_return())

    commissioner = signed_in(world.commissioner)
    page = commissioner.get(world.return_url(LATEST))
    assert "No questions have been asked" in text(page)
    commissioner.post(
        world.return_url(LATEST) + "/queries",
        {"question": "Why did missed appointments rise?"},
        form_page=world.return_url(LATEST),
    )
    [query] = db.session.scalars(select(ReturnQuery)).all()
    [asked] = db.session.scalars(
        select(SafeguardingEmail).where(SafeguardingEmail.kind == "return_query")
    ).all()
    assert asked.recipient == "provider@example.org"
    assert "CYP-2026-014" in asked.subject
    assert "Why did missed" not in asked.body
    page = commissioner.get(world.return_url(LATEST))
    card = text(page.select_one(f"#query-{query.id}"))
    assert "Why did missed appointments rise?" in card
    assert f"by {world.commissioner.name}" in card
    assert "Not answered yet" in card
    assert page.select_one(f"#answer-{query.id}") is None, "only the provider answers"

    answer_url = world.return_url(LATEST) + f"/queries/{query.id}/answer"
    page = provider.post(
        answer_url,
        {f"answer-{query.id}": " "},
        form_page=world.return_url(LATEST),
        expected_status=400,
    )
    assert error_summary(page) == {f"answer-{query.id}": "Enter your answer"}
    provider.post(
        answer_url,
        {f"answer-{query.id}": "The summer holidays; reminders start next month."},
        form_page=world.return_url(LATEST),
    )
    [answered] = db.session.scalars(
        select(SafeguardingEmail).where(SafeguardingEmail.kind == "return_answer")
    ).all()
    assert answered.recipient == "commissioner@example.org"
    # A second answer (a retry) changes nothing.
    provider.post(
        answer_url, {f"answer-{query.id}": "Something else"}, form_page=world.return_url(LATEST)
    )
    page = provider.get(world.return_url(LATEST))
    card = text(page.select_one(f"#query-{query.id}"))
    assert "The summer holidays; reminders start next month." in card
    assert "Something else" not in card
    assert f"by {world.provider_user.name}" in card
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"return_query_asked", "return_query_answered"} <= actions


def test_an_empty_question_is_refused_and_a_draft_cannot_be_queried(world, signed_in):
    provider = signed_in(world.provider_user)
    provider.post(world.return_url(LATEST), complete_return())
    provider.post(world.return_url(OVERDUE), {"referrals": "3", "action": "draft"})
    commissioner = signed_in(world.commissioner)
    page = commissioner.post(
        world.return_url(LATEST) + "/queries",
        {"question": ""},
        form_page=world.return_url(LATEST),
        expected_status=400,
    )
    assert error_summary(page) == {"question": "Enter your question"}
    commissioner.post(
        world.return_url(OVERDUE) + "/queries",
        {"question": "Where is it?"},
        form_page=world.return_url(LATEST),
        expected_status=404,
    )
    assert db.session.scalars(select(ReturnQuery)).all() == []


def test_a_provider_cannot_ask_and_a_commissioner_cannot_answer(world, sign_in):
    provider = sign_in(world.provider_user)
    provider.post(world.return_url(LATEST), complete_return())
    provider.post(
        world.return_url(LATEST) + "/queries",
        {"question": "Anything?"},
        form_page=world.return_url(LATEST),
        expected_status=403,
    )
    assert db.session.scalars(select(ReturnQuery)).all() == []


def test_a_nul_character_in_a_return_is_refused_and_nothing_is_stored(world, sign_in):
    client = sign_in(world.provider_user)
    page = client.post(
        world.return_url(LATEST), complete_return(went_well="Good\x00week"), expected_status=400
    )
    assert "We could not use what you sent" in text(page)
    assert stored_returns() == []


def test_a_return_reminded_about_is_then_filled_in_and_submitted(world, sign_in):
    # April to June, January to March and October to December 2025, for both contracts.
    assert provider_returns.remind(today=TODAY).reminded == 6
    page_client = sign_in(world.provider_user)
    page = page_client.get(world.return_url(OVERDUE))
    assert "Overdue" in text(page.select_one("#return-state"))
    page_client.post(world.return_url(OVERDUE), complete_return())
    rows = db.session.scalars(
        select(ProviderReturn).where(
            ProviderReturn.contract_id == world.contract.id,
            ProviderReturn.period_start == date.fromisoformat(OVERDUE),
        )
    ).all()
    assert len(rows) == 1
    assert rows[0].status == "submitted"
    assert rows[0].reminded_at is not None
    page = page_client.get(world.list_url)
    assert "Submitted" in text(page.select_one(f"#return-{OVERDUE}"))
