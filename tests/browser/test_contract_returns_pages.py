"""Provider returns in Chromium with axe at 320 px and 1280 px: the returns list, the return
form and its error state, a submitted return with a commissioner's question and the
provider's answer; and the form submitted with JavaScript off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.cli import DEMO_PASSWORD
from app.extensions import db
from app.models import Contract, Provider, User
from app.models.timeutil import uk_today
from app.monitoring.status import complete_periods
from tests.support.apps import make_app
from tests.support.servers import Gunicorn, free_port, prepare_database, server_environment
from tests.support.titles import expect_title_starting

pytestmark = pytest.mark.browser

PROVIDER = "meadow@example.org"
COMMISSIONER = "southvale@example.org"
FIGURES = {
    "Referrals received": "30",
    "People seen for the first time": "27",
    "Appointments offered": "120",
    "Appointments missed without notice": "9",
    "Median wait from referral to first appointment, in days": "16",
    "Complaints received": "0",
}


@pytest.fixture(scope="module")
def returns_server(tmp_path_factory, browser):
    """The demo on its own server, with an account for Meadow Counselling Service (whose
    monthly contract MCS-2026-003 is commissioned by Southvale and has a late return)."""
    database = tmp_path_factory.mktemp("returns") / "returns.sqlite3"
    port = free_port()
    env = server_environment(f"sqlite:///{database}", port)
    prepare_database(env)
    app = make_app(f"sqlite:///{database}")
    with app.app_context():
        meadow = db.session.scalar(select(Provider).filter_by(name="Meadow Counselling Service"))
        # The demo may have made Meadow's account already.
        if db.session.scalar(select(User).filter_by(email=PROVIDER)) is None:
            user = User(email=PROVIDER, name="Morgan Meadow Manager", provider=meadow)
            user.set_roles(["provider"])
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            db.session.commit()
        contract = db.session.scalar(select(Contract).filter_by(reference="MCS-2026-003"))
        # Older periods than the demo's returns, none returned: one for each run.
        starts = [p.start.isoformat() for p in complete_periods(contract, uk_today(), 12)]
        contract_id = contract.id
        db.session.remove()
    server = Gunicorn(env, port, workers=2)
    yield {"url": server.url, "contract_id": contract_id, "starts": starts}
    server.stop()


def sign_in(page, base, email):
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Commissioners start at the contracts overview, everyone else at the staff home.
    landing = "/contracts/" if email == COMMISSIONER else "/staff"
    assert page.url.endswith(landing), page.url


def fill_in(page):
    for label, value in FIGURES.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("What went well").fill("Drop-in sessions were well used.")
    page.get_by_label("What did not go well").fill("Evening slots filled up quickly.")
    page.get_by_label("What you are doing about it").fill("A second evening from next month.")


@pytest.mark.parametrize(("width", "index"), [(320, 5), (1280, 6)])
def test_a_return_from_list_to_answered_question_is_accessible(
    browser, returns_server, check_accessible, width, index
):
    base = returns_server["url"]
    contract_id = returns_server["contract_id"]
    start = returns_server["starts"][index]
    form_url = f"{base}/contracts/{contract_id}/returns/{start}"
    provider = browser.new_context(viewport={"width": width, "height": 800}).new_page()
    sign_in(provider, base, PROVIDER)

    provider.goto(f"{base}/contracts/{contract_id}/returns")
    assert provider.get_by_text("Overdue").first.is_visible()
    check_accessible(provider, f"returns-list-{width}")

    provider.goto(form_url)
    check_accessible(provider, f"return-form-{width}")
    provider.get_by_label("Referrals received", exact=True).fill("-2")
    provider.get_by_role("button", name="Submit return").click()
    expect_title_starting(provider, "Error:")
    summary = provider.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Referrals received must be 0 or more")
    expect(summary).to_contain_text("Enter what went well")
    check_accessible(provider, f"return-form-errors-{width}")
    # The summary's link takes the reader to the field.
    summary.get_by_role("link", name="Referrals received must be 0 or more").click()
    assert provider.evaluate("document.activeElement.id") == "referrals"

    fill_in(provider)
    provider.get_by_role("button", name="Submit return").click()
    expect_title_starting(provider, "Return for")
    expect(provider.locator(".govuk-notification-banner")).to_contain_text("has been submitted")
    assert provider.locator("#referrals").count() == 0

    commissioner = browser.new_context(viewport={"width": width, "height": 800}).new_page()
    sign_in(commissioner, base, COMMISSIONER)
    commissioner.goto(form_url)
    commissioner.get_by_role("button", name="Send question").click()
    expect_title_starting(commissioner, "Error:")
    check_accessible(commissioner, f"return-question-errors-{width}")
    commissioner.get_by_label("Ask the provider a question about this return").fill(
        "Why were evening slots so full?"
    )
    commissioner.get_by_role("button", name="Send question").click()
    expect_title_starting(commissioner, "Return for")
    expect(commissioner.locator("#queries ~ *").first).to_contain_text(
        "Why were evening slots so full?"
    )
    check_accessible(commissioner, f"return-with-question-{width}")

    provider.goto(form_url)
    check_accessible(provider, f"return-question-to-answer-{width}")
    provider.get_by_label("Your answer to question 1").fill(
        "Exams: more wanted to come after school."
    )
    provider.get_by_role("button", name="Send answer").click()
    expect_title_starting(provider, "Return for")
    expect(provider.locator("main")).to_contain_text("Exams: more wanted")
    check_accessible(provider, f"return-answered-{width}")
    provider.context.close()
    commissioner.context.close()


def test_a_return_is_saved_and_submitted_with_javascript_off(
    browser, returns_server, phone_without_javascript
):
    page = phone_without_javascript
    base = returns_server["url"]
    start = returns_server["starts"][7]
    form_url = f"{base}/contracts/{returns_server['contract_id']}/returns/{start}"
    sign_in(page, base, PROVIDER)
    page.goto(form_url)
    page.get_by_label("Referrals received", exact=True).fill("12")
    page.get_by_role("button", name="Save as draft").click()
    expect_title_starting(page, "Return for")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("draft return")
    assert page.get_by_label("Referrals received", exact=True).input_value() == "12"
    fill_in(page)
    page.get_by_role("button", name="Submit return").click()
    expect_title_starting(page, "Return for")
    expect(page.locator("#return-state")).to_contain_text("Submitted")
