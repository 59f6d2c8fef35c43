"""Evidence pages in Chromium with axe: a commissioner on a desktop and a provider on a
phone, with charts that load under the Content-Security-Policy, and without JavaScript."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.support.servers import BIN, REPO_ROOT

LEGIBLE_PIXELS = 12
FONT_SIZE = re.compile(r"font-size:\s*([\d.]+)px")
VIEW_BOX = re.compile(r'viewBox="0 0 ([\d.]+) [\d.]+"')

pytestmark = pytest.mark.browser

PERIOD = "2026-04-01"


@pytest.fixture(scope="module")
def evidence_ids(live_server) -> tuple[int, int]:
    """Adds a provider with a year of answers to the live server's database."""
    done = subprocess.run(
        [str(BIN / "python"), "-m", "tests.support.evidence"],
        cwd=REPO_ROOT,
        env=live_server["env"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    service_id, provider_id = done.stdout.split()[-2:]
    return int(service_id), int(provider_id)


@pytest.fixture
def evidence_service(evidence_ids):
    return evidence_ids[0]


@pytest.fixture
def evidence_provider(evidence_ids):
    return evidence_ids[1]


def _sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Commissioners start at the contracts overview, everyone else at the staff home.
    landing = "/contracts/" if email.startswith("commissioner") else "/staff"
    assert page.url.endswith(landing), page.url


def _charts_loaded(page) -> list[int]:
    return page.eval_on_selector_all(
        "img.app-chart", "images => images.map(image => image.naturalWidth)"
    )


@pytest.mark.parametrize("width", [320, 1280])
def test_a_commissioner_reads_and_compares_periods(
    browser, live_server, check_accessible, evidence_service, evidence_provider, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content-Security" in m.text else 0)
    base = live_server["url"]
    _sign_in(page, base, "commissioner@example.org")
    if width > 640:  # on a phone the navigation folds behind a menu button
        page.get_by_role("link", name="Evidence").first.click()
    else:
        page.goto(f"{base}/evidence/")
    check_accessible(page, f"evidence-index-{width}")
    page.goto(f"{base}/evidence/services/{evidence_service}?period={PERIOD}")
    assert "April to June 2026" in page.title()
    check_accessible(page, f"evidence-service-{width}")
    widths = _charts_loaded(page)
    assert widths and all(w > 0 for w in widths), "every chart image loads"
    # Choose another period with the picker (a GET form) and come back with the back link.
    page.get_by_label("Monitoring period").select_option(label="January to March 2026")
    page.get_by_role("button", name="Show this period").click()
    expect(page).to_have_title(re.compile("January to March 2026"))
    check_accessible(page, f"evidence-service-previous-{width}")
    page.get_by_role("link", name="Read the written answers for this period").click()
    check_accessible(page, f"evidence-written-{width}")
    page.goto(f"{base}/evidence/services/{evidence_service}?period=not-a-date")
    expect(page).to_have_title(re.compile("^Error:"))
    assert "Enter a period" in page.content()
    check_accessible(page, f"evidence-error-{width}")
    page.goto(f"{base}/evidence/providers/{evidence_provider}?period={PERIOD}")
    check_accessible(page, f"evidence-provider-{width}")
    assert violations == []
    context.close()


def test_the_provider_page_works_without_javascript(browser, live_server, evidence_provider):
    context = browser.new_context(viewport={"width": 320, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    base = live_server["url"]
    _sign_in(page, base, "commissioner@example.org")
    page.goto(f"{base}/evidence/providers/{evidence_provider}?period={PERIOD}")
    assert "fewer than 10" in page.content()
    page.get_by_label("Monitoring period").select_option(label="January to March 2026")
    page.get_by_role("button", name="Show this period").click()
    expect(page).to_have_title(re.compile("January to March 2026"))
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_the_page_opens_on_the_current_period_with_the_last_complete_a_link_away(
    browser, live_server, check_accessible, evidence_service, width
):
    from app.evidence.periods import period_containing, previous
    from app.models.timeutil import uk_today

    current = period_containing(uk_today())
    complete = previous(current)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    base = live_server["url"]
    _sign_in(page, base, "commissioner@example.org")
    page.goto(f"{base}/evidence/services/{evidence_service}")
    expect(page).to_have_title(re.compile(re.escape(current.label)))
    note = page.locator("#period-note")
    expect(note).to_contain_text(f"{current.label} so far")
    expect(note).to_contain_text(f"{complete.label}, the last complete period")
    check_accessible(page, f"evidence-current-period-{width}")
    note.get_by_role("link", name=f"Show {complete.label} instead").click()
    expect(page).to_have_title(re.compile(re.escape(complete.label)))
    expect(page.locator("#period-note")).to_contain_text(f"Show {current.label} so far")
    check_accessible(page, f"evidence-last-complete-period-{width}")
    context.close()


# --- Charts on a phone and the PDF download ------------------------------------------------


def test_charts_fill_a_phone_and_every_word_reads_at_12_pixels(
    phone, live_server, evidence_provider, check_accessible
):
    base = live_server["url"]
    _sign_in(phone, base, "commissioner@example.org")
    phone.goto(f"{base}/evidence/providers/{evidence_provider}?period={PERIOD}")
    charts = phone.locator("img.app-chart")
    expect(charts.first).to_be_visible()
    column = phone.eval_on_selector("main", "main => main.clientWidth")
    checked = 0
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        expect(chart).to_have_js_property("complete", True)
        shown = chart.evaluate("image => image.getBoundingClientRect().width")
        assert shown >= column - 1, f"chart {index} is {shown} of {column} pixels wide"
        svg = phone.request.get(base + chart.get_attribute("src")).text()
        drawn_width = float(VIEW_BOX.search(svg).group(1))
        smallest = min(float(size) for size in FONT_SIZE.findall(svg))
        assert smallest * shown / drawn_width >= LEGIBLE_PIXELS, f"chart {index}"
        checked += 1
    assert checked >= 2
    check_accessible(phone, "evidence-charts-phone")


def test_asking_for_the_pdf_says_it_is_coming(phone, live_server, evidence_provider):
    base = live_server["url"]
    _sign_in(phone, base, "commissioner@example.org")
    phone.goto(f"{base}/evidence/providers/{evidence_provider}?period={PERIOD}")
    link = phone.get_by_role("link", name="PDF, for reading and printing")
    expect(phone.locator("#downloads")).to_contain_text("may take a few seconds")
    with phone.expect_download() as download:
        link.click()
        expect(phone.get_by_role("status")).to_have_text(
            "Making your PDF. It will download in a few seconds."
        )
    assert download.value.suggested_filename.endswith(".pdf")
