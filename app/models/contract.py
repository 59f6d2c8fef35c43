"""Commissioning bodies, contracts, measures and targets, provider returns, API tokens.

A commissioning body (a council, a health partner, or a partnership commissioning jointly)
commissions contracts from providers. Commissioners, coordinators and admins belong to one
or more bodies and see only what their bodies commission (see `app.contracts.scope`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Float, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.organisation import Provider, Service
from app.models.timeutil import utcnow

BODY_KINDS = {
    "council": "Council",
    "health": "Health partner",
    "partnership": "Partnership",
}

RISK_LEVELS = {"low": "Low", "medium": "Medium", "high": "High"}

body_member = Table(
    "body_member",
    db.metadata,
    Column("body_id", ForeignKey("commissioning_body.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
)

contract_body = Table(
    "contract_body",
    db.metadata,
    Column("contract_id", ForeignKey("contract.id", ondelete="CASCADE"), primary_key=True),
    Column("body_id", ForeignKey("commissioning_body.id", ondelete="CASCADE"), primary_key=True),
)


class CommissioningBody(db.Model):
    """A council or health partner; a partnership is a body whose members are councils."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="council")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members = relationship("User", secondary=body_member, back_populates="bodies")
    contracts: Mapped[list[Contract]] = relationship(
        secondary=contract_body, back_populates="bodies"
    )


class Contract(db.Model):
    """What a provider is contracted to deliver, for which bodies, and how it is monitored.

    Its services report evidence over periods of `monitoring_interval_months` from
    `starts_on`; `risk` sets how often it is reviewed (see `app.contracts.review_due`).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    # Whole pounds; optional.
    value_pounds: Mapped[int | None]
    monitoring_interval_months: Mapped[int] = mapped_column(default=3)
    risk: Mapped[str] = mapped_column(String(8), default="medium")
    last_reviewed_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    provider: Mapped[Provider] = relationship()
    bodies: Mapped[list[CommissioningBody]] = relationship(
        secondary=contract_body, back_populates="contracts"
    )
    services: Mapped[list[Service]] = relationship(back_populates="contract")
    measures: Mapped[list[ContractMeasure]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="ContractMeasure.id"
    )
    returns: Mapped[list[ProviderReturn]] = relationship(
        back_populates="contract", cascade="all, delete-orphan"
    )

    @property
    def risk_label(self) -> str:
        return RISK_LEVELS.get(self.risk, self.risk)


class Measure(db.Model):
    """A measure definition: data, loaded from surveys/measures/*.yaml (`key` is stable), or a
    local measure a body adds. `source` says where its figure comes from and `params` how
    (see `app.contracts.measures`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16))  # outcome, experience, output, process
    tag: Mapped[str] = mapped_column(String(16), default="national")  # national, local
    unit: Mapped[str] = mapped_column(String(16))  # score, percent, count, days
    direction: Mapped[str] = mapped_column(String(8), default="higher")  # higher, lower
    source: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # None for the shared library; a body's own local measure otherwise.
    body_id: Mapped[int | None] = mapped_column(ForeignKey("commissioning_body.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContractMeasure(db.Model):
    """A measure a contract is monitored on, with its target and tolerance ("close" is
    within `tolerance` of the target on the wrong side)."""

    __table_args__ = (UniqueConstraint("contract_id", "measure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contract.id", ondelete="CASCADE"), index=True
    )
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"))
    target: Mapped[float] = mapped_column(Float)
    tolerance: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="measures")
    measure: Mapped[Measure] = relationship()
    results: Mapped[list[MeasureResult]] = relationship(
        back_populates="contract_measure", cascade="all, delete-orphan"
    )


class MeasureResult(db.Model):
    """A measure's worked-out value and status for one period, kept so the overview and
    the API read it instead of rebuilding every contract's evidence on every request.
    Worked out again when the data behind it may have changed (`app.contracts.status`)."""

    __table_args__ = (UniqueConstraint("contract_measure_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_measure_id: Mapped[int] = mapped_column(
        ForeignKey("contract_measure.id", ondelete="CASCADE"), index=True
    )
    period_start: Mapped[date]
    period_end: Mapped[date]
    value: Mapped[float | None] = mapped_column(Float)
    # True when the small-numbers rules hide the figure (status "no_data").
    suppressed: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16))  # met, close, not_met, no_data
    reason: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract_measure: Mapped[ContractMeasure] = relationship(back_populates="results")


class ProviderReturn(db.Model):
    """A provider's figures and self-assessment for one period of a contract. A draft until
    submitted; submitted once. `figures` maps a return field's key to a whole number."""

    __table_args__ = (UniqueConstraint("contract_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contract.id", ondelete="CASCADE"), index=True
    )
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft, submitted
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    went_well: Mapped[str] = mapped_column(Text, default="")
    not_well: Mapped[str] = mapped_column(Text, default="")
    doing_about_it: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reminded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="returns")
    submitted_by = relationship("User")
    queries: Mapped[list[ReturnQuery]] = relationship(
        back_populates="provider_return",
        cascade="all, delete-orphan",
        order_by="ReturnQuery.id",
    )


class ReturnQuery(db.Model):
    """A commissioner's question about a submitted return, and the provider's answer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(
        ForeignKey("provider_return.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(Text)
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    answered_at: Mapped[datetime | None]

    provider_return: Mapped[ProviderReturn] = relationship(back_populates="queries")
    asked_by = relationship("User", foreign_keys=[asked_by_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])


class ApiToken(db.Model):
    """A person's token for the read-only API. Only a SHA-256 hash is stored; the token is
    shown once, when made. `prefix` (its first characters) lets people tell tokens apart."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user = relationship("User")
