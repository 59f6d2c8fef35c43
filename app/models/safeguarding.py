from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.participant import Participant
from app.models.response import Response
from app.models.timeutil import utcnow
from app.models.user import User

# Most urgent first; the queue sorts by this order, then oldest first.
URGENCIES = {
    "urgent": "Urgent",
    "high": "High",
    "normal": "Normal",
}
SOURCES = {
    "contact_request": "Asked to be contacted",
    "answer": "Answer marked as a concern",
    "free_text": "Concern words in an answer",
    "staff": "Raised by staff",
}
CONTACT_METHODS = {
    "phone": "Phone call",
    "text": "Text message",
    "email": "Email",
    "worker": "Through their key worker or the service",
}
SAFE_TO_MESSAGE = {
    "yes": "Safe to call and to leave a message",
    "no_message": "Contact them, but do not leave a message",
    "not_sure": "They are not sure it is safe: do not leave a message",
}
STATUSES = {"new": "New", "acknowledged": "Acknowledged", "closed": "Closed"}


class SafeguardingAlert(db.Model):
    """A request for contact or a concern, waiting for a safeguarding lead.

    It links to a response and a participant's code where there is one, never to a name.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    source: Mapped[str] = mapped_column(String(32))  # contact_request, answer, free_text, staff
    urgency: Mapped[str] = mapped_column(String(16), default="high", server_default="high")
    contact_method: Mapped[str | None] = mapped_column(String(32))
    contact_detail: Mapped[str | None] = mapped_column(String(200))
    # Whether it is safe to call or leave a message (SAFE_TO_MESSAGE), and when is best, in
    # the young person's own words.
    safe_to_message: Mapped[str | None] = mapped_column(String(16))
    best_time: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), default="en")
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("response.id", ondelete="SET NULL"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"), index=True)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    escalated_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Requests for contact from one device fold into one alert (app.safeguarding.contact):
    # a keyed hash of the client's network, never the address itself, and how many more
    # times it asked.
    client_key: Mapped[str | None] = mapped_column(String(64), index=True)
    repeats: Mapped[int] = mapped_column(default=0, server_default="0")
    last_repeated_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    outcome: Mapped[str | None] = mapped_column(Text)

    campaign = relationship("Campaign")
    response: Mapped[Response | None] = relationship()
    participant: Mapped[Participant | None] = relationship()
    raised_by: Mapped[User | None] = relationship(foreign_keys=[raised_by_id])
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    actions: Mapped[list[SafeguardingAction]] = relationship(
        back_populates="alert",
        order_by="SafeguardingAction.created_at, SafeguardingAction.id",
        cascade="all, delete-orphan",
    )

    @property
    def urgency_label(self) -> str:
        return URGENCIES.get(self.urgency, self.urgency)

    @property
    def source_label(self) -> str:
        return SOURCES.get(self.source, self.source)

    @property
    def contact_method_label(self) -> str | None:
        return CONTACT_METHODS.get(self.contact_method, self.contact_method)

    @property
    def safe_to_message_label(self) -> str | None:
        return SAFE_TO_MESSAGE.get(self.safe_to_message, self.safe_to_message)

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)


class SafeguardingAction(db.Model):
    """What a lead did about an alert: who, when, what."""

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(
        ForeignKey("safeguarding_alert.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    alert: Mapped[SafeguardingAlert] = relationship(back_populates="actions")
    user: Mapped[User] = relationship()


class SafeguardingEmail(db.Model):
    """An email in the outbox, kept until the mail server has accepted it: to a lead about
    an alert, or (with no alert) any other notice the platform sends staff, such as a
    reminder of an overdue provider return (`app.notifications`).

    Written in the same transaction as what it is about, so a mail server that is down
    delays the email but never loses it; `flask safeguarding send` retries at
    `next_attempt_at`.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("safeguarding_alert.id", ondelete="CASCADE"), index=True
    )
    # new, escalation (alerts); return_reminder, return_query, ... (app.notifications)
    kind: Mapped[str] = mapped_column(String(32), default="new")
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    alert: Mapped[SafeguardingAlert | None] = relationship()

    __table_args__ = (
        db.Index("ix_safeguarding_email_sent_at_next_attempt_at", "sent_at", "next_attempt_at"),
    )
