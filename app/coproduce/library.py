"""library: see app/coproduce/__init__.py."""

from app.coproduce import bp  # noqa: F401
