"""Thin views: the leads' queue and alert pages, and the form any staff member uses to
raise a concern by hand. The work is in app.safeguarding.alerts."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import audit
from app.concerns import bp
from app.concerns.forms import AcknowledgeForm, ActionForm, CloseForm, OutcomeForm, RaiseForm
from app.extensions import db, instrument_registry
from app.models import SafeguardingAlert
from app.models.codes import display_code
from app.models.timeutil import utcnow
from app.safeguarding import alerts, details, detect, notify


def _alert(alert_id: int) -> SafeguardingAlert:
    alert = db.session.get(SafeguardingAlert, alert_id)
    if alert is None:
        abort(404)
    return alert


@bp.get("/")
def queue():
    now = utcnow()
    open_alerts = alerts.open_queue()
    return render_template(
        "safeguarding/queue.html",
        alerts=open_alerts,
        overdue={a.id for a in open_alerts if alerts.is_overdue(a, now)},
        closed=alerts.recently_closed(),
        unsent=notify.outbox_problems(),
        ack_minutes=current_app.config["SAFEGUARDING_ACK_MINUTES"],
    )


def _flagged_answers(alert: SafeguardingAlert) -> list[dict]:
    """The answers that raised the alert, as question and answer text, for the lead."""
    response = alert.response
    if response is None or alert.source not in ("answer", "free_text"):
        return []
    try:
        instrument = instrument_registry().get(response.instrument_id, response.instrument_version)
    except KeyError:
        return []
    answers = response.answers or {}
    if alert.source == "answer":
        item_ids = detect.concern_items(instrument, answers)
    else:
        item_ids = detect.free_text_items(instrument, answers, response.language)
    return [
        {
            "key": {"text": instrument.item_text(item_id, response.language)},
            "value": {
                "text": instrument.answer_label(item_id, answers[item_id], response.language)
            },
        }
        for item_id in item_ids
    ]


def _refusal(problems, alert) -> dict:
    """An error summary for refusals, each linked to the field on the alert page that fixes
    it (or to the outcome on the close page)."""
    page = url_for("safeguarding.alert", alert_id=alert.id)
    close_page = url_for("safeguarding.close", alert_id=alert.id)
    return {
        "titleText": "There is a problem",
        "errorList": [
            {
                "text": message,
                "href": (close_page if field == "outcome" else page) + f"#{field}",
            }
            for field, message in problems
        ],
    }


def _alert_page(alert, action_form=None, problems=(), status=200):
    place = details.origin(alert)
    return render_template(
        "safeguarding/alert.html",
        alert=alert,
        overdue=alerts.is_overdue(alert),
        acknowledge_by=alerts.acknowledge_by(alert),
        code=display_code(alert.participant.code) if alert.participant else None,
        flagged=_flagged_answers(alert),
        place=place,
        key_worker=details.key_worker(alert, place.service),
        service_contact=details.service_contact(place.service),
        acknowledge_form=AcknowledgeForm(),
        action_form=action_form or ActionForm(formdata=None),
        refusal=_refusal(problems, alert) if problems else None,
    ), status


@bp.context_processor
def _times():
    return {"uk_time": details.uk_time, "language_name": details.language_name}


@bp.get("/alerts/<int:alert_id>")
def alert(alert_id):
    return _alert_page(_alert(alert_id))


@bp.post("/alerts/<int:alert_id>/acknowledge")
def acknowledge(alert_id):
    alert = _alert(alert_id)
    if AcknowledgeForm().validate_on_submit() and alert.status == "new":
        alerts.acknowledge(alert, current_user)
        audit.record("safeguarding_alert_acknowledged", alert)
        flash(f"Alert {alert.id} acknowledged by you. Record what was done next.", "success")
    return redirect(url_for("safeguarding.alert", alert_id=alert.id))


@bp.post("/alerts/<int:alert_id>/actions")
def action_add(alert_id):
    """The alert page's one form: record what was done; or close, which first records what
    was written, so nothing typed is lost, then asks for the outcome."""
    alert = _alert(alert_id)
    if alert.status == "closed":
        return redirect(url_for("safeguarding.alert", alert_id=alert.id))
    form = ActionForm()
    if not form.validate_on_submit():
        return _alert_page(alert, action_form=form, status=400)
    text = (form.text.data or "").strip()
    try:
        if text:
            alerts.record_action(alert, current_user, text)
            audit.record("safeguarding_action_recorded", alert)
            flash("Action recorded.", "success")
        if form.close_alert.data:
            problems = alerts.close_problems(alert, need_outcome=False)
            if problems:
                raise alerts.AlertNotReady(problems)
            return redirect(url_for("safeguarding.close", alert_id=alert.id))
    except alerts.AlertNotReady as refused:
        return _alert_page(alert, action_form=form, problems=refused.problems, status=409)
    return redirect(url_for("safeguarding.alert", alert_id=alert.id) + "#actions")


@bp.route("/alerts/<int:alert_id>/close", methods=["GET", "POST"])
def close(alert_id):
    """The outcome, kept on the alert as a draft until the check page closes it."""
    alert = _alert(alert_id)
    if alert.status == "closed":
        return redirect(url_for("safeguarding.alert", alert_id=alert.id))
    problems = alerts.close_problems(alert, need_outcome=False)
    if problems:
        return _alert_page(alert, problems=problems, status=409)
    form = OutcomeForm(data={"outcome": alert.outcome or ""})
    if form.validate_on_submit():
        alerts.propose_outcome(alert, form.outcome.data)
        return redirect(url_for("safeguarding.close_check", alert_id=alert.id))
    return render_template(
        "safeguarding/close.html", alert=alert, form=form
    ), 400 if form.errors else 200


@bp.route("/alerts/<int:alert_id>/close/check", methods=["GET", "POST"])
def close_check(alert_id):
    """Check what was done and the outcome, then close."""
    alert = _alert(alert_id)
    if alert.status == "closed":
        return redirect(url_for("safeguarding.alert", alert_id=alert.id))
    form = CloseForm()
    problems = []
    if form.validate_on_submit():
        try:
            alerts.close(alert, current_user)
        except alerts.AlertNotReady as refused:
            problems = refused.problems
        else:
            audit.record("safeguarding_alert_closed", alert)
            flash(f"Alert {alert.id} closed.", "success")
            return redirect(url_for("safeguarding.queue"))
    elif request.method == "GET" and not (alert.outcome or "").strip():
        return redirect(url_for("safeguarding.close", alert_id=alert.id))
    return render_template(
        "safeguarding/close_check.html",
        alert=alert,
        form=form,
        refusal=_refusal(problems, alert) if problems else None,
    ), 409 if problems else 200


@bp.route("/raise", methods=["GET", "POST"])
def raise_alert():
    form = RaiseForm()
    if form.validate_on_submit():
        alert = alerts.raise_alert(
            source="staff",
            urgency=form.urgency.data,
            message=form.message.data.strip(),
            raised_by_id=current_user.id,
        )
        flash(
            f"Alert {alert.id} sent to the safeguarding leads. "
            "If someone is in danger now, call 999."
        )
        if current_user.has_role("safeguarding_lead", "admin"):
            return redirect(url_for("safeguarding.alert", alert_id=alert.id))
        return redirect(url_for("auth.home"))
    return render_template("safeguarding/raise.html", form=form), 400 if form.errors else 200
