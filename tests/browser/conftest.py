"""A real server and a real browser: gunicorn on loopback, Debian's Chromium through Playwright,
axe-core on every page. Skips with a reason when no browser is installed, unless
REQUIRE_BROWSER=1 says the run must have one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_FLAGS, PHONE
from tests.support.servers import Gunicorn, free_port, prepare_database, server_environment


def _missing_browser_reason() -> str | None:
    try:
        import playwright  # noqa: F401
        from axe_playwright_python.sync_playwright import Axe  # noqa: F401
    except ImportError as error:
        return f"Playwright or axe is not installed ({error})"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


class _Browser:
    """The browser, remembering which contexts have JavaScript off: axe runs in the page's
    JavaScript, so on such a page it would wait for ever. check_accessible refuses them at
    once instead, and each page is checked by axe in a test with JavaScript on."""

    def __init__(self, real):
        self._real = real
        self.without_javascript: set[int] = set()

    def new_context(self, **options):
        context = self._real.new_context(**options)
        if options.get("java_script_enabled") is False:
            self.without_javascript.add(id(context))
        return context

    def __getattr__(self, name):
        return getattr(self._real, name)


@pytest.fixture(scope="session")
def browser():
    reason = _missing_browser_reason()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield _Browser(browser)
        browser.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, browser):
    """gunicorn serving the app on a fresh, migrated SQLite database with the demo data."""
    database = tmp_path_factory.mktemp("live") / "live.sqlite3"
    port = free_port()
    env = server_environment(f"sqlite:///{database}", port)
    prepare_database(env)
    server = Gunicorn(env, port, workers=2)
    yield {"url": server.url, "database": database, "env": env}
    server.stop()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_without_javascript(browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_accessible(axe, tmp_path_factory, browser):
    """Run axe on the page and check it fits a 320 px screen; fail with axe's own report."""
    shots = Path(os.environ.get("BROWSER_SCREENSHOTS", tmp_path_factory.mktemp("shots")))

    def check(page, name: str):
        if id(page.context) in browser.without_javascript:
            pytest.fail(f"{name}: axe needs JavaScript; check this page with JavaScript on")
        results = axe.run(page)
        if results.violations_count:
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
            pytest.fail(
                f"axe found violations on {name} ({page.url}):\n{results.generate_report()}"
            )
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= page.viewport_size["width"], (
            f"{name} scrolls sideways at {page.viewport_size['width']} px ({overflow} px wide)"
        )

    return check
