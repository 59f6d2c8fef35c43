"""Improvement cases: a commissioner and a provider run a whole case, from a measure not met
to its close; who sees which case; the reminders; the JSON a BI tool reads."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from app.accounts.cli import DEMO_PASSWORD
from app.extensions import db
from app.models import Contract, SafeguardingAlert, SafeguardingEmail, User
from app.models.improvement import CaseAction, ImprovementCase, Notification
from app.models.timeutil import uk_today
from tests.support.pages import ClientRequest, normalize_spaces


def _demo(runner):
    result = runner.invoke(args=["demo", "load"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {c.reference: c for c in db.session.scalars(select(Contract))}


def _signed_in(app, email) -> ClientRequest:
    client = ClientRequest(app.test_client())
    client.post("/sign-in", {"email": email, "password": DEMO_PASSWORD})
    return client


def _date(day) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _emails(case_id: int, kind: str) -> list[str]:
    db.session.rollback()
    rows = db.session.scalars(
        select(SafeguardingEmail).where(SafeguardingEmail.kind == f"case_{kind}")
    ).all()
    return sorted(row.recipient for row in rows if f"Improvement case {case_id}\n" in row.body)


def _text(page, selector) -> str:
    found = page.select_one(selector)
    assert found is not None, selector
    return normalize_spaces(found.text)


def test_a_commissioner_and_a_provider_run_a_whole_case(app, runner):
    contracts = _demo(runner)
    harbour = contracts["HFS-2025-007"]
    seen = next(m for m in harbour.measures if m.measure.key == "share-of-referrals-seen")
    commissioner = _signed_in(app, "commissioner@example.org")
    provider = _signed_in(app, "harbour@example.org")
    today = uk_today()

    # Opened in one click from a measure not met: the figure is already written in.
    url = f"/cases/new?contract={harbour.id}&measure={seen.id}"
    page = commissioner.get(url)
    assert "49% against a target of 80%" in page.select_one("textarea[name=concerns]").text
    page = commissioner.post(
        url,
        {"contract_id": harbour.id, "measure_id": seen.id, "title": "", "source": "measure",
         "concerns": "Fewer families seen"},
        expected_status=400,
    )  # fmt: skip
    assert "Enter a name for the case" in _text(page, ".govuk-error-summary")
    response = commissioner.post(
        url,
        {"contract_id": harbour.id, "measure_id": seen.id, "title": "Families seen",
         "source": "measure", "concerns": "Fewer than half of families are seen"},
    )  # fmt: skip
    case = db.session.scalar(
        select(ImprovementCase).where(ImprovementCase.title == "Families seen")
    )
    assert response.headers["Location"] == f"/cases/{case.id}"
    assert _emails(case.id, "opened") == ["harbour@example.org"]
    base = f"/cases/{case.id}"

    page = provider.get(base)
    steps = _text(page, ".govuk-task-list")
    assert "Why improvement is needed Not yet started" in steps

    # The steps: each side writes its own reasons; the provider is told what concerns it.
    commissioner.post(f"{base}/steps/concerns", {"concerns": "Fewer seen", "evidence": "Returns"})
    commissioner.post(f"{base}/steps/why", {"why": "Families reach crisis before help comes"})
    assert _emails(case.id, "why") == ["harbour@example.org"]
    provider.post(f"{base}/steps/reasons", {"reasons": "Two workers left"})
    assert _emails(case.id, "reasons") == ["commissioner@example.org"]
    provider.post(f"{base}/steps/why", {"why": "Rewritten"}, expected_status=403)
    commissioner.post(f"{base}/steps/reasons", {"reasons": "No triage of referrals"})
    page = provider.get(f"{base}/steps/reasons")
    assert _text(page, "#provider-reasons") == "Two workers left"
    assert _text(page, "#commissioner-reasons") == "No triage of referrals"
    page = commissioner.post(
        f"{base}/options", {"title": "Triage", "benefits": "", "risks": "Cost"},
        expected_status=400,
    )  # fmt: skip
    assert "Enter the option's benefits" in _text(page, ".govuk-error-summary")
    provider.post(f"{base}/options", {"title": "Triage", "benefits": "Faster", "risks": "Cost"})
    commissioner.post(f"{base}/steps/agreed", {"agreed_option": "Triage every referral"})
    commissioner.post(f"{base}/steps/criteria", {"measures": [str(seen.id)], "criteria": ""})
    page = commissioner.post(
        f"{base}/steps/monitoring", {"weeks": "0", "next_review_on": _date(today)},
        expected_status=400,
    )  # fmt: skip
    assert "between 1 and 52" in _text(page, ".govuk-error-summary")
    commissioner.post(
        f"{base}/steps/monitoring", {"weeks": "6", "next_review_on": _date(today + timedelta(30))}
    )
    steps = _text(provider.get(base), ".govuk-task-list")
    assert steps.count("Completed") == 7 and "Action plan Not yet started" in steps

    # The plan: actions owned by the provider, the council and a partner.
    def add(client, description, owner, due, partner="", expected_status=302):
        return client.post(
            f"{base}/actions/new",
            {"description": description, "plan": "", "owner": owner, "partner_name": partner,
             "due_on": _date(due), "criterion": "Four in five seen"},
            expected_status=expected_status,
        )  # fmt: skip

    page = add(commissioner, "Health visitors refer", "partner", today, expected_status=400)
    assert "Enter the partner's name" in _text(page, ".govuk-error-summary")
    add(provider, "Triage referrals", "provider", today - timedelta(days=3))
    add(commissioner, "Fund a duty worker", "body", today + timedelta(days=20))
    add(commissioner, "Health visitors refer", "partner", today + timedelta(40), "Health visiting")
    commissioner.post(f"{base}/plan/agree", {}, form_page=f"{base}/plan")
    page = commissioner.get(f"{base}/plan")
    assert _text(page, "#plan-state") == "Being drafted"
    assert "Not yet agreed" in _text(page, "#provider-agreement")
    provider.post(f"{base}/plan/agree", {}, form_page=f"{base}/plan")
    page = provider.get(f"{base}/plan")
    assert _text(page, "#plan-state").startswith("Agreed (version 1")
    assert _emails(case.id, "plan_agreed") == ["commissioner@example.org", "harbour@example.org"]
    # An agreed plan's actions change only through a revision.
    provider.get(f"{base}/actions/new", expected_status=302)
    provider.post(
        f"{base}/actions/new",
        {"description": "Sneaked in", "owner": "provider", "due_on": _date(today),
         "criterion": "None"},
        form_page=f"{base}/options",
    )  # fmt: skip
    assert "Sneaked in" not in provider.get(f"{base}/plan").text

    # Review 1: the agenda is drafted from the evidence.
    page = commissioner.get(f"{base}/reviews/new")
    agenda = page.select_one("textarea[name=agenda]").text
    assert seen.measure.name in agenda and "Triage referrals" in agenda and "overdue" in agenda
    provider.get(f"{base}/reviews/new", expected_status=403)

    def review(progress, evaluation):
        commissioner.post(
            f"{base}/reviews/new",
            {"held_on": _date(today), "agenda": agenda, "attendees": "Both sides",
             "notes": "", "decisions": "Carry on", "progress": progress,
             "evaluation": evaluation},
        )  # fmt: skip

    review("some", "Triage started; waits still long")
    assert _emails(case.id, "review") == ["harbour@example.org"]

    # Revision with a reason: the earlier version stays readable, the changes are listed.
    commissioner.post(f"{base}/plan/revise", {"reason": "Referrals rose again"})
    db.session.rollback()
    fund = db.session.scalar(
        select(CaseAction).where(CaseAction.description == "Fund a duty worker")
    )
    commissioner.post(
        f"{base}/actions/{fund.id}",
        {"description": "Fund a duty worker", "plan": "", "owner": "body", "partner_name": "",
         "due_on": _date(today + timedelta(days=50)), "criterion": "Four in five seen"},
    )  # fmt: skip
    add(provider, "Weekly waiting list check", "provider", today + timedelta(days=5))
    provider.post(f"{base}/plan/agree", {}, form_page=f"{base}/plan")
    commissioner.post(f"{base}/plan/agree", {}, form_page=f"{base}/plan")
    assert _emails(case.id, "plan_revised") == ["commissioner@example.org", "harbour@example.org"]
    page = provider.get(f"{base}/plan/versions/2")
    assert "Referrals rose again" in _text(page, "#version-reason")
    changes = _text(page, "#version-changes")
    assert "Added Weekly waiting list check" in changes
    assert "Fund a duty worker: the due date from" in changes
    assert "Fund a duty worker" in provider.get(f"{base}/plan/versions/1").text

    review("on_track", "Four in five seen this month")

    # Actions: an overdue one can still be marked done, and then verified.
    db.session.rollback()
    actions = {
        a.description: a
        for a in db.session.scalars(select(CaseAction).where(CaseAction.case_id == case.id))
    }
    triage = actions["Triage referrals"]
    page = provider.get(f"{base}/actions/{triage.id}")
    assert "can still be marked done" in page.text
    provider.post(f"{base}/actions/{triage.id}/status", {"status": "done"},
                  form_page=f"{base}/actions/{triage.id}")  # fmt: skip
    assert _emails(case.id, "action_done") == ["commissioner@example.org"]
    # A provider cannot verify its own action, nor touch the council's.
    provider.post(f"{base}/actions/{triage.id}/status", {"status": "verified"},
                  form_page=f"{base}/actions/{triage.id}")  # fmt: skip
    provider.post(f"{base}/actions/{fund.id}/status", {"status": "done"},
                  form_page=f"{base}/actions/{triage.id}", expected_status=403)  # fmt: skip
    db.session.rollback()
    assert db.session.get(CaseAction, triage.id).status == "done"
    for action in actions.values():
        if action.description == "Sneaked in":
            continue
        if action.owner != "provider" or action.id != triage.id:
            commissioner.post(f"{base}/actions/{action.id}/status", {"status": "done"},
                              form_page=f"{base}/actions/{action.id}")  # fmt: skip
        commissioner.post(f"{base}/actions/{action.id}/status", {"status": "verified"},
                          form_page=f"{base}/actions/{action.id}")  # fmt: skip
    assert "harbour@example.org" in _emails(case.id, "action_verified")
    page = provider.get(f"{base}/plan")
    assert {normalize_spaces(s.text) for s in page.select(".action-status")} == {
        "Verified by the commissioner"
    }

    # Escalation recorded with dates; then closed with an outcome and a reflection.
    commissioner.post(
        f"{base}/escalation",
        {"level": "informal", "taken_on": _date(today), "note": "Talked it through"},
    )
    page = commissioner.post(
        f"{base}/close", {"outcome": "", "worked": "", "differently": ""}, expected_status=400
    )
    assert "Choose the outcome" in _text(page, ".govuk-error-summary")
    provider.get(f"{base}/close", expected_status=403)
    commissioner.post(
        f"{base}/close",
        {"outcome": "improved", "worked": "Triage", "differently": "Agree measures sooner"},
    )
    page = provider.get(base)
    assert _text(page, "#case-status") == "Closed: Improved"
    assert "Agree measures sooner" in page.text
    assert _emails(case.id, "closed") == ["harbour@example.org"]
    # The provider sees its notifications in the product too.
    page = provider.get("/cases/notifications")
    assert "Improvement case closed: HFS-2025-007" in _text(page, "#notifications")
    # Nothing anyone wrote in the case goes into an email.
    bodies = " ".join(
        e.body
        for e in db.session.scalars(select(SafeguardingEmail))
        if f"case {case.id}\n" in e.body
    )
    assert "Two workers left" not in bodies and "Fewer than half" not in bodies


def test_each_side_sees_only_its_own_contracts_cases(app, runner):
    _demo(runner)
    harbour_case = db.session.scalar(
        select(ImprovementCase).join(Contract).where(Contract.reference == "HFS-2025-007")
    )
    southvale = _signed_in(app, "southvale@example.org")
    southvale.get(f"/cases/{harbour_case.id}", expected_status=404)
    southvale.get(f"/cases/{harbour_case.id}/plan", expected_status=404)
    assert "Families waiting too long" not in southvale.get("/cases/").text
    riverside_provider = _signed_in(app, "provider@example.org")
    riverside_provider.get(f"/cases/{harbour_case.id}", expected_status=404)
    page = riverside_provider.get("/cases/")
    assert "Few young people giving feedback" in page.text
    assert "Families waiting too long" not in page.text
    # Another body's contract cannot have a case opened on it either.
    southvale.get(f"/cases/new?contract={harbour_case.contract_id}", expected_status=404)
    harbour = _signed_in(app, "harbour@example.org")
    assert "Families waiting too long" in harbour.get("/cases/").text


def test_danger_or_harm_raises_a_safeguarding_alert_as_the_case_opens(app, runner):
    contracts = _demo(runner)
    commissioner = _signed_in(app, "commissioner@example.org")
    meadow_free = contracts["HFS-2025-007"]
    commissioner.post(
        f"/cases/new?contract={meadow_free.id}",
        {"contract_id": meadow_free.id, "measure_id": 0, "title": "Complaint about a worker",
         "source": "complaint", "concerns": "A complaint", "danger": "y"},
    )  # fmt: skip
    case = db.session.scalar(
        select(ImprovementCase).where(ImprovementCase.title == "Complaint about a worker")
    )
    alert = db.session.get(SafeguardingAlert, case.alert_id)
    assert alert is not None and "suggests danger or harm" in alert.message
    assert f"Safeguarding alert {alert.id} sent" in commissioner.get(f"/cases/{case.id}").text


def test_reminders_go_once_for_actions_due_soon_or_overdue_and_reviews_due(app, runner):
    _demo(runner)
    case = db.session.scalar(
        select(ImprovementCase).join(Contract).where(Contract.reference == "HFS-2025-007")
    )
    today = uk_today()
    case.actions[1].due_on = today + timedelta(days=5)
    case.next_review_on = today + timedelta(days=3)
    db.session.commit()
    result = runner.invoke(args=["improvement", "remind"], catch_exceptions=False)
    assert "Queued 1 due-soon, 1 overdue and 1 review-due reminders." in result.output
    assert _emails(case.id, "action_overdue") == ["commissioner@example.org", "harbour@example.org"]
    # The council's own action: its commissioner is told, not the provider.
    assert _emails(case.id, "action_due") == ["commissioner@example.org"]
    assert _emails(case.id, "review_due") == ["commissioner@example.org", "harbour@example.org"]
    result = runner.invoke(args=["improvement", "remind"], catch_exceptions=False)
    assert "Queued 0 due-soon, 0 overdue and 0 review-due reminders." in result.output
    assert len(_emails(case.id, "action_overdue")) == 2
    harbour = db.session.scalar(select(User).where(User.email == "harbour@example.org"))
    kinds = set(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == harbour.id))
    )
    assert {"action_overdue", "review_due"} <= kinds


def test_the_case_list_as_json(app, runner):
    _demo(runner)
    result = runner.invoke(args=["improvement", "list", "--format", "json"], catch_exceptions=False)
    rows = {row["contract"]: row for row in json.loads(result.output)}
    harbour = rows["HFS-2025-007"]
    assert harbour["status"] == "open" and harbour["plan"] == "agreed"
    assert harbour["next_review_on"] == (uk_today() + timedelta(days=21)).isoformat()
    assert {a["owner"] for a in harbour["actions"]} == {"provider", "body", "partner"}
    assert [a["status"] for a in harbour["actions"] if a["overdue"]] == ["in_progress"]
    assert set(harbour["actions"][0]) >= {"owner", "due_on", "status"}
    riverside = rows["CYP-2026-014"]
    assert (riverside["status"], riverside["outcome"]) == ("closed", "improved")


def test_a_reports_recommendation_becomes_an_action_the_reply_its_plan(app, runner):
    from app.improvement.recommendations import propose_from_report
    from app.models import Recommendation, Visit
    from app.models.timeutil import utcnow

    _demo(runner)
    visit = db.session.scalar(select(Visit))
    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
    visit.recommendations.append(Recommendation(text="Answer the phone after 4pm"))
    visit.finalised_at, visit.finalised_by_id = utcnow(), coordinator.id
    db.session.commit()
    case = propose_from_report(visit, coordinator)
    # Riverside's only case is closed, so a new one opens for the recommendation.
    assert case.contract.reference == "CYP-2026-014" and case.source == "inspection"
    recommendation = visit.recommendations[0]
    assert [a.description for a in case.actions] == ["Answer the phone after 4pm"]
    assert "commissioner@example.org" in _emails(case.id, "report")

    provider = _signed_in(app, "provider@example.org")
    due = uk_today() + timedelta(days=60)
    provider.post(
        f"/reports/{visit.id}/recommendations/{recommendation.id}/reply",
        {"reply": "A second phone line from 4pm", "due_on": _date(due)},
    )
    db.session.rollback()
    action = db.session.scalar(
        select(CaseAction).where(CaseAction.recommendation_id == recommendation.id)
    )
    assert (action.plan, action.due_on) == ("A second phone line from 4pm", due)
    # Riverside is commissioned by the partnership: both councils' commissioners hear.
    assert _emails(case.id, "reply") == ["commissioner@example.org", "southvale@example.org"]
    # The young inspector who wrote it sees the action that came from it.
    inspector = _signed_in(app, "inspector@example.org")
    page = inspector.get(f"/fieldwork/visits/{visit.id}")
    actions = _text(page, "#recommendation-actions")
    assert "Answer the phone after 4pm" in actions and "A second phone line from 4pm" in actions


def test_the_evidence_pack_carries_the_improvement_plan_and_its_actions(app, runner, sign_in):
    from app.models import Provider

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    commissioner = db.session.scalar(select(User).filter_by(email="commissioner@example.org"))
    commissioner.set_password("correct horse battery")
    db.session.commit()
    harbour = db.session.scalar(select(Provider).filter_by(name="Harbour Family Support"))
    client = sign_in(commissioner)
    csv = client._send("get", f"/evidence/providers/{harbour.id}/pack.csv")
    assert csv.status_code == 200
    text = csv.get_data(as_text=True)
    assert "Improvement cases" in text and "Actions by owner and status" in text
    assert "Families waiting too long to be seen" in text
