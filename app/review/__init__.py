"""Commissioners' and providers' evidence pages: per service and provider, per period."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/evidence")

from app.review import routes, written  # noqa: E402,F401
