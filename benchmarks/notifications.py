"""How long real Celery workers on Redis take to email 10,000 pending notifications, once each.

    .venv/bin/python -m benchmarks.notifications [--notifications 10000] [--workers 2]
        [--database-url postgres://postgres@127.0.0.1:5432/footing_bench_notifications]
        [--redis-url redis://127.0.0.1:6379/0] [--keep]
        [--output benchmarks/results/notifications.json]

Creates the PostgreSQL database named in --database-url afresh (its name must contain "bench":
it is dropped first, and again at the end unless --keep), migrates it, and writes the people
and their pending notifications with bulk inserts. Before the clock starts it counts, in this
process, the queries `deliver_pending_notifications` sends for a sample (then puts the sample
back to pending), and starts the workers: `celery -A config worker`, one process each, on a
queue of their own, every one ready. Timed: from queuing one delivery task per worker until no
row is pending. The provider is `CountingEmailBackend` below, which sends nothing and appends
each message's subject to a file: from it, what was sent twice, never, and by which worker.
Results go to a JSON file; a short table goes to standard output.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from benchmarks.caseload_breaches import create_database, drop_database, machine

BASE_DIR = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).with_name("celery")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/footing_bench_notifications"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "notifications.json"
TARGET_SECONDS = 30
NOTIFICATIONS_PER_PERSON = 10
EMAIL_LOG_VARIABLE = "BENCH_EMAIL_LOG"


class CountingEmailBackend(BaseEmailBackend):
    """A provider that accepts everything at once: one line per message, `<pid> <subject>`, in
    the file named by BENCH_EMAIL_LOG. One `O_APPEND` write each, so workers never interleave."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        lines = "".join(f"{os.getpid()} {message.subject}\n" for message in email_messages)
        descriptor = os.open(
            os.environ[EMAIL_LOG_VARIABLE], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644
        )
        try:
            os.write(descriptor, lines.encode())
        finally:
            os.close(descriptor)
        return len(email_messages)


def _say(message: str) -> None:
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


def configure_django(*, database_url: str, redis_url: str, email_log: Path) -> None:
    """Django (and the workers, which inherit this environment) against the throwaway database
    and the counting provider, never the developer's .env."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    os.environ["ENV_FILE"] = ""
    os.environ["DEBUG"] = "false"  # DEBUG keeps every query in memory, which skews the figures
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["CONN_MAX_AGE"] = "0"
    os.environ["EMAIL_BACKEND"] = "benchmarks.notifications.CountingEmailBackend"
    os.environ[EMAIL_LOG_VARIABLE] = str(email_log)
    os.environ.setdefault("SECRET_KEY", f"benchmark-only-{secrets.token_urlsafe(32)}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def generate(*, notifications: int) -> float:
    """People, ten notifications each, all pending and due; the seconds it took."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from people.models import Notification, User

    started = time.perf_counter()
    unusable = make_password(None)  # nobody signs in as these people
    with transaction.atomic():
        people = User.objects.bulk_create(
            [
                User(
                    email=f"person{number}@bench.example",
                    full_name=f"Person {number}",
                    password=unusable,
                )
                for number in range(-(-notifications // NOTIFICATIONS_PER_PERSON))
            ],
            batch_size=2000,
        )
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient=people[number % len(people)],
                    kind="benchmark",
                    subject_key=f"item-{number}",
                    title=f"Benchmark notification {number}",
                    body="A supervision session is due. Book it with your supervisor.",
                    link=f"/benchmark/{number}/",
                )
                for number in range(notifications)
            ],
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have, so the claim's index is used
    return time.perf_counter() - started


