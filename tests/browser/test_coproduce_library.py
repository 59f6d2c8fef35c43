"""The instrument library in Chromium on a 320 px phone: the list, a version's page and the
import page pass axe, with and without problems; a file is imported with JavaScript off."""

from __future__ import annotations

import pytest
import yaml
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from app.config import REPO_ROOT
from tests.support.titles import expect_title_starting, expect_url_ending

pytestmark = pytest.mark.browser


def _sign_in(page, base, email="admin@example.org"):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_url_ending(page, "/staff")


def test_the_library_its_version_pages_and_import_pass_axe_on_a_phone(
    phone, live_server, check_accessible
):
    page = phone
    base = live_server["url"]
    _sign_in(page, base)
    page.goto(f"{base}/instruments/")
    expect(page.locator("h1")).to_have_text("Instruments")
    check_accessible(page, "instrument-library")

    page.get_by_role("link", name="Young inspectors' framework", exact=True).first.click()
    expect_url_ending(page, "/instruments/young-inspectors-framework/1")
    check_accessible(page, "instrument-version-framework")
    page.get_by_role("button", name="Start a new one from this").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, "instrument-version-copy-error")

    for path in ("mystery-shop-checklist/1", "service-feedback/1", "swemwbs/1", "outcomes-wheel/1"):
        page.goto(f"{base}/instruments/{path}")
        check_accessible(page, f"instrument-version-{path.replace('/', '-')}")

    page.goto(f"{base}/instruments/import")
    check_accessible(page, "instrument-import")
    page.get_by_role("button", name="Import").click()
    expect_title_starting(page, "Error:")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose an instrument file to import"
    )
    check_accessible(page, "instrument-import-error")


def test_a_council_imports_an_instrument_file_without_javascript(
    phone_without_javascript, live_server
):
    page = phone_without_javascript
    base = live_server["url"]
    _sign_in(page, base)
    page.goto(f"{base}/instruments/import")
    broken = {"id": "browser-feedback", "version": 1, "type": "questionnaire"}
    page.get_by_label("Instrument file").set_input_files(
        {
            "name": "broken.yaml",
            "mimeType": "text/yaml",
            "buffer": yaml.safe_dump(broken).encode(),
        }
    )
    page.get_by_role("button", name="Import").click()
    expect_title_starting(page, "Error:")
    expect(page.locator(".govuk-error-summary__list li").first).to_be_visible()

    document = yaml.safe_load((REPO_ROOT / "surveys" / "service-feedback-1.yaml").read_text())
    document["id"] = "browser-feedback"
    document["co_written"] = "Written with the Riverside youth forum"
    page.get_by_label("Instrument file").set_input_files(
        {
            "name": "browser-feedback-1.yaml",
            "mimeType": "text/yaml",
            "buffer": yaml.safe_dump(document, allow_unicode=True).encode(),
        }
    )
    page.get_by_role("button", name="Import").click()
    expect_url_ending(page, "/instruments/browser-feedback/1")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "browser-feedback@1 imported"
    )
    expect(page.locator("#origin")).to_have_text("Imported from browser-feedback-1.yaml")
    page.goto(f"{base}/instruments/")
    expect(page.locator("#instrument-browser-feedback-1")).to_contain_text(
        "Written with the Riverside youth forum"
    )
