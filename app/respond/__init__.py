"""The public respondent journey: start, consent, code, questions, check, submit, confirmation."""

from flask import Blueprint

bp = Blueprint("respond", __name__)

from app.respond import my_answers, routes  # noqa: E402,F401
