"""Calling the read-only API as a business-intelligence tool would: a bearer token in the
header, JSON back. And tokens made the way an operator makes them."""

from __future__ import annotations

from app.extensions import db


def bearer(token: str | None) -> dict:
    return {"Authorization": f"Bearer {token}"} if token else {}


def call(client, path: str, token: str | None = None, method: str = "get", **kwargs):
    """One request with the token (if any) and no cookie-signed-in session of its own, in a
    fresh app context, after ending the test's read transaction so it sees what was written."""
    db.session.rollback()
    headers = {**bearer(token), **kwargs.pop("headers", {})}
    with client.application.app_context():
        return getattr(client, method)(path, headers=headers, **kwargs)


def token_by_command(runner, email: str, name: str = "Power BI") -> str:
    """A token made by `api-tokens create`: the last line it prints."""
    result = runner.invoke(args=["api-tokens", "create", "--email", email, "--name", name])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def load_demo(runner) -> None:
    result = runner.invoke(args=["demo", "load"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
