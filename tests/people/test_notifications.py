"""Notifications: written once, delivered by email, retried, and never lost silently."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from people.models import Notification, Role, User
from people.notifications import (
    MAX_ATTEMPTS,
    RETRY_MINUTES,
    NotificationRequest,
    deliver_pending_notifications,
    mark_all_read,
    mark_read,
    queue_notifications,
    render_notification,
    retry_failed_notification,
    send_daily_digests,
    set_email_frequency,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class BrokenBackend:
    """An email provider that is down: every send raises."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def __enter__(self) -> BrokenBackend:
        return self

    def __exit__(self, *args: object) -> None:
        pass

    def send_messages(self, messages: list) -> int:
        raise ConnectionRefusedError("the relay refused the connection")


@pytest.fixture
def broken_email(settings) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"


def request_for(person: User, key: str = "enrolment-1-due-2026-12-07", **fields) -> dict:
    values = {
        "recipient_id": person.pk,
        "kind": "supervision-due",
        "subject_key": key,
        "title": "Supervision is due on 7 December",
        "body": "Book a session with your supervisor.",
        "link": "/supervision/enrolments/1/",
        **fields,
    }
    return NotificationRequest(**values)


class TestQueue:
    def test_the_same_notification_twice_is_written_once(self):
        person = UserFactory()
        queue_notifications([request_for(person)])
        queue_notifications([request_for(person), request_for(person)])
        assert Notification.objects.count() == 1

    def test_a_new_period_is_a_new_notification(self):
        person = UserFactory()
        queue_notifications([request_for(person), request_for(person, key="enrolment-1-due-x")])
        assert Notification.objects.filter(recipient=person).count() == 2

    def test_a_person_who_chose_a_digest_waits_for_it(self):
        daily = UserFactory(email_frequency=User.EmailFrequency.DAILY)
        queue_notifications([request_for(daily), request_for(UserFactory())])
        statuses = dict(Notification.objects.values_list("recipient_id", "email_status"))
        assert statuses[daily.pk] == Notification.EmailStatus.DIGEST
        assert sorted(statuses.values()) == ["digest", "pending"]

    def test_rendering_uses_the_kinds_templates_and_the_site_address(self, settings):
        settings.SITE_URL = "https://footing.council.example"
        person = UserFactory(full_name="Alex Morgan")
        request = render_notification(
            recipient_id=person.pk,
            kind="daily_digest",
            subject_key="x",
            context={"recipient": person, "notifications": [], "on": date(2026, 12, 3)},
        )
        assert request.title == "Footing: 0 new notifications"
        assert request.body.startswith("Hello Alex,")
        assert "https://footing.council.example/notifications/" in request.body


class TestDeliver:
    def test_each_pending_notification_is_emailed_once_with_its_link(self, settings):
        settings.SITE_URL = "https://footing.council.example"
        person = UserFactory(email="alex@council.example")
        queue_notifications([request_for(person)])

        assert deliver_pending_notifications() == 1
        assert deliver_pending_notifications() == 0

        (message,) = mail.outbox
        assert message.to == ["alex@council.example"]
        assert message.subject == "Supervision is due on 7 December"
        assert message.body.endswith("https://footing.council.example/supervision/enrolments/1/")
        notification = Notification.objects.get()
        assert notification.email_status == Notification.EmailStatus.SENT
        assert notification.sent_at is not None

    def test_a_digest_notification_is_not_emailed_on_its_own(self):
        queue_notifications([request_for(UserFactory(email_frequency="daily"))])
        assert deliver_pending_notifications() == 0
        assert mail.outbox == []

    def test_a_failed_send_is_kept_and_tried_again_later(self, broken_email):
        queue_notifications([request_for(UserFactory())])

        assert deliver_pending_notifications() == 0

        notification = Notification.objects.get()
        assert notification.email_status == Notification.EmailStatus.PENDING
        assert notification.attempts == 1
        assert notification.last_error.startswith("ConnectionRefusedError: the relay refused")
        wait = notification.next_attempt_at - timezone.now()
        assert timedelta(seconds=50) < wait <= timedelta(minutes=RETRY_MINUTES[0])
        assert deliver_pending_notifications() == 0  # not due again yet
        assert Notification.objects.get().attempts == 1

    def test_after_the_last_try_it_is_marked_failed_for_a_lead(self, broken_email):
        queue_notifications([request_for(UserFactory())])
        for _ in range(MAX_ATTEMPTS):
            Notification.objects.update(next_attempt_at=timezone.now())
            deliver_pending_notifications()
        notification = Notification.objects.get()
        assert (notification.email_status, notification.attempts) == ("failed", MAX_ATTEMPTS)

    def test_the_back_off_grows_with_each_try(self, broken_email):
        queue_notifications([request_for(UserFactory())])
        waits = []
        for _ in range(len(RETRY_MINUTES)):
            Notification.objects.update(next_attempt_at=timezone.now())
            deliver_pending_notifications()
            waits.append(Notification.objects.get().next_attempt_at - timezone.now())
        assert waits == sorted(waits)
        assert waits[-1] > timedelta(minutes=RETRY_MINUTES[-1] - 1)

    def test_one_failing_address_does_not_hold_up_the_others(self, settings):
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        good, bad = UserFactory(), UserFactory()
        queue_notifications([request_for(bad), request_for(good)])
        Notification.objects.filter(recipient=bad).update(next_attempt_at=timezone.now())
        original = mail.backends.locmem.EmailBackend.send_messages

        def refuse_bad(self, messages):
            if messages[0].to == [bad.email]:
                raise OSError("mailbox unavailable")
            return original(self, messages)

        mail.backends.locmem.EmailBackend.send_messages = refuse_bad
        try:
            assert deliver_pending_notifications() == 1
        finally:
            mail.backends.locmem.EmailBackend.send_messages = original
        assert [message.to for message in mail.outbox] == [[good.email]]


