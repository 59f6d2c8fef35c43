"""Thin views over the organisation, campaign and user models."""

from __future__ import annotations

import io

import segno
from flask import Response as HttpResponse
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from app import audit
from app.accounts.credentials import end_sessions, set_password_link
from app.admin import bp
from app.admin.bodies import MEMBER_ROLES, may_manage_user
from app.admin.forms import (
    ActionForm,
    CampaignForm,
    ConsentSettingsForm,
    LicenceForm,
    ProviderForm,
    ServiceForm,
    UserForm,
    options,
)
from app.extensions import db, instrument_registry
from app.links import public_link
from app.models import Campaign, CampaignError, Contract, Provider, Response, Service, User
from app.scope import can_see_service, contract_filter, service_filter


def _registry():
    return instrument_registry()


def _saved(obj, field, clash_message: str) -> bool:
    """Commit `obj`; when a unique value clashes, roll back and say so on `field`."""
    db.session.add(obj)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        field.errors.append(clash_message)
        return False
    return True


@bp.get("/")
def index():
    # The admin pages in one list, so the staff menu needs only one item for them all.
    return render_template("admin/index.html")


# --- Providers ----------------------------------------------------------------------------


@bp.get("/providers")
def providers():
    rows = db.session.scalars(select(Provider).order_by(Provider.name)).all()
    return render_template("admin/providers.html", providers=rows)


@bp.route("/providers/new", methods=["GET", "POST"])
@bp.route("/providers/<int:provider_id>", methods=["GET", "POST"], endpoint="provider_edit")
def provider_new(provider_id=None):
    provider = db.get_or_404(Provider, provider_id) if provider_id else None
    form = ProviderForm(obj=provider)
    if form.validate_on_submit():
        provider = provider or Provider()
        form.populate_obj(provider)
        if _saved(provider, form.name, "There is already a provider with this name"):
            flash(f"Saved {provider.name}.")
            return redirect(url_for("admin.providers"))
    return render_template("admin/provider_form.html", form=form, provider=provider)


# --- Services -----------------------------------------------------------------------------


def _provider_choices():
    return options(
        (p.id, p.name) for p in db.session.scalars(select(Provider).order_by(Provider.name))
    )


@bp.get("/services")
def services():
    # An admin sees their bodies' services and those under no contract yet (app.scope).
    rows = db.session.scalars(
        select(Service)
        .join(Service.provider)
        .where(service_filter(current_user))
        .order_by(Provider.name, Service.name)
    ).all()
    return render_template("admin/services.html", services=rows)


def _service_or_404(service_id: int) -> Service:
    service = db.get_or_404(Service, service_id)
    if not can_see_service(current_user, service.id):
        abort(404)
    return service


@bp.route("/services/new", methods=["GET", "POST"])
@bp.route("/services/<int:service_id>", methods=["GET", "POST"], endpoint="service_edit")
def service_new(service_id=None):
    service = _service_or_404(service_id) if service_id else None
    form = ServiceForm(obj=service)
    form.provider_id.choices = _provider_choices()
    if not form.provider_id.choices:
        flash("Add a provider first: every service belongs to one.")
        return redirect(url_for("admin.provider_new"))
    contracts = db.session.scalars(
        select(Contract).where(contract_filter(current_user)).order_by(Contract.reference)
    ).all()
    form.contract_id.choices = [SelectChoice(0, "Not under a contract yet")] + [
        SelectChoice(c.id, f"{c.reference}: {c.title} ({c.provider.name})") for c in contracts
    ]
    if request.method == "GET" and service is not None:
        form.contract_id.data = service.contract_id or 0
    providers_of = {c.id: c.provider_id for c in contracts}
    if (
        form.is_submitted()
        and form.contract_id.data
        and (providers_of.get(form.contract_id.data) not in (None, form.provider_id.data))
    ):
        form.contract_id.errors = ["Choose a contract with this service's provider"]
    elif form.validate_on_submit():
        service = service or Service()
        form.populate_obj(service)
        service.contract_id = form.contract_id.data or None
        if _saved(service, form.name, "This provider already has a service with this name"):
            flash(f"Saved {service.name}.")
            return redirect(url_for("admin.services"))
    return render_template("admin/service_form.html", form=form, service=service)


# --- Campaigns ----------------------------------------------------------------------------


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


