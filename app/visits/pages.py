"""What every visit page shares: finding the visit (404 when the person may not see it), its
framework, and the pages that explain a refused change."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_login import current_user

from app.extensions import instrument_registry
from app.inspections.errors import RatingSubmitted, ReportIsFinal
from app.inspections.frameworks import instrument_for
from app.inspections.permissions import can_read_report, can_see_visit
from app.inspections.visits import channel_name, kind_name
from app.models import Visit
from app.models.lookup import get_by_id
from app.visits import bp

bp.add_app_template_filter(kind_name, "visit_kind")
bp.add_app_template_filter(channel_name, "visit_channel")


class FrameworkMissing(Exception):
    def __init__(self, visit: Visit):
        self.visit = visit


def message(title: str, text: str, visit: Visit | None, status: int):
    """A refusal explained: what happened, and the way back to the visit."""
    links = []
    if visit is not None:
        links.append((url_for("visits.visit", visit_id=visit.id), "Go to the visit"))
        if can_read_report(current_user, visit):
            links.append((url_for("reports.report", visit_id=visit.id), "Read the report"))
    links.append((url_for("visits.visits"), "Go to your visits"))
    return render_template("staff/message.html", title=title, message=text, links=links), status


@bp.errorhandler(ReportIsFinal)
def report_is_final(error: ReportIsFinal):
    return message("This report is final", str(error), error.visit, 409)


@bp.errorhandler(RatingSubmitted)
def rating_submitted(error: RatingSubmitted):
    return message(
        "Your ratings are submitted",
        "You have submitted your ratings for this visit, so they can no longer be changed. "
        "If something needs correcting, tell your coordinator.",
        error.visit,
        409,
    )


@bp.errorhandler(FrameworkMissing)
def framework_missing(error: FrameworkMissing):
    visit = error.visit
    return message(
        "Framework not available",
        f"This visit is rated on {visit.framework_id}, version {visit.framework_version}, "
        "which is not loaded on this server. Ask an administrator to restore the framework file.",
        None,
        503,
    )


def find_visit(visit_id: int) -> Visit:
    """The visit, if this person may see it; 404 otherwise, so its existence stays hidden."""
    visit = get_by_id(Visit, visit_id)
    if visit is None or not can_see_visit(current_user, visit):
        abort(404)
    return visit


def framework_of(visit: Visit):
    """The framework the visit is rated on; a 503 page when it is no longer loaded."""
    try:
        return instrument_for(instrument_registry(), visit)
    except KeyError:
        raise FrameworkMissing(visit) from None
