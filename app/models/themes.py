"""Themes a commissioner marks in a service's written answers for one monitoring period."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.timeutil import utcnow

THEME_NAME_MAX = 80


class AnswerTheme(db.Model):
    """A theme named for a service's written answers in one period ("Waiting times")."""

    __table_args__ = (UniqueConstraint("service_id", "period_start", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    period_start: Mapped[date]
    name: Mapped[str] = mapped_column(String(THEME_NAME_MAX))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    answers: Mapped[list[ThemedAnswer]] = relationship(
        back_populates="theme", cascade="all, delete-orphan"
    )


class ThemedAnswer(db.Model):
    """One written answer (a response's answer to one question) given a theme."""

    __table_args__ = (UniqueConstraint("theme_id", "response_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("answer_theme.id", ondelete="CASCADE"), index=True
    )
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(64))

    theme: Mapped[AnswerTheme] = relationship(back_populates="answers")