@bp.route("/campaigns/new", methods=["GET", "POST"])
def campaign_new():
    form = CampaignForm()
    form.service_id.choices = options(
        (s.id, f"{s.name} ({s.provider.name})")
        for s in db.session.scalars(
            select(Service).where(service_filter(current_user)).order_by(Service.name)
        )
    )
    if not form.service_id.choices:
        if not current_user.has_role("admin"):
            flash(
                "None of your commissioning bodies' contracts covers a service yet: ask an "
                "admin to add one, then you can run a campaign for it."
            )
            return redirect(url_for("admin.campaigns"))
        flash("Add a service first: every campaign belongs to one.")
        return redirect(url_for("admin.service_new"))
    form.instrument.choices = options(
        (i.key, f"{i.title('en')} (version {i.version})")
        for i in _registry().latest()
        if i.type in ("scale", "questionnaire")
    )
    if request.method == "GET":
        form.own_consent_age.data = current_app.config["OWN_CONSENT_AGE"]
    if form.validate_on_submit():
        instrument_id, _, version = form.instrument.data.partition("@")
        campaign = Campaign(
            name=form.name.data,
            service_id=form.service_id.data,
            instrument_id=instrument_id,
            instrument_version=int(version),
            opens_on=form.opens_on.data,
            closes_on=form.closes_on.data,
            languages=",".join(form.languages.data),
            links_over_time=form.links_over_time.data,
            licence_reference=(form.licence_reference.data or "").strip() or None,
            asks_age_band=form.asks_age_band.data,
            own_consent_age=form.own_consent_age.data or current_app.config["OWN_CONSENT_AGE"],
            privacy_notice=form.privacy_notice.data,
        )
        db.session.add(campaign)
        db.session.commit()
        audit.record("campaign_created", campaign, name=campaign.name)
        flash("Campaign created. Check it, then open it when you are ready.")
        return redirect(url_for("admin.campaign", campaign_id=campaign.id))
    return render_template("admin/campaign_form.html", form=form)


def _campaign_or_404(campaign_id: int) -> Campaign:
    """A campaign of a service this person may see; any other is not found."""
    campaign = db.get_or_404(Campaign, campaign_id)
    if not can_see_service(current_user, campaign.service_id):
        abort(404)
    return campaign


def _instrument_of(campaign):
    return _registry().get(campaign.instrument_id, campaign.instrument_version)


@bp.get("/campaigns/<int:campaign_id>")
def campaign(campaign_id):
    campaign = _campaign_or_404(campaign_id)
    responses = db.session.scalar(
        select(func.count(Response.id)).where(Response.campaign_id == campaign.id)
    )
    return render_template(
        "admin/campaign.html",
        campaign=campaign,
        instrument=_instrument_of(campaign),
        link=public_link(campaign),
        responses=responses,
        licence_form=LicenceForm(obj=campaign),
        action_form=ActionForm(),
    )


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
        flash(f"Saved. The privacy notice is version {campaign.privacy_notice_version}.")
        return redirect(url_for("admin.campaign", campaign_id=campaign.id))
    return render_template("admin/campaign_consent_form.html", form=form, campaign=campaign)


@bp.post("/campaigns/<int:campaign_id>/licence")
def campaign_licence(campaign_id):
    campaign = _campaign_or_404(campaign_id)
    form = LicenceForm()
    if form.validate_on_submit():
        campaign.licence_reference = form.licence_reference.data.strip()
        db.session.commit()
        audit.record("campaign_licence_recorded", campaign, reference=campaign.licence_reference)
        flash("Licence reference recorded.")
        return redirect(url_for("admin.campaign", campaign_id=campaign.id))
    return render_template(
        "admin/campaign.html",
        campaign=campaign,
        instrument=_instrument_of(campaign),
        link=public_link(campaign),
        responses=0,
        licence_form=form,
        action_form=ActionForm(),
        error_title=True,
    ), 400