class TestDigest:
    def test_one_email_lists_what_arrived_and_marks_each_sent(self):
        daily = UserFactory(email_frequency="daily", full_name="Priya Shah")
        queue_notifications(
            [request_for(daily), request_for(daily, key="two", title="Caseload over the cap")]
        )

        assert send_daily_digests(on=date(2026, 12, 3)) == 1
        assert send_daily_digests(on=date(2026, 12, 3)) == 0

        (message,) = mail.outbox
        assert message.subject == "Footing: 2 new notifications"
        assert "Supervision is due on 7 December" in message.body
        assert "Caseload over the cap" in message.body
        assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}

    def test_a_digest_that_cannot_be_sent_waits_for_the_next(self, broken_email):
        queue_notifications([request_for(UserFactory(email_frequency="daily"))])
        assert send_daily_digests(on=date(2026, 12, 3)) == 0
        notification = Notification.objects.get()
        assert (notification.email_status, notification.attempts) == ("digest", 1)


class TestPreferences:
    def test_choosing_a_digest_moves_what_is_waiting_into_it(self):
        person = UserFactory()
        queue_notifications([request_for(person)])
        set_email_frequency(person=person, email_frequency="daily")
        assert Notification.objects.get().email_status == Notification.EmailStatus.DIGEST
        set_email_frequency(person=person, email_frequency="immediate")
        assert Notification.objects.get().email_status == Notification.EmailStatus.PENDING

    def test_an_unknown_choice_is_refused(self):
        person = UserFactory()
        with pytest.raises(ValidationError) as refusal:
            set_email_frequency(person=person, email_frequency="hourly")
        assert refusal.value.message_dict == {
            "email_frequency": ["Choose how often to be emailed."]
        }


class TestReadAndRetry:
    def test_a_person_marks_their_own_read_and_nobody_elses(self):
        mine, theirs = UserFactory(), UserFactory()
        queue_notifications([request_for(mine), request_for(theirs)])
        own = Notification.objects.get(recipient=mine)
        assert mark_read(reader=mine, notifications=[own]) == 1
        with pytest.raises(PermissionDenied):
            mark_read(reader=mine, notifications=[Notification.objects.get(recipient=theirs)])
        assert Notification.objects.get(recipient=theirs).read_at is None

    def test_mark_all_read_touches_only_the_readers(self):
        mine, theirs = UserFactory(), UserFactory()
        queue_notifications([request_for(mine), request_for(mine, key="2"), request_for(theirs)])
        assert mark_all_read(reader=mine) == 2
        assert Notification.objects.unread().get().recipient == theirs

    def test_a_lead_sends_a_failed_one_again(self, broken_email, settings):
        lead = UserFactory(roles=[Role.LEAD])
        queue_notifications([request_for(UserFactory())])
        Notification.objects.update(email_status="failed", attempts=MAX_ATTEMPTS)
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

        retry_failed_notification(retried_by=lead, notification=Notification.objects.get())

        assert Notification.objects.get().attempts == 0
        assert deliver_pending_notifications() == 1
        with pytest.raises(ValidationError):
            retry_failed_notification(retried_by=lead, notification=Notification.objects.get())

    def test_only_a_lead_may_send_one_again(self):
        queue_notifications([request_for(UserFactory())])
        Notification.objects.update(email_status="failed")
        with pytest.raises(PermissionDenied):
            retry_failed_notification(
                retried_by=UserFactory(roles=[Role.MANAGER]),
                notification=Notification.objects.get(),
            )


class TestVisibility:
    def test_each_person_sees_their_own_and_a_lead_also_the_failed(self):
        worker, other, lead = UserFactory(), UserFactory(), UserFactory(roles=[Role.LEAD])
        queue_notifications([request_for(worker), request_for(other), request_for(lead)])
        Notification.objects.filter(recipient=other).update(email_status="failed")

        def seen(person: User) -> set[int]:
            visible = Notification.objects.visible_to(person)
            return set(visible.values_list("recipient_id", flat=True))

        assert seen(worker) == {worker.pk}
        assert seen(other) == {other.pk}
        assert seen(lead) == {lead.pk, other.pk}
