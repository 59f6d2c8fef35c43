"""The front door: `/`, saying what the service is and where each kind of visitor goes, and
the site's icon."""

from flask import Blueprint

bp = Blueprint("home", __name__)

from app.home import routes  # noqa: E402,F401
