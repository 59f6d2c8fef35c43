from __future__ import annotations

import re
from datetime import date, datetime

from flask import current_app, has_app_context
from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.extensions import db
from app.languages import parse_language_list
from app.models.codes import new_token
from app.models.organisation import Service
from app.models.timeutil import uk_today, utcnow

DEFAULT_RETENTION_MONTHS = 24
DEFAULT_OWN_CONSENT_AGE = 13
_BLANK_LINES = re.compile(r"\n\s*\n")


def configured_own_consent_age() -> int:
    """The age of own consent a new campaign starts with: the `OWN_CONSENT_AGE` setting."""
    if has_app_context():
        return int(current_app.config.get("OWN_CONSENT_AGE", DEFAULT_OWN_CONSENT_AGE))
    return DEFAULT_OWN_CONSENT_AGE


def normalise_notice(text: str | None) -> str:
    """A privacy notice as stored: Unix line ends, no spaces at its ends."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


class CampaignError(Exception):
    """A campaign change that the rules of the platform do not allow."""


class Campaign(db.Model):
    """One instrument version offered to the people a service is for, between two dates."""

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    instrument_id: Mapped[str] = mapped_column(String(64))
    instrument_version: Mapped[int]
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    languages: Mapped[str] = mapped_column(String(200), default="en")
    links_over_time: Mapped[bool] = mapped_column(default=True)
    licence_reference: Mapped[str | None] = mapped_column(String(200))
    # draft -> open -> closed; the dates then decide when respondents may answer.
    status: Mapped[str] = mapped_column(String(16), default="draft")
    # Responses older than this are anonymised by `flask retention run`; None keeps the default.
    retention_months: Mapped[int | None]
    # Ask an age band first; below `own_consent_age` a parent or carer gives consent.
    asks_age_band: Mapped[bool] = mapped_column(default=False, server_default=false())
    own_consent_age: Mapped[int] = mapped_column(
        default=configured_own_consent_age, server_default=str(DEFAULT_OWN_CONSENT_AGE)
    )
    # The campaign's own part of the privacy notice (who holds the answers, why, who to
    # contact), written by its manager in English. The version goes up whenever the text
    # changes, and each consent records the version it was given on.
    privacy_notice: Mapped[str | None] = mapped_column(Text)
    privacy_notice_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    service: Mapped[Service] = relationship()

    @validates("privacy_notice")
    def _new_notice_version(self, _key, text):
        # On every change of the words, wherever it is made (admin screen, command, code),
        # so a stored consent always names the words it was given on.
        text = normalise_notice(text)
        if self.privacy_notice_version is not None and text != (self.privacy_notice or ""):
            self.privacy_notice_version += 1
        return text

    @property
    def privacy_notice_paragraphs(self) -> list[str]:
        """The campaign's notice as paragraphs: split where a blank line is."""
        return [
            part.strip() for part in _BLANK_LINES.split(self.privacy_notice or "") if part.strip()
        ]

    @property
    def retention_months_or_default(self) -> int:
        return self.retention_months or DEFAULT_RETENTION_MONTHS

    @property
    def language_list(self) -> list[str]:
        """The language codes respondents may choose, in the order the switcher shows them."""
        return parse_language_list(self.languages)

    def open(self, instrument) -> None:
        """Open for answers; a licensed instrument needs the organisation's licence reference."""
        if instrument.is_licensed and not (self.licence_reference or "").strip():
            raise CampaignError(
                f"{instrument.key} is a licensed instrument: record the organisation's "
                "licence reference before opening this campaign."
            )
        if self.closes_on < self.opens_on:
            raise CampaignError("The close date is before the open date.")
        if not any(code in instrument.texts for code in self.language_list):
            raise CampaignError(
                f"{instrument.key} has texts in {', '.join(instrument.locales)}, and this "
                f"campaign offers none of them ({self.languages})."
            )
        self.status = "open"

    def close(self) -> None:
        self.status = "closed"

    def availability(self, today: date | None = None) -> str:
        """'open', 'not_open_yet' or 'closed', as a respondent arriving today would find it."""
        today = today or uk_today()
        if self.status == "closed" or today > self.closes_on:
            return "closed"
        if self.status != "open" or today < self.opens_on:
            return "not_open_yet"
        return "open"
