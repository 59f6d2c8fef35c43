"""Admin screens: providers, services, campaigns, instruments, users and roles, and
commissioning bodies."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.admin import api_tokens, bodies, exports, records, routes  # noqa: E402,F401
