"""Servers for the load and fault tests: gunicorn with two workers over SQLite, and over
PostgreSQL when TEST_DATABASE_URL names a server."""

from __future__ import annotations

import os

import pytest

from tests.support.servers import (
    NO_SUBMISSION_LIMITS,
    Gunicorn,
    free_port,
    fresh_postgres_database,
    prepare_database,
    server_environment,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request, tmp_path):
    if request.param == "postgresql":
        if not os.environ.get("TEST_DATABASE_URL"):
            pytest.skip("PostgreSQL leg: set TEST_DATABASE_URL to run it")
        database_url = fresh_postgres_database(os.environ["TEST_DATABASE_URL"], "test_load")
    else:
        database_url = f"sqlite:///{tmp_path / 'load.sqlite3'}"
    port = free_port()
    env = server_environment(database_url, port, **NO_SUBMISSION_LIMITS)
    prepare_database(env)
    gunicorn = Gunicorn(env, port, workers=2)
    gunicorn.database_url = database_url
    yield gunicorn
    gunicorn.stop()
