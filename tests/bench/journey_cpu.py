"""Server CPU per WEMWBS journey, in-process: the whole journey through the Flask test
client, timed with the process's CPU clock (so a busy machine's waiting is not counted).

    DATABASE_URL=sqlite:///demo.sqlite3 flask --app wsgi db upgrade
    DATABASE_URL=sqlite:///demo.sqlite3 flask --app wsgi demo load
    DATABASE_URL=sqlite:///demo.sqlite3 python -m tests.bench.journey_cpu [--journeys 80]

Prints the median and fastest CPU milliseconds per journey (the first five left out as
warm-up). Each journey comes from its own address, as phones do, so no send limit applies.
"""

from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Campaign
from tests.support.respondent import Respondent


class _Answer:
    def __init__(self, response):
        self.status_code = response.status_code
        self.text = response.get_data(as_text=True)
        self.headers = response.headers


class _TestClientSession:
    """What `Respondent` needs of a requests session, over the Flask test client."""

    def __init__(self, client, address: str):
        self.client = client
        self.address = address
        self.cookies = []

    def request(self, method, url, allow_redirects=False, timeout=None, data=None):
        return _Answer(
            self.client.open(
                url, method=method, data=data, environ_base={"REMOTE_ADDR": self.address}
            )
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--journeys", type=int, default=80)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        token = db.session.scalar(select(Campaign.token).where(Campaign.instrument_id == "wemwbs"))
    times = []
    for n in range(args.journeys):
        session = _TestClientSession(app.test_client(), f"10.0.{n // 250}.{n % 250 + 1}")
        respondent = Respondent("", session=session, retries=0)
        began = time.process_time()
        respondent.send(token, respondent.answer_everything(token))
        times.append((time.process_time() - began) * 1000)
    measured = sorted(times[5:])
    print(
        f"journey CPU: median {statistics.median(measured):.1f} ms, fastest "
        f"{measured[0]:.1f} ms, over {len(measured)} journeys"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
