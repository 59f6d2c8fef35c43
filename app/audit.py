"""The audit log: who did what, to which object, when. Add-only by design.

`record` is the one way in; nothing in the code updates or deletes an AuditEvent.
"""

from __future__ import annotations

from flask import has_request_context
from flask_login import current_user

from app.extensions import db
from app.models import AuditEvent


def _actor() -> tuple[int | None, str]:
    if has_request_context() and current_user.is_authenticated:
        return current_user.id, current_user.email
    return None, "system"


def _key(obj) -> tuple[str | None, str | None]:
    if obj is None:
        return None, None
    return type(obj).__name__, str(obj.id) if getattr(obj, "id", None) is not None else None


def record(action: str, obj=None, *, actor: str | None = None, user=None, **detail) -> AuditEvent:
    """Add an event and commit it. `actor` overrides the label (for respondents, who have no
    account); `user` names the account when no one is signed in yet (a sign-in)."""
    actor_id, label = (user.id, user.email) if user is not None else _actor()
    object_type, object_id = _key(obj)
    event = AuditEvent(
        actor_user_id=actor_id,
        actor_label=(actor or label)[:254],
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
    db.session.add(event)
    db.session.commit()
    return event


def participant_label(code: str) -> str:
    """A shortened code: enough for staff to match a query, not enough to use it."""
    return f"participant code {code[:4]}…"
