"""Commissioning bodies: a council, a health partner, or a partnership commissioning jointly.

An admin manages only the bodies they belong to: their name, kind and members. A body
another admin's council runs is "not found" to them. The first body on a deployment can
be added by any admin, who becomes its member; it takes on every contract that has no
body yet, so nothing drops out of view when scoping by body turns on. After that, adding
a body (a new partnership, say) is for admins who already belong to one.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from sqlalchemy import func, select
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length

from app import audit, scope
from app.admin import bp
from app.extensions import db
from app.forms import ActionForm, strip_text
from app.models import CommissioningBody, Contract, RoleGrant, User
from app.models.contract import BODY_KINDS, contract_body

MEMBER_ROLES = scope.COMMISSIONING_ROLES


class BodyForm(FlaskForm):
    name = StringField(
        "Name of the body",
        filters=[strip_text],
        validators=[InputRequired("Enter the body's name"), Length(max=200)],
        widget=GovTextInput(),
        description="For example, Northshire County Council.",
    )
    kind = RadioField(
        "Kind of body",
        choices=[SelectChoice(k, v) for k, v in BODY_KINDS.items()],
        default="council",
        validate_choice=False,
        validators=[
            InputRequired("Choose a council, a health partner or a partnership"),
            AnyOf(list(BODY_KINDS), message="Choose a council, a health partner or a partnership"),
        ],
        widget=GovRadioInput(),
        description="A partnership is several councils or partners commissioning jointly.",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class MemberForm(FlaskForm):
    # Shares its page with the body's form, so its fields are prefixed; the page's CSRF
    # token is checked for every POST by CSRFProtect (app.extensions).
    class Meta:
        csrf = False

    user_id = SelectField(
        "Person to add",
        coerce=int,
        validate_choice=False,
        widget=GovSelect(),
        description="Commissioners, participation coordinators and admins.",
    )
    submit = SubmitField("Add to the body", widget=GovSubmitInput())


# --- Who may manage what ------------------------------------------------------------------


def my_body_ids(user) -> set[int]:
    return {body.id for body in user.bodies}


def may_add_body(user) -> bool:
    return user.has_role("admin") and (not scope.bodies_in_use() or bool(user.bodies))


def may_manage_user(admin, user: User) -> bool:
    """An admin manages accounts of their own bodies, and accounts in no body (providers,
    key workers, peer researchers, people not yet placed). Another body's people are not
    theirs to change, so they cannot take over an account that sees that body's evidence."""
    if not scope.bodies_in_use():
        return True
    return {body.id for body in user.bodies} <= my_body_ids(admin)


def _body_or_404(body_id: int) -> CommissioningBody:
    body = db.get_or_404(CommissioningBody, body_id)
    if body.id not in my_body_ids(current_user):
        abort(404)
    return body


def _name_taken(name: str, body: CommissioningBody | None) -> bool:
    return (
        db.session.scalar(
            select(CommissioningBody.id).where(
                func.lower(CommissioningBody.name) == name.lower(),
                CommissioningBody.id != (body.id if body else -1),
            )
        )
        is not None
    )


# --- Pages --------------------------------------------------------------------------------


@bp.get("/bodies")
def bodies():
    mine = list(current_user.bodies)
    contracts = dict(
        db.session.execute(
            select(contract_body.c.body_id, func.count(contract_body.c.contract_id)).group_by(
                contract_body.c.body_id
            )
        ).all()
    )
    return render_template(
        "admin/bodies.html",
        bodies=mine,
        contracts=contracts,
        in_use=scope.bodies_in_use(),
        may_add=may_add_body(current_user),
        kinds=BODY_KINDS,
    )


