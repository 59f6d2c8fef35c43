"""Help on every respondent page: who to contact, and asking for someone to get in touch,
which raises a safeguarding alert."""

from __future__ import annotations

from flask import current_app, g, render_template, request
from flask_babel import get_locale

from app import throttle
from app.respond import bp
from app.respond.forms import ContactRequestForm
from app.safeguarding import hooks as safeguarding


@bp.get("/help")
@bp.get("/s/<token>/help")
def help_page(token=None):
    return render_template("respond/help.html")


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
            urgency=safeguarding.contact_urgency(message, str(get_locale())),
            contact_method=form.contact_method.data,
            contact_detail=(form.contact_detail.data or "").strip() or None,
            message=message,
            language=str(get_locale()),
        )
        return render_template("respond/contact_sent.html")
    return render_template("respond/contact_me.html", form=form)
