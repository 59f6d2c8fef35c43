"""Each staff role's home, the staff menu, success banners, staff error pages, a forgotten
password and table scroll boxes, walked in Chromium as each role would, with axe at 320 px
and 1280 px."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.accounts.cli import DEMO_PASSWORD
from tests.support.servers import BIN, REPO_ROOT
from tests.support.titles import expect_title_starting, expect_url_containing, expect_url_ending

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
ROLES = {
    "admin@example.org": "Admin",
    "coordinator@example.org": "Participation coordinator",
    "commissioner@example.org": "Commissioner",
    "provider@example.org": "Provider",
    "keyworker@example.org": "Key worker",
    "inspector@example.org": "Young inspector",
    "safeguarding@example.org": "Safeguarding lead",
}


def sign_in(page, base, email, password=DEMO_PASSWORD):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    # Commissioners start at the contracts overview, everyone else at the staff home.
    expect_url_ending(page, "/contracts/" if email.startswith("commissioner") else "/staff")


def menu(page):
    return page.get_by_role("navigation", name="Menu")


@pytest.mark.parametrize("width", [320, 1280])
def test_each_roles_home_is_a_to_do_list_with_counts_and_links(
    browser, live_server, check_accessible, width
):
    base = live_server["url"]
    expected = {
        "inspector@example.org": [r"\d+ visits? to rate"],
        "provider@example.org": [
            r"\d+ recommendations? awaiting your reply",
            r"\d+ returns? to send",
            r"\d+ actions? due",
        ],
        "coordinator@example.org": [
            r"\d+ repl(y|ies) from (a provider|providers) to read",
            r"\d+ returns? overdue",
            r"\d+ actions? due",
            r"\d+ campaigns? closing soon",
        ],
        "commissioner@example.org": [r"\d+ returns? overdue", r"\d+ actions? due"],
        "safeguarding@example.org": [r"\d+ alerts? to acknowledge"],
    }
    for email, tasks in expected.items():
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        sign_in(page, base, email)
        page.goto(f"{base}/staff")
        expect(page.locator("#your-roles")).to_have_text(re.compile(ROLES[email]))
        to_do = page.locator("#to-do li a")
        expect(to_do).to_have_count(len(tasks))
        for link, pattern in zip(to_do.all(), tasks, strict=True):
            expect(link).to_have_text(re.compile(f"^{pattern}$"))
        check_accessible(page, f"home-{email.split('@')[0]}-{width}")
        context.close()


def test_a_young_inspector_goes_from_home_to_the_visits_to_rate(browser, live_server):
    base = live_server["url"]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, base, "inspector@example.org")
    expect(page.get_by_text("Your role: Young inspector.")).to_be_visible()
    assert "peer_researcher" not in page.locator("main").inner_text()
    page.get_by_role("link", name=re.compile(r"^\d+ visits? to rate$")).click()
    expect_url_ending(page, "/fieldwork/visits")
    context.close()


def test_the_coordinators_home_leads_to_fieldwork_visits_and_reports(browser, live_server):
    base = live_server["url"]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, base, "coordinator@example.org")
    for name, address in (
        ("Fieldwork", "/fieldwork/"),
        ("Visits", "/fieldwork/visits"),
        ("Reports", "/reports/"),
    ):
        page.goto(f"{base}/staff")
        page.locator("#your-pages").get_by_role("link", name=name, exact=True).click()
        expect_url_ending(page, address)
    context.close()


def test_the_admin_menu_fits_on_one_row_at_1280px(browser, live_server, check_accessible):
    base = live_server["url"]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, base, "admin@example.org")
    items = menu(page).locator("li")
    expect(items.last).to_be_visible()
    boxes = [item.bounding_box() for item in items.all()]
    assert len(boxes) >= 10, boxes  # Home ... Admin, Raise a concern, Sign out
    container = page.locator(".govuk-service-navigation .govuk-width-container").bounding_box()
    right = container["x"] + container["width"]
    tops = {round(box["y"]) for box in boxes}
    heights = {round(box["height"]) for box in boxes}
    assert len(tops) == 1, f"the menu wraps onto {len(tops)} rows: {boxes}"
    assert len(heights) == 1, f"an item wraps onto two lines: {boxes}"
    assert all(box["x"] + box["width"] <= right + 0.5 for box in boxes), (right, boxes)
    # Every admin page is one step away, under Admin.
    menu(page).get_by_role("link", name="Admin", exact=True).click()
    expect_url_ending(page, "/admin/")
    for name in ("Campaigns", "Providers", "Services", "Users", "Commissioning bodies"):
        expect(page.locator("#admin-pages").get_by_role("link", name=name)).to_be_visible()
    check_accessible(page, "admin-index-1280")
    context.close()


def test_every_staff_role_can_raise_a_concern_from_the_menu(browser, live_server):
    base = live_server["url"]
    for email in ROLES:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        sign_in(page, base, email)
        menu(page).get_by_role("link", name="Raise a concern").click()
        expect_url_ending(page, "/safeguarding/raise")
        expect(menu(page).get_by_role("link", name="Raise a concern")).to_have_attribute(
            "aria-current", "true"
        )
        context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_sign_out_is_in_the_header_and_says_it_worked(browser, live_server, width):
    base = live_server["url"]
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    sign_in(page, base, "keyworker@example.org")
    header = page.locator("header")
    if width < 641:  # on a phone the menu folds behind its button
        header.get_by_role("button", name="Menu").click()
    header.get_by_role("button", name="Sign out").click()
    expect_url_ending(page, "/sign-in")
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("You have signed out.")
    context.close()


def test_sign_out_in_the_header_works_without_javascript(phone_without_javascript, live_server):
    page = phone_without_javascript
    base = live_server["url"]
    sign_in(page, base, "keyworker@example.org")
    page.locator("header").get_by_role("button", name="Sign out").click()
    expect_url_ending(page, "/sign-in")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("signed out")


def _report_with_recommendations(database, count: int) -> int:
    """A finalised report on the demo provider's service with `count` recommendations
    awaiting a reply: made for this test only."""
    with sqlite3.connect(database) as connection:
        coordinator = connection.execute(
            "SELECT id FROM user_account WHERE email = 'coordinator@example.org'"
        ).fetchone()[0]
        service = connection.execute(
            "SELECT s.id FROM service s JOIN user_account u ON u.provider_id = s.provider_id "
            "WHERE u.email = 'provider@example.org' ORDER BY s.id"
        ).fetchone()[0]
        now = "2026-01-10 10:00:00"
        cursor = connection.execute(
            "INSERT INTO visit (service_id, kind, channel, visit_on, framework_id, "
            "framework_version, created_by_id, created_at, summary, finalised_at, "
            "finalised_by_id) VALUES (?, 'known', 'visit', ?, 'young-inspectors-framework', 1, "
            "?, ?, 'A warm welcome, and hard to find.', ?, ?)",
            (service, date.today() - timedelta(days=20), coordinator, now, now, coordinator),
        )
        visit_id = cursor.lastrowid
        for number in range(1, count + 1):
            connection.execute(
                "INSERT INTO recommendation (visit_id, text, status) "
                "VALUES (?, ?, 'awaiting_reply')",
                (visit_id, f"Recommendation number {number}: " + "make it easier to find. " * 8),
            )
    return visit_id


@pytest.mark.parametrize("width", [320, 1280])
def test_after_a_reply_the_success_banner_is_where_the_provider_is_looking(
    browser, live_server, check_accessible, width
):
    base = live_server["url"]
    visit_id = _report_with_recommendations(live_server["database"], 8)
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    sign_in(page, base, "provider@example.org")
    page.goto(f"{base}/reports/{visit_id}")
    page.get_by_role("link", name="Reply to recommendation 8").click()
    page.get_by_label("What we will do", exact=True).fill("Signs at the bus stop and the gate.")
    page.get_by_label("Day", exact=True).fill("30")
    page.get_by_label("Month", exact=True).fill("6")
    page.get_by_label("Year", exact=True).fill(str(date.today().year + 1))
    page.get_by_role("button", name="Send reply").click()
    expect(page).to_have_url(re.compile(rf"/reports/{visit_id}#recommendation-\d+$"))
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Your reply has been saved")
    expect(banner).to_be_in_viewport()
    # The page is long: the banner is far down it, beside the reply, not at the top.
    assert banner.bounding_box()["y"] + page.evaluate("window.scrollY") > 1500
    check_accessible(page, f"report-reply-saved-{width}")
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_staff_error_pages_keep_the_menu_and_sign_out(
    browser, live_server, check_accessible, width
):
    base = live_server["url"]
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    sign_in(page, base, "keyworker@example.org")
    for path, heading in (
        ("/admin/users", "You cannot see this page"),
        ("/nope", "Page not found"),
    ):
        page.goto(base + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        # On a phone the menu, and signing out with it, folds behind the Menu button.
        expect(page.locator("header button", has_text="Sign out")).to_be_attached()
        check_accessible(page, f"staff-error-{path.strip('/').replace('/', '-')}-{width}")
        page.get_by_role("link", name="Go to your home page").click()
        expect_url_ending(page, "/staff")
    context.close()
    # Someone answering a survey keeps the respondents' page, with no staff menu.
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{base}/nope")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    context.close()


def _staff_account(env: dict, email: str) -> None:
    subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "users", "create", "--email", email,
         "--name", "Robin Reset", "--role", "key_worker"],
        cwd=REPO_ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip


def _emailed_link(database, email: str) -> str:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT body FROM safeguarding_email WHERE kind = 'password_reset' AND recipient = ? "
            "ORDER BY id DESC",
            (email,),
        ).fetchall()
    assert rows, f"no email to {email} in the outbox"
    return re.search(r"https?://\S+/set-password/\S+", rows[0][0]).group(0)


def test_a_forgotten_password_is_reset_by_email_without_javascript(
    phone_without_javascript, live_server
):
    page = phone_without_javascript
    base = live_server["url"]
    email = "robin.reset@example.org"
    _staff_account(live_server["env"], email)
    page.goto(f"{base}/sign-in")
    page.get_by_role("link", name="Get a link to set a new password").click()
    expect_url_ending(page, "/sign-in/forgotten-password")
    page.get_by_role("button", name="Send me a link").click()
    expect_title_starting(page, "Error:")
    page.get_by_role("link", name="Enter your email address").click()
    expect(page.get_by_label("Email address")).to_be_focused()
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send me a link").click()
    # The address keeps the error summary's #email: browsers carry it across the redirect.
    expect_url_containing(page, "/sign-in/forgotten-password/sent")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    link = _emailed_link(live_server["database"], email)
    page.goto(link)
    page.get_by_label("New password").fill("robin resets a long password")
    page.get_by_label("Enter the password again").fill("robin resets a long password")
    page.get_by_role("button", name="Set password").click()
    expect_url_ending(page, "/sign-in")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your password is set"
    )
    sign_in(page, base, email, "robin resets a long password")
    page.goto(link)  # the link worked once
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has expired")


@pytest.mark.parametrize("width", [320, 1280])
def test_the_forgotten_password_pages_are_accessible(live_server, browser, check_accessible, width):
    base = live_server["url"]
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{base}/sign-in/forgotten-password")
    check_accessible(page, f"forgotten-password-{width}")
    page.get_by_role("button", name="Send me a link").click()
    expect_title_starting(page, "Error:")
    check_accessible(page, f"forgotten-password-error-{width}")
    page.get_by_label("Email address").fill("nobody-at-all@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect_url_ending(page, "/sent")
    check_accessible(page, f"forgotten-password-sent-{width}")
    context.close()


def test_table_scroll_boxes_are_keyboard_stops_only_when_they_scroll(
    browser, live_server, phone_without_javascript
):
    base = live_server["url"]
    for width, should_scroll in ((1280, False), (320, True)):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        sign_in(page, base, "admin@example.org")
        page.goto(f"{base}/admin/users")
        box = page.locator(".app-table-scroll").first
        scrolls = box.evaluate("b => b.scrollWidth > b.clientWidth")
        assert scrolls is should_scroll, (width, scrolls)
        if should_scroll:
            expect(box).to_have_attribute("tabindex", "0")
        else:
            expect(box).not_to_have_attribute("tabindex", re.compile(".*"))
        context.close()
    # Without JavaScript nobody can tell: every box stays reachable from the keyboard.
    page = phone_without_javascript
    sign_in(page, base, "admin@example.org")
    page.goto(f"{base}/admin/users")
    expect(page.locator(".app-table-scroll").first).to_have_attribute("tabindex", "0")
