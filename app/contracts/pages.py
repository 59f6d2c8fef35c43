"""Contract pages: pages."""

from app.contracts import bp  # noqa: F401
