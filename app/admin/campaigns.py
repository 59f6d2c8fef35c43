"""A campaign after it is made: the list, its set-up task list, changing its details, its
licence, consent and privacy, opening and closing, and the QR code for posters.

Changing the name, dates or languages keeps the campaign's token, so the respondent link
and the QR code already printed keep working. Every change is in the audit log.
"""

from __future__ import annotations

import io

import segno
from flask import Response as HttpResponse
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from app import audit
from app.admin import bp
from app.admin.campaign_forms import CampaignEditForm, LicenceForm, OpenForm
from app.admin.forms import ActionForm, ConsentSettingsForm
from app.campaigns.setup import (
    QR_DOWNLOADED,
    change_details,
    language_choices,
    language_names,
    language_problem,
    licence_problem,
    setup_tasks,
    short_name,
)
from app.extensions import db, instrument_registry
from app.links import public_link
from app.models import Campaign, CampaignError, Response
from app.scope import can_see_service, service_filter


@bp.get("/campaigns")
def campaigns():
    counts = dict(
        db.session.execute(
            select(Response.campaign_id, func.count(Response.id)).group_by(Response.campaign_id)
        ).all()
    )
    # Coordinators and admins see the campaigns of their bodies' services (app.scope).
    rows = db.session.scalars(
        select(Campaign)
        .join(Campaign.service)
        .where(service_filter(current_user))
        .order_by(Campaign.created_at.desc())
    ).all()
    return render_template("admin/campaigns.html", campaigns=rows, counts=counts)


def _campaign_or_404(campaign_id: int) -> Campaign:
    """A campaign of a service this person may see; any other is not found."""
    campaign = db.get_or_404(Campaign, campaign_id)
    if not can_see_service(current_user, campaign.service_id):
        abort(404)
    return campaign


def _instrument_of(campaign):
    return instrument_registry().get(campaign.instrument_id, campaign.instrument_version)


def _hub(campaign, open_form=None, errors=(), status=200):
    instrument = _instrument_of(campaign)
    responses = db.session.scalar(
        select(func.count(Response.id)).where(Response.campaign_id == campaign.id)
    )
    return render_template(
        "admin/campaign.html",
        campaign=campaign,
        instrument=instrument,
        name=short_name(instrument),
        tasks=setup_tasks(campaign, instrument),
        languages=language_names(campaign.language_list),
        link=public_link(campaign),
        responses=responses,
        open_form=open_form or OpenForm(formdata=None),
        action_form=ActionForm(),
        errors=list(errors),
    ), status


@bp.get("/campaigns/<int:campaign_id>")
def campaign(campaign_id):
    return _hub(_campaign_or_404(campaign_id))


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
def campaign_edit(campaign_id):
    """Change the name, dates and languages; the link and QR code stay the same."""
    campaign = _campaign_or_404(campaign_id)
    instrument = _instrument_of(campaign)
    form = CampaignEditForm(obj=campaign)
    if request.method == "GET":
        form.languages.data = campaign.language_list
    valid = form.validate_on_submit()
    problem = language_problem(instrument, form.languages.data or []) if valid else None
    if problem:
        form.languages.errors = [problem]
    elif valid:
        changes = change_details(
            campaign,
            name=form.name.data.strip(),
            opens_on=form.opens_on.data,
            closes_on=form.closes_on.data,
            languages=form.languages.data,
        )
        if changes:
            db.session.commit()
            audit.record("campaign_details_changed", campaign, **changes)
            flash("Changes saved. The respondent link and QR code stay the same.", "success")
        else:
            flash("Nothing was changed.")
        return redirect(url_for("admin.campaign", campaign_id=campaign.id))
    return render_template(
        "admin/campaign_edit.html",
        form=form,
        campaign=campaign,
        languages=language_choices(instrument),
    ), 400 if form.errors else 200


