"""Error pages: every failure a person can meet gets a page in plain words, never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.security import UnstorableCharacter


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
        return render_template("errors/problem.html"), 500
