"""Review reminders: due within five working days, overdue once per point, never twice."""

from datetime import date

import pytest

from assessments.review_reminders import REVIEW_DUE, REVIEW_OVERDUE, queue_review_reminders
from assessments.review_tasks import send_review_reminders
from people.models import Notification
from programmes.models import Enrolment
from tests.assessments.factories import ReviewFactory
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

# The shared enrolment's 3-month review is due on Monday 7 December 2026.


def _told():
    return sorted(Notification.objects.values_list("kind", "recipient_id", "subject_key"))


def test_a_review_due_within_five_working_days_tells_worker_supervisor_and_assessor(enrolment):
    assert queue_review_reminders(on=date(2026, 11, 30)) == 3
    key = f"enrolment-{enrolment.pk}-review-3-due-2026-12-07"
    assert _told() == sorted(
        (REVIEW_DUE, person, key)
        for person in (enrolment.worker_id, enrolment.supervisor_id, enrolment.assessor_id)
    )
    body = Notification.objects.get(recipient=enrolment.worker).body
    assert "Your 3-month review is due by 7 December 2026" in body


def test_a_review_further_away_tells_nobody(enrolment):
    # Six working days before the Monday.
    assert queue_review_reminders(on=date(2026, 11, 27)) == 0
    assert not Notification.objects.exists()


def test_an_overdue_review_is_told_once_while_it_stays_overdue(enrolment):
    queue_review_reminders(on=date(2026, 12, 8))
    queue_review_reminders(on=date(2026, 12, 15))
    assert Notification.objects.filter(kind=REVIEW_OVERDUE).count() == 3
    assert set(Notification.objects.values_list("subject_key", flat=True)) == {
        f"enrolment-{enrolment.pk}-review-3-overdue"
    }


def test_a_rerun_adds_nothing(enrolment):
    queue_review_reminders(on=date(2026, 11, 30))
    before = _told()
    queue_review_reminders(on=date(2026, 11, 30))
    assert _told() == before


def test_a_recorded_review_is_not_reminded(enrolment):
    ReviewFactory(enrolment=enrolment)
    assert queue_review_reminders(on=date(2026, 12, 8)) == 0


def test_ended_enrolments_get_no_reminder(db):
    EnrolmentFactory(status=Enrolment.Status.COMPLETED)
    assert queue_review_reminders(on=date(2026, 12, 8)) == 0


def test_the_task_runs_the_reminders_for_today(enrolment, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 12, 8))
    send_review_reminders()
    assert Notification.objects.filter(kind=REVIEW_OVERDUE).count() == 3


def test_reminder_query_count_is_flat(db, django_assert_max_num_queries):
    # reviews_due (5), who takes a daily digest, and the insert in its savepoint (3)
    for size in (3, 20):
        EnrolmentFactory.create_batch(size - Enrolment.objects.count())
        with django_assert_max_num_queries(9):
            queue_review_reminders(on=date(2026, 12, 8))
