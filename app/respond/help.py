"""Help on every respondent page: who to contact, and asking for someone to get in touch,
which raises a safeguarding alert."""

from __future__ import annotations

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale

from app import throttle
from app.campaigns import journey
from app.extensions import db
from app.respond import bp
from app.respond.forms import ContactRequestForm
from app.respond.visit import DRAFT_BY_TOKEN, drafts
from app.safeguarding import hooks as safeguarding

# Set once this browser has sent a request, so the "we have your message" page can be
# reloaded (it is reached by a redirect, never by the POST itself) but not stumbled on.
SENT_KEY = "contact_sent"


@bp.get("/help")
@bp.get("/s/<token>/help")
def help_page(token=None):
    return render_template("respond/help.html")


def _participant_id(campaign) -> int | None:
    """The young person's code on this visit, if they have one (entered, or given when they
    sent their answers), so the lead can see who their key worker is."""
    key = drafts().get(campaign.token) if campaign is not None else None
    if not key:
        return None
    response = journey.response_for_key(key)
    if response is not None:
        return response.participant_id
    draft = db.session.scalar(DRAFT_BY_TOKEN, {"token": key, "campaign_id": campaign.id})
    return draft.participant_id if draft is not None else None


@bp.route("/contact-me", methods=["GET", "POST"])
@bp.route("/s/<token>/contact-me", methods=["GET", "POST"])
def contact_me(token=None):
    form = ContactRequestForm()
    if form.validate_on_submit():
        campaign = g.get("campaign")
        message = (form.message.data or "").strip() or None
        # Committed (with its emails to the leads in an outbox) before the thank-you page;
        # the emails go once the page has been sent, so a slow mail server never delays it.
        # Repeats from one device fold into one alert, so a flood cannot bury a real one.
        network = throttle.client_address(request.remote_addr)
        safeguarding.request_contact(
            key=safeguarding.client_key(current_app.config["SECRET_KEY"], network),
            campaign_id=campaign.id if campaign else None,
            participant_id=_participant_id(campaign),
            urgency=safeguarding.contact_urgency(message, str(get_locale())),
            contact_method=form.contact_method.data,
            contact_detail=(form.contact_detail.data or "").strip() or None,
            safe_to_message=form.safe_to_message.data,
            best_time=(form.best_time.data or "").strip() or None,
            message=message,
            language=str(get_locale()),
        )
        session[SENT_KEY] = True
        # Post/redirect/get: reloading the thank-you page never sends the request again.
        return redirect(url_for(".contact_sent", token=token))
    status = 400 if form.errors else 200
    return render_template("respond/contact_me.html", form=form), status


@bp.get("/contact-me/sent")
@bp.get("/s/<token>/contact-me/sent")
def contact_sent(token=None):
    if not session.get(SENT_KEY):
        return redirect(url_for(".contact_me", token=token))
    return render_template("respond/contact_sent.html")
