"""A real server and a real browser: gunicorn on loopback, Debian's Chromium through Playwright,
axe-core on every page. Skips with a reason when no browser is installed, unless
REQUIRE_BROWSER=1 says the run must have one."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 320, "height": 640}


def _missing_browser_reason() -> str | None:
    try:
        import playwright  # noqa: F401
        from axe_playwright_python.sync_playwright import Axe  # noqa: F401
    except ImportError as error:
        return f"Playwright or axe is not installed ({error})"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


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
        yield browser
        browser.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, browser):
    """gunicorn serving the app on a fresh, migrated SQLite database with the demo data."""
    folder = tmp_path_factory.mktemp("live")
    database = folder / "live.sqlite3"
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{database}",
        SECRET_KEY="browser-test-secret",
        SESSION_COOKIE_SECURE="0",
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
    )
    bin_dir = Path(sys.executable).parent
    flask = [str(bin_dir / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=REPO_ROOT, env=env, check=True)
    subprocess.run([*flask, "demo", "load"], cwd=REPO_ROOT, env=env, check=True)
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2", "wsgi:app"],
        cwd=REPO_ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/help", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("the server did not start") from None
            time.sleep(0.2)
    yield {"url": base, "database": database, "env": env}
    server.terminate()
    server.wait(timeout=10)


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
def check_accessible(axe, tmp_path_factory):
    """Run axe on the page and check it fits a 320 px screen; fail with axe's own report."""
    shots = Path(os.environ.get("BROWSER_SCREENSHOTS", tmp_path_factory.mktemp("shots")))

    def check(page, name: str):
        results = axe.run(page)
        if results.violations_count:
            shutil.os.makedirs(shots, exist_ok=True)
            page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
            pytest.fail(
                f"axe found violations on {name} ({page.url}):\n{results.generate_report()}"
            )
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= page.viewport_size["width"], (
            f"{name} scrolls sideways at {page.viewport_size['width']} px ({overflow} px wide)"
        )

    return check
