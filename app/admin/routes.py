"""Thin views over the organisation, campaign and user models."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from app import audit
from app.accounts.credentials import end_sessions, set_password_link
from app.admin import bp
from app.admin.bodies import MEMBER_ROLES, may_manage_user
from app.admin.forms import (
    ActionForm,
    ProviderForm,
    ServiceForm,
    UserForm,
    options,
)
from app.extensions import db
from app.models import Contract, Provider, Service, User
from app.scope import can_see_service, contract_filter, service_filter


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
            flash(f"Saved {provider.name}.", "success")
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
            flash(f"Saved {service.name}.", "success")
            return redirect(url_for("admin.services"))
    return render_template("admin/service_form.html", form=form, service=service)


@bp.get("/instruments")
def instruments():
    """The instruments list moved to the instrument library, with everything kept there."""
    return redirect(url_for("coproduce.index"))


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
            flash(f"Saved {user.name}.", "success")
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
    flash(f"{user.name} is signed out everywhere.", "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))
