"""Programme reminders on the real database: learning agreements, protected time, breaches left
unacknowledged, and the managers' weekly digest. Who is told what, on which day, and only once.

The factories' enrolment starts on Monday 7 September 2026 on the ASYE: its learning agreement
is due 4 weeks later, on Monday 5 October; 10% of a 37-hour week is protected for learning
(13.3 hours over the 18 working days it was on the programme in September); its caseload cap
is 14 open cases in weeks 7-26.

Queuing writes Notification rows and queues delivery on commit; these tests run in a
transaction that never commits, so nothing reaches a broker.
"""

import importlib
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from celery.schedules import crontab
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from people.models import Notification, Role
from people.notifications import deliver_pending_notifications
from programmes import tasks
from programmes.models import (
    CaseloadBreach,
    CaseloadSnapshot,
    Enrolment,
    EnrolmentDocument,
    EnrolmentPause,
    ProtectedTimeEntry,
)
from programmes.reminders import (
    queue_learning_agreement_reminders,
    queue_manager_digests,
    queue_open_breach_reminders,
    queue_protected_time_reminders,
)
from programmes.services import add_document
from programmes.services.caseloads import (
    SnapshotRow,
    acknowledge_caseload_breach,
    detect_caseload_breaches,
    escalate_caseload_breaches,
    ingest_caseload_snapshots,
    notify_caseload_breaches,
    record_protected_time,
    resolve_caseload_breach,
)
from tests.assessments.factories import ConcernFactory, EvidenceFactory
from tests.factories import EnrolmentFactory, SupervisionSessionFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

# "Today" for the services that refuse future dates; every date below is before it.
TODAY = date(2027, 4, 14)
LEARNING_AGREEMENT_DUE = date(2026, 10, 5)
# Monday of week 9 (cap 14), when the breaches below are found, and the days after it.
FOUND, TUESDAY, WEDNESDAY, SATURDAY = (
    date(2026, 11, 2),
    date(2026, 11, 3),
    date(2026, 11, 4),
    date(2026, 11, 7),
)
PDF_BYTES = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PERSONAS = ("worker", "supervisor", "assessor", "manager")


@pytest.fixture(autouse=True)
def _clock(monkeypatch) -> None:
    """Fix "today": the services refuse future dates and past plan dates against it."""
    real_localdate = timezone.localdate

    def localdate(*args: object, **kwargs: object) -> date:
        return real_localdate(*args, **kwargs) if args or kwargs else TODAY

    monkeypatch.setattr(timezone, "localdate", localdate)


def people_of(enrolment: Enrolment) -> dict:
    return {
        "worker": enrolment.worker,
        "supervisor": enrolment.supervisor,
        "assessor": enrolment.assessor,
        "manager": enrolment.worker.team.manager if enrolment.worker.team else None,
    }


def told(enrolment: Enrolment, kind: str) -> dict[str, list[str]]:
    """Per persona of the enrolment: the subject keys of the notifications of `kind` they hold."""
    return {
        persona: sorted(
            Notification.objects.filter(recipient=person, kind=kind).values_list(
                "subject_key", flat=True
            )
        )
        for persona, person in people_of(enrolment).items()
        if person is not None
    }


def over_the_cap(*enrolments: Enrolment, as_of: date = FOUND) -> list[CaseloadBreach]:
    """A figure of 15 against a cap of 14 for each, detected that day: open breaches."""
    rows = [SnapshotRow(enrolment_id=e.pk, as_of=as_of, open_cases=15) for e in enrolments]
    ingest_caseload_snapshots(rows=rows, source=CaseloadSnapshot.Source.CSV, recorded_by=None)
    detect_caseload_breaches(on=as_of)
    return list(
        CaseloadBreach.objects.filter(enrolment__in=enrolments).order_by("enrolment_id", "pk")
    )


def learning_agreement_on_file(enrolment: Enrolment, *, kind: str) -> EnrolmentDocument:
    return add_document(
        uploaded_by=enrolment.supervisor,
        enrolment=enrolment,
        kind=kind,
        title="Agreement",
        upload=SimpleUploadedFile("agreement.pdf", PDF_BYTES, "application/pdf"),
    )


