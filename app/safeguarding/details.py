"""What a safeguarding lead needs to act on an alert, in words: where it came from (the
service, its provider and the campaign by name, the language by its name), when (in UK
time), and who can reach the young person and how (their key worker, the service's
contact)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.dates import format_moment
from app.extensions import db
from app.languages import is_supported, language
from app.models import Reading, SafeguardingAlert, Service, User


def uk_time(moment: datetime | None) -> str:
    """A stored (naive UTC) time as UK clocks showed it ("7 Dec 2026, 16:30"), by the
    platform's one date helper."""
    return format_moment(moment)


def language_name(code: str | None) -> str:
    """ "Polish (Polski)"; English as "English"; a code the platform does not offer as is."""
    if not code or not is_supported(code):
        return code or "Not known"
    found = language(code)
    if found.name == found.english_name:
        return found.name
    return f"{found.english_name} ({found.name})"


@dataclass(frozen=True)
class KeyWorker:
    name: str
    email: str
    service: str | None


@dataclass(frozen=True)
class Origin:
    """Where the alert came from, by name."""

    service: Service | None
    campaign_name: str | None

    @property
    def service_name(self) -> str | None:
        if self.service is None:
            return None
        return f"{self.service.name} ({self.service.provider.name})"


def origin(alert: SafeguardingAlert) -> Origin:
    campaign = alert.campaign
    if campaign is None:
        return Origin(service=None, campaign_name=None)
    return Origin(service=campaign.service, campaign_name=campaign.name)


def key_worker(alert: SafeguardingAlert, service: Service | None) -> KeyWorker | None:
    """The key worker who last recorded an outcomes-wheel reading with this young person,
    at the alert's service if there is one there; None when the alert has no code or no
    reading."""
    if alert.participant_id is None:
        return None
    query = (
        select(User, Service)
        .join(Reading, Reading.recorded_by_id == User.id)
        .join(Service, Service.id == Reading.service_id)
        .where(Reading.participant_id == alert.participant_id)
    )
    if service is not None:
        # Readings at the alert's own service first, then the most recent anywhere.
        query = query.order_by((Reading.service_id == service.id).desc())
    query = query.order_by(Reading.taken_on.desc(), Reading.id.desc()).limit(1)
    row = db.session.execute(query).first()
    if row is None:
        return None
    user, at = row
    return KeyWorker(name=user.name, email=user.email, service=f"{at.name} ({at.provider.name})")


def service_contact(service: Service | None) -> list[str]:
    """The service's contact for safeguarding leads, one line per detail given."""
    if service is None:
        return []
    return [
        value
        for value in (service.contact_name, service.contact_phone, service.contact_email)
        if value
    ]
