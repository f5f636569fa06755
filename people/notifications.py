"""Writes for notifications: queue them once, deliver them by email, never lose one silently.

Each app renders its own kinds from `templates/email/<kind>.txt` (and `<kind>_subject.txt`) and
queues them here. Delivery claims one pending row at a time with a row lock that skips rows
another worker holds, sends it, and marks it in the same short transaction: a worker killed
mid-send leaves the row pending (sent again, at most that one), and no transaction is held open
for a whole burst. A failed send is retried with back-off; after the last try it is marked
failed, where a programme lead sees it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import Notification, Role, User

logger = logging.getLogger(__name__)

# Minutes to wait after each failed try; after the last, the notification is marked failed.
RETRY_MINUTES = (1, 5, 30, 120)
MAX_ATTEMPTS = len(RETRY_MINUTES) + 1
BATCH_SIZE = 500
DELIVERY_FIELDS = ["email_status", "attempts", "next_attempt_at", "last_error", "sent_at"]


@dataclass(frozen=True)
class NotificationRequest:
    """A notification to be: who, what kind, about what (and when), and what it says."""

    recipient_id: int
    kind: str
    subject_key: str
    title: str
    body: str
    link: str = ""


def render_notification(
    *, recipient_id: int, kind: str, subject_key: str, context: Mapping, link: str = ""
) -> NotificationRequest:
    """A notification worded by its kind's templates: `email/<kind>_subject.txt` and
    `email/<kind>.txt`, given `context` and the site's address."""
    context = {**context, "site_url": settings.SITE_URL, "link": link}
    return NotificationRequest(
        recipient_id=recipient_id,
        kind=kind,
        subject_key=subject_key,
        title=" ".join(render_to_string(f"email/{kind}_subject.txt", context).split())[:200],
        body=render_to_string(f"email/{kind}.txt", context).strip(),
        link=link,
    )


def queue_notifications(requests: Iterable[NotificationRequest]) -> None:
    """Write each notification once; one already written (same person, kind and subject) is
    left as it is. Delivery is queued for when the transaction commits."""
    requests = list(requests)
    if not requests:
        return
    daily = set(
        User.objects.filter(
            pk__in={request.recipient_id for request in requests},
            email_frequency=User.EmailFrequency.DAILY,
        ).values_list("pk", flat=True)
    )
    rows = [
        Notification(
            recipient_id=request.recipient_id,
            kind=request.kind,
            subject_key=request.subject_key,
            title=request.title,
            body=request.body,
            link=request.link,
            email_status=(
                Notification.EmailStatus.DIGEST
                if request.recipient_id in daily
                else Notification.EmailStatus.PENDING
            ),
        )
        for request in requests
    ]
    with transaction.atomic():
        # INSERT … ON CONFLICT DO NOTHING on the unique key: a rerun adds no rows.
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH_SIZE)
        transaction.on_commit(_queue_delivery)


def _queue_delivery() -> None:
    from people.tasks import deliver_notifications

    deliver_notifications.delay()


def _message(notification: Notification, recipient: User) -> mail.EmailMessage:
    body = notification.body
    if notification.link:
        body = f"{body}\n\n{settings.SITE_URL}{notification.link}"
    return mail.EmailMessage(
        subject=notification.title, body=body, to=[recipient.email], reply_to=None
    )


def _claim(**filters: object) -> Notification | None:
    """The oldest due row that no other worker holds, locked until the transaction ends."""
    return (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(**filters)
        .select_related("recipient")
        .order_by("next_attempt_at", "pk")
        .first()
    )


def _record_failure(notification: Notification, error: Exception, now: datetime) -> None:
    notification.attempts += 1
    notification.last_error = f"{type(error).__name__}: {error}"[:2000]
    if notification.attempts >= MAX_ATTEMPTS:
        notification.email_status = Notification.EmailStatus.FAILED
        logger.error("notification %s failed after %s tries", notification.pk, MAX_ATTEMPTS)
    else:
        wait = RETRY_MINUTES[notification.attempts - 1]
        notification.next_attempt_at = now + timedelta(minutes=wait)
        logger.warning(
            "notification %s not sent (try %s); again in %s min",
            notification.pk,
            notification.attempts,
            wait,
        )


