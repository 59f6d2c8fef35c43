"""Young inspectors' visit and mystery-shop pages: scheduling, a panel member's rating pages,
moderation, recommendations, finalising and superseding. The work is done in
`app.inspections`; these views read the request and render the result."""

from flask import Blueprint

bp = Blueprint("visits", __name__, url_prefix="/fieldwork")

from app.visits import moderation, pages, rating, routes  # noqa: E402,F401