@bp.post("/campaigns/<int:campaign_id>/open")
def campaign_open(campaign_id):
    campaign = _campaign_or_404(campaign_id)
    if ActionForm().validate_on_submit():
        try:
            campaign.open(_instrument_of(campaign))
        except CampaignError as error:
            flash(str(error))
        else:
            db.session.commit()
            audit.record("campaign_opened", campaign)
            flash("The campaign is open.")
    return redirect(url_for("admin.campaign", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/close")
def campaign_close(campaign_id):
    campaign = _campaign_or_404(campaign_id)
    if ActionForm().validate_on_submit():
        campaign.close()
        db.session.commit()
        audit.record("campaign_closed", campaign)
        flash("The campaign is closed. Its answers are kept.")
    return redirect(url_for("admin.campaign", campaign_id=campaign.id))


@bp.get("/campaigns/<int:campaign_id>/qr.<kind>")
def campaign_qr(campaign_id, kind):
    if kind not in ("svg", "png"):
        abort(404)
    campaign = _campaign_or_404(campaign_id)
    buffer = io.BytesIO()
    segno.make(public_link(campaign), error="m").save(buffer, kind=kind, scale=10, border=4)
    return HttpResponse(
        buffer.getvalue(),
        mimetype="image/svg+xml" if kind == "svg" else "image/png",
        headers={"Content-Disposition": f'attachment; filename="campaign-{campaign.id}-qr.{kind}"'},
    )


@bp.get("/instruments")
def instruments():
    return render_template("admin/instruments.html", instruments=_registry().all())


# --- Users --------------------------------------------------------------------------------


@bp.get("/users")
def users():
    rows = db.session.scalars(select(User).order_by(User.name)).all()
    rows = [user for user in rows if may_manage_user(current_user, user)]
    return render_template("admin/users.html", users=rows)


def _user_or_404(user_id: int) -> User:
    """An account this admin may change: one of their bodies' people, or in no body."""
    user = db.get_or_404(User, user_id)
    if not may_manage_user(current_user, user):
        abort(404)
    return user


def _chosen_bodies(form: UserForm, user: User | None) -> list | None:
    """The account's bodies after the form: the ones this admin chose, and any others it
    is in that this admin does not manage. None, with an error on the field, if refused."""
    mine = {body.id: body for body in current_user.bodies}
    chosen = set(form.bodies.data or [])
    if chosen - set(mine):
        form.bodies.errors.append("Choose only commissioning bodies you belong to")
        return None
    kept = [body for body in (user.bodies if user else []) if body.id not in mine]
    result = kept + [mine[body_id] for body_id in sorted(chosen)]
    roles = set(form.roles.data or [])
    if chosen and not roles & set(MEMBER_ROLES):
        form.bodies.errors.append(
            "Only commissioners, coordinators and admins belong to a commissioning body"
        )
        return None
    if mine and roles & {"commissioner", "coordinator"} and not result:
        form.bodies.errors.append("Choose the commissioning body this person works for")
        return None
    return result


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>", methods=["GET", "POST"], endpoint="user_edit")
def user_new(user_id=None):
    user = _user_or_404(user_id) if user_id else None
    form = UserForm(obj=user)
    mine = list(current_user.bodies)
    form.bodies.choices = [SelectChoice(body.id, body.name) for body in mine]
    if request.method == "GET" and user is not None:
        form.roles.data = sorted(user.roles)
        form.provider_id.data = user.provider_id or 0
        form.bodies.data = [body.id for body in user.bodies if body in mine]
    elif request.method == "GET" and len(mine) == 1:
        form.bodies.data = [mine[0].id]
    form.provider_id.choices = [SelectChoice(0, "Not a provider account"), *_provider_choices()]
    valid = form.validate_on_submit()
    bodies = _chosen_bodies(form, user) if form.is_submitted() else None
    if valid and bodies is not None:
        creating = user is None
        user = user or User()
        before = sorted(body.name for body in user.bodies)
        user.name = form.name.data.strip()
        user.email = form.email.data.strip().lower()
        user.active = form.active.data
        user.provider_id = form.provider_id.data or None
        user.set_roles(form.roles.data)
        user.bodies = bodies
        if _saved(user, form.email, "There is already an account with this email address"):
            after = sorted(body.name for body in user.bodies)
            if after != before:
                audit.record("user_bodies_changed", user, bodies=after, before=before)
            if creating:
                return render_template(
                    "admin/password_link.html", user=user, link=set_password_link(user)
                )
            flash(f"Saved {user.name}.")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.post("/users/<int:user_id>/password-link")
def user_password_link(user_id):
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return render_template("admin/password_link.html", user=user, link=set_password_link(user))


@bp.post("/users/<int:user_id>/sign-out-everywhere")
def user_sign_out_everywhere(user_id):
    """End every session of this account: a lost phone, a shared computer, a leaver."""
    user = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    end_sessions(user, "signed_out_everywhere")
    flash(f"{user.name} is signed out everywhere.")
    return redirect(url_for("admin.user_edit", user_id=user.id))
