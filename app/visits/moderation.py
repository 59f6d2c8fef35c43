"""A coordinator's pages: moderating a panel's ratings, recommendations, finalising the report
and superseding a final one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import audit
from app.forms import ActionForm
from app.improvement import panel_news
from app.improvement.recommendations import propose_from_report
from app.inspections import moderation, permissions
from app.inspections.errors import ReportIsFinal, VisitError
from app.inspections.panel_table import panel_table
from app.inspections.visits import replacement_of
from app.models import Recommendation
from app.models.lookup import get_by_id
from app.visits import bp
from app.visits.forms import SupersedeForm, moderation_form_class
from app.visits.pages import find_visit, framework_of, message


def _managed_visit(visit_id: int):
    visit = find_visit(visit_id)
    if not permissions.manages_visits(current_user):
        abort(404)
    return visit, framework_of(visit)


def _moderation_page(visit, instrument, form, status=200):
    return render_template(
        "visits/moderate.html",
        visit=visit,
        instrument=instrument,
        form=form,
        table=panel_table(visit, instrument),
    ), status


def _removed_recommendation(visit, form) -> Recommendation | None:
    """The recommendation whose "Remove" button was pressed, if it is this visit's."""
    chosen = form.remove_recommendation.data
    if not chosen:
        return None
    recommendation = get_by_id(Recommendation, chosen)
    if recommendation is None or recommendation.visit_id != visit.id:
        abort(404)
    return recommendation


@bp.route("/visits/<int:visit_id>/moderate", methods=["GET", "POST"])
def moderate(visit_id):
    """One form: the agreed ratings, notes, summary and a new recommendation travel
    together, so whichever button is pressed ("Save moderation", "Add recommendation",
    "Remove") saves everything typed and loses nothing."""
    visit, instrument = _managed_visit(visit_id)
    if visit.is_final:
        raise ReportIsFinal(visit)
    form_class = moderation_form_class(instrument)
    if request.method == "GET":
        form = form_class(data=moderation.moderation_answers(visit))
        return _moderation_page(visit, instrument, form)
    form = form_class()
    if not form.validate():
        return _moderation_page(visit, instrument, form, 400)
    removed = _removed_recommendation(visit, form)
    choices = {
        c: (form[f"rating_{c}"].data or None, (form[f"note_{c}"].data or "").strip())
        for c in instrument.framework.characteristics
    }
    try:
        moderation.save_moderation(
            visit,
            instrument,
            choices,
            (form.summary.data or "").strip(),
            new_recommendation=(form.recommendation.data or "").strip() or None,
            remove=removed,
        )
    except ReportIsFinal:
        raise
    except VisitError as error:
        flash(str(error))
        return redirect(url_for("visits.moderate", visit_id=visit.id))
    if form.add_recommendation.data:
        flash(
            "Recommendation added. The agreed ratings, notes and summary are saved too.", "success"
        )
    elif removed is not None:
        flash(
            "Recommendation removed. The agreed ratings, notes and summary are saved too.",
            "success",
        )
    else:
        flash("Moderation saved.", "success")
        return redirect(url_for("visits.visit", visit_id=visit.id))
    return redirect(url_for("visits.moderate", visit_id=visit.id) + "#recommendations")


@bp.route("/visits/<int:visit_id>/finalise", methods=["GET", "POST"])
def finalise(visit_id):
    visit, instrument = _managed_visit(visit_id)
    if visit.is_final:
        raise ReportIsFinal(visit)
    form = ActionForm()
    problems = moderation.finalise_problems(visit, instrument)
    if form.validate_on_submit() and not problems:
        try:
            moderation.finalise(visit, current_user, instrument)
        except ReportIsFinal:
            raise
        except VisitError as error:
            flash(str(error))
            return redirect(url_for("visits.finalise", visit_id=visit.id))
        panel_news.report_final(visit)  # committed with the audit record
        audit.record("report_finalised", visit)
        # Its recommendations become proposed actions on the contract's improvement case.
        propose_from_report(visit, current_user)
        flash("The report is final. The provider and commissioners can now read it.", "success")
        return redirect(url_for("reports.report", visit_id=visit.id))
    posted = request.method == "POST"
    return render_template(
        "visits/finalise.html",
        visit=visit,
        instrument=instrument,
        problems=problems,
        posted=posted,
        table=panel_table(visit, instrument),
        form=form,
    ), 400 if posted else 200


@bp.route("/visits/<int:visit_id>/supersede", methods=["GET", "POST"])
def supersede(visit_id):
    visit, _instrument_unused = _managed_visit(visit_id)
    refusal = moderation.supersede_refusal(visit)
    if refusal:
        return message(
            "This report cannot be superseded", refusal, replacement_of(visit) or visit, 409
        )
    form = SupersedeForm()
    if form.validate_on_submit():
        try:
            replacement = moderation.supersede(visit, current_user, form.reason.data.strip())
        except VisitError as error:
            flash(str(error))
            return redirect(url_for("visits.visit", visit_id=visit.id))
        audit.record("report_superseded", visit, replacement_id=replacement.id)
        flash(
            "A new version of the report has been started from this one. Correct it, then "
            "finalise it. The old version stays readable, marked as superseded."
        )
        return redirect(url_for("visits.visit", visit_id=replacement.id))
    return render_template(
        "visits/supersede.html", visit=visit, form=form
    ), 400 if form.errors else 200
