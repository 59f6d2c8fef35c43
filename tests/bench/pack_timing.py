"""Time a provider's PDF evidence pack in-process, on the database in DATABASE_URL.

    python -m tests.bench.pack_timing [--first 3] [--repeat 10] [--email ...] [--password ...]

Signs in as the bench commissioner through the app's own sign-in, picks the provider with
the median number of responses and its last complete period, and times the download of its
PDF pack (`/evidence/providers/<id>/pack.pdf`) as a commissioner would get it:

- `first_build`: with nothing kept (no figures, charts or built packs), `--first` times;
- `first_build_after_page`: the provider's evidence page viewed first (its figures and
  charts kept), then the PDF asked for at once: the page has started drawing it in the
  background (`PackCache.prepare`), so the download waits for the rest of that drawing;
- `download_after_reading`: the page viewed, and the PDF asked for once the page's
  background drawing is done (a commissioner reading the summary for a few seconds first);
  `prepared_ms` is how long that drawing took from the page's request, and `drawn_again`
  how many of those downloads drew the PDF again (0 when the background drawing is used);
- `repeat_download`: the same PDF again while its data are unchanged, `--repeat` times
  (`drawn_again`: 0 when every repeat is the kept file).

Prints one JSON object with the medians, each run's time (wall clock and this process's
CPU time, so a busy machine shows as the gap between them), the page count and the size.
Run by tests/bench/run.py in a subprocess.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import threading
import time

from sqlalchemy import func, select

from app import create_app
from app.charts import cache as chart_cache
from app.evidence.pack_cache import PackCache
from app.extensions import db
from app.models import Campaign, Provider, Response, Service

EMAIL = "bench-commissioner@example.org"
PASSWORD = "bench-commissioner-password"


def typical_provider() -> tuple[int, int]:
    """The provider with the median number of responses (ties by id): (id, responses)."""
    counts = db.session.execute(
        select(Service.provider_id, func.count(Response.id))
        .join(Campaign, Campaign.service_id == Service.id)
        .join(Response, Response.campaign_id == Campaign.id)
        .group_by(Service.provider_id)
        .order_by(func.count(Response.id), Service.provider_id)
    ).all()
    provider_id, responses = counts[len(counts) // 2]
    return provider_id, responses


def timed(action) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, result


def summary(runs: list[tuple[float, float]]) -> dict:
    return {
        "median_ms": round(statistics.median(wall for wall, _ in runs), 1),
        "cpu_median_ms": round(statistics.median(cpu for _, cpu in runs), 1),
        "runs_ms": [round(wall, 1) for wall, _ in runs],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--first", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--email", default=EMAIL)
    parser.add_argument("--password", default=PASSWORD)
    args = parser.parse_args()
    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False  # an in-process client signing in, not a browser
    with app.app_context():
        provider_id, responses = typical_provider()
        provider = db.session.get(Provider, provider_id)
        result = {
            "provider_id": provider_id,
            "provider": provider.name,
            "provider_responses": responses,
            "total_responses": db.session.scalar(select(func.count(Response.id))),
        }
    client = app.test_client()
    signed_in = client.post("/sign-in", data={"email": args.email, "password": args.password})
    if signed_in.status_code != 302:
        raise SystemExit(f"could not sign in as {args.email}")
    page_path = f"/evidence/providers/{provider_id}"
    path = f"{page_path}/pack.pdf"

    def download():
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return response.get_data()

    def forget(folder: str) -> None:
        """Nothing kept: no figures, no charts, no built packs (as a fresh deploy)."""
        app.extensions["evidence_figures"].clear()
        app.extensions["evidence_packs"] = PackCache(folder)
        chart_cache.configure(None)

    def prepared() -> float:
        """View the page, wait for the PDF it starts drawing: ms from the page's request."""
        started = time.perf_counter()
        client.get(page_path)
        for thread in threading.enumerate():
            if thread.name == "pack-prepare":
                thread.join()
        return (time.perf_counter() - started) * 1000

    with tempfile.TemporaryDirectory(prefix="bench-packs-") as folder:
        cold, after_page, after_reading, preparing = [], [], [], []
        drawn_again = 0
        for run in range(args.first):
            forget(f"{folder}/cold-{run}")
            wall, cpu, body = timed(download)
            cold.append((wall, cpu))
            forget(f"{folder}/page-{run}")
            client.get(page_path)
            wall, cpu, body = timed(download)
            after_page.append((wall, cpu))
            forget(f"{folder}/read-{run}")
            preparing.append(prepared())
            drawn = app.extensions["evidence_packs"].misses
            wall, cpu, body = timed(download)
            after_reading.append((wall, cpu))
            drawn_again += app.extensions["evidence_packs"].misses - drawn
        drawn = app.extensions["evidence_packs"].misses
        repeats = [timed(download)[:2] for _ in range(args.repeat)]
        repeats_drawn_again = app.extensions["evidence_packs"].misses - drawn
    from pypdf import PdfReader

    result.update(
        {
            "pages": len(PdfReader(io.BytesIO(body)).pages),
            "bytes": len(body),
            "first_build": summary(cold),
            "first_build_after_page": summary(after_page),
            "download_after_reading": {
                **summary(after_reading),
                "prepared_ms": [round(ms, 1) for ms in preparing],
                "drawn_again": drawn_again,
            },
            "repeat_download": {**summary(repeats), "drawn_again": repeats_drawn_again},
        }
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
