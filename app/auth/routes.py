from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.accounts import credentials as accounts
from app.accounts.credentials import TooManyAttempts, authenticate, user_for_set_password_token
from app.auth import bp, password_reset, todo
from app.auth.forms import ForgottenPasswordForm, SetPasswordForm, SignInForm
from app.extensions import login_manager
from app.models import User
from app.models.timeutil import uk_today, utcnow


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    # Also reads the remember-me cookie, which holds the same id: both end together.
    return accounts.user_for_session(user_id)


@bp.before_app_request
def sign_out_when_idle():
    """Staff sessions end after a quiet spell, so a shared office computer does not stay in."""
    # The API signs each call in by its token and never reads or renews a session.
    if request.path.startswith("/api/"):
        return None
    # A respondent's visit has no one signed in: no need to ask Flask-Login to find out.
    if "_user_id" not in session or not current_user.is_authenticated:
        return None
    now = int(time.time())
    idle_limit = current_app.config["STAFF_IDLE_MINUTES"] * 60
    last_seen = session.get("seen", now)
    if now - last_seen > idle_limit:
        logout_user()
        session.pop("seen", None)
        flash(_("You were signed out because you were inactive. Sign in again."))
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    session["seen"] = now
    return None


def _safe_next(target: str | None, user: User | None = None) -> str:
    # Only paths on this site: never a redirect to somewhere else.
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    if user is not None and user.has_role("commissioner"):
        # A commissioner's first question is which contract needs attention.
        return url_for("contracts.overview")
    return url_for("auth.home")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, request.remote_addr or "")
        except TooManyAttempts as paused:
            return render_template("auth/too_many.html", minutes=_minutes_until(paused)), 429
        if user is not None:
            session.clear()  # a fresh session on sign-in, so nothing carries over
            login_user(user)
            session["seen"] = int(time.time())
            return redirect(_safe_next(request.args.get("next"), user))
        form.email.errors.append(_("The email address or password is not right"))
        status = 400
    return render_template("auth/sign_in.html", form=form), status


def _minutes_until(paused: TooManyAttempts) -> int:
    seconds = (paused.free_at - utcnow()).total_seconds()
    return max(1, -(-int(seconds) // 60))


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        # A new token, so a copy of this cookie (on another computer, or stolen) is dead too.
        accounts.end_sessions(current_user._get_current_object(), "sign_out")
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-in/forgotten-password", methods=["GET", "POST"])
def forgotten_password():
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.request_reset(form.email.data, request.remote_addr or "")
        except TooManyAttempts as paused:
            return render_template(
                "auth/too_many.html", minutes=_minutes_until(paused), asking_for_link=True
            ), 429
        # The same page whether or not the address has an account.
        return redirect(url_for("auth.forgotten_password_sent"))
    return render_template("auth/forgotten_password.html", form=form), 400 if form.errors else 200


@bp.get("/sign-in/forgotten-password/sent")
def forgotten_password_sent():
    return render_template("auth/forgotten_password_sent.html", days=password_reset.VALID_DAYS)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token):
    user = user_for_set_password_token(token)
    if user is None:
        return render_template("auth/link_expired.html"), 410
    form = SetPasswordForm(about_the_person=(user.name, user.email))
    if form.validate_on_submit():
        accounts.set_password(user, form.password.data)
        flash(_("Your password is set. Sign in with it now."), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/set_password.html", form=form, user=user)


@bp.get("/staff")
def home():
    """Where each person starts: what is waiting for them, then the pages for their work."""
    me = current_user._get_current_object()
    return render_template("auth/home.html", tasks=todo.tasks_for(me, uk_today()))