def log_learning(enrolment: Enrolment, *, on: date, hours: str) -> ProtectedTimeEntry:
    return record_protected_time(
        recorded_by=enrolment.worker,
        enrolment=enrolment,
        on=on,
        hours=Decimal(hours),
        kind=ProtectedTimeEntry.Kind.STUDY,
    )


def pause(enrolment: Enrolment, starts_on: date, ends_on: date | None = None) -> EnrolmentPause:
    return EnrolmentPause.objects.create(
        enrolment=enrolment,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=EnrolmentPause.Reason.SICKNESS,
        recorded_by=enrolment.supervisor,
    )


class TestLearningAgreement:
    @pytest.mark.parametrize(
        ("on", "is_told"),
        [
            pytest.param(date(2026, 10, 4), False, id="before-the-due-day"),
            pytest.param(LEARNING_AGREEMENT_DUE, False, id="on-the-due-day"),
            pytest.param(date(2026, 10, 6), True, id="the-day-after"),
            pytest.param(date(2027, 3, 1), True, id="months-later-still-once"),
        ],
    )
    def test_after_the_due_day_the_worker_supervisor_and_assessor_are_told(
        self, enrolment, on, is_told
    ):
        queue_learning_agreement_reminders(on=on)

        key = [f"enrolment-{enrolment.pk}-learning-agreement"] if is_told else []
        assert told(enrolment, "learning-agreement-missing") == {
            "worker": key,
            "supervisor": key,
            "assessor": key,
            "manager": [],
        }

    def test_once_per_enrolment_however_many_days_it_runs(self, enrolment):
        for days in (1, 1, 2, 30):
            queue_learning_agreement_reminders(on=LEARNING_AGREEMENT_DUE + timedelta(days=days))
        assert Notification.objects.count() == 3

    def test_an_agreement_on_file_means_nobody_is_told(self, enrolment):
        learning_agreement_on_file(enrolment, kind=EnrolmentDocument.Kind.LEARNING_AGREEMENT)
        queue_learning_agreement_reminders(on=date(2026, 10, 6))
        assert not Notification.objects.exists()

    def test_another_kind_of_document_is_not_an_agreement(self, enrolment):
        learning_agreement_on_file(enrolment, kind=EnrolmentDocument.Kind.DEVELOPMENT_PLAN)
        queue_learning_agreement_reminders(on=date(2026, 10, 6))
        assert Notification.objects.count() == 3

    def test_with_no_assessor_the_worker_and_supervisor_are_told(self):
        enrolment = EnrolmentFactory(assessor=None)
        queue_learning_agreement_reminders(on=date(2026, 10, 6))
        assert set(Notification.objects.values_list("recipient", flat=True)) == {
            enrolment.worker_id,
            enrolment.supervisor_id,
        }

    def test_a_pause_moves_the_due_day_and_nothing_is_sent_while_paused(self, enrolment):
        pause(enrolment, date(2026, 9, 14), date(2026, 9, 27))  # 14 days: due 19 October
        queue_learning_agreement_reminders(on=date(2026, 10, 19))
        assert not Notification.objects.exists()
        queue_learning_agreement_reminders(on=date(2026, 10, 20))
        assert Notification.objects.count() == 3

        paused = EnrolmentFactory()
        pause(paused, date(2026, 10, 12))  # after the due day, not yet back
        queue_learning_agreement_reminders(on=date(2026, 10, 21))
        assert not Notification.objects.filter(recipient=paused.worker).exists()

    def test_an_enrolment_that_has_ended_gets_nothing(self):
        EnrolmentFactory(status=Enrolment.Status.WITHDRAWN, ended_on=date(2026, 9, 30))
        queue_learning_agreement_reminders(on=date(2026, 10, 6))
        assert not Notification.objects.exists()

    def test_it_says_when_it_was_due_and_links_to_the_enrolment(self, enrolment):
        queue_learning_agreement_reminders(on=date(2026, 10, 6))
        to_worker = Notification.objects.get(recipient=enrolment.worker)
        assert to_worker.title == "Your learning agreement has not been recorded"
        assert "Your learning agreement was due by 5 October 2026" in to_worker.body
        assert to_worker.link == reverse("programmes:enrolment-detail", args=[enrolment.pk])
        to_assessor = Notification.objects.get(recipient=enrolment.assessor)
        assert enrolment.worker.full_name in to_assessor.title
        assert f"The learning agreement for {enrolment.worker.full_name}" in to_assessor.body

    def test_the_task_reminds_as_of_today(self, monkeypatch):
        EnrolmentFactory()
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 10, 6))
        tasks.send_learning_agreement_reminders()
        assert Notification.objects.count() == 3

    def test_the_query_count_is_the_same_for_3_and_30_enrolments(
        self, django_assert_max_num_queries
    ):
        on = date(2026, 10, 6)
        # The enrolments with whether an agreement is on file; their programmes, pauses and
        # extensions; who chose a daily digest; SAVEPOINT, INSERT, RELEASE. (SQLite splits the
        # INSERT every 76 rows: 3 recipients for each of 25 enrolments make 75.)
        EnrolmentFactory.create_batch(3)
        with django_assert_max_num_queries(8):
            assert queue_learning_agreement_reminders(on=on) == 9
        Notification.objects.all().delete()
        EnrolmentFactory.create_batch(22)
        with django_assert_max_num_queries(8):
            assert queue_learning_agreement_reminders(on=on) == 75


