"""See, download or delete your own answers, with the code you keep.

The code is typed once, never put in a URL (URLs end up in browser history and server
logs), and never kept: the session holds only which participant this is, which a reader of
the cookie cannot turn back into the code. A "finish" button, and ten minutes without use,
close the answers, so the next person on a shared phone sees nothing.
"""

from __future__ import annotations

import json
import time

from flask import Response as HttpResponse
from flask import redirect, render_template, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app import audit, privacy
from app.dates import format_day
from app.extensions import db
from app.models import Participant
from app.models.codes import display_code
from app.respond import bp, progress
from app.respond.codes import count_hit, refuse_if_guessing
from app.respond.forms import DeleteMyAnswersForm, FinishMyAnswersForm, MyAnswersCodeForm

SESSION_KEY = "my_answers"
# Set when this browser deleted its answers, so the confirmation can be shown again.
DELETED_KEY = "my_answers_deleted"
IDLE_LIMIT = 10 * 60  # seconds; the pages say "10 minutes"
# One budget of wrong guesses per address, shared with the code page of the journey.
THROTTLE_KIND = "participant_code"


def _participant() -> Participant | None:
    """The participant whose answers are open in this session, if used in the last ten
    minutes; each use starts the ten minutes again."""
    opened = session.get(SESSION_KEY)
    now = int(time.time())
    participant = None
    if isinstance(opened, dict) and 0 <= now - int(opened.get("seen", 0)) <= IDLE_LIMIT:
        participant = db.session.get(Participant, opened.get("participant"))
    if participant is None:
        session.pop(SESSION_KEY, None)
    else:
        session[SESSION_KEY] = {"participant": participant.id, "seen": now}
    return participant


@bp.route("/my-answers", methods=["GET", "POST"])
def my_answers():
    form = MyAnswersCodeForm()
    if form.validate_on_submit():
        refuse_if_guessing(THROTTLE_KIND)
        participant = privacy.find_participant(form.code.data)
        if participant is None:
            form.code.errors.append(_("We could not find that code. Check it and try again"))
        else:
            count_hit(THROTTLE_KIND)
            session[SESSION_KEY] = {"participant": participant.id, "seen": int(time.time())}
            return redirect(url_for(".my_answers_list"))
    status = 400 if form.errors else 200
    return render_template(
        "respond/my_answers_code.html", form=form, error_title=bool(form.errors)
    ), status


@bp.get("/my-answers/answers")
def my_answers_list():
    participant = _participant()
    if participant is None:
        return redirect(url_for(".my_answers"))
    locale = str(get_locale())
    responses = privacy.answers_summary(participant, locale)
    for response in responses:
        response["sent_on"] = format_day(response["submitted_at"], "long", get_locale().language)
    scales = progress.scores_over_time(
        privacy.responses_of(participant), privacy.instrument_of, locale
    )
    return render_template(
        "respond/my_answers.html",
        responses=responses,
        scales=scales,
        share_of_range=progress.share_of_range,
        finish_form=FinishMyAnswersForm(),
        worker_code=display_code(participant.worker_code),
    )


@bp.post("/my-answers/finish")
def my_answers_finish():
    """Close the answers on this phone (a POST, so a link cannot do it for someone)."""
    form = FinishMyAnswersForm()
    if form.validate_on_submit():
        session.pop(SESSION_KEY, None)
        return redirect(url_for(".my_answers_finished"))
    return redirect(url_for(".my_answers_list"))


@bp.get("/my-answers/finished")
def my_answers_finished():
    return render_template("respond/my_answers_finished.html")


@bp.get("/my-answers/download")
def my_answers_download():
    participant = _participant()
    if participant is None:
        return redirect(url_for(".my_answers"))
    export = privacy.own_answers_export(participant, str(get_locale()))
    return HttpResponse(
        json.dumps(export, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={
            "Content-Disposition": "attachment; filename=my-answers.json",
            "Cache-Control": "no-store",
        },
    )


@bp.route("/my-answers/delete", methods=["GET", "POST"])
def my_answers_delete():
    participant = _participant()
    if participant is None:
        return redirect(url_for(".my_answers"))
    form = DeleteMyAnswersForm()
    if form.validate_on_submit():
        counts = privacy.delete_participant(participant)
        session.pop(SESSION_KEY, None)
        # No code in the record: after this, nothing should tie the log to the person.
        audit.record("participant_deleted_own_data", actor="participant (self-service)", **counts)
        # Post/redirect/get: the confirmation can be reloaded without sending the form again.
        session[DELETED_KEY] = True
        return redirect(url_for(".my_answers_deleted"))
    return render_template("respond/my_answers_delete.html", form=form)


@bp.get("/my-answers/deleted")
def my_answers_deleted():
    if not session.get(DELETED_KEY):
        return redirect(url_for(".my_answers"))
    return render_template("respond/my_answers_deleted.html")
