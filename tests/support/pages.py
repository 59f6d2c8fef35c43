"""`ClientRequest` and the checks every page it fetches must pass (one h1, a title without
markup, `lang`/`dir`, no repeated ids, CSRF on every POST form)."""

from __future__ import annotations

import re
from collections import Counter

from bs4 import BeautifulSoup

from app.extensions import db
from app.languages import is_supported, language


def normalize_spaces(value: str) -> str:
    return " ".join(value.split())


class PageProblem(AssertionError):
    pass


def check_page(html: str, url: str) -> BeautifulSoup:
    """What every HTML page must get right, whoever wrote it."""
    page = BeautifulSoup(html, "html.parser")
    problems = []
    title = page.find("title")
    if title is None or not normalize_spaces(title.text):
        problems.append("has no <title>")
    elif "<" in title.text or title.find(True) is not None:
        problems.append(f"has markup in its <title>: {str(title)[:120]!r}")
    h1s = page.find_all("h1")
    # The confirmation panel's title is the page's h1.
    if len(h1s) != 1:
        problems.append(f"has {len(h1s)} h1 elements, not 1")
    html_tag = page.find("html")
    if html_tag is None or not html_tag.get("lang"):
        problems.append("has no lang on <html>")
    elif is_supported(html_tag["lang"]):
        direction = language(html_tag["lang"]).direction
        if html_tag.get("dir", "ltr") != direction:
            problems.append(f"is in {html_tag['lang']} but its <html> dir is not {direction}")
    ids = Counter(tag["id"] for tag in page.find_all(id=True))
    duplicates = [i for i, n in ids.items() if n > 1]
    if duplicates:
        problems.append(f"repeats ids {duplicates}")
    for form in page.find_all("form"):
        if (form.get("method") or "get").lower() == "post" and not form.find(
            "input", attrs={"name": "csrf_token"}
        ):
            problems.append("has a POST form without a CSRF token")
    if problems:
        raise PageProblem(f"{url} " + "; ".join(problems))
    return page


class ClientRequest:
    """Fetches pages through the test client and checks each HTML page it gets."""

    def __init__(self, client):
        self.client = client
        self.last = None

    def _send(self, method: str, url: str, **kwargs):
        # End the test's own read transaction so it sees what the request writes, and give the
        # request a fresh app context: one shared with the test would share `g` (and so a
        # cached CSRF token) between different browsers.
        db.session.rollback()
        with self.client.application.app_context():
            return getattr(self.client, method)(url, **kwargs)

    def get(self, url: str, expected_status: int = 200, follow_redirects: bool = False):
        response = self._send("get", url, follow_redirects=follow_redirects)
        assert response.status_code == expected_status, (
            f"GET {url}: {response.status_code}, expected {expected_status}"
        )
        self.last = response
        if response.mimetype == "text/html" and not 300 <= response.status_code < 400:
            return check_page(response.get_data(as_text=True), url)
        return response

    def post(
        self,
        url: str,
        data: dict | None = None,
        expected_status: int = 302,
        form_page: str | None = None,
        **kwargs,
    ):
        """Post a form as a browser would: with the CSRF token of the page that holds it
        (`form_page`, by default the page at `url`)."""
        data = dict(data or {})
        if "csrf_token" not in data:
            form_page = self._send("get", form_page or url)
            match = re.search(
                r'name="csrf_token"[^>]*value="([^"]+)"',
                form_page.get_data(as_text=True),
            )
            assert match, f"no CSRF token on {url}"
            data["csrf_token"] = match.group(1)
        response = self._send("post", url, data=data, **kwargs)
        assert response.status_code == expected_status, (
            f"POST {url}: {response.status_code}, expected {expected_status}\n"
            + response.get_data(as_text=True)[:3000]
        )
        self.last = response
        if response.mimetype == "text/html" and response.status_code != 302:
            return check_page(response.get_data(as_text=True), url)
        return response
