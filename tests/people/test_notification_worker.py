"""Delivery survives what real workers do: run twice, die mid-batch, be handed the same reminders.

Each test runs `celery -A config worker` as a subprocess on the pytest-django test database
(PostgreSQL: the worker must see what the test commits) and this machine's Redis, on a queue of
its own, sending through `tests.people.stub_email`, whose log says exactly what was sent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection, connections

from config.celery import app as celery_app
from people.models import Notification
from people.notifications import NotificationRequest, queue_notifications
from people.tasks import deliver_notifications
from tests.factories import UserFactory
from tests.people.celery_worker import (
    BASE_DIR,
    CeleryWorker,
    database_url,
    require_worker_services,
    wait_for,
)

pytestmark = pytest.mark.xdist_group("celery-worker")  # one worker process's CPU at a time

SENT = Notification.EmailStatus.SENT
HELD_AFTER = 60  # the killed worker's stub provider answers this many, then holds the next


@pytest.fixture(scope="module", autouse=True)
def _migrated_data_put_back(django_db_blocker: object) -> Iterator[None]:
    """These tests commit, so pytest-django empties the database after each; the tests that run
    next in this process expect what the migrations seeded (the programmes): put it back."""
    yield
    with django_db_blocker.unblock():
        for alias in connections:
            contents = getattr(connections[alias], "_test_serialized_contents", None)
            if contents:
                connections[alias].creation.deserialize_db_from_string(contents)


@dataclass
class Workers:
    """Starts workers on this test's queue and reads what they sent."""

    queue: str
    env: dict[str, str]
    folder: Path
    broker: redis.Redis
    started: list[CeleryWorker] = field(default_factory=list)

    @property
    def sent_log(self) -> Path:
        return self.folder / "sent.log"

    @property
    def holding(self) -> Path:
        return self.folder / "sent.log.holding"

    def start(
        self, *, concurrency: int = 1, latency_seconds: float = 0, hold_after: int | None = None
    ) -> CeleryWorker:
        stub = {"STUB_EMAIL_SECONDS": str(latency_seconds)}
        if hold_after is not None:
            stub["STUB_EMAIL_HOLD_AFTER"] = str(hold_after)
        name = f"{self.queue}-{len(self.started) + 1}"
        worker = CeleryWorker(
            name=name,
            queue=self.queue,
            env={**self.env, **stub},
            log_path=self.folder / f"{name}.log",
            concurrency=concurrency,
        )
        self.started.append(worker)
        return worker

    def sent(self) -> list[tuple[int, str]]:
        """(process id, subject) of each message the stub provider accepted, in order."""
        if not self.sent_log.exists():
            return []
        lines = self.sent_log.read_text().splitlines()
        return [(int(pid), subject) for pid, subject in (line.split(" ", 1) for line in lines)]

    def messages_waiting(self) -> int:
        return self.broker.llen(self.queue)


@pytest.fixture
def workers(
    transactional_db: None,
    django_db_serialized_rollback: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Workers]:
    redis_url = require_worker_services(connection.vendor)
    # Named after the test database, which is already one per xdist worker and per run.
    queue = f"footing-test-{connection.settings_dict['NAME']}"
    broker = redis.Redis.from_url(redis_url)
    # A message an earlier run's killed worker left unacknowledged comes back to this queue
    # after the visibility timeout; it would do no harm, but each test starts with none.
    broker.delete(queue)
    # What this process queues (queue_notifications' own delivery message included) goes to
    # the queue only this test's workers read.
    monkeypatch.setattr(celery_app.conf, "task_default_queue", queue)
    env = {
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": redis_url,
        "SECRET_KEY": settings.SECRET_KEY,
        "ENV_FILE": "",
        "DEBUG": "false",
        "CONN_MAX_AGE": "0",  # no connection outlives a task to hold up dropping the database
        "EMAIL_BACKEND": "tests.people.stub_email.EmailBackend",
        "STUB_EMAIL_LOG": str(tmp_path / "sent.log"),
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "text",
        "PYTHONPATH": str(BASE_DIR),
    }
    started = Workers(queue=queue, env=env, folder=tmp_path, broker=broker)
    try:
        yield started
    finally:
        for worker in started.started:
            worker.stop()
            print(f"--- {worker.name} ---\n{worker.log()[-4000:]}")  # shown if the test failed
        broker.delete(queue)
        broker.close()


