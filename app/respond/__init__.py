"""The public respondent journey: start, consent, code, questions, check, submit, confirmation."""

from flask import Blueprint

bp = Blueprint("respond", __name__)

from app.respond import routes  # noqa: E402,F401
