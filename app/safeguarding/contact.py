"""Requests for contact from respondents, folded so a flood cannot bury a real alert.

From one device (its network, as rate limits count it): the same request again while its
alert is still open is one alert asked again, not a new one; and beyond
`NEW_ALERTS_PER_HOUR` new alerts an hour, further requests fold into that device's latest
open alert, their words kept on it (up to `WORDS_KEPT` of them), with no more emails. A
folded request that is more urgent than its alert makes the alert urgent and tells the
leads again. Nothing a person sent is dropped without being counted on an alert.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import SafeguardingAlert
from app.models.safeguarding import URGENCIES
from app.models.timeutil import utcnow
from app.safeguarding import notify
from app.safeguarding.alerts import add_alert

SOURCE = "contact_request"
NEW_ALERTS_PER_HOUR = 3
SAME_REQUEST_WINDOW = timedelta(hours=24)
WORDS_KEPT = 10
URGENCY_ORDER = list(URGENCIES)  # most urgent first


def client_key(secret: str, client_network: str) -> str:
    """A keyed hash of the client's network: alerts from one device can be matched, and
    the address cannot be read back from the alert."""
    return hmac.new(
        secret.encode(), f"contact:{client_network}".encode(), hashlib.sha256
    ).hexdigest()


def request_contact(*, key: str, **fields) -> tuple[SafeguardingAlert, bool]:
    """Store a request for contact as a new alert, or fold it into an open one from the same
    device. Returns the alert and whether it was folded. Committed; emails of a new alert
    go after the response."""
    now = utcnow()
    open_alerts = (
        select(SafeguardingAlert)
        .where(
            SafeguardingAlert.source == SOURCE,
            SafeguardingAlert.client_key == key,
            SafeguardingAlert.status != "closed",
        )
        .order_by(SafeguardingAlert.created_at.desc(), SafeguardingAlert.id.desc())
    )
    same = db.session.scalar(
        open_alerts.where(
            SafeguardingAlert.created_at >= now - SAME_REQUEST_WINDOW,
            _same(SafeguardingAlert.campaign_id, fields.get("campaign_id")),
            _same(SafeguardingAlert.message, fields.get("message")),
            _same(SafeguardingAlert.contact_method, fields.get("contact_method")),
            _same(SafeguardingAlert.contact_detail, fields.get("contact_detail")),
            _same(SafeguardingAlert.safe_to_message, fields.get("safe_to_message")),
            _same(SafeguardingAlert.best_time, fields.get("best_time")),
        )
    )
    if same is not None:
        return _fold(same, fields, now, keep_words=False), True
    recent = db.session.scalar(
        select(func.count(SafeguardingAlert.id)).where(
            SafeguardingAlert.source == SOURCE,
            SafeguardingAlert.client_key == key,
            SafeguardingAlert.created_at >= now - timedelta(hours=1),
        )
    )
    latest = db.session.scalar(open_alerts) if recent >= NEW_ALERTS_PER_HOUR else None
    if latest is not None:
        return _fold(latest, fields, now, keep_words=True), True
    alert = add_alert(source=SOURCE, client_key=key, **fields)
    db.session.commit()
    notify.send_after_response(alert.id)
    return alert, False


def _same(column, value):
    return column.is_(None) if value is None else column == value


def _fold(alert: SafeguardingAlert, fields: dict, now, *, keep_words: bool) -> SafeguardingAlert:
    alert.repeats = (alert.repeats or 0) + 1
    alert.last_repeated_at = now
    if keep_words and alert.repeats <= WORDS_KEPT:
        said = fields.get("message") or "(no message)"
        how = " ".join(
            filter(
                None,
                [
                    fields.get("contact_method"),
                    fields.get("contact_detail"),
                    fields.get("safe_to_message") and f"safe: {fields['safe_to_message']}",
                    fields.get("best_time") and f"best time: {fields['best_time']}",
                ],
            )
        )
        alert.message = (alert.message or "") + (
            f"\n\nAsked again ({how or 'no contact details'}): {said}"
        )
    more_urgent = URGENCY_ORDER.index(fields.get("urgency", "high")) < URGENCY_ORDER.index(
        alert.urgency
    )
    if more_urgent:
        alert.urgency = fields["urgency"]
        notify.queue_emails(alert, kind="new")
    db.session.commit()
    if more_urgent:
        notify.send_after_response(alert.id)
    return alert
