"""Contract pages: returns."""

from app.contracts import bp  # noqa: F401