@bp.route("/campaigns/<int:campaign_id>/consent", methods=["GET", "POST"])
def campaign_consent(campaign_id):
    campaign = _campaign_or_404(campaign_id)
    form = ConsentSettingsForm(obj=campaign)
    if form.validate_on_submit():
        campaign.asks_age_band = form.asks_age_band.data
        if form.own_consent_age.data is not None:
            campaign.own_consent_age = form.own_consent_age.data
        # Changing the notice's words gives it a new version (Campaign._new_notice_version).
        campaign.privacy_notice = form.privacy_notice.data
        db.session.commit()
        audit.record(
            "campaign_consent_settings_saved",
            campaign,
            asks_age_band=campaign.asks_age_band,
            own_consent_age=campaign.own_consent_age,
            privacy_notice_version=campaign.privacy_notice_version,
        )
        flash(f"Saved. The privacy notice is version {campaign.privacy_notice_version}.", "success")
        return redirect(url_for("admin.campaign", campaign_id=campaign.id))
    return render_template("admin/campaign_consent_form.html", form=form, campaign=campaign)


def _record_licence(campaign, reference: str) -> None:
    campaign.licence_reference = reference.strip()
    db.session.commit()
    audit.record("campaign_licence_recorded", campaign, reference=campaign.licence_reference)


@bp.route("/campaigns/<int:campaign_id>/licence", methods=["GET", "POST"])
def campaign_licence(campaign_id):
    campaign = _campaign_or_404(campaign_id)
    instrument = _instrument_of(campaign)
    form = LicenceForm(obj=campaign)
    if form.validate_on_submit():
        _record_licence(campaign, form.licence_reference.data)
        flash("Licence reference saved.", "success")
        return redirect(url_for("admin.campaign", campaign_id=campaign.id))
    return render_template(
        "admin/campaign_licence.html",
        form=form,
        campaign=campaign,
        instrument=instrument,
        name=short_name(instrument),
    ), 400 if form.errors else 200


@bp.post("/campaigns/<int:campaign_id>/open")
def campaign_open(campaign_id):
    """Open for answers. A licensed instrument's reference may be typed in here, in the same
    form; without one, the page says so beside the licence field."""
    campaign = _campaign_or_404(campaign_id)
    form = OpenForm()
    if not form.validate_on_submit():
        return _hub(campaign, form, status=400)
    instrument = _instrument_of(campaign)
    typed = (form.licence_reference.data or "").strip()
    if typed and instrument.is_licensed and not campaign.licence_reference:
        _record_licence(campaign, typed)
    problem = licence_problem(campaign, instrument)
    if problem:
        form.licence_reference.errors = [problem]
        return _hub(campaign, form, [{"text": problem, "href": "#licence_reference"}], 400)
    try:
        campaign.open(instrument)
    except CampaignError as error:
        db.session.rollback()
        return _hub(campaign, form, [{"text": str(error), "href": "#open"}], 400)
    db.session.commit()
    audit.record("campaign_opened", campaign)
    flash("The campaign is open.", "success")
    return redirect(url_for("admin.campaign", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/close")
def campaign_close(campaign_id):
    campaign = _campaign_or_404(campaign_id)
    if ActionForm().validate_on_submit():
        campaign.close()
        db.session.commit()
        audit.record("campaign_closed", campaign)
        flash("The campaign is closed. Its answers are kept.", "success")
    return redirect(url_for("admin.campaign", campaign_id=campaign.id))


@bp.get("/campaigns/<int:campaign_id>/qr.<kind>")
def campaign_qr(campaign_id, kind):
    if kind not in ("svg", "png"):
        abort(404)
    campaign = _campaign_or_404(campaign_id)
    buffer = io.BytesIO()
    segno.make(public_link(campaign), error="m").save(buffer, kind=kind, scale=10, border=4)
    # Recorded so the set-up task list can show the posters' code as done.
    audit.record(QR_DOWNLOADED, campaign, kind=kind)
    return HttpResponse(
        buffer.getvalue(),
        mimetype="image/svg+xml" if kind == "svg" else "image/png",
        headers={"Content-Disposition": f'attachment; filename="campaign-{campaign.id}-qr.{kind}"'},
    )
