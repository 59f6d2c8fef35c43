"""Shared fixtures: an app per database backend, a clean database per test, and
`client_request`, which checks every page it fetches the way a careful reviewer would."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.config import normalise_database_url
from app.extensions import db
from app.languages import is_supported, language
from app.languages.catalogues import compile_catalogues

REPO_ROOT = Path(__file__).resolve().parent.parent


def pytest_sessionstart(session):
    # The app reads compiled catalogues (.mo), which are build output and never committed:
    # compile any missing or older than its .po, so a bare `pytest` runs as `make test` does.
    compile_catalogues(only_stale=True)


def postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(url) if url else None


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_app(database_url: str, **extra):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SESSION_COOKIE_SECURE": False,
        "SERVER_NAME": None,
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }
    config.update(extra)
    return create_app(config)


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


def empty_database() -> None:
    """Delete every row of every table (in an app context), keeping the schema."""
    db.session.rollback()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(text(f"DELETE FROM {table}"))
    db.session.commit()


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


def normalize_spaces(value: str) -> str:
    return " ".join(value.split())


class PageProblem(AssertionError):
    pass


def check_page(html: str, url: str) -> BeautifulSoup:
    """What every HTML page must get right, whoever wrote it."""
    page = BeautifulSoup(html, "html.parser")
    problems = []
    title = page.find("title")
    if title is None or not normalize_spaces(title.text):
        problems.append("has no <title>")
    elif "<" in title.text or title.find(True) is not None:
        problems.append(f"has markup in its <title>: {str(title)[:120]!r}")
    h1s = page.find_all("h1")
    # The confirmation panel's title is the page's h1.
    if len(h1s) != 1:
        problems.append(f"has {len(h1s)} h1 elements, not 1")
    html_tag = page.find("html")
    if html_tag is None or not html_tag.get("lang"):
        problems.append("has no lang on <html>")
    elif is_supported(html_tag["lang"]):
        direction = language(html_tag["lang"]).direction
        if html_tag.get("dir", "ltr") != direction:
            problems.append(f"is in {html_tag['lang']} but its <html> dir is not {direction}")
    ids = Counter(tag["id"] for tag in page.find_all(id=True))
    duplicates = [i for i, n in ids.items() if n > 1]
    if duplicates:
        problems.append(f"repeats ids {duplicates}")
    for form in page.find_all("form"):
        if (form.get("method") or "get").lower() == "post" and not form.find(
            "input", attrs={"name": "csrf_token"}
        ):
            problems.append("has a POST form without a CSRF token")
    if problems:
        raise PageProblem(f"{url} " + "; ".join(problems))
    return page


class ClientRequest:
    """Fetches pages through the test client and checks each HTML page it gets."""

    def __init__(self, client):
        self.client = client
        self.last = None

    def _send(self, method: str, url: str, **kwargs):
        # End the test's own read transaction so it sees what the request writes, and give the
        # request a fresh app context: one shared with the test would share `g` (and so a
        # cached CSRF token) between different browsers.
        db.session.rollback()
        with self.client.application.app_context():
            return getattr(self.client, method)(url, **kwargs)

    def get(self, url: str, expected_status: int = 200, follow_redirects: bool = False):
        response = self._send("get", url, follow_redirects=follow_redirects)
        assert response.status_code == expected_status, (
            f"GET {url}: {response.status_code}, expected {expected_status}"
        )
        self.last = response
        if response.mimetype == "text/html" and not 300 <= response.status_code < 400:
            return check_page(response.get_data(as_text=True), url)
        return response

    def post(
        self,
        url: str,
        data: dict | None = None,
        expected_status: int = 302,
        form_page: str | None = None,
        **kwargs,
    ):
        """Post a form as a browser would: with the CSRF token of the page that holds it
        (`form_page`, by default the page at `url`)."""
        data = dict(data or {})
        if "csrf_token" not in data:
            form_page = self._send("get", form_page or url)
            match = re.search(
                r'name="csrf_token"[^>]*value="([^"]+)"',
                form_page.get_data(as_text=True),
            )
            assert match, f"no CSRF token on {url}"
            data["csrf_token"] = match.group(1)
        response = self._send("post", url, data=data, **kwargs)
        assert response.status_code == expected_status, (
            f"POST {url}: {response.status_code}, expected {expected_status}\n"
            + response.get_data(as_text=True)[:3000]
        )
        self.last = response
        if response.mimetype == "text/html" and response.status_code != 302:
            return check_page(response.get_data(as_text=True), url)
        return response


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
