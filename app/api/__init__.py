"""The read-only JSON API for business-intelligence tools (Power BI, Excel Power Query):
contracts, measures, statuses and suppressed evidence figures, with per-user tokens.

Each call is signed in by its `Authorization: Bearer <token>` header alone (`guard`),
never by a session cookie, so CSRF does not apply. Everything is read only (GET), answered
in JSON with stable field names, and audited.
"""

from flask import Blueprint

from app.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from app.api import guard, routes  # noqa: E402,F401
