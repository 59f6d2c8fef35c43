"""Telling young inspectors what came of their visit: the report is final, the provider has
replied to a recommendation, an action that came from one has moved on.

Each panel member gets a notification (their home page and notifications page show it) and
the same notice by email through the outbox. Nothing here commits: the change that caused
it does, so the notice and the change land together or not at all.
"""

from __future__ import annotations

from flask import current_app

from app.dates import format_day
from app.extensions import db
from app.models import Recommendation, SafeguardingEmail, User, Visit
from app.models.improvement import ACTION_STATUSES, CaseAction, Notification

KINDS = ("panel_report_final", "panel_reply", "panel_action")


def _report_path(visit: Visit, recommendation: Recommendation | None = None) -> str:
    path = f"/reports/{visit.id}"
    return f"{path}#recommendation-{recommendation.id}" if recommendation else path


def tell_panel(visit: Visit, kind: str, subject: str, opening: str, path: str) -> list[User]:
    """A notification and an email to every active member of the visit's panel."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    place = f"{visit.service.name}, visit of {format_day(visit.visit_on)}"
    full_subject = f"{subject}: {place}"[:200]
    told = []
    for member in visit.panel:
        person = member.user
        if person is None or not person.active:
            continue
        db.session.add(
            Notification(
                user_id=person.id, kind=kind, subject=full_subject, body=opening, link=path
            )
        )
        db.session.add(
            SafeguardingEmail(
                alert_id=None,
                kind=kind[:32],
                recipient=person.email,
                subject=full_subject,
                body=f"{opening}\n\nRead it here (you will be asked to sign in): {base}{path}\n",
            )
        )
        told.append(person)
    return told


def report_final(visit: Visit) -> list[User]:
    return tell_panel(
        visit,
        "panel_report_final",
        "Your visit's report is final",
        "The report of the visit you took part in is final. The provider will now reply to "
        "its recommendations.",
        _report_path(visit),
    )


def provider_replied(recommendation: Recommendation) -> list[User]:
    visit = recommendation.visit
    return tell_panel(
        visit,
        "panel_reply",
        "The provider has replied to your recommendation",
        "The provider has said what it will do about one of your recommendations, and by when.",
        _report_path(visit, recommendation),
    )


def action_changed(action: CaseAction) -> list[User]:
    """An action that came from a recommendation has a new status."""
    recommendation = action.recommendation
    if recommendation is None:
        return []
    status = ACTION_STATUSES.get(action.status, action.status).lower()
    return tell_panel(
        recommendation.visit,
        "panel_action",
        "News about your recommendation",
        f"The action that came from one of your recommendations is now {status}.",
        _report_path(recommendation.visit, recommendation),
    )