def deliver_pending_notifications(*, limit: int | None = None) -> int:
    """Send every pending notification that is due, one short transaction each; returns how
    many were sent. Safe to run in several workers at once: each row is claimed by one."""
    sent = 0
    connection = mail.get_connection()
    with connection:
        while limit is None or sent < limit:
            with transaction.atomic():
                now = timezone.now()
                notification = _claim(
                    email_status=Notification.EmailStatus.PENDING, next_attempt_at__lte=now
                )
                if notification is None:
                    break
                try:
                    connection.send_messages([_message(notification, notification.recipient)])
                except Exception as error:
                    _record_failure(notification, error, now)
                else:
                    notification.email_status = Notification.EmailStatus.SENT
                    notification.sent_at = now
                    sent += 1
                notification.save(update_fields=DELIVERY_FIELDS)
    return sent


def send_daily_digests(*, on: date) -> int:
    """One email per person who chose a daily digest, listing what arrived since the last; the
    inbox already has each. Returns how many digests were sent."""
    sent = 0
    connection = mail.get_connection()
    with connection:
        while True:
            with transaction.atomic():
                # A digest that failed waits out its back-off like any other send.
                due = {
                    "email_status": Notification.EmailStatus.DIGEST,
                    "next_attempt_at__lte": timezone.now(),
                }
                first = _claim(**due)
                if first is None:
                    return sent
                recipient = first.recipient
                waiting = list(
                    Notification.objects.select_for_update(skip_locked=True)
                    .filter(recipient=recipient, **due)
                    .order_by("created_at", "pk")
                )
                context = {"recipient": recipient, "notifications": waiting, "on": on}
                message = mail.EmailMessage(
                    subject=" ".join(
                        render_to_string("email/daily_digest_subject.txt", context).split()
                    ),
                    body=render_to_string(
                        "email/daily_digest.txt", {**context, "site_url": settings.SITE_URL}
                    ),
                    to=[recipient.email],
                )
                now = timezone.now()
                try:
                    connection.send_messages([message])
                except Exception as error:
                    logger.warning("digest for person %s not sent: %s", recipient.pk, error)
                    for notification in waiting:
                        _record_failure(notification, error, now)
                        if notification.email_status != Notification.EmailStatus.FAILED:
                            notification.email_status = Notification.EmailStatus.DIGEST
                else:
                    for notification in waiting:
                        notification.email_status = Notification.EmailStatus.SENT
                        notification.sent_at = now
                    sent += 1
                Notification.objects.bulk_update(
                    waiting,
                    ["email_status", "attempts", "next_attempt_at", "last_error", "sent_at"],
                )


def mark_read(*, reader: User, notifications: Iterable[Notification]) -> int:
    """Mark the reader's own notifications read; anyone else's are refused."""
    ids = [notification.pk for notification in notifications]
    if Notification.objects.filter(pk__in=ids).exclude(recipient=reader).exists():
        raise PermissionDenied
    return Notification.objects.filter(pk__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_all_read(*, reader: User) -> int:
    return Notification.objects.filter(recipient=reader).unread().update(read_at=timezone.now())


def retry_failed_notification(*, retried_by: User, notification: Notification) -> Notification:
    """A programme lead, once the address or the provider is put right, sends it again."""
    if not retried_by.has_role(Role.LEAD):
        raise PermissionDenied
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if locked.email_status != Notification.EmailStatus.FAILED:
            raise ValidationError(_("This notification is no longer waiting to be put right."))
        locked.email_status = Notification.EmailStatus.PENDING
        locked.attempts = 0
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["email_status", "attempts", "next_attempt_at"])
        transaction.on_commit(_queue_delivery)
    logger.info("notification %s queued again by person %s", locked.pk, retried_by.pk)
    return locked


def set_email_frequency(*, person: User, email_frequency: str) -> User:
    """Immediate emails or a daily digest; what already waits follows the new choice."""
    if email_frequency not in User.EmailFrequency.values:
        raise ValidationError({"email_frequency": _("Choose how often to be emailed.")})
    with transaction.atomic():
        person.email_frequency = email_frequency
        person.save(update_fields=["email_frequency"])
        waiting = Notification.objects.filter(
            recipient=person,
            email_status__in=[Notification.EmailStatus.PENDING, Notification.EmailStatus.DIGEST],
        )
        target = (
            Notification.EmailStatus.DIGEST
            if email_frequency == User.EmailFrequency.DAILY
            else Notification.EmailStatus.PENDING
        )
        if waiting.exclude(email_status=target).update(email_status=target) and (
            target == Notification.EmailStatus.PENDING
        ):
            transaction.on_commit(_queue_delivery)
    return person
