"""Routes for operators and load balancers."""

from flask import Blueprint

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    # Deliberately touches nothing: a load balancer asks this many times a minute.
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
