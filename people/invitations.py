"""Writes for inviting assessors from outside the authority. Each is one transaction.

A programme lead invites; the service makes the account (no team, no usable password), gives
it the assessor role and emails a link. The person follows the link, chooses a password, and
from then on signs in like anyone else. What they see is decided by the enrolments a lead
assigns them to (Enrolment.objects.visible_to), nothing here.

The link is a signed token, not a stored secret (InvitationTokenGenerator, below): it works
for INVITATION_DAYS, and stops working once the password is set or a new link is sent.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _

from people.audit import save_audited
from people.invitation_selectors import InvitationStatus, can_invite_assessors, invitation_status
from people.models import AssessorInvitation, Role, User
from people.services import find_or_create_person, grant_role

logger = logging.getLogger(__name__)

SECONDS_PER_DAY = 24 * 60 * 60


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password reset token, with its own salt and its own lifetime.

    The salt keeps the two kinds of link apart: a password reset link never accepts an
    invitation, nor the reverse. The token hashes the password, so it is spent once a
    password is chosen, and a new link (which resets the unusable password) spends the old.
    Django checks a token's age against PASSWORD_RESET_TIMEOUT; an invitation waits for
    someone outside the council to find it, so it has INVITATION_DAYS instead.
    """

    key_salt = "people.invitations.InvitationTokenGenerator"

    def check_token(self, user: User | None, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            made_at = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, made_at, secret), token)
            for secret in secrets
        ):
            return False
        age_seconds = self._num_seconds(self._now()) - made_at
        return age_seconds <= settings.INVITATION_DAYS * SECONDS_PER_DAY


invitation_tokens = InvitationTokenGenerator()


def invitation_link(person: User) -> str:
    """The full address of a new invitation link for this person."""
    path = reverse(
        "people:invitation-accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": invitation_tokens.make_token(person),
        },
    )
    return f"{settings.SITE_URL}{path}"


def _send_invitation_email(invitation: AssessorInvitation) -> None:
    """Sent inside the caller's transaction: if the email cannot go, nothing is saved, and the
    lead is told to try again, rather than left with an invitation nobody received."""
    person = invitation.person
    context = {
        "person": person,
        "organisation": invitation.organisation,
        "invited_by": invitation.invited_by,
        "link": invitation_link(person),
        "valid_days": settings.INVITATION_DAYS,
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string("people/invitation_subject.txt", context).strip()
    body = render_to_string("people/invitation_email.txt", context)
    try:
        mail.EmailMessage(subject=subject, body=body, to=[person.email]).send()
    except Exception as error:  # any provider's failure: SMTP, Notify's client, a timeout
        logger.exception("Invitation email to person %s could not be sent", person.pk)
        raise ValidationError(
            _("The invitation email could not be sent. Nothing was saved: try again in a minute.")
        ) from error
    logger.info("Invitation sent to person %s", person.pk)


def _refuse_closed_account(person: User) -> None:
    if not person.is_active:
        raise ValidationError(
            {
                "email": _(
                    "The account for this email address is closed. Ask the Footing "
                    "administrator to reopen it, then invite again."
                )
            }
        )


def _refuse_known_person(person: User) -> None:
    """Someone Footing knows already who cannot simply be given the assessor role."""
    _refuse_closed_account(person)
    if person.has_role(Role.ASSESSOR):
        raise ValidationError(
            {
                "email": _(
                    "%(name)s is an assessor in Footing already and signs in as they do now. "
                    "Assign them to a worker on the worker’s enrolment page."
                )
                % {"name": person.full_name}
            }
        )


def invite_assessor(
    *, invited_by: User, full_name: str, email: str, organisation: str
) -> tuple[User, bool]:
    """Invite an assessor by email; the person and whether an invitation email was sent.

    Inviting someone again who has not accepted yet sends a fresh link (see
    resend_invitation). Someone Footing knows already, without the assessor role, is given it
    and sent nothing: they sign in as they do now.
    """
    if not can_invite_assessors(invited_by):
        raise PermissionDenied
    email = User.objects.normalize_email(email.strip()).lower()
    existing = User.objects.filter(email__iexact=email).select_related("assessor_invitation")
    existing = existing.first()
    invitation = getattr(existing, "assessor_invitation", None) if existing else None
    if invitation is not None:
        _resend(invitation, sent_by=invited_by, organisation=organisation)
        return existing, True
    if existing is not None:
        _refuse_known_person(existing)
        grant_role(user=existing, role=Role.ASSESSOR, granted_by=invited_by)
        logger.info("Assessor role given to existing person %s", existing.pk)
        return existing, False
    with transaction.atomic():
        person, _created = find_or_create_person(email=email, full_name=full_name)
        grant_role(user=person, role=Role.ASSESSOR, granted_by=invited_by)
        invitation = AssessorInvitation(
            person=person, organisation=organisation.strip(), invited_by=invited_by
        )
        save_audited(invitation, by=invited_by, why="Invited as an external assessor")
        _send_invitation_email(invitation)
    return person, True


def _resend(
    invitation: AssessorInvitation, *, sent_by: User, organisation: str | None = None
) -> None:
    person = invitation.person
    _refuse_closed_account(person)
    if invitation_status(invitation, now=timezone.now()).status == InvitationStatus.ACTIVE:
        raise ValidationError(
            {
                "email": _(
                    "%(name)s has accepted their invitation and signs in with their password. "
                    "If they have forgotten it, they can reset it from the sign-in page."
                )
                % {"name": person.full_name}
            }
        )
    with transaction.atomic():
        # A new unusable password changes what the token hashes: every earlier link is spent.
        person.set_unusable_password()
        person.save(update_fields=["password"])
        if organisation and organisation.strip():
            invitation.organisation = organisation.strip()
        invitation.sent_at = timezone.now()
        save_audited(invitation, by=sent_by, why="Invitation sent again")
        _send_invitation_email(invitation)


def resend_invitation(*, invitation: AssessorInvitation, sent_by: User) -> AssessorInvitation:
    """Send a fresh link to someone who has not accepted yet; earlier links stop working."""
    if not can_invite_assessors(sent_by):
        raise PermissionDenied
    _resend(invitation, sent_by=sent_by)
    return invitation


def accept_invitation(*, person: User, password: str) -> AssessorInvitation:
    """Set the invited person's first password and record that they accepted, once."""
    with transaction.atomic():
        invitation = AssessorInvitation.objects.select_for_update().get(person=person)
        if invitation.accepted_at is not None:  # a second tab, a moment later
            raise ValidationError(
                _("This invitation has been accepted already. Sign in with your password.")
            )
        password_validation.validate_password(password, user=person)
        person.set_password(password)
        person.save(update_fields=["password"])
        invitation.accepted_at = timezone.now()
        save_audited(invitation, by=person, why="Invitation accepted")
    logger.info("Invitation accepted by person %s", person.pk)
    return invitation
