"""Demo improvement cases: Harbour's (HFS-2025-007, not meeting its targets) at the
action-plan stage, with actions owned by the provider, the commissioner and a partner, one
overdue; and a closed case on Riverside's contract with its reflection."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Contract, ContractMeasure, User
from app.models.improvement import (
    CaseAction,
    EscalationStep,
    ImprovementCase,
    PlanVersion,
    ReviewMeeting,
)


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _measure(contract: Contract, key: str) -> ContractMeasure | None:
    return next((m for m in contract.measures if m.measure.key == key), None)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0))


def _snapshot(case: ImprovementCase) -> list[dict]:
    return [
        {
            "id": a.id,
            "description": a.description,
            "plan": a.plan,
            "owner": a.owner_label,
            "due_on": a.due_on.isoformat() if a.due_on else None,
            "criterion": a.criterion,
        }
        for a in case.actions
    ]


def load_demo_improvement(today: date) -> list[ImprovementCase]:
    contracts = {c.reference: c for c in db.session.scalars(select(Contract))}
    harbour = contracts.get("HFS-2025-007")
    riverside = contracts.get("CYP-2026-014")
    if harbour is None or riverside is None:
        return []
    commissioner = _user("commissioner@example.org")
    harbour_user = _user("harbour@example.org")
    provider_user = _user("provider@example.org")
    seen = _measure(harbour, "share-of-referrals-seen")
    wait = _measure(harbour, "median-wait")
    by = commissioner.id if commissioner else None

    # 1. Harbour: open, the plan agreed, one action overdue.
    opened = today - timedelta(days=45)
    case = ImprovementCase(
        contract=harbour,
        title="Families waiting too long to be seen",
        source="measure",
        contract_measure=seen,
        concerns=(
            "Fewer than half of the families referred are seen, against a target of four in "
            "five, and the median wait for a first visit has more than doubled over a year."
        ),
        evidence=(
            "Quarterly returns for the last four periods (contract page HFS-2025-007); "
            "young people's answers on the evidence pages."
        ),
        why=(
            "Families who wait months for early help often reach crisis before anyone "
            "visits. The contract asks that four in five referred families are seen, and "
            "seen within three weeks."
        ),
        provider_reasons=(
            "Two family support workers left in the spring and recruiting has been slow. "
            "Referrals from schools rose at the same time."
        ),
        commissioner_reasons=(
            "Referrals from schools are not triaged, so urgent and routine referrals wait "
            "in one queue. Staffing is below the level in the contract."
        ),
        options=[
            {
                "title": "Triage every referral within 5 working days",
                "benefits": "Urgent families are seen first; routine referrals get advice sooner.",
                "risks": "Needs a duty worker each day while staffing is short.",
            },
            {
                "title": "Pause new school referrals for a quarter",
                "benefits": "The queue shrinks quickly.",
                "risks": "Schools lose a route to help; families go elsewhere or nowhere.",
            },
        ],
        agreed_option="Triage every referral within 5 working days, with the council "
        "funding a temporary duty worker for six months.",
        criteria="Four in five referred families seen, and a median wait of 21 days or "
        "less, for two quarters running.",
        criteria_measure_ids=[m.id for m in (seen, wait) if m is not None],
        review_interval_weeks=6,
        next_review_on=today + timedelta(days=21),
        plan_state="agreed",
        provider_agreed_at=_at(today - timedelta(days=30)),
        provider_agreed_by_id=harbour_user.id if harbour_user else None,
        commissioner_agreed_at=_at(today - timedelta(days=30)),
        commissioner_agreed_by_id=by,
        opened_by_id=by,
        opened_at=_at(opened),
    )
    case.actions = [
        CaseAction(
            description="Triage every new referral within 5 working days",
            plan="A duty worker each weekday reads new referrals and rings the family.",
            owner="provider",
            due_on=today - timedelta(days=10),
            criterion="Four in five referred families seen",
            status="in_progress",
        ),
        CaseAction(
            description="Fund a temporary duty worker for six months",
            plan="Variation to the contract agreed by the council's commissioning board.",
            owner="body",
            due_on=today + timedelta(days=14),
            criterion="Median wait of 21 days or less",
            status="in_progress",
        ),
        CaseAction(
            description="Health visitors refer families under 5 with a short summary of need",
            owner="partner",
            partner_name="Northshire health visiting team",
            due_on=today + timedelta(days=30),
            criterion="Four in five referred families seen",
            status="not_started",
        ),
    ]
    db.session.add(case)
    db.session.flush()
    case.versions = [
        PlanVersion(
            number=1,
            actions=_snapshot(case),
            agreed_at=_at(today - timedelta(days=30)),
            provider_agreed_by_id=case.provider_agreed_by_id,
            commissioner_agreed_by_id=by,
        )
    ]
    case.escalations = [
        EscalationStep(
            level="informal",
            taken_on=opened,
            note="Discussed the figures with Harbour's manager at the quarterly meeting.",
            recorded_by_id=by,
        )
    ]

    # 2. Riverside: closed, improved, with its reflection.
    closed_opened = today - timedelta(days=300)
    closed = ImprovementCase(
        contract=riverside,
        title="Few young people giving feedback",
        source="inspection",
        concerns="Young inspectors found no way for young people to give feedback at the drop-in.",
        evidence="Young inspectors' report on the drop-in.",
        why="Without young people's views the service cannot tell what helps them.",
        provider_reasons="Feedback cards ran out and nobody owned restocking them.",
        commissioner_reasons="Feedback was not part of the service's routine.",
        options=[
            {
                "title": "A QR code survey at every session",
                "benefits": "Quick, and answers reach the evidence pages.",
                "risks": "Not every young person has a phone with them.",
            }
        ],
        agreed_option="A QR code survey at every session, with paper copies as well.",
        criteria="At least 30 responses each quarter.",
        review_interval_weeks=8,
        next_review_on=None,
        plan_state="agreed",
        provider_agreed_at=_at(closed_opened + timedelta(days=20)),
        provider_agreed_by_id=provider_user.id if provider_user else None,
        commissioner_agreed_at=_at(closed_opened + timedelta(days=20)),
        commissioner_agreed_by_id=by,
        status="closed",
        outcome="improved",
        worked=(
            "Young inspectors checking the posters themselves; a named person owning the "
            "feedback routine."
        ),
        differently="Agree the measure at the first meeting rather than the second.",
        closed_at=_at(today - timedelta(days=120)),
        closed_by_id=by,
        opened_by_id=by,
        opened_at=_at(closed_opened),
    )
    closed.actions = [
        CaseAction(
            description="Put the survey's QR code up at every session",
            owner="provider",
            due_on=closed_opened + timedelta(days=60),
            criterion="At least 30 responses each quarter",
            status="verified",
        )
    ]
    db.session.add(closed)
    db.session.flush()
    closed.versions = [
        PlanVersion(
            number=1,
            actions=_snapshot(closed),
            agreed_at=_at(closed_opened + timedelta(days=20)),
            provider_agreed_by_id=closed.provider_agreed_by_id,
            commissioner_agreed_by_id=by,
        )
    ]
    closed.reviews = [
        ReviewMeeting(
            held_on=closed_opened + timedelta(days=120),
            agenda="1. Responses this quarter\n2. Actions due",
            attendees="Riverside's manager; Northshire's commissioner; two young inspectors",
            notes="42 responses this quarter.",
            decisions="Close the case at the next quarter if responses hold up.",
            progress="on_track",
            evaluation="The criterion is met: 42 responses against 30.",
            recorded_by_id=by,
        )
    ]
    db.session.commit()
    return [case, closed]
