"""Shared fixtures: an app per database backend, a clean database per test, and
`client_request`, which checks every page it fetches the way a careful reviewer would
(tests/support/pages.py). Helpers that tests import live in tests/support, never here."""

from __future__ import annotations

import os

import pytest
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings

from app.extensions import db
from app.languages.catalogues import compile_catalogues
from tests.support.apps import empty_database, make_app, postgres_url, reset_postgres
from tests.support.pages import ClientRequest

# Property tests draw the same examples on every run of `make test` ("ci"), so a run fails
# only for a reason in the code; `HYPOTHESIS_PROFILE=explore make test` draws new ones, and
# what it finds is pinned as an explicit example.
# In `make test` on a busy 2-core machine: the same examples every run, and no time limits
# (a slow example is not a failure; speed is measured in `make bench`).
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    print_blob=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_sessionstart(session):
    # The app reads compiled catalogues (.mo), which are build output and never committed:
    # compile any missing or older than its .po, so a bare `pytest` runs as `make test` does.
    compile_catalogues(only_stale=True)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    if request.param == "postgresql":
        url = postgres_url()
        if url is None:
            pytest.skip("PostgreSQL leg: set TEST_DATABASE_URL to run it")
        reset_postgres(url)
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def migrated_app(database_url):
    app = make_app(database_url)
    with app.app_context():
        upgrade()
    return app


@pytest.fixture
def app(migrated_app):
    """The app with an empty database (schema from the migrations)."""
    with migrated_app.app_context():
        empty_database()
        # A new database under a running app: forget figures kept from the last one.
        migrated_app.extensions["evidence_figures"].clear()
        yield migrated_app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo(app):
    """The demo provider, service and three open campaigns, by instrument id."""
    from app.demo.campaigns import load_demo_data
    from app.models.timeutil import uk_today

    campaigns = load_demo_data(uk_today())
    return {campaign.instrument_id: campaign for campaign in campaigns}


@pytest.fixture
def client_request(client):
    return ClientRequest(client)


@pytest.fixture
def make_user(app):
    """make_user('admin', 'coordinator', provider=...) -> a signed-up account with a password."""
    from app.models import User

    created = []

    def make(*roles, provider=None, email=None, password="correct horse battery"):
        user = User(
            email=email or f"{'-'.join(roles) or 'nobody'}{len(created)}@example.org",
            name=" ".join(role.title() for role in roles) or "Nobody",
            provider=provider,
        )
        user.set_roles(roles)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        created.append(user)
        return user

    return make


@pytest.fixture
def sign_in(client_request):
    """sign_in(user): signs the test client in through the real sign-in page."""

    def sign(user, password="correct horse battery"):
        client_request.post("/sign-in", {"email": user.email, "password": password})
        return client_request

    return sign
