from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.campaign import Campaign
from app.models.participant import Participant
from app.models.timeutil import utcnow


class Draft(db.Model):
    """Answers in progress. Lives in the database so any worker can carry on the journey."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    resume_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    language: Mapped[str] = mapped_column(String(16), default="en")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    consented_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship()
    participant: Mapped[Participant | None] = relationship()


class Response(db.Model):
    """A submitted response. `submission_key` makes a repeated submit store one row."""

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"), index=True)
    instrument_id: Mapped[str] = mapped_column(String(64))
    instrument_version: Mapped[int]
    language: Mapped[str] = mapped_column(String(16))
    text_provenance: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16), default="self")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    complete: Mapped[bool]
    answered_count: Mapped[int]
    raw_score: Mapped[int | None]
    metric_score: Mapped[float | None]
    band: Mapped[str | None] = mapped_column(String(32))
    consented_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Set by `flask retention run` once the participant link and free text are removed.
    anonymised_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship()
    participant: Mapped[Participant | None] = relationship()
