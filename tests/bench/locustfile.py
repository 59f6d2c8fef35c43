"""Load shapes for `make bench`: the whole WEMWBS journey, a trivial route as the ceiling, and
a commissioner reading a service's evidence page.

Run by tests/bench/run.py; pick the user class by name on the locust command line.
"""

from __future__ import annotations

import os
import re

from locust import HttpUser, task

from tests.support.respondent import Respondent


class CeilingUser(HttpUser):
    """The same server answering a route that does nothing: the most it can serve."""

    @task
    def healthz(self):
        self.client.get("/healthz")


class HelpPageUser(HttpUser):
    """A respondent reading the help page: the full page layout in their language, with no
    database and no form. How far the journey is from the ceiling because of the page
    alone, and how far because of what the journey stores."""

    @task
    def help_page(self):
        self.client.get("/help")


class JourneyUser(HttpUser):
    """A young person completing WEMWBS on a phone, some sending twice."""

    token = os.environ.get("BENCH_CAMPAIGN_TOKEN", "")

    @task
    def complete_wemwbs(self):
        # Each journey is a new phone: a fresh cookie jar.
        self.client.cookies.clear()
        respondent = Respondent(self.host, session=self.client, retries=0)
        respondent.complete(self.token)


class EvidenceUser(HttpUser):
    """A commissioner reading one service's evidence page, one request straight after
    another, `BENCH_EVIDENCE_REQUESTS` times after one warm-up request (which draws the
    charts), then stopping the run."""

    path = os.environ.get("BENCH_EVIDENCE_PATH", "")
    email = os.environ.get("BENCH_EVIDENCE_EMAIL", "")
    password = os.environ.get("BENCH_EVIDENCE_PASSWORD", "")
    requests = int(os.environ.get("BENCH_EVIDENCE_REQUESTS", "50"))

    def wait_time(self):
        return 0

    def on_start(self):
        page = self.client.get("/sign-in", name="sign in")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
        self.client.post(
            "/sign-in",
            data={"csrf_token": token.group(1) if token else "", "email": self.email,
                  "password": self.password},
            name="sign in",
        )  # fmt: skip
        self.client.get(self.path, name="warm-up")
        self.done = 0

    @task
    def evidence_page(self):
        with self.client.get(self.path, name="evidence page", catch_response=True) as response:
            if "Sign in" in response.text[:2000] and "/sign-in" in response.url:
                response.failure("signed out")
        self.done += 1
        if self.done >= self.requests:
            self.environment.runner.quit()
