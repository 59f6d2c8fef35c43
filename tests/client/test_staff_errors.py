"""Error pages: staff who are signed in get the staff layout, with the menu and "Sign out", so
an error is never a dead end; respondents keep their own pages."""

from __future__ import annotations

import pytest

from tests.support.pages import normalize_spaces


def staff_header(page) -> dict[str, str]:
    return {normalize_spaces(a.text): a["href"] for a in page.select("header nav a")}


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/admin/users", 403, "You cannot see this page"),
        ("/no-such-page", 404, "Page not found"),
        ("/fieldwork/participants/NOSUCHCODE", 404, "Page not found"),
    ],
)
def test_a_signed_in_staff_member_gets_errors_in_the_staff_layout(
    client_request, sign_in, make_user, path, status, heading
):
    sign_in(make_user("key_worker"))
    page = client_request.get(path, expected_status=status)
    assert normalize_spaces(page.h1.text) == heading
    assert page.title.text.startswith(heading) and "staff" in page.title.text
    assert staff_header(page)["Home"] == "/staff"
    assert staff_header(page)["Raise a concern"] == "/safeguarding/raise"
    assert page.select_one("header").find("button", string="Sign out")
    assert page.find("a", string="Go to your home page")["href"] == "/staff"


def test_an_unexpected_failure_shows_staff_the_staff_layout(
    app, client_request, sign_in, make_user, monkeypatch
):
    from app.auth import todo

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(todo, "tasks_for", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    sign_in(make_user("coordinator"))
    page = client_request.get("/staff", expected_status=500)
    assert normalize_spaces(page.h1.text) == "Sorry, there is a problem with the service"
    assert page.select_one("header").find("button", string="Sign out")


def test_respondents_keep_their_own_error_pages(client_request, sign_in, make_user):
    page = client_request.get("/no-such-page", expected_status=404)
    assert normalize_spaces(page.h1.text) == "Page not found"
    assert page.select_one("header").find("button", string="Sign out") is None
    assert "QR code" in page.text
    # A staff member on a respondent's link still sees the respondent's page.
    sign_in(make_user("coordinator"))
    page = client_request.get("/s/no-such-campaign", expected_status=404)
    assert page.select_one("header").find("button", string="Sign out") is None
