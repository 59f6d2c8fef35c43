"""Fieldwork: outcomes-wheel readings taken with a key worker, and young inspectors' visits
(known visits and mystery shops) rated by a panel, moderated and reported."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.organisation import Service
from app.models.participant import Participant
from app.models.timeutil import utcnow
from app.models.user import User


class Reading(db.Model):
    """One outcomes-wheel (star-type) reading: a score per area, taken with a key worker."""

    # Evidence reads one star's readings for some services in a period; also serves
    # lookups by service alone.
    __table_args__ = (
        Index(
            "ix_reading_service_id_instrument_id_taken_on",
            "service_id",
            "instrument_id",
            "taken_on",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    instrument_id: Mapped[str] = mapped_column(String(64))
    instrument_version: Mapped[int]
    taken_on: Mapped[date]
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    participant: Mapped[Participant] = relationship()
    service: Mapped[Service] = relationship()
    recorded_by: Mapped[User] = relationship()


VISIT_KINDS = {"known": "Known visit", "mystery": "Mystery shop"}
VISIT_CHANNELS = {"visit": "Visit in person", "phone": "Phone", "web": "Website", "email": "Email"}


class Visit(db.Model):
    """A young inspectors' visit or mystery shop of a service, rated against a framework."""

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    scenario: Mapped[str | None] = mapped_column(Text)
    visit_on: Mapped[date]
    framework_id: Mapped[str] = mapped_column(String(64))
    framework_version: Mapped[int]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    summary: Mapped[str | None] = mapped_column(Text)
    # A finalised report is evidence: it never changes, it can only be superseded.
    finalised_at: Mapped[datetime | None]
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"))
    supersede_reason: Mapped[str | None] = mapped_column(Text)

    service: Mapped[Service] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    panel: Mapped[list[PanelMember]] = relationship(
        back_populates="visit", cascade="all, delete-orphan"
    )
    ratings: Mapped[list[PanelRating]] = relationship(
        back_populates="visit", cascade="all, delete-orphan"
    )
    moderated: Mapped[list[ModeratedRating]] = relationship(
        back_populates="visit", cascade="all, delete-orphan"
    )
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="Recommendation.id"
    )

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None

    def member_ids(self) -> set[int]:
        return {member.user_id for member in self.panel}


class PanelMember(db.Model):
    __table_args__ = (UniqueConstraint("visit_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)

    visit: Mapped[Visit] = relationship(back_populates="panel")
    user: Mapped[User] = relationship()


class PanelRating(db.Model):
    """One panel member's ratings and evidence notes; a draft until `submitted_at`."""

    __table_args__ = (UniqueConstraint("visit_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    ratings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]

    visit: Mapped[Visit] = relationship(back_populates="ratings")
    user: Mapped[User] = relationship()


class ModeratedRating(db.Model):
    """The rating the panel agreed for one quality characteristic, set by the coordinator."""

    __table_args__ = (UniqueConstraint("visit_id", "characteristic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    characteristic: Mapped[str] = mapped_column(String(64))
    rating: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)

    visit: Mapped[Visit] = relationship(back_populates="moderated")


class Recommendation(db.Model):
    """A recommendation to the service, and the provider's reply: what they will do, by when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    reply: Mapped[str | None] = mapped_column(Text)
    reply_due_on: Mapped[date | None]
    replied_at: Mapped[datetime | None]
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(16), default="awaiting_reply")

    visit: Mapped[Visit] = relationship(back_populates="recommendations")
