"""The public respondent journey: start, consent, code, questions, check, submit, confirmation."""

from flask import Blueprint

bp = Blueprint("respond", __name__)

from app.respond import consent, finish, help, my_answers, questions, visit  # noqa: E402,F401
