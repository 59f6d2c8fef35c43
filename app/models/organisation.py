from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.timeutil import utcnow


class Provider(db.Model):
    """An organisation contracted to deliver services."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    services: Mapped[list[Service]] = relationship(back_populates="provider")


class Service(db.Model):
    """A commissioned service, monitored over periods of `monitoring_interval_months`."""

    __table_args__ = (UniqueConstraint("provider_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The contract this service is delivered under (at most one at a time).
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("contract.id", ondelete="SET NULL"), index=True
    )
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    monitoring_interval_months: Mapped[int] = mapped_column(default=3)
    help_contact: Mapped[str | None] = mapped_column(String(500))
    # Who a safeguarding lead calls at the service when a young person asks to be contacted
    # "through my key worker or the service": staff-only, never shown to respondents.
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    provider: Mapped[Provider] = relationship(back_populates="services")
    contract = relationship("Contract", back_populates="services")

    @property
    def contract_reference(self) -> str | None:
        return self.contract.reference if self.contract is not None else None
