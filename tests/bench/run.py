"""`make bench`: throughput, page weight and worker memory, written as JSON and printed.

Not part of `make test`: the figures depend on the machine, so they are measured and
reported, never asserted in a timed unit test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import synthetic
from app.config import normalise_database_url
from tests.support.servers import (
    BIN,
    NO_SUBMISSION_LIMITS,
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
    "evidence_worker_peak_memory": "flat as responses grow 10x",
    "provider_pdf_first_build_median_ms_at_1m": "<= 3000",
    "provider_pdf_repeat_download_median_ms_at_1m": "<= 200",
}
STAGES = ("throughput", "page_weight", "evidence", "packs")
EVIDENCE_SIZES = "100000,1000000"
EVIDENCE_EMAIL = "bench-commissioner@example.org"
# 40 synthetic providers of 5 services each: 200 services, each under its own contract.
PROVIDERS = 40
EVIDENCE_PASSWORD = "bench-commissioner-password"


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
    env = server_environment(database_url, port, **NO_SUBMISSION_LIMITS)
    prepare_database(env)
    token = scalar(database_url, "SELECT token FROM campaign WHERE instrument_id = 'wemwbs'")
    server = Gunicorn(env, port, workers=2)
    try:
        locust_env = dict(os.environ, BENCH_CAMPAIGN_TOKEN=token, PYTHONPATH=str(REPO_ROOT))
        ceiling = run_locust("CeilingUser", server.url, users, seconds, locust_env)
        help_page = run_locust("HelpPageUser", server.url, users, seconds, locust_env)
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
        "help_page_requests_per_second": help_page["requests_per_second"],
        "help_page_rps_share_of_ceiling": round(
            help_page["requests_per_second"] / ceiling["requests_per_second"], 2
        ),
        "completed_submissions_per_second": round(stored / journey["seconds"], 1),
        "submissions_stored": stored,
        "journey_failures": journey["failures"],
        "ceiling_failures": ceiling["failures"],
        "help_page_failures": help_page["failures"],
        "worker_peak_memory_mb": round(memory / 1024, 1),
        "detail": {"ceiling": ceiling, "help_page": help_page, "journey": journey},
    }


def page_weight(database_url: str) -> dict:
    """Bytes a phone's Chromium receives, compressed as served, first with an empty cache."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM, CHROMIUM_FLAGS, PHONE

    port = free_port()
    env = server_environment(database_url, port, **NO_SUBMISSION_LIMITS)
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


# --- Evidence at scale -----------------------------------------------------------------------


