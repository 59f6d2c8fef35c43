"""Staff sign-in and sign-out, set-password links, idle time-out, and a person's own API
tokens."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import routes, tokens  # noqa: E402,F401
from app.auth.navigation import staff_navigation  # noqa: E402

bp.app_context_processor(staff_navigation)
