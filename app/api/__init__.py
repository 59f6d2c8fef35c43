"""The read-only JSON API for business-intelligence tools (Power BI, Excel Power Query):
contracts, measures, statuses and suppressed evidence figures, with per-user tokens."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from app.api import routes  # noqa: E402,F401
