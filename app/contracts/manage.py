"""Contract pages: manage."""

from app.contracts import bp  # noqa: F401
