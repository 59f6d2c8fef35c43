"""Contract pages: the commissioner's overview (`overview`), a contract's page (`pages`),
setting contracts, measures and targets up (`manage`, `local_measures`), and provider
returns (`returns`)."""

from flask import Blueprint

bp = Blueprint("contracts", __name__, url_prefix="/contracts")

from app.contracts import local_measures, manage, overview, pages, returns  # noqa: E402,F401