class TestProtectedTime:
    OCTOBER_2 = date(2026, 10, 2)

    def test_short_last_month_the_worker_and_the_supervisor_are_told(self, enrolment):
        log_learning(enrolment, on=date(2026, 9, 18), hours="10")

        queue_protected_time_reminders(on=self.OCTOBER_2)

        key = [f"enrolment-{enrolment.pk}-protected-time-2026-09"]
        assert told(enrolment, "protected-time-short") == {
            "worker": key,
            "supervisor": key,
            "assessor": [],
            "manager": [],
        }
        to_worker = Notification.objects.get(recipient=enrolment.worker)
        assert to_worker.title == "Protected development time short in September 2026"
        assert "owed 13.3 hours" in to_worker.body and "logged 10" in to_worker.body
        assert "3.3 hours short" in to_worker.body
        assert to_worker.link == reverse("programmes:caseload", args=[enrolment.pk])

    def test_every_hour_owed_logged_means_nobody_is_told(self, enrolment):
        log_learning(enrolment, on=date(2026, 9, 18), hours="7.3")
        log_learning(enrolment, on=date(2026, 9, 25), hours="6")
        queue_protected_time_reminders(on=self.OCTOBER_2)
        assert not Notification.objects.exists()

    def test_once_a_month_however_often_it_runs_and_again_the_next_month(self, enrolment):
        for on in (self.OCTOBER_2, self.OCTOBER_2, date(2026, 10, 20)):
            queue_protected_time_reminders(on=on)
        assert Notification.objects.count() == 2
        queue_protected_time_reminders(on=date(2026, 11, 2))
        assert told(enrolment, "protected-time-short")["worker"] == [
            f"enrolment-{enrolment.pk}-protected-time-2026-09",
            f"enrolment-{enrolment.pk}-protected-time-2026-10",
        ]

    def test_a_paused_enrolment_gets_nothing(self, enrolment):
        pause(enrolment, date(2026, 9, 28))
        queue_protected_time_reminders(on=self.OCTOBER_2)
        assert not Notification.objects.exists()

    def test_nothing_owed_before_the_start_so_nothing_is_short(self):
        EnrolmentFactory(started_on=date(2026, 10, 5))
        queue_protected_time_reminders(on=self.OCTOBER_2)
        assert not Notification.objects.exists()

    def test_the_task_reminds_as_of_today(self, enrolment, monkeypatch):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: self.OCTOBER_2)
        tasks.send_protected_time_reminders()
        assert Notification.objects.count() == 2

    def test_the_query_count_is_the_same_for_3_and_30_enrolments(
        self, django_assert_max_num_queries
    ):
        # The enrolments with the hours logged; their programmes, pauses and extensions (owed
        # hours); the short ones with their people, programmes, pauses and extensions (4); who
        # chose a daily digest; SAVEPOINT, INSERT, RELEASE. (60 rows: one INSERT on SQLite.)
        EnrolmentFactory.create_batch(3)
        with django_assert_max_num_queries(12):
            assert queue_protected_time_reminders(on=self.OCTOBER_2) == 6
        Notification.objects.all().delete()
        EnrolmentFactory.create_batch(27)
        with django_assert_max_num_queries(12):
            assert queue_protected_time_reminders(on=self.OCTOBER_2) == 60


