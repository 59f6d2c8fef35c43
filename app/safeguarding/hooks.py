"""The small surface the respondent journey calls: raise an alert, and find the alerts a
submitted response raises. Kept apart so app.respond needs to know nothing else."""

from __future__ import annotations

from app.safeguarding import detect, notify
from app.safeguarding.alerts import add_alert, raise_alert
from app.safeguarding.contact import client_key, request_contact

__all__ = [
    "add_alerts_for_response",
    "client_key",
    "contact_urgency",
    "raise_alert",
    "request_contact",
    "send_after_response",
]


def contact_urgency(message: str | None, language: str) -> str:
    """A request for contact is high; urgent when its message holds a concern phrase."""
    if message and detect.matches_concern_phrase(message, language):
        return "urgent"
    return "high"


def add_alerts_for_response(response, instrument) -> list:
    """Add the alerts (and their outbox emails) a response raises to the session, uncommitted.

    Returns the alerts, whose ids are known after the caller commits.
    """
    return [add_alert(**fields) for fields in detect.alerts_for_response(response, instrument)]


def send_after_response(alerts: list) -> None:
    """After the commit: send the new alerts' emails once the page has gone."""
    for alert in alerts:
        notify.send_after_response(alert.id)
