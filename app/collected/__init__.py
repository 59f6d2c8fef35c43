"""Questionnaires young people filled in on paper or face to face, entered by the peer
researcher who collected them. The answers go through the same checks as a respondent's own
journey and are stored with the mode "collected by a peer researcher"."""

from flask import Blueprint

bp = Blueprint("collected", __name__, url_prefix="/fieldwork/collected")

from app.collected import routes  # noqa: E402,F401
