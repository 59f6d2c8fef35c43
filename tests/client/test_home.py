"""`/`: what the service is and where each visitor goes, for anyone, in their language."""

from __future__ import annotations

from tests.support.pages import normalize_spaces


def links(page) -> dict[str, str]:
    return {normalize_spaces(a.text): a["href"] for a in page.select("main a")}


def test_the_home_page_says_what_the_service_is_and_where_to_go_without_signing_in(
    client_request,
):
    page = client_request.get("/")
    assert normalize_spaces(page.h1.text) == "Have your say about the services you use"
    assert "We never ask for your name" in normalize_spaces(page.select_one("main").text)
    assert links(page) == {
        "See or delete your answers": "/my-answers",
        "Help if you are worried": "/help",
        "I would like someone to contact me": "/contact-me",
        "Sign in to your workspace": "/sign-in",
    }


def test_the_home_page_is_in_the_browsers_language(client_request):
    client_request.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "cy"
    page = client_request.get("/")
    assert page.html["lang"] == "cy"
    assert normalize_spaces(page.h1.text) == (
        "Dweud eich dweud am y gwasanaethau rydych chi'n eu defnyddio"
    )
    assert links(page)["Gweld neu ddileu eich atebion"] == "/my-answers"


def test_the_home_page_offers_every_language_and_reads_right_to_left_in_arabic(client_request):
    page = client_request.get("/")
    switcher = {a.get("lang") for a in page.select("a[lang]")}
    assert {"cy", "ar", "ur", "so"} <= switcher
    client_request.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar"
    page = client_request.get("/")
    assert (page.html["lang"], page.html["dir"]) == ("ar", "rtl")


def test_the_site_icon_is_served_and_every_layout_links_it(client, client_request):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.mimetype == "image/x-icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    for path in ("/", "/sign-in"):
        icons = [link["href"] for link in client_request.get(path).select("link[rel=icon]")]
        assert "/favicon.ico" in icons
        assert any(href.startswith("/static/favicon.svg") for href in icons)
