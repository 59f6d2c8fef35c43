"""Visits and mystery shops: scheduling, panel rating, moderation, finalising.

Thin views: find the visit (404 when the person may not see it), hand the work to
`app.fieldwork.panels`, render the page.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app import audit
from app.admin.forms import ActionForm
from app.extensions import db
from app.fieldwork import bp, panels
from app.fieldwork.visit_forms import (
    RecommendationForm,
    SupersedeForm,
    VisitForm,
    moderation_form_class,
)
from app.forms import answers_from_form, build_page_form, initial_data
from app.models import Recommendation, Service, Visit
from app.models.fieldwork import VISIT_CHANNELS, VISIT_KINDS

LOCALE = panels.LOCALE


class FrameworkMissing(Exception):
    def __init__(self, visit: Visit):
        self.visit = visit


def _message(title: str, message: str, visit: Visit | None, status: int):
    """A refusal explained: what happened, and the way back to the visit."""
    links = []
    if visit is not None:
        links.append((url_for("fieldwork.visit", visit_id=visit.id), "Go to the visit"))
        if panels.can_read_report(current_user, visit):
            links.append((url_for("reports.report", visit_id=visit.id), "Read the report"))
    links.append((url_for("fieldwork.visits"), "Go to your visits"))
    return render_template(
        "fieldwork/message.html", title=title, message=message, links=links
    ), status


@bp.errorhandler(panels.ReportIsFinal)
def report_is_final(error: panels.ReportIsFinal):
    return _message("This report is final", str(error), error.visit, 409)


@bp.errorhandler(panels.RatingSubmitted)
def rating_submitted(error: panels.RatingSubmitted):
    return _message(
        "Your ratings are submitted",
        "You have submitted your ratings for this visit, so they can no longer be changed. "
        "If something needs correcting, tell your coordinator.",
        error.visit,
        409,
    )


@bp.errorhandler(FrameworkMissing)
def framework_missing(error: FrameworkMissing):
    visit = error.visit
    return _message(
        "Framework not available",
        f"This visit is rated on {visit.framework_id}, version {visit.framework_version}, "
        "which is not loaded on this server. Ask an administrator to restore the framework file.",
        None,
        503,
    )


@bp.app_template_filter("visit_kind")
def visit_kind(value: str) -> str:
    return VISIT_KINDS.get(value, value)


@bp.app_template_filter("visit_channel")
def visit_channel(value: str) -> str:
    return VISIT_CHANNELS.get(value, value)


def _visit(visit_id: int) -> Visit:
    """The visit, if this person may see it; 404 otherwise, so its existence stays hidden."""
    visit = panels.get_by_id(Visit, visit_id)
    if visit is None or not panels.can_see_visit(current_user, visit):
        abort(404)
    return visit


def _instrument(visit: Visit):
    try:
        return panels.instrument_for(visit)
    except KeyError:
        raise FrameworkMissing(visit) from None


def _member_visit(visit_id: int):
    """A visit the signed-in peer researcher rates, with its framework and their draft."""
    visit = _visit(visit_id)
    if not panels.can_rate(current_user, visit):
        abort(404)
    if visit.is_final:
        raise panels.ReportIsFinal(visit)
    rating = panels.rating_of(visit, current_user)
    return visit, _instrument(visit), rating


# --- Lists and scheduling -----------------------------------------------------------------


@bp.get("/visits")
def visits():
    rows = db.session.scalars(panels.visits_for(current_user)).all()
    return render_template(
        "fieldwork/visits.html",
        visits=rows,
        manages=panels.manages_visits(current_user),
        progress={visit.id: panels.panel_progress(visit) for visit in rows},
    )


@bp.route("/visits/new", methods=["GET", "POST"])
def visit_new():
    frameworks = {i.key: i for i in panels.framework_instruments()}
    form = VisitForm(frameworks=frameworks)
    services = db.session.scalars(select(Service).order_by(Service.name)).all()
    form.service_id.choices = [(str(s.id), f"{s.name} ({s.provider.name})") for s in services]
    researchers = panels.peer_researchers()
    form.panel.choices = [(str(u.id), f"{u.name} ({u.email})") for u in researchers]
    if form.validate_on_submit():
        chosen = {int(value) for value in form.panel.data}
        visit = panels.schedule_visit(
            service=db.session.get(Service, int(form.service_id.data)),
            kind=form.kind.data,
            channel=form.channel.data,
            scenario=(form.scenario.data or "").strip(),
            visit_on=form.visit_on.data,
            instrument=frameworks[form.framework.data],
            members=[u for u in researchers if u.id in chosen],
            created_by=current_user,
        )
        flash("Visit scheduled. Each panel member can now rate it from their visits list.")
        return redirect(url_for("fieldwork.visit", visit_id=visit.id))
    return render_template(
        "fieldwork/visit_form.html", form=form, services=services, researchers=researchers
    ), 400 if form.errors else 200


@bp.get("/visits/<int:visit_id>")
def visit(visit_id):
    visit = _visit(visit_id)
    instrument = _instrument(visit)
    show_panel = panels.may_see_panel_ratings(current_user, visit)
    manages = panels.manages_visits(current_user)
    rates = panels.can_rate(current_user, visit)
    my_rating = panels.rating_of(visit, current_user) if rates else None
    return render_template(
        "fieldwork/visit.html",
        visit=visit,
        instrument=instrument,
        texts=instrument.fieldwork_texts(LOCALE),
        manages=manages,
        progress=panels.panel_progress(visit),
        my_rating=my_rating,
        rates=rates,
        carry_on=_first_page_to_rate(visit, instrument, my_rating) if rates else None,
        table=panels.panel_table(visit, instrument) if show_panel else None,
        problems=panels.finalise_problems(visit, instrument) if manages else [],
        replacement=db.session.get(Visit, visit.superseded_by_id)
        if visit.superseded_by_id
        else None,
    )


# --- A panel member's ratings -------------------------------------------------------------


def _first_page_to_rate(visit: Visit, instrument, rating) -> str:
    """Where "Continue rating" goes: the first page still missing an answer, else the check."""
    answered = panels.answers_of(instrument, rating)
    for number in range(1, instrument.page_count + 1):
        items = instrument.page_items(number)
        if any(item.required and item.id not in answered for item in items):
            return url_for("fieldwork.rate", visit_id=visit.id, page=number)
    return url_for("fieldwork.rate_check", visit_id=visit.id)


def _page_guide(instrument, page: int) -> dict:
    """What helps a rater on this page: "what good looks like", or the scenario step."""
    first = instrument.page_items(page)[0].id
    texts = instrument.fieldwork_texts(LOCALE)
    framework = instrument.framework
    if first in framework.characteristics:
        return {"good_looks_like": texts.characteristics[first].good_looks_like}
    shop = instrument.mystery_shop
    if shop is not None and first in shop.checklist:
        step = shop.step_of(first)
        number = [s.id for s in shop.steps].index(step.id) + 1
        return {"step": texts.steps.get(step.id, ""), "step_number": number}
    return {}


@bp.route("/visits/<int:visit_id>/rate/<int:page>", methods=["GET", "POST"])
def rate(visit_id, page):
    visit, instrument, rating = _member_visit(visit_id)
    if rating is not None and rating.submitted_at is not None:
        raise panels.RatingSubmitted(visit)
    if not 1 <= page <= instrument.page_count:
        abort(404)
    form_class = build_page_form(instrument, page, LOCALE)
    returning_to_check = request.args.get("return") == "check"
    status = 200
    if request.method == "POST":
        form = form_class()
        saving = request.form.get("action") == "save"
        valid = form.validate()
        if valid or saving:
            page_answers = answers_from_form(form)
            for name in form.errors:
                page_answers.pop(name, None)
            panels.save_rating_page(visit, current_user, instrument, form.item_ids, page_answers)
            if saving:
                flash(
                    "Your ratings are saved. Come back to them at any time before you submit."
                    + (" Some answers were not saved: check them when you return." if not valid
                       else "")
                )  # fmt: skip
                return redirect(url_for("fieldwork.visit", visit_id=visit.id))
            if returning_to_check or page == instrument.page_count:
                return redirect(url_for("fieldwork.rate_check", visit_id=visit.id))
            return redirect(url_for("fieldwork.rate", visit_id=visit.id, page=page + 1))
        status = 400
    else:
        answers = panels.answers_of(instrument, rating)
        form = form_class(data=initial_data(instrument, page, answers))
    if returning_to_check:
        back = url_for("fieldwork.rate_check", visit_id=visit.id)
    elif page > 1:
        back = url_for("fieldwork.rate", visit_id=visit.id, page=page - 1)
    else:
        back = url_for("fieldwork.visit", visit_id=visit.id)
    return render_template(
        "fieldwork/rate_page.html",
        visit=visit,
        instrument=instrument,
        form=form,
        page=page,
        back_link=back,
        guide=_page_guide(instrument, page),
    ), status


def _check_rows(visit: Visit, instrument, answers: dict) -> list[dict]:
    framework = instrument.framework
    # Every evidence note has the same prompt, so the summary names its characteristic.
    evidence = {framework.evidence_item(c): c for c in framework.characteristics}
    rows = []
    for number in range(1, instrument.page_count + 1):
        for item in instrument.page_items(number):
            answer = answers.get(item.id)
            if item.id in framework.characteristics:
                shown = panels.rating_label(instrument, item.id, answer)
            else:
                shown = instrument.answer_label(item.id, answer, LOCALE)
            if item.id in evidence:
                question = "Evidence: " + panels.characteristic_text(instrument, evidence[item.id])
            else:
                question = instrument.item_text(item.id, LOCALE)
            rows.append(
                {
                    "id": item.id,
                    "question": question,
                    "answer": shown or None,
                    "missing": item.required and item.id not in answers,
                    "change_url": url_for(
                        "fieldwork.rate", visit_id=visit.id, page=number, **{"return": "check"}
                    )
                    + "#"
                    + item.id,
                }
            )
    return rows


@bp.route("/visits/<int:visit_id>/rate/check", methods=["GET", "POST"])
def rate_check(visit_id):
    visit = _visit(visit_id)
    if not panels.can_rate(current_user, visit):
        abort(404)
    rating = panels.rating_of(visit, current_user)
    if rating is not None and rating.submitted_at is not None:
        # A second tap on "Submit", or the back button: the first submission stands.
        flash("Your ratings are submitted. Thank you.")
        return redirect(url_for("fieldwork.visit", visit_id=visit.id))
    if visit.is_final:
        raise panels.ReportIsFinal(visit)
    instrument = _instrument(visit)
    form = ActionForm()
    rows = _check_rows(visit, instrument, panels.answers_of(instrument, rating))
    missing = [row for row in rows if row["missing"]]
    if form.validate_on_submit() and not missing:
        try:
            panels.submit_rating(visit, current_user, instrument)
        except panels.ReportIsFinal:
            raise
        except panels.VisitError as error:
            flash(str(error))
            return redirect(url_for("fieldwork.rate_check", visit_id=visit.id))
        flash("Your ratings are submitted. Thank you.")
        return redirect(url_for("fieldwork.visit", visit_id=visit.id))
    posted = request.method == "POST"
    return render_template(
        "fieldwork/rate_check.html",
        visit=visit,
        instrument=instrument,
        rows=rows,
        missing=missing if posted else [],
        form=form,
    ), 400 if posted else 200


# --- Moderation, finalising, superseding --------------------------------------------------


def _managed_visit(visit_id: int):
    visit = _visit(visit_id)
    if not panels.manages_visits(current_user):
        abort(404)
    return visit, _instrument(visit)


def _moderation_page(visit, instrument, form, recommendation_form, status=200):
    return render_template(
        "fieldwork/moderate.html",
        visit=visit,
        instrument=instrument,
        form=form,
        recommendation_form=recommendation_form,
        table=panels.panel_table(visit, instrument),
        remove_form=ActionForm(),
    ), status


@bp.route("/visits/<int:visit_id>/moderate", methods=["GET", "POST"])
def moderate(visit_id):
    visit, instrument = _managed_visit(visit_id)
    if visit.is_final:
        raise panels.ReportIsFinal(visit)
    form_class = moderation_form_class(instrument)
    if request.method == "POST":
        form = form_class()
        if form.validate():
            choices = {
                c: (form[f"rating_{c}"].data or None, (form[f"note_{c}"].data or "").strip())
                for c in instrument.framework.characteristics
            }
            try:
                panels.save_moderation(
                    visit, instrument, choices, (form.summary.data or "").strip()
                )
            except panels.ReportIsFinal:
                raise
            except panels.VisitError as error:
                flash(str(error))
                return redirect(url_for("fieldwork.moderate", visit_id=visit.id))
            flash("Moderation saved.")
            return redirect(url_for("fieldwork.visit", visit_id=visit.id))
        return _moderation_page(visit, instrument, form, RecommendationForm(formdata=None), 400)
    data = {"summary": visit.summary or ""}
    for moderated in visit.moderated:
        data[f"rating_{moderated.characteristic}"] = moderated.rating
        data[f"note_{moderated.characteristic}"] = moderated.note or ""
    form = form_class(data=data)
    return _moderation_page(visit, instrument, form, RecommendationForm(formdata=None))


@bp.post("/visits/<int:visit_id>/recommendations")
def recommendation_add(visit_id):
    visit, instrument = _managed_visit(visit_id)
    if visit.is_final:
        raise panels.ReportIsFinal(visit)
    form = RecommendationForm()
    if form.validate_on_submit():
        panels.add_recommendation(visit, form.text.data.strip())
        flash("Recommendation added.")
        return redirect(url_for("fieldwork.moderate", visit_id=visit.id) + "#recommendations")
    data = {"summary": visit.summary or ""}
    for moderated in visit.moderated:
        data[f"rating_{moderated.characteristic}"] = moderated.rating
        data[f"note_{moderated.characteristic}"] = moderated.note or ""
    moderation = moderation_form_class(instrument)(formdata=None, data=data)
    return _moderation_page(visit, instrument, moderation, form, 400)


@bp.post("/visits/<int:visit_id>/recommendations/<int:recommendation_id>/remove")
def recommendation_remove(visit_id, recommendation_id):
    visit, _instrument_unused = _managed_visit(visit_id)
    recommendation = panels.get_by_id(Recommendation, recommendation_id)
    if recommendation is None or recommendation.visit_id != visit.id:
        abort(404)
    if visit.is_final:
        raise panels.ReportIsFinal(visit)
    if not ActionForm().validate_on_submit():
        abort(400)
    panels.remove_recommendation(visit, recommendation)
    flash("Recommendation removed.")
    return redirect(url_for("fieldwork.moderate", visit_id=visit.id) + "#recommendations")


@bp.route("/visits/<int:visit_id>/finalise", methods=["GET", "POST"])
def finalise(visit_id):
    visit, instrument = _managed_visit(visit_id)
    if visit.is_final:
        raise panels.ReportIsFinal(visit)
    form = ActionForm()
    problems = panels.finalise_problems(visit, instrument)
    if form.validate_on_submit() and not problems:
        try:
            panels.finalise(visit, current_user, instrument)
        except panels.ReportIsFinal:
            raise
        except panels.VisitError as error:
            flash(str(error))
            return redirect(url_for("fieldwork.finalise", visit_id=visit.id))
        audit.record("report_finalised", visit)
        flash("The report is final. The provider and commissioners can now read it.")
        return redirect(url_for("reports.report", visit_id=visit.id))
    posted = request.method == "POST"
    return render_template(
        "fieldwork/finalise.html",
        visit=visit,
        instrument=instrument,
        problems=problems,
        posted=posted,
        table=panels.panel_table(visit, instrument),
        form=form,
    ), 400 if posted else 200


@bp.route("/visits/<int:visit_id>/supersede", methods=["GET", "POST"])
def supersede(visit_id):
    visit, _instrument_unused = _managed_visit(visit_id)
    if not visit.is_final or visit.superseded_by_id is not None:
        replacement = db.session.get(Visit, visit.superseded_by_id or 0)
        return _message(
            "This report cannot be superseded",
            "Only a finalised report can be superseded; this one can still be edited."
            if not visit.is_final
            else "This report has already been superseded by a newer version.",
            replacement or visit,
            409,
        )
    form = SupersedeForm()
    if form.validate_on_submit():
        try:
            replacement = panels.supersede(visit, current_user, form.reason.data.strip())
        except panels.VisitError as error:
            flash(str(error))
            return redirect(url_for("fieldwork.visit", visit_id=visit.id))
        audit.record("report_superseded", visit, replacement_id=replacement.id)
        flash(
            "A new version of the report has been started from this one. Correct it, then "
            "finalise it. The old version stays readable, marked as superseded."
        )
        return redirect(url_for("fieldwork.visit", visit_id=replacement.id))
    return render_template(
        "fieldwork/supersede.html", visit=visit, form=form
    ), 400 if form.errors else 200
