"""Reads for assessor invitations: who may invite, and where each invitation stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.models import AssessorInvitation, Role, User


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    EXPIRED = "expired", _("Link expired")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Account closed")


@dataclass(frozen=True)
class InvitationRow:
    invitation: AssessorInvitation
    status: InvitationStatus
    link_expires_at: datetime | None  # while the latest link still works
    can_resend: bool


def can_invite_assessors(user: User) -> bool:
    """Programme leads bring in assessors from outside the authority."""
    return user.is_authenticated and user.has_role(Role.LEAD)


def invitation_status(invitation: AssessorInvitation, *, now: datetime) -> InvitationRow:
    """Active once a password is set (by the link, or by a password reset); until then invited,
    or expired once the latest link is older than INVITATION_DAYS."""
    person = invitation.person
    if not person.is_active:
        return InvitationRow(invitation, InvitationStatus.CLOSED, None, can_resend=False)
    if invitation.accepted_at is not None or person.has_usable_password():
        return InvitationRow(invitation, InvitationStatus.ACTIVE, None, can_resend=False)
    expires_at = invitation.sent_at + timedelta(days=settings.INVITATION_DAYS)
    if expires_at < now:
        return InvitationRow(invitation, InvitationStatus.EXPIRED, None, can_resend=True)
    return InvitationRow(invitation, InvitationStatus.INVITED, expires_at, can_resend=True)


def invitations_for_list(user: User, *, now: datetime) -> list[InvitationRow]:
    """Every invitation this person may see, by the invited person's name: one query."""
    invitations = (
        AssessorInvitation.objects.visible_to(user)
        .select_related("person", "invited_by")
        .order_by("person__full_name", "pk")
    )
    return [invitation_status(invitation, now=now) for invitation in invitations]
