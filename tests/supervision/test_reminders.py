"""Supervision reminders on the real database: who is told what, on which day, and only once.

The factories' enrolment starts on Monday 7 September 2026 on the ASYE (weekly sessions in
weeks 1-6, fortnightly to week 26). With no session held, the first is due on Monday 14
September, its last day on time; from Tuesday 15 September it is overdue, and on Monday 21
September it is a week (7 days, as the status page counts) overdue.

Queuing writes Notification rows and queues delivery on commit; these tests run in a
transaction that never commits, so nothing reaches a broker or an inbox's email.
"""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Notification
from people.notifications import deliver_pending_notifications
from programmes.models import Enrolment, EnrolmentPause
from supervision.reminders import queue_supervision_reminders
from supervision.tasks import send_supervision_reminders
from tests.factories import EnrolmentFactory, SupervisionSessionFactory

pytestmark = pytest.mark.django_db

DUE_ON = date(2026, 9, 14)


def received(enrolment: Enrolment) -> dict[str, set[tuple[str, str]]]:
    """Per persona of the enrolment: the (kind, subject key) of each notification they hold."""
    people = {
        "worker": enrolment.worker,
        "supervisor": enrolment.supervisor,
        "assessor": enrolment.assessor,
        "manager": enrolment.worker.team.manager,
    }
    return {
        persona: set(
            Notification.objects.filter(recipient=person).values_list("kind", "subject_key")
        )
        for persona, person in people.items()
    }


def keys(enrolment: Enrolment, *names: str) -> set[tuple[str, str]]:
    kinds = {"due": "supervision-due", "overdue": "supervision-overdue"}
    kinds["overdue-manager"] = "supervision-overdue-manager"
    return {(kinds[name], f"enrolment-{enrolment.pk}-{name}-2026-09-14") for name in names}


@pytest.mark.parametrize(
    ("on", "told"),
    [
        pytest.param(date(2026, 9, 9), {}, id="three-working-days-ahead-nothing"),
        pytest.param(date(2026, 9, 10), {"worker": "due", "supervisor": "due"}, id="two-ahead"),
        pytest.param(date(2026, 9, 14), {"worker": "due", "supervisor": "due"}, id="due-today"),
        pytest.param(
            date(2026, 9, 15), {"worker": "overdue", "supervisor": "overdue"}, id="first-day-over"
        ),
        pytest.param(
            date(2026, 9, 20), {"worker": "overdue", "supervisor": "overdue"}, id="six-days-over"
        ),
        pytest.param(
            date(2026, 9, 21),
            {"worker": "overdue", "supervisor": "overdue", "manager": "overdue-manager"},
            id="a-week-over-the-manager-too",
        ),
    ],
)
def test_who_is_told_on_which_day(enrolment, on, told):
    queue_supervision_reminders(on=on)

    expected = {
        persona: keys(enrolment, told[persona]) if persona in told else set()
        for persona in ("worker", "supervisor", "assessor", "manager")
    }
    assert received(enrolment) == expected


def test_two_working_days_ahead_skips_a_weekend_and_the_christmas_bank_holidays():
    # A session on Tuesday 15 December (week 15, fortnightly) makes the next due Tuesday 29
    # December; Friday 25 and Monday 28 (Boxing Day's substitute) are bank holidays.
    session = SupervisionSessionFactory(held_on=date(2026, 12, 15))
    enrolment = session.enrolment
    due = {("supervision-due", f"enrolment-{enrolment.pk}-due-2026-12-29")}

    queue_supervision_reminders(on=date(2026, 12, 22))
    assert received(enrolment)["worker"] == set()
    queue_supervision_reminders(on=date(2026, 12, 23))
    assert received(enrolment)["worker"] == due
    assert received(enrolment)["supervisor"] == due


def test_running_again_that_day_or_the_next_creates_nothing_twice(enrolment):
    for on in (date(2026, 9, 10), date(2026, 9, 10), date(2026, 9, 11)):
        queue_supervision_reminders(on=on)
    for on in (date(2026, 9, 21), date(2026, 9, 21), date(2026, 9, 28)):
        queue_supervision_reminders(on=on)

    # Due once, overdue once, the manager once: the overdue session named stays the first one
    # missed until a session is held, so a second week overdue adds no reminder.
    assert Notification.objects.count() == 2 + 2 + 1
    assert received(enrolment)["worker"] == keys(enrolment, "due", "overdue")
    assert received(enrolment)["manager"] == keys(enrolment, "overdue-manager")


def test_a_session_held_starts_the_reminders_for_the_next_one(enrolment):
    queue_supervision_reminders(on=date(2026, 9, 15))
    SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 9, 16))

    queue_supervision_reminders(on=date(2026, 9, 21))  # next due Wednesday 23 September

    assert received(enrolment)["worker"] == keys(enrolment, "overdue") | {
        ("supervision-due", f"enrolment-{enrolment.pk}-due-2026-09-23")
    }
    assert received(enrolment)["manager"] == set()


