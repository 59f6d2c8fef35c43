"""Staff sign in, stay signed in only while active, and set passwords from one-time links."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import User
from tests.support.pages import normalize_spaces


def test_staff_sign_in_and_land_on_their_home_page(client_request, make_user, sign_in):
    user = make_user("coordinator")
    response = client_request.post(
        "/sign-in", {"email": user.email.upper(), "password": "correct horse battery"}
    )
    assert response.headers["Location"] == "/staff"
    page = client_request.get("/staff")
    assert normalize_spaces(page.h1.text) == f"Hello, {user.name}"
    assert page.find("a", string="Campaigns") is not None


def test_a_wrong_password_gets_one_message_that_does_not_say_which_part_was_wrong(
    client_request, make_user
):
    user = make_user("admin")
    page = client_request.post(
        "/sign-in", {"email": user.email, "password": "wrong"}, expected_status=400
    )
    assert "The email address or password is not right" in page.text
    page = client_request.post(
        "/sign-in", {"email": "nobody@example.org", "password": "wrong"}, expected_status=400
    )
    assert "The email address or password is not right" in page.text


def test_repeated_wrong_passwords_pause_sign_in_with_a_clear_page(client_request, make_user):
    user = make_user("admin")
    for _ in range(5):
        client_request.post(
            "/sign-in", {"email": user.email, "password": "guess"}, expected_status=400
        )
    page = client_request.post(
        "/sign-in", {"email": user.email, "password": "correct horse battery"}, expected_status=429
    )
    assert normalize_spaces(page.h1.text) == "Too many attempts to sign in"


def test_pages_for_staff_send_anonymous_visitors_to_sign_in(client_request):
    response = client_request.get("/admin/campaigns", expected_status=302)
    assert response.headers["Location"].startswith("/sign-in?next=/admin/campaigns")


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(client_request, make_user):
    user = make_user("admin")
    data = {"email": user.email, "password": "correct horse battery"}
    response = client_request.client.get("/sign-in?next=/admin/users")
    token = response.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
    token = token.split('"')[0]
    response = client_request.client.post(
        "/sign-in?next=//evil.example/", data={**data, "csrf_token": token}
    )
    assert response.headers["Location"] == "/staff"


def test_an_idle_staff_session_is_signed_out(app, client_request, make_user, sign_in):
    user = make_user("admin")
    sign_in(user)
    with client_request.client.session_transaction() as session:
        session["seen"] -= app.config["STAFF_IDLE_MINUTES"] * 60 + 1
    response = client_request.get("/admin/users", expected_status=302)
    assert response.headers["Location"].startswith("/sign-in")
    page = client_request.get("/sign-in")
    assert "You were signed out because you were inactive" in page.text


def test_sign_out_ends_the_session(client_request, make_user, sign_in):
    sign_in(make_user("admin"))
    client_request.post("/sign-out", {}, form_page="/staff")
    client_request.get("/admin/users", expected_status=302)


def test_a_new_user_sets_a_password_from_a_one_time_link(client_request, make_user, sign_in):
    sign_in(make_user("admin"))
    page = client_request.post(
        "/admin/users/new",
        {"name": "Robin Key Worker", "email": "Robin@Example.org", "roles": ["key_worker"],
         "provider_id": "0", "active": "y"},
        expected_status=200,
    )  # fmt: skip
    link = normalize_spaces(page.select_one("#password-link").text)
    path = link[link.index("/set-password/") :]
    client_request.post("/sign-out", {}, form_page="/admin/users")

    page = client_request.post(path, {"password": "short", "confirm": "short"}, expected_status=200)
    assert "at least 12 characters" in page.text
    client_request.post(path, {"password": "three random words", "confirm": "three random words"})
    client_request.get(path, expected_status=410)  # used once, then dead

    user = db.session.scalar(select(User).where(User.email == "robin@example.org"))
    assert user.roles == {"key_worker"}
    response = client_request.post(
        "/sign-in", {"email": "robin@example.org", "password": "three random words"}
    )
    assert response.headers["Location"] == "/staff"


def test_users_create_command_prints_a_set_password_link(runner, app):
    result = runner.invoke(
        args=["users", "create", "--email", "lead@example.org", "--name", "Lee Lead",
              "--role", "safeguarding_lead", "--role", "coordinator"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "/set-password/" in result.output
    user = db.session.scalar(select(User))
    assert user.roles == {"safeguarding_lead", "coordinator"}
    refused = runner.invoke(args=["users", "create", "--email", "p@example.org", "--name", "P",
                                  "--role", "provider"])  # fmt: skip
    assert refused.exit_code != 0 and "--provider" in refused.output


def set_password_path(user) -> str:
    from app.accounts.credentials import set_password_link

    link = set_password_link(user)
    return link[link.index("/set-password/") :]


@pytest.mark.parametrize(
    ("password", "advice"),
    [
        ("password1234", "This is a very common password."),
        ("Password123!", "This is similar to a commonly used password."),
        ("qwertyuiopasdf", "Add another word or two. Uncommon words are better."),
        ("aaaaaaaaaaaaaaaa", 'Repeats like "aaa" are easy to guess.'),
    ],
)
def test_a_weak_or_common_password_is_refused_with_advice(client_request, app, password, advice):
    user = User(email="sam@example.org", name="Sam Worker")
    db.session.add(user)
    db.session.commit()
    path = set_password_path(user)
    page = client_request.post(path, {"password": password, "confirm": password}, 200)
    summary = normalize_spaces(page.select_one(".govuk-error-summary").text)
    assert "Choose a password that is harder to guess." in summary
    assert advice in summary
    db.session.rollback()
    assert db.session.get(User, user.id).password_hash is None


def test_a_password_made_of_the_persons_own_name_is_refused(client_request, app):
    user = User(email="rosalind.okonkwo@example.org", name="Rosalind Okonkwo")
    db.session.add(user)
    db.session.commit()
    password = "RosalindOkonkwo"  # strong for zxcvbn, were it not her name
    page = client_request.post(
        set_password_path(user), {"password": password, "confirm": password}, 200
    )
    assert "Choose a password that is harder to guess." in normalize_spaces(page.text)


def test_a_strong_password_is_set_and_works(client_request, app):
    user = User(email="sam@example.org", name="Sam Worker")
    db.session.add(user)
    db.session.commit()
    password = "lantern orchard velvet"
    client_request.post(set_password_path(user), {"password": password, "confirm": password})
    response = client_request.post("/sign-in", {"email": user.email, "password": password})
    assert response.headers["Location"] == "/staff"
