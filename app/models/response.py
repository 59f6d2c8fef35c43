from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
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
    # How consent was given; copied to the response when it is sent (see Response).
    age_band: Mapped[str | None] = mapped_column(String(16))
    consent_by: Mapped[str | None] = mapped_column(String(16))
    consent_notice_version: Mapped[int | None]
    consented_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship()
    participant: Mapped[Participant | None] = relationship()


class Response(db.Model):
    """A submitted response. `submission_key` makes a repeated submit store one row."""

    __table_args__ = (
        # Evidence reads a service's responses in a period (campaign, then time) and only
        # these columns, so it never visits the table: a million responses cost a page no
        # more than a few thousand. It also serves lookups by campaign alone.
        Index(
            "ix_response_evidence",
            "campaign_id",
            "submitted_at",
            "instrument_id",
            "participant_id",
            "complete",
            "raw_score",
            "metric_score",
            "band",
            "language",
            "text_provenance",
            "mode",
            "instrument_version",
            "id",
        ),
        # A person's scores over time (change figures read the histories of the people seen
        # in a period), again without visiting the table; also serves lookups by participant.
        Index(
            "ix_response_participant_history",
            "participant_id",
            "instrument_id",
            "submitted_at",
            "complete",
            "raw_score",
            "metric_score",
            "band",
            "campaign_id",
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
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
    # A key of app.age_bands (None when the campaign did not ask); who consented, "self" or
    # "parent_or_carer"; and the version of the campaign's privacy notice shown then.
    age_band: Mapped[str | None] = mapped_column(String(16))
    consent_by: Mapped[str | None] = mapped_column(String(16))
    consent_notice_version: Mapped[int | None]
    consented_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Set by `flask retention run` once the participant link and free text are removed.
    anonymised_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship()
    participant: Mapped[Participant | None] = relationship()
