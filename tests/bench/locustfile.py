"""Load shapes for `make bench`: the whole WEMWBS journey, and a trivial route as the ceiling.

Run by tests/bench/run.py; pick the user class by name on the locust command line.
"""

from __future__ import annotations

import os

from locust import HttpUser, task

from tests.support.respondent import Respondent


class CeilingUser(HttpUser):
    """The same server answering a route that does nothing: the most it can serve."""

    @task
    def healthz(self):
        self.client.get("/healthz")


class JourneyUser(HttpUser):
    """A young person completing WEMWBS on a phone, some sending twice."""

    token = os.environ.get("BENCH_CAMPAIGN_TOKEN", "")

    @task
    def complete_wemwbs(self):
        # Each journey is a new phone: a fresh cookie jar.
        self.client.cookies.clear()
        respondent = Respondent(self.host, session=self.client, retries=0)
        respondent.complete(self.token)
