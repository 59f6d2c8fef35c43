"""Every page is served with a strict Content-Security-Policy, and no page needs inline code."""

from bs4 import BeautifulSoup

from app.security import CONTENT_SECURITY_POLICY


def test_respondent_and_staff_pages_carry_the_policy_and_no_inline_code(
    client_request, demo, make_user, sign_in
):
    token = demo["wemwbs"].token
    paths = [f"/s/{token}", f"/s/{token}/consent", "/help", "/contact-me", "/sign-in"]
    sign_in(make_user("admin", "coordinator", "key_worker"))
    paths += ["/staff", "/admin/campaigns", "/admin/users/new", "/fieldwork/readings/new"]
    for path in paths:
        response = client_request.client.get(path)
        assert response.status_code == 200, path
        headers = response.headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "no-store"
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert [s for s in page.find_all("script") if not s.get("src")] == [], path
        assert page.find("style") is None, path
        assert page.find(attrs={"style": True}) is None, path
        assert not any(
            attribute.startswith("on") for tag in page.find_all(True) for attribute in tag.attrs
        ), path


def test_session_cookies_are_http_only_and_same_site(client_request, demo):
    response = client_request.client.get(f"/s/{demo['wemwbs'].token}/consent")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
