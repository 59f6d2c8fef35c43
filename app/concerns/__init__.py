"""Pages of safeguarding concerns: the leads' queue, an alert and what was done about it, and
raising a concern by hand. The work itself is the `app.safeguarding` capability's."""

from flask import Blueprint

bp = Blueprint("safeguarding", __name__, url_prefix="/safeguarding")

from app.concerns import routes  # noqa: E402,F401
