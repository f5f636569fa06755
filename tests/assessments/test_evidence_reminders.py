"""The reminder to an assessor of evidence waiting more than ten working days for sign-off."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from assessments.reminders import remind_evidence_awaiting_sign_off
from assessments.tasks import send_evidence_sign_off_reminders
from people.models import Notification
from tests.assessments.factories import EvidenceFactory, sign_off
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 3)  # Thursday


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))


def test_only_items_past_ten_working_days_earn_a_reminder_to_their_assessor(enrolment):
    overdue = EvidenceFactory(enrolment=enrolment, submitted_at=_at(date(2026, 11, 18)))
    EvidenceFactory(enrolment=enrolment, submitted_at=_at(date(2026, 11, 19)))  # exactly ten
    sign_off(EvidenceFactory(enrolment=enrolment, submitted_at=_at(date(2026, 11, 2))))
    assert remind_evidence_awaiting_sign_off(on=TODAY) == 1
    reminder = Notification.objects.get()
    assert (reminder.recipient, reminder.kind) == (enrolment.assessor, "evidence-awaiting-sign-off")
    assert overdue.title in reminder.body
    assert "18 November 2026" in reminder.body


def test_a_rerun_sends_nothing_twice(enrolment):
    EvidenceFactory(enrolment=enrolment, submitted_at=_at(date(2026, 11, 2)))
    EvidenceFactory(enrolment=EnrolmentFactory(), submitted_at=_at(date(2026, 11, 3)))
    remind_evidence_awaiting_sign_off(on=TODAY)
    remind_evidence_awaiting_sign_off(on=TODAY)
    remind_evidence_awaiting_sign_off(on=date(2026, 12, 4))
    assert Notification.objects.count() == 2


def test_a_resubmission_earns_a_reminder_of_its_own(enrolment):
    item = EvidenceFactory(enrolment=enrolment, submitted_at=_at(date(2026, 10, 1)))
    remind_evidence_awaiting_sign_off(on=date(2026, 10, 30))
    type(item).objects.filter(pk=item.pk).update(submitted_at=_at(date(2026, 11, 2)))
    remind_evidence_awaiting_sign_off(on=TODAY)
    assert Notification.objects.filter(recipient=enrolment.assessor).count() == 2


def test_the_task_reminds_as_of_today(enrolment, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    EvidenceFactory(enrolment=enrolment, submitted_at=_at(date(2026, 11, 2)))
    send_evidence_sign_off_reminders()
    assert Notification.objects.filter(kind="evidence-awaiting-sign-off").count() == 1
