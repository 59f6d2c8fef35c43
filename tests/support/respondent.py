"""A simulated respondent: the whole journey over HTTP, as a phone's browser makes it,
with the retries a flaky mobile connection causes."""

from __future__ import annotations

import re
import socket
import time
from urllib.parse import urlencode

import requests

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
RADIO = re.compile(r'name="([\w-]+)" type="radio" value="([^"]+)"')
CODE = re.compile(r'id="participant-code">([^<]+)<')
# A connection dropped mid-request, as when a worker dies or a phone loses signal.
DROPPED = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)


def start_send_and_stall(base_url: str, token: str, respondent: Respondent, check: str):
    """Open the final send on a raw socket and stop half-way through the body, so a worker
    is certainly busy with it. Returns the socket; the request is in flight."""
    body = urlencode({"csrf_token": CSRF.search(check).group(1)}).encode()
    host, port = base_url.removeprefix("http://").split(":")
    cookies = "; ".join(f"{c.name}={c.value}" for c in respondent.http.cookies)
    head = (
        f"POST /s/{token}/check HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nCookie: {cookies}\r\n\r\n"
    ).encode()
    sock = socket.create_connection((host, int(port)), timeout=30)
    sock.sendall(head + body[: len(body) // 2])
    return sock


class ServerError(Exception):
    """The server answered 5xx: a defect, never an expected outcome."""


class Respondent:
    def __init__(self, base_url: str, session: requests.Session | None = None, retries: int = 5):
        self.base = base_url
        self.http = session or requests.Session()
        self.retries = retries
        self.dropped = 0
        self.server_errors = 0

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        for attempt in range(self.retries + 1):
            try:
                response = self.http.request(
                    method, self.base + path, allow_redirects=False, timeout=30, **kwargs
                )
            except DROPPED:
                self.dropped += 1
                if attempt == self.retries:
                    raise
                time.sleep(0.05 * (attempt + 1))
                continue
            if response.status_code >= 500:
                self.server_errors += 1
                raise ServerError(f"{method} {path}: {response.status_code}")
            return response
        raise AssertionError("unreachable")

    def get(self, path: str) -> str:
        response = self._send("GET", path)
        if response.status_code != 200:
            raise AssertionError(f"GET {path}: {response.status_code}")
        return response.text

    def post(self, path: str, data: dict, page: str) -> str:
        """Post the form on `page` (its CSRF token added) and return where it redirects."""
        data = dict(data, csrf_token=CSRF.search(page).group(1))
        response = self._send("POST", path, data=data)
        if response.status_code != 302:
            raise AssertionError(f"POST {path}: {response.status_code}\n{response.text[:500]}")
        return response.headers["Location"]

    def complete(self, token: str, value_index: int = 3, retry_submit: bool = False) -> str:
        """Answer every question of the campaign, send, and return the participant code."""
        check = self.answer_everything(token, value_index)
        return self.send(token, check, retry_submit)

    def answer_everything(self, token: str, value_index: int = 3) -> str:
        """Go from the start page to check-your-answers; return that page."""
        start = f"/s/{token}"
        self.get(start)
        consent = self.get(start + "/consent")
        location = self.post(start + "/consent", {"consent": "yes"}, consent)
        if location.endswith("/code"):
            page = self.get(start + "/code")
            location = self.post(start + "/code", {"has_code": "no"}, page)
        while "/questions/" in location:
            path = location[location.index("/s/") :]
            page = self.get(path)
            answers: dict[str, str] = {}
            for name, value in RADIO.findall(page):
                answers.setdefault(name, [])
                answers[name].append(value)
            chosen = {name: values[min(value_index, len(values) - 1)]
                      for name, values in answers.items()}  # fmt: skip
            location = self.post(path, chosen, page)
        return self.get(start + "/check")

    def send(self, token: str, check: str, retry_submit: bool = False) -> str:
        start = f"/s/{token}"
        location = self.post(start + "/check", {}, check)
        if retry_submit:
            # The phone never saw the answer to its send, so it sends again.
            location = self.post(start + "/check", {}, check)
        assert location.endswith("/confirmation"), location
        confirmation = self.get(start + "/confirmation")
        return CODE.search(confirmation).group(1).replace("-", "")
