"""A person's own API tokens: the list, making one (shown once), and revoking one.

The token itself appears once, on the page that answers the form that made it, and is never
kept: not in the database (only its hash), not in the session, not in an address.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.accounts import tokens
from app.auth import bp
from app.forms import ActionForm
from app.forms.tokens import ApiTokenForm


def _me():
    return current_user._get_current_object()


def _list_page(form: ApiTokenForm, status: int = 200):
    me = _me()
    rows = [
        (token, url_for("auth.api_token_revoke", token_id=token.id))
        for token in tokens.tokens_of(me)
    ]
    return (
        render_template(
            "auth/api_tokens.html",
            owner=me,
            own=True,
            rows=rows,
            form=form,
            form_action=url_for("auth.api_token_new"),
            may_hold=tokens.may_hold_tokens(me),
        ),
        status,
    )


@bp.get("/account/api-tokens")
def api_tokens():
    return _list_page(ApiTokenForm())


@bp.post("/account/api-tokens/new")
def api_token_new():
    form = ApiTokenForm()
    me = _me()
    if form.validate_on_submit():
        try:
            token, text = tokens.make(me, form.name.data)
        except tokens.TokenRefused as refused:
            form.name.errors.append(str(refused))
        else:
            return render_template(
                "auth/api_token_created.html",
                owner=me,
                own=True,
                token=token,
                text=text,
                back=url_for("auth.api_tokens"),
            )
    return _list_page(form, 400)


@bp.route("/account/api-tokens/<int:token_id>/revoke", methods=["GET", "POST"])
def api_token_revoke(token_id):
    token = tokens.find(_me(), token_id)
    if token is None:
        abort(404)
    if token.revoked_at is not None:
        flash(f"The token ‘{token.name}’ was already revoked.")
        return redirect(url_for("auth.api_tokens"))
    form = ActionForm()
    if form.validate_on_submit():
        tokens.revoke(token)
        flash(
            f"The token ‘{token.name}’ is revoked: anything using it can no longer read figures.",
            "success",
        )
        return redirect(url_for("auth.api_tokens"))
    return render_template(
        "auth/api_token_revoke.html",
        owner=token.user,
        own=True,
        token=token,
        form=form,
        back=url_for("auth.api_tokens"),
    )
