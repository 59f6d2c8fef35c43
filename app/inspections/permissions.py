"""Who may see and do what with a visit or report.

Object rules return booleans and the pages answer 404 when one says no, so a visit or
report that a person may not see looks the same as one that does not exist. Which pages a
role may open at all is declared in `app.access`.
"""

from __future__ import annotations

from app.access import can_see_service
from app.inspections.rating import rating_of
from app.models import Recommendation, Visit

MANAGERS = ("admin", "coordinator")


def manages_visits(user) -> bool:
    """Coordinators and admins schedule, moderate, finalise and supersede."""
    return user.has_role(*MANAGERS)


def is_on_panel(user, visit: Visit) -> bool:
    return user.id in visit.member_ids()


def can_see_visit(user, visit: Visit) -> bool:
    """A peer researcher sees only visits they are on; coordinators and admins see the
    visits of their bodies' services."""
    if user.has_role("peer_researcher") and is_on_panel(user, visit):
        return True
    return manages_visits(user) and can_see_service(user, visit.service_id)


def can_rate(user, visit: Visit) -> bool:
    return user.has_role("peer_researcher") and is_on_panel(user, visit)


def may_see_panel_ratings(user, visit: Visit) -> bool:
    """Rating is blind: a panel member sees the others' ratings only once their own are
    submitted, so nobody is swayed by what the rest of the panel said."""
    if manages_visits(user):
        return True
    own = rating_of(visit, user)
    return can_rate(user, visit) and own is not None and own.submitted_at is not None


def can_read_report(user, visit: Visit) -> bool:
    """Finalised reports only: commissioners, coordinators and admins read those of their
    bodies' services, a provider only those about its own services, and a young inspector
    those of the visits they were on."""
    if not visit.is_final:
        return False
    if user.has_role("peer_researcher") and is_on_panel(user, visit):
        return True
    return can_see_service(user, visit.service_id)


def may_open_cases(user) -> bool:
    """Whether a report's reader may follow its links into improvement cases."""
    return user.has_role("admin", "coordinator", "commissioner", "provider")


def can_reply(user, recommendation: Recommendation) -> bool:
    """Only a provider account of the service's own provider, on a current final report."""
    visit = recommendation.visit
    return (
        visit.is_final
        and visit.superseded_by_id is None
        and user.has_role("provider")
        and user.provider_id is not None
        and user.provider_id == visit.service.provider_id
    )
