"""API routes."""

from app.api import bp  # noqa: F401
