"""Changing a visit after it was scheduled: its date, scenario and panel. Each change is
described in words for the audit log. A final report never changes (it is superseded), and
no one comes off a panel once they have started rating, so no ratings are orphaned."""

from __future__ import annotations

from datetime import date

from app.inspections.errors import guard_open
from app.models import PanelMember, User, Visit


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _names(users) -> str:
    return ", ".join(sorted(user.name for user in users)) or "no one"


def panel_problem(visit: Visit, members: list[User]) -> str | None:
    """Why this panel cannot replace the visit's, or None when it can."""
    started = {rating.user_id: rating.user for rating in visit.ratings}
    kept = {user.id for user in members}
    leaving = [user for user_id, user in started.items() if user_id not in kept]
    if not leaving:
        return None
    names = _names(leaving)
    verb = "has" if len(leaving) == 1 else "have"
    return f"{names} {verb} started rating, so cannot be taken off the panel"


def change_visit(
    visit: Visit, *, visit_on: date, scenario: str | None, members: list[User]
) -> dict[str, str]:
    """Apply the new date, scenario and panel; return each change as "before → after".
    Raises ReportIsFinal when the report was finalised meanwhile."""
    guard_open(visit)
    changes: dict[str, str] = {}
    if visit.visit_on != visit_on:
        changes["date"] = f"{_day(visit.visit_on)} → {_day(visit_on)}"
        visit.visit_on = visit_on
    scenario = scenario or None
    if (visit.scenario or None) != scenario:
        changes["scenario"] = (
            "changed" if visit.scenario and scenario else ("added" if scenario else "removed")
        )
        visit.scenario = scenario
    before = [member.user for member in visit.panel]
    if {user.id for user in before} != {user.id for user in members}:
        changes["panel"] = f"{_names(before)} → {_names(members)}"
        wanted = {user.id for user in members}
        visit.panel = [member for member in visit.panel if member.user_id in wanted] + [
            PanelMember(user=user) for user in members if user.id not in visit.member_ids()
        ]
    return changes
