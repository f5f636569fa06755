"""Writes for people: accounts, teams and roles. Each is one transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from people.models import DEFAULT_FULL_CASELOAD, Role, RoleMembership, ServiceArea, Team, User


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