def test_a_short_session_does_not_count_so_the_reminder_still_comes(enrolment):
    SupervisionSessionFactory(
        enrolment=enrolment, held_on=date(2026, 9, 14), minutes=30, counts_towards_cadence=False
    )
    queue_supervision_reminders(on=date(2026, 9, 15))
    assert received(enrolment)["worker"] == keys(enrolment, "overdue")


def test_a_paused_enrolment_gets_nothing_however_overdue(enrolment):
    EnrolmentPause.objects.create(
        enrolment=enrolment,
        starts_on=date(2026, 9, 10),
        reason=EnrolmentPause.Reason.SICKNESS,
        recorded_by=enrolment.supervisor,
    )
    for on in (date(2026, 9, 14), date(2026, 9, 21), date(2026, 10, 19)):
        queue_supervision_reminders(on=on)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("status", [Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN])
def test_an_enrolment_that_has_ended_gets_nothing(status):
    EnrolmentFactory(status=status, ended_on=date(2026, 9, 11))
    queue_supervision_reminders(on=date(2026, 9, 21))
    assert not Notification.objects.exists()


def test_a_manager_who_is_also_the_supervisor_is_told_once_as_the_supervisor():
    enrolment = EnrolmentFactory()
    team = enrolment.worker.team
    team.manager = enrolment.supervisor
    team.save()

    queue_supervision_reminders(on=date(2026, 9, 21))

    assert set(
        Notification.objects.filter(recipient=enrolment.supervisor).values_list("kind", flat=True)
    ) == {"supervision-overdue"}


def test_a_worker_with_no_team_or_no_supervisor_tells_whoever_there_is():
    enrolment = EnrolmentFactory(worker__team=None, supervisor=None)
    queue_supervision_reminders(on=date(2026, 9, 21))
    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (enrolment.worker_id, "supervision-overdue")
    ]


def test_each_reminder_says_what_is_owed_by_when_and_links_to_the_sessions(enrolment):
    worker = enrolment.worker
    worker.full_name = "Siobhán O'Neill"  # an apostrophe stays an apostrophe in plain text
    worker.save()

    queue_supervision_reminders(on=date(2026, 9, 10))
    queue_supervision_reminders(on=date(2026, 9, 21))

    def one(kind: str, person) -> Notification:
        return Notification.objects.get(kind=kind, recipient=person)

    link = reverse("supervision:enrolment-sessions", args=[enrolment.pk])
    to_worker = one("supervision-due", worker)
    assert to_worker.title == "Supervision due: hold your next session by 14 September 2026"
    assert "Your next supervision session should be held by 14 September 2026" in to_worker.body
    assert to_worker.link == link
    to_supervisor = one("supervision-due", enrolment.supervisor)
    assert to_supervisor.title == "Supervision due: Siobhán O'Neill, by 14 September 2026"
    overdue = one("supervision-overdue", enrolment.supervisor)
    assert "Supervision for Siobhán O'Neill is overdue" in overdue.body
    assert "held by 14 September 2026" in overdue.body
    to_manager = one("supervision-overdue-manager", enrolment.worker.team.manager)
    assert "is overdue by 7 days" in to_manager.body
    assert enrolment.supervisor.full_name in to_manager.body
    assert to_manager.link == link


def test_delivery_emails_each_reminder_to_its_recipient_with_the_link(enrolment, mailoutbox):
    queue_supervision_reminders(on=date(2026, 9, 10))
    assert mailoutbox == []  # queuing sends nothing; delivery does

    assert deliver_pending_notifications() == 2
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [enrolment.worker.email, enrolment.supervisor.email]
    )
    path = reverse("supervision:enrolment-sessions", args=[enrolment.pk])
    assert all(message.body.endswith(path) for message in mailoutbox)


def test_the_task_reminds_as_of_today(enrolment, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 9, 15))
    send_supervision_reminders()
    assert received(enrolment)["worker"] == keys(enrolment, "overdue")


def test_the_query_count_is_the_same_for_3_and_30_enrolments(django_assert_max_num_queries):
    """A third due in two working days, a third 3 days overdue, a third 9 days overdue."""

    def make(count: int) -> None:
        for started_on in (date(2026, 9, 7), date(2026, 8, 31), date(2026, 8, 24)):
            EnrolmentFactory.create_batch(count // 3, started_on=started_on)

    on = date(2026, 9, 10)
    # The enrolments with their last sessions and counts; their programmes, pauses and
    # extensions; who of the recipients chose a daily digest; SAVEPOINT, INSERT the
    # notifications, RELEASE. (SQLite splits the INSERT every 76 rows; 30 enrolments make 70.)
    make(3)
    with django_assert_max_num_queries(8):
        assert queue_supervision_reminders(on=on) == 2 + 2 + 3
    Notification.objects.all().delete()
    make(27)
    with django_assert_max_num_queries(8):
        assert queue_supervision_reminders(on=on) == 10 * (2 + 2 + 3)
    assert Notification.objects.count() == 70
