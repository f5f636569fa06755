"""Writes for people: accounts, teams and roles. Each is one transaction."""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people import totp
from people.models import (
    DEFAULT_FULL_CASELOAD,
    Role,
    RoleMembership,
    ServiceArea,
    Team,
    TwoFactorDevice,
    User,
)

logger = logging.getLogger(__name__)


def create_team(
    *,
    name: str,
    service_area: str = ServiceArea.CHILDREN,
    manager: User | None = None,
    standard_full_caseload: int | None = None,
) -> Team:
    """A team; its full caseload defaults to its service area's (DOMAIN.md: 18 or 25)."""
    if standard_full_caseload is None:
        standard_full_caseload = DEFAULT_FULL_CASELOAD[ServiceArea(service_area)]
    team = Team(
        name=name.strip(),
        service_area=service_area,
        manager=manager,
        standard_full_caseload=standard_full_caseload,
    )
    with transaction.atomic():
        team.full_clean()
        team.save()
        if manager is not None:
            grant_role(user=manager, role=Role.MANAGER, granted_by=None)
    return team


def find_or_create_person(
    *,
    email: str,
    full_name: str,
    team: Team | None = None,
    swe_registration_number: str = "",
    employment_type: str = User.EmploymentType.PERMANENT,
    qualified_on: date | None = None,
) -> tuple[User, bool]:
    """The person with this email (any case), or a new one with no usable password.

    A new person signs in after a password reset (or single sign-on); nobody types
    a password for someone else.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing, False
    person = User(
        email=email,
        full_name=full_name.strip(),
        team=team,
        swe_registration_number=swe_registration_number.strip(),
        employment_type=employment_type,
        qualified_on=qualified_on,
    )
    person.set_unusable_password()
    person.full_clean()
    person.save()
    return person, True


def grant_role(*, user: User, role: str, granted_by: User | None) -> RoleMembership:
    """Give a person a role; granting one they hold already changes nothing."""
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    with transaction.atomic():
        membership = RoleMembership.objects.filter(user=user, role=role).first()
        if membership is not None:
            return membership
        membership = RoleMembership(user=user, role=role)
        membership.full_clean()
        membership._history_user = granted_by
        membership._change_reason = "Role granted"
        membership.save()
    user.__dict__.pop("roles", None)  # the cached set is stale now
    return membership


def revoke_role(*, user: User, role: str, revoked_by: User | None) -> None:
    """Take a role away, leaving a history row that says who did it."""
    with transaction.atomic():
        for membership in RoleMembership.objects.filter(user=user, role=role):
            membership._history_user = revoked_by
            membership._change_reason = "Role revoked"
            membership.delete()
    user.__dict__.pop("roles", None)


def assign_team(*, user: User, team: Team | None) -> None:
    """Move a person to a team (or out of every team)."""
    if user.team_id == (team.pk if team else None):
        return
    user.team = team
    user.save(update_fields=["team"])


def set_team_manager(*, team: Team, manager: User | None) -> Team:
    """Put a person in charge of a team; they hold the manager role from then on."""
    with transaction.atomic():
        if team.manager_id != (manager.pk if manager else None):
            team.manager = manager
            team.save(update_fields=["manager"])
        if manager is not None:
            grant_role(user=manager, role=Role.MANAGER, granted_by=None)
    return team


def set_up_two_factor(*, user: User, secret: str, code: str) -> TwoFactorDevice:
    """Keep the authenticator app's secret once the person shows the app gives the right code."""
    step = totp.matching_step(secret=secret, code=code, at=timezone.now(), last_used_step=0)
    if step is None:
        message = _(
            "The code is not right. Check the app shows Footing and your email address, "
            "then enter the code it shows now."
        )
        raise ValidationError({"code": message})
    with transaction.atomic():
        if TwoFactorDevice.objects.filter(user=user).exists():
            raise ValidationError(
                _("Two-step verification is already on. Turn it off first to use a new app.")
            )
        device = TwoFactorDevice(user=user, secret=secret, last_used_step=step)
        device.full_clean()
        device.save()
    logger.info("Two-step verification set up for person %s", user.pk)
    return device


def use_two_factor_code(*, user: User, code: str) -> None:
    """Accept a code from the person's app, once; a wrong or used code is refused.

    The step is claimed with a conditional update, so two requests racing with one code
    cannot both succeed, on SQLite or PostgreSQL.
    """
    device = TwoFactorDevice.objects.filter(user=user).first()
    if device is None:  # a lead removed it a moment ago
        raise ValidationError(_("Two-step verification is not on for this account."))
    now = timezone.now()
    step = totp.matching_step(
        secret=device.secret, code=code, at=now, last_used_step=device.last_used_step
    )
    used = _(
        "That code has been used already. Wait for your app to show a new code, then enter it."
    )
    if step is None:
        if totp.was_used_already(
            secret=device.secret, code=code, at=now, last_used_step=device.last_used_step
        ):
            raise ValidationError({"code": used})
        message = _("The code is not right. Enter the 6-digit code your app shows now.")
        raise ValidationError({"code": message})
    claimed = TwoFactorDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
        last_used_step=step
    )
    if not claimed:
        raise ValidationError({"code": used})


def turn_off_two_factor(*, user: User, code: str) -> None:
    """Forget the person's authenticator app; a current code from it proves they hold it."""
    with transaction.atomic():
        use_two_factor_code(user=user, code=code)
        TwoFactorDevice.objects.filter(user=user).delete()
    logger.info("Two-step verification turned off for person %s", user.pk)
