"""Real servers for browser, load and benchmark runs: gunicorn on loopback over a fresh,
migrated database holding the demo data."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.config import normalise_database_url

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_postgres_database(server_url: str, name: str) -> str:
    """Drop and create database `name` on the server of `server_url`; return its URL."""
    url = make_url(normalise_database_url(server_url))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


# Load and benchmark runs send thousands of journeys from 127.0.0.1, far past the limits
# a real client meets (app.respond.submission_limit); they measure the server, not those.
NO_SUBMISSION_LIMITS = {
    "SUBMISSIONS_PER_ADDRESS": "100000000",
    "SUBMISSIONS_PER_BROWSER": "100000000",
}


def server_environment(database_url: str, port: int, **extra: str) -> dict:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="test-server-secret",
        SESSION_COOKIE_SECURE="0",
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        # No PDF packs drawn in the background while browser and load tests run beside it.
        PACK_PREPARE="0",
    )
    env.pop("DEVELOPMENT", None)
    env.update(extra)
    return env


def prepare_database(env: dict) -> None:
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=REPO_ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    subprocess.run([*flask, "demo", "load"], cwd=REPO_ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip


class Gunicorn:
    """gunicorn serving wsgi:app with sync workers, as in production."""

    def __init__(self, env: dict, port: int, workers: int = 2):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--backlog",
                "2048",
                "--timeout",
                "60",
                "--log-level",
                "warning",
                "wsgi:app",
            ],  # fmt: skip
            cwd=REPO_ROOT,
            env=env,
        )
        self._wait_until_serving()

    def _wait_until_serving(self) -> None:
        # Generous: on a busy two-core machine, loading the app in each worker can take a
        # minute. A server that exits is reported at once.
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=5)
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"gunicorn exited with {self.process.returncode} before serving"
                    ) from None
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("gunicorn did not start within 3 minutes") from None
                time.sleep(0.2)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def kill_worker(self) -> int:
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def worker_serving(self, client_port: int, wait: float = 5.0) -> int:
        """The worker holding the connection that a client opened from `client_port`."""
        import psutil

        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            for pid in self.worker_pids():
                try:
                    connections = psutil.Process(pid).net_connections(kind="tcp")
                except psutil.NoSuchProcess:
                    continue
                if any(c.raddr and c.raddr.port == client_port for c in connections):
                    return pid
            time.sleep(0.02)
        raise AssertionError(f"no worker took the connection from port {client_port}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def peak_memory_kib(pid: int) -> int:
    """The high-water mark of a process's resident memory (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
