"""A real Celery worker in a subprocess: the project's own app, on PostgreSQL and Redis.

Fault tolerance is a claim about processes (one dies, another carries on), so it is proved with
real ones, not an eager or in-process worker. A worker starts in a session of its own, so that
killing it kills its pool processes too, as when a machine or container dies.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
TIMEOUT_SECONDS = 60.0  # every wait on a worker is bounded by this


def require_worker_services(vendor: str) -> str:
    """This machine's Redis URL, or a skip saying what is missing; a failure instead of the skip
    when REQUIRE_WORKER_TESTS=true (CI has both: a skip there would hide a gap)."""
    missing = []
    if vendor != "postgresql":
        missing.append(
            f"the test database is {vendor}, not PostgreSQL (a worker process cannot share "
            "SQLite's in-memory test database); set DATABASE_URL=postgres://…"
        )
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        missing.append("REDIS_URL is not set (the worker needs a real broker)")
    if missing:
        reason = "Real Celery worker tests cannot run: " + "; ".join(missing) + "."
        if os.environ.get("REQUIRE_WORKER_TESTS") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return redis_url


def database_url(settings_dict: Mapping[str, Any]) -> str:
    """The URL of the database Django is connected to, for a worker process to use too."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict["HOST"] or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


def wait_for(condition: Callable[[], bool], *, what: str, timeout: float = TIMEOUT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Gave up after {timeout:.0f} s waiting for {what}.")
        time.sleep(0.05)


class CeleryWorker:
    """`celery -A config worker` on one queue; its output goes to `log_path`."""

    def __init__(
        self, *, name: str, queue: str, env: Mapping[str, str], log_path: Path, concurrency: int
    ) -> None:
        self.node = f"{name}@%h"
        self.name = name
        self.log_path = log_path
        command = [
            str(CELERY),
            "--app=config",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            f"--queues={queue}",
            f"--hostname={self.node}",
            "--loglevel=INFO",
            # Alone on its queue: no waiting to sync with, or hear from, other workers.
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env={**os.environ, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until_ready(self) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"Worker {self.name} exited early:\n{self.log()[-3000:]}")
            return re.search(rf"{re.escape(self.name)}@\S+ ready\.", self.log()) is not None

        wait_for(ready, what=f"worker {self.name} to be ready")

    def kill(self) -> None:
        """SIGKILL to the worker and its pool at once: nothing is cleaned up or acknowledged."""
        with contextlib.suppress(ProcessLookupError):  # the whole group had already exited
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=TIMEOUT_SECONDS)

    def stop(self) -> None:
        """A warm shutdown (the task in hand finishes), then anything left in its group killed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):  # then killed, below
                self.process.wait(timeout=20)
        self.kill()
