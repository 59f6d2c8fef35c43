"""A panel member's rating pages: one page of the framework at a time, then a check page
and submit."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.forms import ActionForm, PageStep, handle_instrument_page
from app.inspections import permissions
from app.inspections.errors import RatingSubmitted, ReportIsFinal, VisitError
from app.inspections.frameworks import LOCALE, answer_text, check_question, page_guide
from app.inspections.rating import answers_of, rating_of, save_rating_page, submit_rating
from app.models import Visit
from app.visits import bp
from app.visits.pages import find_visit, framework_of


def _member_visit(visit_id: int):
    """A visit the signed-in peer researcher rates, with its framework and their draft."""
    visit = find_visit(visit_id)
    if not permissions.can_rate(current_user, visit):
        abort(404)
    if visit.is_final:
        raise ReportIsFinal(visit)
    rating = rating_of(visit, current_user)
    return visit, framework_of(visit), rating


@bp.route("/visits/<int:visit_id>/rate/<int:page>", methods=["GET", "POST"])
def rate(visit_id, page):
    visit, instrument, rating = _member_visit(visit_id)
    if rating is not None and rating.submitted_at is not None:
        raise RatingSubmitted(visit)
    if not 1 <= page <= instrument.page_count:
        abort(404)
    returning_to_check = request.args.get("return") == "check"
    outcome = handle_instrument_page(
        instrument,
        page,
        LOCALE,
        stored_answers=lambda: answers_of(instrument, rating),
        save_page=lambda item_ids, answers: save_rating_page(
            visit, current_user, instrument, item_ids, answers
        ),
        returning_to_check=returning_to_check,
    )
    if outcome.step is PageStep.SAVED:
        kept = (
            "" if outcome.complete else " Some answers were not saved: check them when you return."
        )
        flash(
            "Your ratings are saved. Come back to them at any time before you submit." + kept,
            "success",
        )
        return redirect(url_for("visits.visit", visit_id=visit.id))
    if outcome.step is PageStep.CHECK:
        return redirect(url_for("visits.rate_check", visit_id=visit.id))
    if outcome.step is PageStep.NEXT:
        return redirect(url_for("visits.rate", visit_id=visit.id, page=page + 1))
    form, status = outcome.form, 400 if outcome.refused else 200
    if returning_to_check:
        back = url_for("visits.rate_check", visit_id=visit.id)
    elif page > 1:
        back = url_for("visits.rate", visit_id=visit.id, page=page - 1)
    else:
        back = url_for("visits.visit", visit_id=visit.id)
    return render_template(
        "visits/rate_page.html",
        visit=visit,
        instrument=instrument,
        form=form,
        page=page,
        back_link=back,
        guide=page_guide(instrument, page),
    ), status


def _check_rows(visit: Visit, instrument, answers: dict) -> list[dict]:
    rows = []
    for number in range(1, instrument.page_count + 1):
        for item in instrument.page_items(number):
            shown = answer_text(instrument, item.id, answers.get(item.id))
            rows.append(
                {
                    "id": item.id,
                    "question": check_question(instrument, item.id),
                    "answer": shown or None,
                    "missing": item.required and item.id not in answers,
                    "change_url": url_for(
                        "visits.rate", visit_id=visit.id, page=number, **{"return": "check"}
                    )
                    + "#"
                    + item.id,
                }
            )
    return rows


@bp.route("/visits/<int:visit_id>/rate/check", methods=["GET", "POST"])
def rate_check(visit_id):
    visit = find_visit(visit_id)
    if not permissions.can_rate(current_user, visit):
        abort(404)
    rating = rating_of(visit, current_user)
    if rating is not None and rating.submitted_at is not None:
        # A second tap on "Submit", or the back button: the first submission stands.
        flash("Your ratings are submitted. Thank you.", "success")
        return redirect(url_for("visits.visit", visit_id=visit.id))
    if visit.is_final:
        raise ReportIsFinal(visit)
    instrument = framework_of(visit)
    form = ActionForm()
    rows = _check_rows(visit, instrument, answers_of(instrument, rating))
    missing = [row for row in rows if row["missing"]]
    if form.validate_on_submit() and not missing:
        try:
            submit_rating(visit, current_user, instrument)
        except ReportIsFinal:
            raise
        except VisitError as error:
            flash(str(error))
            return redirect(url_for("visits.rate_check", visit_id=visit.id))
        flash("Your ratings are submitted. Thank you.", "success")
        return redirect(url_for("visits.visit", visit_id=visit.id))
    posted = request.method == "POST"
    return render_template(
        "visits/rate_check.html",
        visit=visit,
        instrument=instrument,
        rows=rows,
        missing=missing if posted else [],
        form=form,
    ), 400 if posted else 200
