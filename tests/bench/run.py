"""`make bench`: throughput, page weight and worker memory, written as JSON and printed.

Not part of `make test`: the figures depend on the machine, so they are measured and
reported, never asserted in a timed unit test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from app.config import normalise_database_url
from tests.support.servers import (
    REPO_ROOT,
    Gunicorn,
    free_port,
    fresh_postgres_database,
    peak_memory_kib,
    prepare_database,
    server_environment,
)

TARGETS = {
    "journey_rps_share_of_ceiling": ">= 0.5",
    "first_view_bytes": "<= 61440",
    "later_page_bytes": "<= 12288",
    "worker_peak_memory_mb": "<= 200",
    "evidence_page_median_ms_at_1m": "<= 300",
}


def scalar(database_url: str, sql: str):
    engine = create_engine(normalise_database_url(database_url))
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar_one()
    engine.dispose()
    return value


def run_locust(user_class: str, host: str, users: int, seconds: int, env: dict) -> dict:
    """Run locust headless; return total requests, failures and requests per second."""
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f", str(REPO_ROOT / "tests/bench/locustfile.py"),
        "--headless", "--only-summary", "--json",
        "-u", str(users), "-r", str(users), "-t", f"{seconds}s",
        "--host", host, "--loglevel", "ERROR",
        user_class,
    ]  # fmt: skip
    started = time.monotonic()
    result = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=seconds + 120
    )
    elapsed = time.monotonic() - started
    try:
        stats = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"locust failed:\n{result.stdout}\n{result.stderr}") from None
    requests = sum(entry["num_requests"] for entry in stats)
    failures = sum(entry["num_failures"] for entry in stats)
    first = min(entry["start_time"] for entry in stats)
    last = max(entry["last_request_timestamp"] or first for entry in stats)
    duration = max(last - first, 1e-9)
    response_times = [
        entry["total_response_time"] / entry["num_requests"]
        for entry in stats
        if entry["num_requests"]
    ]
    return {
        "requests": requests,
        "failures": failures,
        "seconds": round(duration, 2),
        "requests_per_second": round(requests / duration, 1),
        "mean_response_ms_by_route_median": round(statistics.median(response_times), 1)
        if response_times
        else None,
        "wall_seconds": round(elapsed, 1),
    }


def throughput(backend: str, database_url: str, users: int, seconds: int) -> dict:
    port = free_port()
    env = server_environment(database_url, port)
    prepare_database(env)
    token = scalar(database_url, "SELECT token FROM campaign WHERE instrument_id = 'wemwbs'")
    server = Gunicorn(env, port, workers=2)
    try:
        locust_env = dict(os.environ, BENCH_CAMPAIGN_TOKEN=token, PYTHONPATH=str(REPO_ROOT))
        ceiling = run_locust("CeilingUser", server.url, users, seconds, locust_env)
        before = scalar(database_url, "SELECT count(*) FROM response")
        journey = run_locust("JourneyUser", server.url, users, seconds, locust_env)
        stored = scalar(database_url, "SELECT count(*) FROM response") - before
        memory = max(peak_memory_kib(pid) for pid in server.worker_pids())
    finally:
        server.stop()
    return {
        "backend": backend,
        "ceiling_requests_per_second": ceiling["requests_per_second"],
        "journey_requests_per_second": journey["requests_per_second"],
        "journey_rps_share_of_ceiling": round(
            journey["requests_per_second"] / ceiling["requests_per_second"], 2
        ),
        "completed_submissions_per_second": round(stored / journey["seconds"], 1),
        "submissions_stored": stored,
        "journey_failures": journey["failures"],
        "ceiling_failures": ceiling["failures"],
        "worker_peak_memory_mb": round(memory / 1024, 1),
        "detail": {"ceiling": ceiling, "journey": journey},
    }


def page_weight(database_url: str) -> dict:
    """Bytes a phone's Chromium receives, compressed as served, first with an empty cache."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, PHONE

    port = free_port()
    env = server_environment(database_url, port)
    prepare_database(env)
    token = scalar(database_url, "SELECT token FROM campaign WHERE instrument_id = 'wemwbs'")
    server = Gunicorn(env, port, workers=1)
    pages: dict[str, int] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            context = browser.new_context(viewport=PHONE)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            received = {"bytes": 0}
            cdp.on(
                "Network.loadingFinished",
                lambda event: received.__setitem__(
                    "bytes", received["bytes"] + int(event["encodedDataLength"])
                ),
            )

            def measure(name, action):
                received["bytes"] = 0
                action()
                page.wait_for_load_state("networkidle")
                pages[name] = received["bytes"]

            base = f"{server.url}/s/{token}"
            measure("start (empty cache)", lambda: page.goto(base))
            measure("consent", lambda: page.get_by_role("button", name="Start now").click())
            page.get_by_label("Yes, I am happy to take part").check()
            measure("code", lambda: page.get_by_role("button", name="Continue").click())
            page.get_by_label("No, or I have not done this before").check()
            measure("questions 1", lambda: page.get_by_role("button", name="Continue").click())
            number = 1
            while "/questions/" in page.url:
                for fieldset in page.locator("fieldset.govuk-fieldset").all():
                    fieldset.get_by_label("Often", exact=True).check()
                number += 1
                name = f"questions {number}" if number <= 2 else "check"
                measure(name, lambda: page.get_by_role("button", name="Continue").click())
            measure(
                "confirmation", lambda: page.get_by_role("button", name="Send my answers").click()
            )
            browser.close()
    finally:
        server.stop()
    later = {name: size for name, size in pages.items() if name != "start (empty cache)"}
    return {
        "first_view_bytes": pages["start (empty cache)"],
        "later_page_bytes_max": max(later.values()),
        "later_page_bytes_median": statistics.median(later.values()),
        "pages": pages,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--output", default=str(REPO_ROOT / "bench-results" / "bench.json"))
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        help="a PostgreSQL server URL; a database test_bench is created on it",
    )
    args = parser.parse_args()
    folder = Path(args.output).parent
    folder.mkdir(parents=True, exist_ok=True)

    results: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "settings": {"locust_users": args.users, "seconds_per_run": args.seconds, "workers": 2},
        "targets": TARGETS,
        "throughput": [],
    }
    sqlite_url = f"sqlite:///{folder / 'bench.sqlite3'}"
    for suffix in ("", "-wal", "-shm"):
        Path(str(folder / "bench.sqlite3") + suffix).unlink(missing_ok=True)
    results["throughput"].append(throughput("sqlite", sqlite_url, args.users, args.seconds))
    try:
        pg_url = fresh_postgres_database(args.postgres, "test_bench")
    except Exception as error:  # noqa: BLE001 - report, do not hide, a missing server
        results["throughput"].append({"backend": "postgresql", "skipped": str(error)[:200]})
    else:
        results["throughput"].append(throughput("postgresql", pg_url, args.users, args.seconds))

    weight_db = folder / "weight.sqlite3"
    weight_db.unlink(missing_ok=True)
    results["page_weight"] = page_weight(f"sqlite:///{weight_db}")
    results["evidence_page"] = {
        "measured": False,
        "why": "the commissioner evidence pages are not built yet; measured once they exist",
    }
    Path(args.output).write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    print(f"\nWritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