def _query_label(sql: str) -> str:
    """e.g. "SELECT people_notification FOR UPDATE SKIP LOCKED", "UPDATE people_notification"."""
    verb = sql.lstrip().split(None, 1)[0].upper()
    table = re.search(r'\b(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql, flags=re.IGNORECASE)
    label = f"{verb} {table.group(1)}" if table else verb
    return f"{label} FOR UPDATE SKIP LOCKED" if "SKIP LOCKED" in sql.upper() else label


def count_queries(*, sample: int, email_log: Path) -> dict[str, Any]:
    """The queries delivery sends for `sample` notifications, in this process; the sample is
    then put back to pending and forgotten by the provider, so the timed run sends it too."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from people.models import Notification
    from people.notifications import deliver_pending_notifications

    with CaptureQueriesContext(connection) as captured:
        sent = deliver_pending_notifications(limit=sample)
    Notification.objects.filter(email_status=Notification.EmailStatus.SENT).update(
        email_status=Notification.EmailStatus.PENDING, sent_at=None
    )
    email_log.write_text("")
    labels = [_query_label(query["sql"]) for query in captured]
    return {
        "sample": sent,
        "queries": len(labels),
        "per_notification": round(len(labels) / sent, 2) if sent else None,
        "named": dict(Counter(labels)),
    }


class Workers:
    """`count` worker processes, each `celery -A config worker --concurrency=1`, on `queue`."""

    def __init__(self, *, count: int, queue: str, folder: Path) -> None:
        self.logs = [folder / f"worker-{number}.log" for number in range(1, count + 1)]
        self.names = [f"{queue}-{number}" for number in range(1, count + 1)]
        env = {**os.environ, "LOG_LEVEL": "INFO", "PYTHONPATH": str(BASE_DIR)}
        self.processes = []
        for name, log_path in zip(self.names, self.logs, strict=True):
            with log_path.open("ab") as log:
                self.processes.append(
                    subprocess.Popen(
                        [
                            str(CELERY),
                            "--app=config",
                            "worker",
                            "--pool=prefork",
                            "--concurrency=1",
                            f"--queues={queue}",
                            f"--hostname={name}@%h",
                            "--loglevel=INFO",
                            "--without-gossip",
                            "--without-mingle",
                            "--without-heartbeat",
                        ],
                        cwd=BASE_DIR,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,  # so stopping one stops its pool process too
                    )
                )

    def wait_until_ready(self, *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for name, log_path, process in zip(self.names, self.logs, self.processes, strict=True):
            ready = re.compile(rf"{re.escape(name)}@\S+ ready\.")
            while not ready.search(log_path.read_text(errors="replace")):
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log_path.read_text(errors="replace")[-3000:]
                    raise SystemExit(f"Worker {name} did not become ready:\n{tail}")
                time.sleep(0.1)

    def tails(self) -> str:
        return "\n".join(
            f"--- {name} ---\n{log_path.read_text(errors='replace')[-2000:]}"
            for name, log_path in zip(self.names, self.logs, strict=True)
        )

    def stop(self) -> None:
        """A warm shutdown (the task in hand finishes), then anything left killed."""
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _say(f"Worker {process.pid} did not stop in 20 s; killed.")
            with contextlib.suppress(ProcessLookupError):  # the whole group had already exited
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


def deliver(*, workers: int, queue: str, timeout: float, folder: Path) -> dict[str, Any]:
    """Wall time from queuing one task per worker until no row is pending."""
    from people.models import Notification
    from people.tasks import deliver_notifications

    pending = Notification.objects.filter(email_status=Notification.EmailStatus.PENDING)
    running = Workers(count=workers, queue=queue, folder=folder)
    try:
        running.wait_until_ready(timeout=timeout)
        started = time.perf_counter()
        for _ in range(workers):
            deliver_notifications.apply_async(queue=queue)
        while pending.exists():  # one cheap read on the partial index every 20 ms
            if time.perf_counter() - started > timeout:
                raise SystemExit(
                    f"Still {pending.count()} pending after {timeout:.0f} s.\n{running.tails()}"
                )
            time.sleep(0.02)
        wall_seconds = time.perf_counter() - started
    finally:
        running.stop()
    return {"wall_seconds": round(wall_seconds, 3)}


def tally(*, email_log: Path) -> dict[str, Any]:
    """What the provider accepted, against what the rows say."""
    from django.db.models import Count

    from people.models import Notification

    lines = email_log.read_text().splitlines() if email_log.exists() else []
    senders = Counter(line.split(" ", 1)[0] for line in lines)
    sent = Counter(line.split(" ", 1)[1] for line in lines)
    titles = set(Notification.objects.values_list("title", flat=True))
    statuses = dict(
        Notification.objects.values_list("email_status").annotate(rows=Count("pk")).order_by()
    )
    return {
        "messages_sent": len(lines),
        "sent_twice": sum(1 for times in sent.values() if times > 1),
        "never_sent": len(titles - set(sent)),
        "rows_by_status": statuses,
        "sent_by_each_worker_process": sorted(senders.values(), reverse=True),
    }


def run(
    *, notifications: int, workers: int, sample: int, redis_url: str, timeout: float
) -> dict[str, Any]:
    import redis
    from django.db import connection

    database = connection.settings_dict["NAME"]
    queue = f"footing-{database}"  # named after the database: another run has another queue
    broker = redis.Redis.from_url(redis_url)
    broker.delete(queue)  # what an interrupted earlier run left
    email_log = Path(os.environ[EMAIL_LOG_VARIABLE])
    try:
        _say(f"Generating {notifications} pending notifications…")
        generate_seconds = generate(notifications=notifications)
        _say(f"  {generate_seconds:.1f} s. Counting queries on a sample of {sample}…")
        queries = count_queries(sample=sample, email_log=email_log)
        _say(f"Starting {workers} workers and delivering…")
        delivery = deliver(workers=workers, queue=queue, timeout=timeout, folder=email_log.parent)
    finally:
        broker.delete(queue)
        broker.close()
    delivery.update(tally(email_log=email_log))
    delivery["notifications_per_second"] = round(notifications / delivery["wall_seconds"])
    rows = delivery["rows_by_status"]
    return {
        "benchmark": "notifications",
        "measured_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "parameters": {"notifications": notifications, "workers": workers, "sample": sample},
        "generate_seconds": round(generate_seconds, 1),
        "queries": queries,
        "delivery": delivery,
        "targets": {
            f"under_{TARGET_SECONDS}_seconds": delivery["wall_seconds"] < TARGET_SECONDS,
            "every_row_sent_once": rows.get("sent") == notifications
            and delivery["messages_sent"] == notifications
            and delivery["sent_twice"] == 0
            and delivery["never_sent"] == 0,
        },
    }


def table(report: dict[str, Any]) -> str:
    delivery, queries = report["delivery"], report["queries"]
    shares = "/".join(str(count) for count in delivery["sent_by_each_worker_process"])
    lines = [
        f"{'notifications':>13} {'workers':>7} {'wall s':>7} {'per s':>6} {'queries each':>12} "
        f"{'sent twice':>10} {'never sent':>10}  each worker sent",
        f"{report['parameters']['notifications']:>13} {report['parameters']['workers']:>7} "
        f"{delivery['wall_seconds']:>7.2f} {delivery['notifications_per_second']:>6} "
        f"{queries['per_notification']!s:>12} {delivery['sent_twice']:>10} "
        f"{delivery['never_sent']:>10}  {shares}",
    ]
    targets = [f"{name} {'met' if met else 'MISSED'}" for name, met in report["targets"].items()]
    lines.append("Targets: " + ", ".join(targets))
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.notifications", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--notifications", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL, help="the broker"
    )
    parser.add_argument("--sample", type=int, default=100, help="notifications for the count")
    parser.add_argument("--timeout", type=float, default=120, help="seconds for any one wait")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    options = parser.parse_args(argv)
    import environ

    if environ.Env.db_url_config(options.database_url)["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("The workers share the database with this process: name a PostgreSQL one.")

    create_database(options.database_url)
    with tempfile.TemporaryDirectory(prefix="footing-bench-") as folder:
        configure_django(
            database_url=options.database_url,
            redis_url=options.redis_url,
            email_log=Path(folder) / "sent.log",
        )
        try:
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)
            report = run(
                notifications=options.notifications,
                workers=options.workers,
                sample=min(options.sample, options.notifications),
                redis_url=options.redis_url,
                timeout=options.timeout,
            )
        finally:
            if not options.keep:
                drop_database(options.database_url)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(report, indent=2) + "\n")
    sys.stdout.write(table(report))
    sys.stdout.write(f"Written to {options.output}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
