"""Instruments kept in the database: written on screen with young people, or imported from
another council's file. Each row is one version, in exactly the data of a surveys/ file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.timeutil import utcnow
from app.models.user import User

# Where a stored instrument came from, as its list marks it.
ORIGINS = {"screen": "Written on screen", "import": "Imported from a file"}


class StoredInstrument(db.Model):
    """One version of an instrument kept in the database rather than in surveys/."""

    __table_args__ = (UniqueConstraint("instrument_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    type: Mapped[str] = mapped_column(String(16))
    # The instrument's data, key for key as its YAML file would hold it.
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(16), default="screen")
    # Languages being translated on screen, kept apart until complete: {locale: {key: text}}.
    translations_in_progress: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # What it started from ("mystery-shop-checklist@1") or the file it was imported from.
    origin_note: Mapped[str | None] = mapped_column(String(300))
    # Goes up at every save, so each worker re-reads a changed draft and nothing else.
    revision: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship()

    @property
    def key(self) -> str:
        return f"{self.instrument_id}@{self.version}"