def _pending_notifications(count: int) -> list[str]:
    """`count` notifications waiting to be emailed; their subjects, each different."""
    recipients = UserFactory.create_batch(5)
    rows = [
        Notification(
            recipient=recipients[number % len(recipients)],
            kind="worker-test",
            subject_key=f"item-{number}",
            title=f"Notification {number:03d}",
            body="Something needs your attention.",
        )
        for number in range(count)
    ]
    Notification.objects.bulk_create(rows)
    return [row.title for row in rows]


def _all_sent() -> bool:
    return not Notification.objects.exclude(email_status=SENT).exists()


def _other_database_sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_two_delivery_runs_at_once_send_each_notification_exactly_once(workers):
    subjects = _pending_notifications(100)
    deliver_notifications.delay()
    deliver_notifications.delay()
    # Two pool processes, one message each: the runs overlap and claim rows side by side.
    worker = workers.start(concurrency=2, latency_seconds=0.01)

    wait_for(_all_sent, what="every notification to be sent")
    wait_for(lambda: workers.messages_waiting() == 0, what="both messages to be taken")
    worker.stop()  # a warm shutdown: both runs end before the log is read

    sent = workers.sent()
    assert Counter(subject for _, subject in sent) == Counter(subjects)
    assert len({pid for pid, _ in sent}) == 2, "each run sent some: they ran at the same time"


def test_a_worker_killed_mid_batch_loses_none_and_repeats_none_once_another_runs(workers):
    subjects = _pending_notifications(200)
    first = workers.start(latency_seconds=0.02, hold_after=HELD_AFTER)
    deliver_notifications.delay()
    wait_for(workers.holding.exists, what="the first worker to reach the held message")
    held = workers.holding.read_text().strip()

    # Killed while the provider has the next message in hand and has not answered: it is neither
    # recorded nor marked sent (its row lock goes with the connection). The window this cannot
    # show is the provider accepting a message and the worker dying before it commits `sent`;
    # that message would go again, at most one per killed worker, since a worker holds one
    # claimed row at a time.
    first.kill()

    assert len(workers.sent()) == HELD_AFTER  # some, not all
    assert held not in {subject for _, subject in workers.sent()}
    assert Notification.objects.filter(email_status=SENT).count() == HELD_AFTER
    assert Notification.objects.get(title=held).email_status == Notification.EmailStatus.PENDING

    # Until PostgreSQL ends the dead worker's session, the held row is locked and skipped.
    wait_for(lambda: _other_database_sessions() == 0, what="the killed worker's sessions to end")
    second = workers.start()
    # What the minute sweep does; the killed worker's message stays unacknowledged in Redis
    # until the visibility timeout, and would find nothing left to send.
    deliver_notifications.delay()
    wait_for(_all_sent, what="every notification to be sent")
    second.stop()

    sent = workers.sent()
    assert Counter(subject for _, subject in sent) == Counter(subjects)
    assert Notification.objects.filter(email_status=SENT).count() == len(subjects)


def test_queuing_the_same_reminders_twice_adds_no_rows_and_sends_nothing_twice(workers):
    recipients = UserFactory.create_batch(4)
    requests = [
        NotificationRequest(
            recipient_id=recipient.pk,
            kind="worker-test",
            subject_key=f"reminder-{number}",
            title=f"Reminder {number} for person {recipient.pk}",
            body="A supervision session is due.",
        )
        for recipient in recipients
        for number in range(5)
    ]

    queue_notifications(requests)
    queue_notifications(requests)

    assert Notification.objects.count() == len(requests)
    assert workers.messages_waiting() == 2  # each call queued delivery once it committed
    worker = workers.start()
    wait_for(_all_sent, what="every notification to be sent")
    wait_for(lambda: workers.messages_waiting() == 0, what="both messages to be taken")
    worker.stop()  # the second run finishes, finding nothing to send
    sent = workers.sent()
    assert Counter(subject for _, subject in sent) == Counter(request.title for request in requests)
