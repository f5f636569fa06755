"""Invitations: how an assessor from outside the authority gets an account.

A programme lead invites them by email; the link lets them choose a password. The row keeps
who invited them, from which organisation they come, when the last link went out and when
they accepted; its history keeps every send and the acceptance, each naming who did it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from people.models import User


class AssessorInvitationQuerySet(models.QuerySet["AssessorInvitation"]):
    def visible_to(self, user: User) -> Self:
        """A lead sees every invitation; an invited person their own; nobody else any."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role("lead"):
            return self.all()
        return self.filter(person=user)


class AssessorInvitation(models.Model):
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="assessor_invitation",
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        help_text=_("Where the assessor works, or “Independent”."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    # The link's clock starts at the last send: an earlier link stops working when a new one goes.
    sent_at = models.DateTimeField(_("link last sent"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    objects = AssessorInvitationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-invited_at", "-pk"]
        verbose_name = _("assessor invitation")
        verbose_name_plural = _("assessor invitations")

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation})"
