from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.codes import new_code
from app.models.timeutil import utcnow


class Participant(db.Model):
    """A person known only by the codes they keep: no name is ever stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    # The code staff use (a key worker recording readings): a different code, so knowing it
    # never lets anyone open the young person's own answers as them (`code` does that).
    worker_code: Mapped[str] = mapped_column(String(16), unique=True, default=new_code)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @classmethod
    def create(cls) -> Participant:
        return cls(code=new_code())
