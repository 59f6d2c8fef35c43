"""Safeguarding: alerts from respondents, answers and staff, a queue for the safeguarding
leads, and emails to them that survive a mail server being down."""

from flask import Blueprint

bp = Blueprint("safeguarding", __name__, url_prefix="/safeguarding")

from app.safeguarding import routes  # noqa: E402,F401
