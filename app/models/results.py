"""Results for young people ("you said, we did"): each service's short link, the published
pages (snapshots that stay until the next is published) and the provider's public wording
for an action or a reply to a recommendation."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.organisation import Service
from app.models.timeutil import utcnow

# Unambiguous characters, as participant codes use, for a link read off a poster.
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_results_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


class ResultsLink(db.Model):
    """A service's public results address (`/r/<code>`), stable across publications, and
    the languages its poster is printed in."""

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), unique=True
    )
    code: Mapped[str] = mapped_column(String(16), unique=True, default=new_results_code)
    poster_languages: Mapped[str] = mapped_column(String(100), default="en")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    service: Mapped[Service] = relationship()

    @property
    def poster_language_list(self) -> list[str]:
        return [code for code in self.poster_languages.split(",") if code]


class ResultsPage(db.Model):
    """One published page: what it said, kept as it was published (`content`), so the
    page stays the same until a coordinator publishes the next one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    period_start: Mapped[date]
    period_end: Mapped[date]
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )


class PublicWording(db.Model):
    """The provider's words for young people about one improvement action or one reply to
    a recommendation, and whether it may be shown on the public page."""

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_action.id", ondelete="CASCADE"), unique=True
    )
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), unique=True
    )
    wording: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
