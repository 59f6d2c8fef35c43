"""A demonstration alert: a young person who asked, in Polish, to be contacted through
their key worker, with the best time and that no message should be left; their key worker
recorded an outcomes-wheel reading with them, and the service has a contact for leads."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db, instrument_registry
from app.models import Campaign, Participant, Reading, SafeguardingAlert, User
from app.models.timeutil import uk_today, utcnow

DEMO_KEY_WORKER = "keyworker@example.org"
STAR = "outcomes-wheel"


def load_demo_alert(campaign: Campaign) -> SafeguardingAlert | None:
    """Add the demonstration alert (no emails: nobody reads the demo's outbox). Call it
    after the demo users exist; it commits. None when there is no demo key worker."""
    worker = db.session.scalar(select(User).where(User.email == DEMO_KEY_WORKER))
    if worker is None:
        return None
    star = instrument_registry().get(STAR)
    participant = Participant.create()
    reading = Reading(
        submission_key="demo-safeguarding-reading",
        participant=participant,
        service_id=campaign.service_id,
        recorded_by_id=worker.id,
        instrument_id=star.id,
        instrument_version=star.version,
        taken_on=uk_today() - timedelta(days=14),
        scores={area: 5 for area in star.star.areas},
    )
    alert = SafeguardingAlert(
        source="contact_request",
        urgency="high",
        campaign_id=campaign.id,
        participant=participant,
        contact_method="worker",
        safe_to_message="no_message",
        best_time="Po szkole, po 16:00",
        message="Chcę z kimś porozmawiać o tym, co dzieje się w domu.",
        language="pl",
        created_at=utcnow() - timedelta(minutes=20),
    )
    db.session.add_all([participant, reading, alert])
    db.session.commit()
    return alert
