"""Contract pages: overview."""

from app.contracts import bp  # noqa: F401
