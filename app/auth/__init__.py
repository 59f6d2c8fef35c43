"""Staff sign-in and sign-out, set-password links and idle time-out."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import routes  # noqa: E402,F401
