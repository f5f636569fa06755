"""Reads for people: who may do what."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from people.models import Notification, Role, RoleMembership, TwoFactorDevice, User


def can_view_history(user: User) -> bool:
    """Programme leads read the audit history of any record they can see."""
    return user.is_authenticated and user.has_role(Role.LEAD)


def has_two_factor(user: User) -> bool:
    """Has this person set up an authenticator app?"""
    return TwoFactorDevice.objects.filter(user=user).exists()


def two_factor_is_required(user: User) -> bool:
    """With REQUIRE_2FA, leads and managers must use an authenticator app."""
    if not settings.REQUIRE_2FA or not user.is_authenticated:
        return False
    return user.has_role(Role.LEAD) or user.has_role(Role.MANAGER)


def must_set_up_two_factor(user: User) -> bool:
    """A person who must use an app and has none sets one up before anything else."""
    return two_factor_is_required(user) and not has_two_factor(user)


def people_for_list(user: User, *, search: str = "") -> QuerySet[User]:
    """The people this person may see, by name, matching `search` in name or email.

    Flat: the page of people (team joined) and one more query for all their roles.
    """
    people = User.objects.visible_to(user)
    if search:
        people = people.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    return (
        people.select_related("team")
        .prefetch_related(
            Prefetch("role_memberships", queryset=RoleMembership.objects.order_by("role"))
        )
        .order_by("full_name", "pk")
    )


def can_see_failed_notifications(user: User) -> bool:
    """Programme leads put right what could not be sent."""
    return user.is_authenticated and user.has_role(Role.LEAD)


def inbox_for(user: User) -> QuerySet[Notification]:
    """This person's own notifications, newest first."""
    return (
        Notification.objects.visible_to(user).filter(recipient=user).order_by("-created_at", "-pk")
    )


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user).unread().count()


def failed_notifications(user: User) -> QuerySet[Notification]:
    """Notifications whose email could not be sent after every try, oldest first."""
    return (
        Notification.objects.visible_to(user)
        .filter(email_status=Notification.EmailStatus.FAILED)
        .select_related("recipient")
        .order_by("next_attempt_at", "pk")
    )
