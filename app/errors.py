"""Error pages: every failure a person can meet gets a page in plain words, never a stack trace.

Staff who are signed in get theirs in the staff layout, with the menu and "Sign out", so an
error is never a dead end; young people, parents and carers keep the respondent pages (in
their language), even when a staff member happens to be signed in on the same browser.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import force_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.access import PUBLIC_BLUEPRINTS
from app.security import UnstorableCharacter

# What a signed-in staff member reads, by status code: title and what to do next.
STAFF_ERRORS = {
    403: (
        "You cannot see this page",
        "Your roles do not include this page. If you need it for your work, ask an admin to "
        "change your roles.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you followed a link, what it "
        "pointed to may have been removed, or be something your roles do not let you see.",
    ),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. What you saved before is safe.",
    ),
}
STAFF_ERRORS[405] = STAFF_ERRORS[404]
# The respondents' pages and the public front door keep the respondent layout.
RESPONDENT_ENDPOINTS = {"home.index"}


def _for_staff() -> bool:
    if request.blueprint in PUBLIC_BLUEPRINTS or request.endpoint in RESPONDENT_ENDPOINTS:
        return False
    try:
        return bool(current_user.is_authenticated)
    except Exception:  # the database itself may be what failed: fall back to the plain page
        return False


def _staff_page(code: int):
    title, advice = STAFF_ERRORS.get(code, STAFF_ERRORS[500])
    with force_locale("en"):  # staff pages are in English
        return render_template("errors/staff.html", title=title, advice=advice, code=code), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/session_expired.html"), 400

    @app.errorhandler(UnstorableCharacter)
    def bad_character(error):
        return render_template("errors/bad_character.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if (code in STAFF_ERRORS or code >= 500) and _for_staff():
            return _staff_page(code)
        template = {
            404: "errors/not_found.html",
            405: "errors/not_found.html",
            410: "errors/gone.html",
            413: "errors/too_large.html",
            429: "errors/too_many.html",
        }.get(code, "errors/problem.html")
        return render_template(template, error=error), code

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("Unhandled error", exc_info=error)
        if _for_staff():
            try:
                return _staff_page(500)
            except Exception:  # the staff layout itself failed: the plain page still shows
                app.logger.exception("The staff error page failed too")
        return render_template("errors/problem.html"), 500