class TestOpenBreaches:
    def key(self, breach: CaseloadBreach, on: date) -> str:
        return f"breach-{breach.pk}-open-{on.isoformat()}"

    def test_from_the_day_after_it_is_found_the_manager_is_reminded_each_working_day(
        self, enrolment
    ):
        (breach,) = over_the_cap(enrolment)
        for on in (FOUND, TUESDAY, TUESDAY, WEDNESDAY, SATURDAY, date(2026, 11, 8)):
            queue_open_breach_reminders(on=on)

        assert told(enrolment, "caseload-breach-open") == {
            "worker": [],
            "supervisor": [],
            "assessor": [],
            "manager": [self.key(breach, TUESDAY), self.key(breach, WEDNESDAY)],
        }

    def test_acknowledging_it_stops_the_reminders(self, enrolment, manager):
        (breach,) = over_the_cap(enrolment)
        queue_open_breach_reminders(on=TUESDAY)
        acknowledge_caseload_breach(
            acknowledged_by=manager,
            breach=breach,
            plan="Move two cases to the duty team",
            plan_due_on=TODAY + timedelta(days=14),
        )
        queue_open_breach_reminders(on=WEDNESDAY)
        assert told(enrolment, "caseload-breach-open")["manager"] == [self.key(breach, TUESDAY)]

    def test_a_resolved_breach_is_not_reminded(self, enrolment, manager):
        (breach,) = over_the_cap(enrolment)
        resolve_caseload_breach(
            resolved_by=manager, breach=breach, resolution_note="The figure was wrong."
        )
        queue_open_breach_reminders(on=TUESDAY)
        assert not Notification.objects.exists()

    def test_a_worker_with_no_team_has_no_manager_to_remind(self):
        over_the_cap(EnrolmentFactory(worker__team=None))
        queue_open_breach_reminders(on=TUESDAY)
        assert not Notification.objects.exists()

    def test_it_names_the_worker_the_day_and_the_figures_and_links_to_the_breaches(
        self, enrolment, manager
    ):
        over_the_cap(enrolment)
        queue_open_breach_reminders(on=TUESDAY)
        reminder = Notification.objects.get(recipient=manager)
        assert reminder.title == (
            f"Still to acknowledge: caseload over the cap for {enrolment.worker.full_name}"
        )
        assert "over the protected cap since 2 November 2026" in reminder.body
        assert "15 open cases; the cap is 14" in reminder.body
        assert reminder.link == reverse("programmes:breach-list")

    def test_the_task_reminds_as_of_today(self, enrolment, monkeypatch):
        over_the_cap(enrolment)
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TUESDAY)
        tasks.send_open_breach_reminders()
        assert Notification.objects.get().kind == "caseload-breach-open"

    def test_the_query_count_is_the_same_for_3_and_30_breaches(self, django_assert_max_num_queries):
        over_the_cap(*EnrolmentFactory.create_batch(3))
        # The open breaches with their teams; who chose a daily digest; SAVEPOINT, INSERT,
        # RELEASE.
        with django_assert_max_num_queries(5):
            assert queue_open_breach_reminders(on=TUESDAY) == 3
        over_the_cap(*EnrolmentFactory.create_batch(27))
        with django_assert_max_num_queries(5):
            assert queue_open_breach_reminders(on=WEDNESDAY) == 30


class TestNewAndEscalatedBreachQueries:
    """The notices of programmes.services.caseloads, converted to notifications, stay flat."""

    def test_telling_3_or_30_new_breaches_takes_the_same_queries(
        self, django_assert_max_num_queries
    ):
        # SAVEPOINT; the breaches not yet told, locked, with their teams and supervisors; who
        # chose a daily digest; SAVEPOINT, INSERT the notifications, RELEASE; UPDATE the
        # breaches and INSERT their history rows; RELEASE. (60 rows: one INSERT on SQLite.)
        over_the_cap(*EnrolmentFactory.create_batch(3))
        with django_assert_max_num_queries(9):
            assert notify_caseload_breaches() == 3
        over_the_cap(*EnrolmentFactory.create_batch(30))
        with django_assert_max_num_queries(9):
            assert notify_caseload_breaches() == 30
        assert Notification.objects.count() == 2 * 33

    def test_escalating_3_or_30_breaches_takes_the_same_queries(
        self, django_assert_max_num_queries
    ):
        UserFactory(roles=[Role.LEAD])
        UserFactory(roles=[Role.LEAD])

        def acknowledged(count: int) -> None:
            for breach in over_the_cap(*EnrolmentFactory.create_batch(count)):
                acknowledge_caseload_breach(
                    acknowledged_by=breach.enrolment.worker.team.manager,
                    breach=breach,
                    plan="Move two cases to the duty team",
                    plan_due_on=TODAY,
                )

        # The active leads; SAVEPOINT; the breaches past their plan, locked; who chose a daily
        # digest; SAVEPOINT, INSERT, RELEASE; UPDATE and INSERT history; RELEASE.
        acknowledged(3)
        with django_assert_max_num_queries(10):
            assert escalate_caseload_breaches(on=TODAY + timedelta(days=1)) == 3
        acknowledged(30)
        with django_assert_max_num_queries(10):
            assert escalate_caseload_breaches(on=TODAY + timedelta(days=1)) == 30
        assert Notification.objects.count() == 2 * 33


