"""Improvement cases: from a concern about a contract to an agreed action plan, monitored at
review meetings, revised with reasons and closed with an outcome and a reflection.

Each case belongs to one contract, so who sees it follows the contract (`app.scope`).
Agreed versions of the plan are kept as snapshots (`PlanVersion`), so earlier versions stay
readable after a revision. `Notification` is what a person sees in the product; the same
notice goes by email through the outbox (`SafeguardingEmail` with no alert).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.contract import Contract, ContractMeasure
from app.models.fieldwork import Recommendation, Visit
from app.models.timeutil import utcnow

CASE_SOURCES = {
    "measure": "A measure not met",
    "inspection": "An inspection or mystery-shop finding",
    "safeguarding": "A safeguarding pattern",
    "complaint": "A complaint",
    "manual": "Opened by hand",
}
OUTCOMES = {
    "improved": "Improved",
    "partly_improved": "Partly improved",
    "not_improved": "Not improved and escalated",
}
OWNERS = {
    "provider": "The provider",
    "body": "The commissioning body",
    "partner": "A partner",
}
ACTION_STATUSES = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "done": "Done (claimed by the owner)",
    "verified": "Verified by the commissioner",
    "not_achieved": "Not achieved",
}
PLAN_STATES = {
    "draft": "Being drafted",
    "agreed": "Agreed",
    "revising": "Being revised",
}
ESCALATION_LEVELS = {
    "informal": "Informal discussion",
    "notice": "Formal improvement notice",
    "further": "Further formal steps",
}
PROGRESS = {
    "on_track": "On track",
    "some": "Some progress",
    "none": "No progress",
}


class ImprovementCase(db.Model):
    """One concern about a contract, worked through with its provider."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contract.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16), default="manual")
    contract_measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("contract_measure.id", ondelete="SET NULL")
    )
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", ondelete="SET NULL"))
    danger: Mapped[bool] = mapped_column(default=False)
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("safeguarding_alert.id", ondelete="SET NULL")
    )
    # The steps, each written on its own page.
    concerns: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    why: Mapped[str] = mapped_column(Text, default="")
    provider_reasons: Mapped[str] = mapped_column(Text, default="")
    commissioner_reasons: Mapped[str] = mapped_column(Text, default="")
    # [{"title": ..., "benefits": ..., "risks": ...}]
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    agreed_option: Mapped[str] = mapped_column(Text, default="")
    criteria: Mapped[str] = mapped_column(Text, default="")
    # Contract measures the case is judged by (ids of ContractMeasure).
    criteria_measure_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    review_interval_weeks: Mapped[int | None]
    next_review_on: Mapped[date | None]
    review_reminded_for: Mapped[date | None]
    # The action plan: drafted, agreed by both sides, revised with a reason.
    plan_state: Mapped[str] = mapped_column(String(16), default="draft")
    revision_reason: Mapped[str | None] = mapped_column(Text)
    provider_agreed_at: Mapped[datetime | None]
    provider_agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    commissioner_agreed_at: Mapped[datetime | None]
    commissioner_agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Open until closed with an outcome and a reflection.
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    outcome: Mapped[str | None] = mapped_column(String(16))
    worked: Mapped[str] = mapped_column(Text, default="")
    differently: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship()
    contract_measure: Mapped[ContractMeasure | None] = relationship()
    visit: Mapped[Visit | None] = relationship()
    opened_by = relationship("User", foreign_keys=[opened_by_id])
    actions: Mapped[list[CaseAction]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseAction.id"
    )
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="PlanVersion.number"
    )
    reviews: Mapped[list[ReviewMeeting]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="ReviewMeeting.id"
    )
    escalations: Mapped[list[EscalationStep]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="EscalationStep.id"
    )

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def plan_editable(self) -> bool:
        return self.is_open and self.plan_state in ("draft", "revising")


class CaseAction(db.Model):
    """One action of a case's plan: who owns it, by when, and which criterion it serves."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("improvement_case.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    # What the owner will do about it (a provider's reply to a recommendation, for one).
    plan: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(16), default="provider")
    partner_name: Mapped[str | None] = mapped_column(String(100))
    due_on: Mapped[date | None]
    criterion: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation.id", ondelete="SET NULL"), index=True
    )
    status_changed_at: Mapped[datetime | None]
    status_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Reminders go once per due date (a revised date earns new ones).
    due_soon_sent_for: Mapped[date | None]
    overdue_sent_for: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[ImprovementCase] = relationship(back_populates="actions")
    recommendation: Mapped[Recommendation | None] = relationship()

    @property
    def owner_label(self) -> str:
        if self.owner == "partner" and self.partner_name:
            return self.partner_name
        return OWNERS.get(self.owner, self.owner)

    @property
    def status_label(self) -> str:
        return ACTION_STATUSES.get(self.status, self.status)


class PlanVersion(db.Model):
    """An action plan as both sides agreed it, kept unchanged."""

    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("improvement_case.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    # Why the plan was revised (None for the first version).
    reason: Mapped[str | None] = mapped_column(Text)
    # [{"id", "description", "plan", "owner", "due_on", "criterion"}]
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    agreed_at: Mapped[datetime] = mapped_column(default=utcnow)
    provider_agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    commissioner_agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    case: Mapped[ImprovementCase] = relationship(back_populates="versions")


class ReviewMeeting(db.Model):
    """A review of a case: its agenda, who came, notes, decisions and the evaluation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("improvement_case.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date]
    agenda: Mapped[str] = mapped_column(Text, default="")
    attendees: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[str] = mapped_column(String(16), default="some")
    evaluation: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[ImprovementCase] = relationship(back_populates="reviews")

    @property
    def progress_label(self) -> str:
        return PROGRESS.get(self.progress, self.progress)


class EscalationStep(db.Model):
    """A step up the escalation ladder, dated, so the record shows support before sanction."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("improvement_case.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[str] = mapped_column(String(16))
    taken_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[ImprovementCase] = relationship(back_populates="escalations")

    @property
    def level_label(self) -> str:
        return ESCALATION_LEVELS.get(self.level, self.level)


class Notification(db.Model):
    """A notice to one person, shown on their notifications page (and emailed)."""

    __table_args__ = (db.Index("ix_notification_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("improvement_case.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
