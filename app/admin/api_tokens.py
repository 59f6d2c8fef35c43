"""An admin's view of a person's API tokens: making one for them (shown once, to pass on
safely) and revoking any of theirs, for example when they leave or a token leaks."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.accounts import tokens
from app.admin import bp
from app.admin.bodies import may_manage_user
from app.extensions import db
from app.forms import ActionForm
from app.forms.tokens import ApiTokenForm
from app.models import User


def _owner_or_404(user_id: int) -> User:
    """An account this admin may manage (one of their bodies' people, or in no body)."""
    user = db.get_or_404(User, user_id)
    if not may_manage_user(current_user, user):
        abort(404)
    return user


def _list_page(owner: User, form: ApiTokenForm, status: int = 200):
    rows = [
        (token, url_for("admin.user_api_token_revoke", user_id=owner.id, token_id=token.id))
        for token in tokens.tokens_of(owner)
    ]
    return (
        render_template(
            "auth/api_tokens.html",
            owner=owner,
            own=False,
            rows=rows,
            form=form,
            form_action=url_for("admin.user_api_token_new", user_id=owner.id),
            may_hold=tokens.may_hold_tokens(owner) and owner.active,
            back=url_for("admin.user_edit", user_id=owner.id),
        ),
        status,
    )


@bp.get("/users/<int:user_id>/api-tokens")
def user_api_tokens(user_id):
    return _list_page(_owner_or_404(user_id), ApiTokenForm())


@bp.post("/users/<int:user_id>/api-tokens/new")
def user_api_token_new(user_id):
    owner = _owner_or_404(user_id)
    form = ApiTokenForm()
    if form.validate_on_submit():
        try:
            token, text = tokens.make(owner, form.name.data, by_admin=True)
        except tokens.TokenRefused as refused:
            form.name.errors.append(str(refused))
        else:
            return render_template(
                "auth/api_token_created.html",
                owner=owner,
                own=False,
                token=token,
                text=text,
                back=url_for("admin.user_api_tokens", user_id=owner.id),
            )
    return _list_page(owner, form, 400)


@bp.route("/users/<int:user_id>/api-tokens/<int:token_id>/revoke", methods=["GET", "POST"])
def user_api_token_revoke(user_id, token_id):
    owner = _owner_or_404(user_id)
    token = tokens.find(owner, token_id)
    if token is None:
        abort(404)
    back = url_for("admin.user_api_tokens", user_id=owner.id)
    if token.revoked_at is not None:
        flash(f"The token ‘{token.name}’ was already revoked.")
        return redirect(back)
    form = ActionForm()
    if form.validate_on_submit():
        tokens.revoke(token, by_admin=True)
        flash(f"{owner.name}’s token ‘{token.name}’ is revoked.", "success")
        return redirect(back)
    return render_template(
        "auth/api_token_revoke.html", owner=owner, own=False, token=token, form=form, back=back
    )
