"""Admin screens: providers, services, campaigns, instruments, users and roles, and
commissioning bodies."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.admin import (  # noqa: E402,F401
    api_tokens,
    bodies,
    campaign_new,
    campaigns,
    exports,
    records,
    routes,
)
