"""Notifications: one row per person, kind and subject; the inbox shows it, email delivers it.

The row, not a task message, is the promise: it is written once (its key makes a second write
harmless), and delivery works through whatever is still pending, however the last run ended.
Kinds are plain strings that each app names; people holds no other app's vocabulary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from people.models import User


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: User) -> Self:
        """A person's notifications are theirs alone; a lead also sees those that failed to send,
        to put them right."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role("lead"):
            return self.filter(Q(recipient=user) | Q(email_status=Notification.EmailStatus.FAILED))
        return self.filter(recipient=user)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        DIGEST = "digest", _("Waiting for the daily digest")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=60)
    # Names the thing and the period it is about ("enrolment-42-due-2026-11-30"): a rerun adds
    # nothing, while a reminder that should repeat daily carries the day in its key.
    subject_key = models.CharField(_("subject"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    email_status = models.CharField(
        _("email"), max_length=20, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts to send"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key"], name="one_notification_per_subject"
            )
        ]
        indexes = [
            # Delivery's claim: the oldest due pending row, skipping those another worker holds.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(email_status="pending"),
                name="notification_pending",
            ),
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return self.title