def evidence_database(backend: str, size: int, seed: int, folder: Path, postgres: str):
    """A database of `size` synthetic responses (`flask evidence synthesise`), built once and
    kept: a SQLite file in `folder`, or a PostgreSQL database on the `postgres` server, named
    by size, seed and generator version. A marker file next to it, written when the build
    finished, says it is complete. Returns its URL and how it was built."""
    key = f"evidence-{backend}-{size}-p{PROVIDERS}-s{seed}-v{synthetic.VERSION}"
    marker = folder / f"{key}.json"
    if backend == "sqlite":
        path = folder / f"{key}.sqlite3"
        url = f"sqlite:///{path}"
        ready = marker.exists() and path.exists()
    else:
        name = key.replace("-", "_")
        url = make_url(normalise_database_url(postgres)).set(database=name)
        url = url.render_as_string(hide_password=False)
        ready = marker.exists() and _postgres_database_exists(postgres, name)
    env = server_environment(url, 0)
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    if not ready:
        marker.unlink(missing_ok=True)
        if backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            url = fresh_postgres_database(postgres, name)
            env = server_environment(url, 0)
        _flask(flask, ["db", "upgrade"], env)
        print(f"Building {key} (kept in bench-results for the next run)...", flush=True)
        started = time.monotonic()
        result = subprocess.run(
            [*flask, "evidence", "synthesise", "--responses", str(size), "--seed", str(seed),
             "--providers", str(PROVIDERS)],
            cwd=REPO_ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        done = result.stdout.strip().splitlines()[-1]
        peak = re.search(r"Peak memory (\d+) MB", done)
        build = {
            "seconds": round(time.monotonic() - started, 1),
            "generator_peak_memory_mb": int(peak.group(1)) if peak else None,
            "summary": done,
        }
        marker.write_text(json.dumps(build, indent=2))
    else:
        # Apply migrations made since it was built (new indexes, say).
        _flask(flask, ["db", "upgrade"], env)
        build = {**json.loads(marker.read_text()), "cached": True}
    account = subprocess.run(
        [*flask, "users", "create", "--email", EVIDENCE_EMAIL, "--name", "Bench Commissioner",
         "--role", "commissioner", "--password"],
        cwd=REPO_ROOT, env=env, input=f"{EVIDENCE_PASSWORD}\n{EVIDENCE_PASSWORD}\n",
        capture_output=True, text=True,
    )  # fmt: skip
    if account.returncode != 0 and "already an account" not in account.stderr + account.stdout:
        raise RuntimeError(f"could not create the commissioner account:\n{account.stderr}")
    # The commissioner works for every synthetic council, so sees every contract.
    subprocess.run(
        [sys.executable, "-m", "tests.bench.contracts_access", EVIDENCE_EMAIL],
        cwd=REPO_ROOT, env=dict(env, PYTHONPATH=str(REPO_ROOT)), check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    return url, build


def _flask(flask: list[str], args: list[str], env: dict) -> None:
    result = subprocess.run([*flask, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stderr[-3000:]}")


def _postgres_database_exists(server_url: str, name: str) -> bool:
    engine = create_engine(make_url(normalise_database_url(server_url)))
    try:
        with engine.connect() as connection:
            return bool(
                connection.execute(
                    text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
                ).scalar()
            )
    finally:
        engine.dispose()


def _percentile(histogram: dict, share: float) -> float | None:
    """From locust's response-time histogram ({rounded ms: count})."""
    times = sorted((float(ms), count) for ms, count in histogram.items())
    total = sum(count for _, count in times)
    if not total:
        return None
    seen = 0
    for ms, count in times:
        seen += count
        if seen >= share * total:
            return ms
    return times[-1][0]


def _page_status(url: str, path: str) -> int:
    """Sign in as the bench commissioner and fetch the page once: its status code."""
    import requests

    session = requests.Session()
    page = session.get(f"{url}/sign-in", timeout=30)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    session.post(
        f"{url}/sign-in",
        data={"csrf_token": token.group(1) if token else "", "email": EVIDENCE_EMAIL,
              "password": EVIDENCE_PASSWORD},
        timeout=30,
    )  # fmt: skip
    return session.get(f"{url}{path}", timeout=300, allow_redirects=False).status_code


def evidence_page(url: str, path: str, requests: int) -> dict:
    """One locust user requesting the page `requests` times in a row, after a warm-up."""
    limit = requests * 20 + 60
    env = dict(
        os.environ,
        PYTHONPATH=str(REPO_ROOT),
        BENCH_EVIDENCE_PATH=path,
        BENCH_EVIDENCE_EMAIL=EVIDENCE_EMAIL,
        BENCH_EVIDENCE_PASSWORD=EVIDENCE_PASSWORD,
        BENCH_EVIDENCE_REQUESTS=str(requests),
    )
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f", str(REPO_ROOT / "tests/bench/locustfile.py"),
        "--headless", "--only-summary", "--json",
        "-u", "1", "-r", "1", "-t", f"{limit}s",
        "--host", url, "--loglevel", "ERROR",
        "EvidenceUser",
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=limit + 120
    )
    try:
        stats = {entry["name"]: entry for entry in json.loads(result.stdout)}
    except json.JSONDecodeError:
        raise RuntimeError(f"locust failed:\n{result.stdout}\n{result.stderr}") from None
    page = stats.get("evidence page", {})
    count = page.get("num_requests", 0)
    warm = stats.get("warm-up", {})
    return {
        "measured": True,
        "requests": count,
        "failures": page.get("num_failures", 0)
        + sum(e["num_failures"] for e in stats.values() if e is not page),
        "median_ms": _percentile(page.get("response_times", {}), 0.5),
        "p95_ms": _percentile(page.get("response_times", {}), 0.95),
        "mean_ms": round(page["total_response_time"] / count, 1) if count else None,
        "max_ms": round(page.get("max_response_time") or 0, 1),
        "warm_up_ms": round(warm.get("total_response_time", 0), 1),
        "bytes": round(page.get("total_content_length", 0) / count) if count else None,
    }


def evidence_at_scale(backend: str, url: str, size: int, build: dict, requests: int) -> dict:
    """The evidence page for a typical service and period, served by gunicorn (2 workers)
    over a database of `size` responses, and the same evidence timed in-process."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-charts-") as charts:
        env = server_environment(url, port, CHART_CACHE_DIR=charts)
        timing = subprocess.run(
            [sys.executable, "-m", "tests.bench.evidence_timing", "--repeat", "20"],
            cwd=REPO_ROOT, env=dict(env, PYTHONPATH=str(REPO_ROOT)), check=True,
            capture_output=True, text=True,
        )  # fmt: skip
        in_process = json.loads(timing.stdout)
        # The typical provider's PDF pack: first build and repeat download, in-process.
        pdf = provider_pdf(url, 3, 10)
        path = f"/evidence/services/{in_process['service_id']}?period={in_process['period']}"
        pages, memory = {}, []
        # The commissioner's overview of every contract, and one contract's page, as served.
        server = Gunicorn(env, port, workers=2)
        try:
            for name, page_path in (
                ("contracts_overview", "/contracts/"),
                ("contract_page", f"/contracts/{in_process['contract_id']}"),
            ):
                status = _page_status(server.url, page_path)
                if status == 200:
                    pages[name] = evidence_page(server.url, page_path, requests)
                else:
                    pages[name] = {"measured": False, "status": status}
        finally:
            server.stop()
        # As served (figures kept per worker while the data is unchanged, charts cached),
        # then with the figures built afresh on every request (charts still cached).
        for name, kept in (("page", "1"), ("page_figures_built", "0")):
            server = Gunicorn(dict(env, EVIDENCE_FIGURES_CACHE=kept), port, workers=2)
            try:
                status = _page_status(server.url, path)
                if status == 200:
                    pages[name] = evidence_page(server.url, path, requests)
                else:
                    pages[name] = {
                        "measured": False,
                        "status": status,
                        "why": "the evidence page did not answer 200; see the in-process timings",
                    }
                memory += [peak_memory_kib(pid) for pid in server.worker_pids()]
            finally:
                server.stop()
        memory.sort()
    return {
        "backend": backend,
        "responses": size,
        "build": build,
        "service": {k: v for k, v in in_process.items() if k != "service_pack"},
        "path": path,
        "contracts": in_process.get("contracts"),
        **pages,
        "in_process": {
            "service_pack_without_charts": in_process["service_pack"],
            "provider_pdf": pdf,
        },
        "worker_peak_memory_mb": [round(kib / 1024, 1) for kib in memory],
    }


def provider_pdf(url: str, first: int, repeat: int) -> dict:
    """`tests.bench.pack_timing` over the database at `url`, in a process of its own, with
    a chart directory of its own: the typical provider's PDF pack, first build (median of
    `first`), after its page is viewed, and repeat downloads (median of `repeat`)."""
    with tempfile.TemporaryDirectory(prefix="bench-charts-") as charts:
        # The evidence page starts drawing its PDF in the background, as in production (the
        # test servers turn that off): "after the page" and "after reading" time it.
        env = server_environment(url, 0, CHART_CACHE_DIR=charts, PACK_PREPARE="1")
        result = subprocess.run(
            [sys.executable, "-m", "tests.bench.pack_timing", "--first", str(first),
             "--repeat", str(repeat), "--email", EVIDENCE_EMAIL, "--password", EVIDENCE_PASSWORD],
            cwd=REPO_ROOT, env=dict(env, PYTHONPATH=str(REPO_ROOT)), check=True,
            capture_output=True, text=True,
        )  # fmt: skip
    return json.loads(result.stdout)


def _each_database(
    folder: Path, postgres: str, sizes: list[int], seed: int, backends, measure, line
) -> list[dict]:
    """`measure(backend, url, size, build)` for each backend and size, on the database
    `evidence_database` builds or reuses, each run's `line` printed as it comes; a backend
    whose server is missing is reported skipped once (SQLite needs none: its failure raises)."""
    runs = []
    for backend in backends:
        for size in sizes:
            try:
                url, build = evidence_database(backend, size, seed, folder, postgres)
            except Exception as error:  # noqa: BLE001 - report, do not hide, a missing server
                if backend == "sqlite":
                    raise
                runs.append({"backend": backend, "responses": size, "skipped": str(error)[:300]})
                break
            runs.append(measure(backend, url, size, build))
            print(line(runs[-1]), flush=True)
    return runs


def packs_stage(
    folder: Path, postgres: str, sizes: list[int], seed: int, backends: list[str], first: int
) -> dict:
    """The PDF pack timings alone (`--stages packs`), on the evidence stage's databases
    (built once and kept in bench-results)."""

    def pack(backend: str, url: str, size: int, build: dict) -> dict:
        run = {"backend": backend, "responses": size, "build": build}
        return run | provider_pdf(url, first, 10)

    runs = _each_database(folder, postgres, sizes, seed, backends, pack, _packs_line)
    return {
        "targets": {
            "first_build_median_ms_at_1m": TARGETS["provider_pdf_first_build_median_ms_at_1m"],
            "repeat_download_median_ms_at_1m": TARGETS[
                "provider_pdf_repeat_download_median_ms_at_1m"
            ],
            "most_pages": 12,
        },
        "seed": seed,
        "runs": runs,
    }


def _packs_line(run: dict) -> str:
    if "skipped" in run:
        return f"  {run['backend']:<10} {run['responses']:>9,}  skipped: {run['skipped']}"

    def timing(name: str) -> str:
        figures = run[name]
        return f"{figures['median_ms']} ms (CPU {figures['cpu_median_ms']} ms)"

    return (
        f"  {run['backend']:<10} {run['responses']:>9,}  provider PDF "
        f"({run['provider_responses']:,} responses, {run['pages']} pages): first build "
        f"{timing('first_build')}; asked for at once after the page "
        f"{timing('first_build_after_page')}; after reading the page "
        f"{timing('download_after_reading')}; repeat {timing('repeat_download')}"
    )


def evidence_stage(folder: Path, postgres: str, sizes: list[int], seed: int, requests: int):
    def at_scale(backend: str, url: str, size: int, build: dict) -> dict:
        return evidence_at_scale(backend, url, size, build, requests)

    runs = _each_database(
        folder, postgres, sizes, seed, ("sqlite", "postgresql"), at_scale, _evidence_line
    )
    growth = {}
    for backend in ("sqlite", "postgresql"):
        measured = [r for r in runs if r["backend"] == backend and "skipped" not in r]
        if len(measured) >= 2:
            small, large = measured[0], measured[-1]
            growth[backend] = {
                "responses": f"{small['responses']:,} -> {large['responses']:,}",
                "worker_peak_memory_mb": f"{max(small['worker_peak_memory_mb'])} -> "
                f"{max(large['worker_peak_memory_mb'])}",
                "ratio": round(
                    max(large["worker_peak_memory_mb"]) / max(small["worker_peak_memory_mb"]), 2
                ),
            }
    return {
        "targets": {
            "page_median_ms": TARGETS["evidence_page_median_ms_at_1m"],
            "worker_peak_memory": TARGETS["evidence_worker_peak_memory"],
        },
        "seed": seed,
        "requests_per_run": requests,
        "runs": runs,
        "memory_growth": growth,
    }


def _evidence_line(run: dict) -> str:
    if "skipped" in run:
        return f"  {run['backend']:<10} {run['responses']:>9,}  skipped: {run['skipped']}"
    own = run["in_process"]

    def served(page: dict) -> str:
        if not page.get("measured"):
            return f"not measured ({page.get('status')})"
        return f"median {page['median_ms']} ms, p95 {page['p95_ms']} ms"

    return (
        f"  {run['backend']:<10} {run['responses']:>9,}  page {served(run['page'])}; "
        f"contracts overview ({run.get('contracts')} contracts) "
        f"{served(run.get('contracts_overview', {}))}; contract page "
        f"{served(run.get('contract_page', {}))}; "
        f"figures built per request {served(run.get('page_figures_built', {}))}; in-process "
        f"pack {own['service_pack_without_charts']['median_ms']} ms; provider PDF first "
        f"build {own['provider_pdf']['first_build']['median_ms']} ms, repeat "
        f"{own['provider_pdf']['repeat_download']['median_ms']} ms "
        f"({own['provider_pdf']['pages']} pages); worker peak memory "
        f"{run['worker_peak_memory_mb']} MB; built in {run['build'].get('seconds')} s"
        + (" (cached)" if run["build"].get("cached") else "")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--output", default=str(REPO_ROOT / "bench-results" / "bench.json"))
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        help="a PostgreSQL server URL; databases test_bench and bench_evidence_* are made on it",
    )
    parser.add_argument(
        "--stages",
        default=",".join(STAGES),
        help=f"comma-separated stages to run, of {', '.join(STAGES)} (default: all); the "
        "figures of stages not run are kept from the previous bench.json",
    )
    parser.add_argument(
        "--evidence-sizes",
        default=EVIDENCE_SIZES,
        help="comma-separated response counts for the evidence stage (default: %(default)s)",
    )
    parser.add_argument("--evidence-seed", type=int, default=1)
    parser.add_argument(
        "--pack-backends",
        default="sqlite",
        help="comma-separated backends for the packs stage, of sqlite, postgresql "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--pack-first", type=int, default=3, help="first builds timed per run (packs stage)"
    )
    parser.add_argument(
        "--evidence-requests", type=int, default=50, help="evidence page requests per run"
    )
    args = parser.parse_args()
    stages = [stage.strip() for stage in args.stages.split(",") if stage.strip()]
    unknown = set(stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stages {sorted(unknown)}: choose from {', '.join(STAGES)}")
    folder = Path(args.output).resolve().parent
    folder.mkdir(parents=True, exist_ok=True)

    results: dict = {}
    if set(stages) != set(STAGES) and Path(args.output).exists():
        results = json.loads(Path(args.output).read_text())
    results.update(
        {
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "settings": {
                "locust_users": args.users,
                "seconds_per_run": args.seconds,
                "workers": 2,
                "stages": stages,
            },
            "targets": TARGETS,
        }
    )
    if "throughput" in stages:
        results["throughput"] = []
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

    if "page_weight" in stages:
        weight_db = folder / "weight.sqlite3"
        weight_db.unlink(missing_ok=True)
        results["page_weight"] = page_weight(f"sqlite:///{weight_db}")

    if "evidence" in stages:
        sizes = [int(size) for size in args.evidence_sizes.split(",") if size.strip()]
        print("Evidence at scale:", flush=True)
        evidence = evidence_stage(
            folder, args.postgres, sizes, args.evidence_seed, args.evidence_requests
        )
        results["evidence_at_scale"] = evidence
        largest = max(sizes)
        results["evidence_page"] = {
            run["backend"]: {
                "responses": run["responses"],
                "median_ms": run["page"].get("median_ms"),
                "p95_ms": run["page"].get("p95_ms"),
                "measured": run["page"].get("measured", False),
                "figures_built_per_request_median_ms": run.get("page_figures_built", {}).get(
                    "median_ms"
                ),
                "in_process_service_pack_median_ms": run["in_process"][
                    "service_pack_without_charts"
                ]["median_ms"],
                "provider_pdf_first_build_median_ms": run["in_process"]["provider_pdf"][
                    "first_build"
                ]["median_ms"],
                "provider_pdf_repeat_download_median_ms": run["in_process"]["provider_pdf"][
                    "repeat_download"
                ]["median_ms"],
            }
            for run in evidence["runs"]
            if "skipped" not in run and run["responses"] == largest
        }
    if "packs" in stages:
        sizes = [int(size) for size in args.evidence_sizes.split(",") if size.strip()]
        backends = [b.strip() for b in args.pack_backends.split(",") if b.strip()]
        print("Provider PDF packs:", flush=True)
        results["packs"] = packs_stage(
            folder, args.postgres, sizes, args.evidence_seed, backends, args.pack_first
        )
        largest = max(sizes)
        results["provider_pdf"] = {
            run["backend"]: {
                "responses": run["responses"],
                "pages": run["pages"],
                "first_build_median_ms": run["first_build"]["median_ms"],
                "first_build_cpu_median_ms": run["first_build"]["cpu_median_ms"],
                "after_page_median_ms": run["first_build_after_page"]["median_ms"],
                "after_reading_median_ms": run["download_after_reading"]["median_ms"],
                "repeat_download_median_ms": run["repeat_download"]["median_ms"],
                "repeat_download_cpu_median_ms": run["repeat_download"]["cpu_median_ms"],
            }
            for run in results["packs"]["runs"]
            if "skipped" not in run and run["responses"] == largest
        }
    Path(args.output).write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    if "evidence" in stages:
        print(
            "\nEvidence at scale (targets: page median "
            f"{TARGETS['evidence_page_median_ms_at_1m']} ms at 1M; worker memory flat):"
        )
        for run in results["evidence_at_scale"]["runs"]:
            print(_evidence_line(run))
        for backend, growth in results["evidence_at_scale"]["memory_growth"].items():
            print(
                f"  {backend}: worker peak memory {growth['worker_peak_memory_mb']} MB "
                f"for {growth['responses']} responses (x{growth['ratio']})"
            )
    if "packs" in stages:
        print(
            "\nProvider PDF packs (targets at 1M: first build "
            f"{TARGETS['provider_pdf_first_build_median_ms_at_1m']} ms, repeat "
            f"{TARGETS['provider_pdf_repeat_download_median_ms_at_1m']} ms; 12 pages or fewer):"
        )
        for run in results["packs"]["runs"]:
            print(_packs_line(run))
    print(f"\nWritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