class TestManagerDigest:
    MONDAY = date(2026, 11, 9)  # ISO week 46

    def test_one_digest_lists_what_needs_the_managers_attention(self, enrolment, manager):
        over_the_cap(enrolment)
        settled = EnrolmentFactory(started_on=date(2026, 11, 2), worker__team=enrolment.worker.team)

        queue_manager_digests(on=self.MONDAY)

        digest = Notification.objects.get()
        assert (digest.recipient, digest.kind, digest.subject_key) == (
            manager,
            "manager-weekly-digest",
            "digest-2026-W46",
        )
        assert digest.title == "Your teams this week: 1 newly qualified worker needs attention"
        name = enrolment.worker.full_name
        assert f"{name} ({enrolment.worker.team.name})" in digest.body
        assert "Supervision overdue by 56 days" in digest.body
        assert "held by 14 September 2026" in digest.body
        assert "over the protected cap since 2 November 2026" in digest.body
        assert "not yet acknowledged" in digest.body
        assert "Protected development time 16.3 hours short in October 2026" in digest.body
        assert "No learning agreement recorded; it was due by 5 October 2026" in digest.body
        assert reverse("supervision:enrolment-sessions", args=[enrolment.pk]) in digest.body
        assert settled.worker.full_name not in digest.body
        assert digest.link == reverse("programmes:breach-list")

    def test_a_manager_of_two_teams_gets_one_digest_for_both_and_none_of_anyone_elses(
        self, enrolment, manager
    ):
        second_team = TeamFactory(manager=manager)
        other_team = EnrolmentFactory(worker__team=second_team)
        elsewhere = EnrolmentFactory()

        queue_manager_digests(on=self.MONDAY)

        assert Notification.objects.filter(recipient=manager).count() == 1
        digest = Notification.objects.get(recipient=manager)
        assert enrolment.worker.full_name in digest.body
        assert other_team.worker.full_name in digest.body
        assert elsewhere.worker.full_name not in digest.body
        assert digest.title == "Your teams this week: 2 newly qualified workers need attention"
        assert Notification.objects.filter(recipient=elsewhere.worker.team.manager).count() == 1

    def test_once_per_iso_week_however_often_it_runs(self, enrolment, manager):
        for on in (self.MONDAY, self.MONDAY, self.MONDAY + timedelta(days=3)):
            queue_manager_digests(on=on)
        queue_manager_digests(on=self.MONDAY + timedelta(days=7))
        assert sorted(
            Notification.objects.filter(recipient=manager).values_list("subject_key", flat=True)
        ) == ["digest-2026-W46", "digest-2026-W47"]

    def test_a_manager_with_nothing_to_report_is_not_written_to(self):
        # Started a week ago: the first session is due today, the learning agreement is not
        # yet due, and no protected time was owed last month.
        EnrolmentFactory.create_batch(2, started_on=date(2026, 11, 2))
        queue_manager_digests(on=self.MONDAY)
        assert not Notification.objects.exists()

    def test_an_acknowledged_breach_is_listed_with_its_plan_date(self, enrolment, manager):
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 2))
        learning_agreement_on_file(enrolment, kind=EnrolmentDocument.Kind.LEARNING_AGREEMENT)
        for day in range(5, 10):  # 12 of the 16.3 hours owed in October
            log_learning(enrolment, on=date(2026, 10, day), hours="2.4")
        (breach,) = over_the_cap(enrolment)
        acknowledge_caseload_breach(
            acknowledged_by=manager,
            breach=breach,
            plan="Move two cases to the duty team",
            plan_due_on=TODAY,
        )

        queue_manager_digests(on=self.MONDAY)

        body = Notification.objects.get(recipient=manager).body
        assert "the plan is to bring it within the cap by 14 April 2027" in body
        assert "Supervision overdue" not in body and "learning agreement" not in body
        assert "Protected development time 4.3 hours short in October 2026" in body

    def test_a_review_overdue_a_concern_and_evidence_waiting_are_listed(self, enrolment, manager):
        started_on = date(2026, 7, 6)  # the 3-month review fell due on 6 October
        late = EnrolmentFactory(
            started_on=started_on, cohort__intake_on=started_on, worker__team=enrolment.worker.team
        )
        ConcernFactory(enrolment=late, opened_on=date(2026, 11, 2))
        submitted_at = timezone.make_aware(datetime(2026, 10, 19, 10))
        EvidenceFactory(enrolment=late, submitted_at=submitted_at, statements=[])

        queue_manager_digests(on=self.MONDAY)

        body = Notification.objects.get(recipient=manager).body
        assert "The 3-month review was due by 6 October 2026 and is not yet recorded." in body
        assert "1 concern is open, with an action plan." in body
        assert "waiting for the assessor's sign-off since 19 October 2026 (15 working days)" in body

    def test_paused_and_ended_enrolments_are_not_listed(self, enrolment, manager):
        pause(enrolment, date(2026, 9, 10))  # away since before anything fell due
        EnrolmentFactory(
            worker__team=enrolment.worker.team,
            status=Enrolment.Status.COMPLETED,
            ended_on=date(2026, 9, 11),
        )
        queue_manager_digests(on=self.MONDAY)
        assert not Notification.objects.exists()

    def test_the_task_writes_this_weeks_digest(self, enrolment, manager, monkeypatch):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: self.MONDAY)
        tasks.send_manager_digests()
        assert Notification.objects.get(recipient=manager).subject_key == "digest-2026-W46"

    def test_delivery_emails_the_digest_with_its_links(self, enrolment, manager, mailoutbox):
        queue_manager_digests(on=self.MONDAY)
        deliver_pending_notifications()
        (message,) = mailoutbox
        assert message.to == [manager.email]
        assert "http://" in message.body
        assert message.body.endswith(reverse("programmes:breach-list"))

    def test_the_query_count_is_the_same_for_3_and_30_enrolments(
        self, django_assert_max_num_queries
    ):
        def make(count: int) -> None:
            over_the_cap(*EnrolmentFactory.create_batch(count))

        # The enrolments with their last sessions, counts and whether an agreement is on file,
        # their pauses, their extensions; the same for protected time (3); the unresolved
        # breaches; the reviews due (4: enrolments, pauses, extensions, reviews recorded); the
        # open concerns; the evidence awaiting sign-off; who chose a daily digest; SAVEPOINT,
        # INSERT, RELEASE.
        make(3)
        with django_assert_max_num_queries(17):
            assert queue_manager_digests(on=self.MONDAY) == 3
        Notification.objects.all().delete()
        make(27)
        with django_assert_max_num_queries(17):
            assert queue_manager_digests(on=self.MONDAY) == 30


@pytest.mark.parametrize(
    ("task", "schedule"),
    [
        ("supervision.tasks.send_supervision_reminders", crontab(minute="0", hour="7")),
        ("programmes.tasks.send_learning_agreement_reminders", crontab(minute="5", hour="7")),
        ("programmes.tasks.send_open_breach_reminders", crontab(minute="10", hour="7")),
        (
            "programmes.tasks.send_protected_time_reminders",
            crontab(minute="15", hour="7", day_of_month="2"),
        ),
        (
            "programmes.tasks.send_manager_digests",
            crontab(minute="20", hour="7", day_of_week="mon"),
        ),
    ],
)
def test_each_reminder_task_is_on_the_beat_schedule_in_london_time(settings, task, schedule):
    scheduled = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert scheduled[task] == schedule
    assert settings.CELERY_TIMEZONE == "Europe/London"
    module, name = task.rsplit(".", 1)
    assert getattr(importlib.import_module(module), name).name == task
