"""Fieldwork: key workers' outcomes-wheel readings, and young inspectors' visits and
mystery shops rated in panels and moderated by a coordinator."""

from flask import Blueprint

bp = Blueprint("fieldwork", __name__, url_prefix="/fieldwork")

from app.fieldwork import readings, visits  # noqa: E402,F401