@bp.route("/bodies/new", methods=["GET", "POST"])
def body_new():
    if not may_add_body(current_user):
        return render_template(
            "staff/message.html",
            title="Ask an admin of your body",
            message="Only admins who belong to a commissioning body can add another. Ask an "
            "admin of your body to add you to it.",
            links=[(url_for("admin.bodies"), "Commissioning bodies")],
        ), 403
    form = BodyForm()
    if form.validate_on_submit():
        if _name_taken(form.name.data, None):
            form.name.errors.append("There is already a body with this name")
        else:
            first = not scope.bodies_in_use()
            body = CommissioningBody(name=form.name.data, kind=form.kind.data)
            body.members.append(current_user)
            db.session.add(body)
            taken_on = []
            if first:
                # Scoping by body starts now: contracts with no body stay in view.
                taken_on = db.session.scalars(select(Contract).where(~Contract.bodies.any())).all()
                for contract in taken_on:
                    contract.bodies.append(body)
            db.session.commit()
            audit.record(
                "body_created",
                body,
                name=body.name,
                kind=body.kind,
                contracts_taken_on=[c.reference for c in taken_on],
            )
            flash(
                f"Added {body.name}. You are a member; add the people who work for it.", "success"
            )
            return redirect(url_for("admin.body_edit", body_id=body.id))
    status = 400 if form.errors else 200
    return render_template("admin/body_form.html", form=form, body=None), status


def _member_form(body: CommissioningBody, posted: bool = True) -> MemberForm:
    form = MemberForm(prefix="member") if posted else MemberForm(prefix="member", formdata=None)
    have = {user.id for user in body.members}
    candidates = db.session.scalars(
        select(User)
        .where(
            User.active,
            User.id.in_(select(RoleGrant.user_id).where(RoleGrant.role.in_(MEMBER_ROLES))),
        )
        .order_by(User.name, User.email)
    ).all()
    form.user_id.choices = [SelectChoice(0, "Choose a person")] + [
        SelectChoice(user.id, f"{user.name} ({user.email})")
        for user in candidates
        if user.id not in have
    ]
    return form


def _body_page(body, form, member_form, status=200):
    return render_template(
        "admin/body_form.html",
        form=form,
        body=body,
        member_form=member_form,
        remove_form=ActionForm(),
        contracts=sorted(body.contracts, key=lambda c: c.reference),
        kinds=BODY_KINDS,
    ), status


@bp.route("/bodies/<int:body_id>", methods=["GET", "POST"])
def body_edit(body_id):
    body = _body_or_404(body_id)
    form = BodyForm(obj=body)
    if form.validate_on_submit():
        if _name_taken(form.name.data, body):
            form.name.errors.append("There is already a body with this name")
        else:
            before = {"name": body.name, "kind": body.kind}
            body.name = form.name.data
            body.kind = form.kind.data
            db.session.commit()
            audit.record("body_saved", body, name=body.name, kind=body.kind, before=before)
            flash(f"Saved {body.name}.", "success")
            return redirect(url_for("admin.body_edit", body_id=body.id))
    member_form = _member_form(body, posted=False)
    return _body_page(body, form, member_form, 400 if form.errors else 200)


@bp.post("/bodies/<int:body_id>/members")
def body_member_add(body_id):
    body = _body_or_404(body_id)
    member_form = _member_form(body)
    if member_form.validate_on_submit():
        offered = {choice.value for choice in member_form.user_id.choices if choice.value}
        if member_form.user_id.data not in offered:
            member_form.user_id.errors.append(
                "Choose a commissioner, coordinator or admin from the list"
            )
        else:
            user = db.session.get(User, member_form.user_id.data)
            body.members.append(user)
            db.session.commit()
            audit.record("body_member_added", body, member=user.email)
            flash(f"Added {user.name} to {body.name}.", "success")
            return redirect(url_for("admin.body_edit", body_id=body.id))
    form = BodyForm(obj=body, formdata=None)
    return _body_page(body, form, member_form, 400)


@bp.post("/bodies/<int:body_id>/members/<int:user_id>/remove")
def body_member_remove(body_id, user_id):
    body = _body_or_404(body_id)
    user = next((member for member in body.members if member.id == user_id), None)
    if user is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    admins = [member for member in body.members if member.has_role("admin")]
    if user.has_role("admin") and admins == [user]:
        flash(
            f"{user.name} is the only admin of {body.name}. Add another admin first, so "
            "someone can still manage the body."
        )
        return redirect(url_for("admin.body_edit", body_id=body.id))
    body.members.remove(user)
    db.session.commit()
    audit.record("body_member_removed", body, member=user.email)
    flash(f"Removed {user.name} from {body.name}.", "success")
    if user.id == current_user.id:
        return redirect(url_for("admin.bodies"))
    return redirect(url_for("admin.body_edit", body_id=body.id))
