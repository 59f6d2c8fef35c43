"""Thin views: the leads' queue and alert pages, and the form any staff member uses to
raise a concern by hand. The work is in app.safeguarding.alerts."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from app import audit
from app.concerns import bp
from app.concerns.forms import AcknowledgeForm, ActionForm, CloseForm, RaiseForm
from app.extensions import db, instrument_registry
from app.models import SafeguardingAlert
from app.models.codes import display_code
from app.models.timeutil import utcnow
from app.safeguarding import alerts, detect, notify


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


def _alert_page(alert, action_form=None, close_form=None, status=200):
    return render_template(
        "safeguarding/alert.html",
        alert=alert,
        overdue=alerts.is_overdue(alert),
        acknowledge_by=alerts.acknowledge_by(alert),
        code=display_code(alert.participant.code) if alert.participant else None,
        flagged=_flagged_answers(alert),
        acknowledge_form=AcknowledgeForm(),
        action_form=action_form or ActionForm(),
        close_form=close_form or CloseForm(),
    ), status


@bp.get("/alerts/<int:alert_id>")
def alert(alert_id):
    return _alert_page(_alert(alert_id))


@bp.post("/alerts/<int:alert_id>/acknowledge")
def acknowledge(alert_id):
    alert = _alert(alert_id)
    if AcknowledgeForm().validate_on_submit():
        alerts.acknowledge(alert, current_user)
        audit.record("safeguarding_alert_acknowledged", alert)
        flash(f"Alert {alert.id} acknowledged by you.")
    return redirect(url_for("safeguarding.alert", alert_id=alert.id))


@bp.post("/alerts/<int:alert_id>/actions")
def action_add(alert_id):
    alert = _alert(alert_id)
    if alert.status == "closed":
        abort(409)
    form = ActionForm()
    if not form.validate_on_submit():
        return _alert_page(alert, action_form=form, status=400)
    alerts.record_action(alert, current_user, form.text.data)
    audit.record("safeguarding_action_recorded", alert)
    flash("Action recorded.")
    return redirect(url_for("safeguarding.alert", alert_id=alert.id))


@bp.post("/alerts/<int:alert_id>/close")
def close(alert_id):
    alert = _alert(alert_id)
    if alert.status == "closed":
        return redirect(url_for("safeguarding.alert", alert_id=alert.id))
    form = CloseForm()
    if not form.validate_on_submit():
        return _alert_page(alert, close_form=form, status=400)
    alerts.close(alert, current_user, form.outcome.data)
    audit.record("safeguarding_alert_closed", alert)
    flash(f"Alert {alert.id} closed.")
    return redirect(url_for("safeguarding.queue"))


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
