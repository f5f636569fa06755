"""Who: people (email is the login), their teams, and the roles they hold."""

from __future__ import annotations

from datetime import date
from typing import Self

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    WORKER = "worker", _("Newly qualified worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    ASSESSOR = "assessor", _("Assessor")
    MANAGER = "manager", _("Manager")
    LEAD = "lead", _("Programme lead")


class ServiceArea(models.TextChoices):
    CHILDREN = "children", _("Children and families")
    ADULTS = "adults", _("Adult services")


# DOMAIN.md, "Caseload protection": a full caseload for an experienced worker, by default.
DEFAULT_FULL_CASELOAD = {ServiceArea.CHILDREN: 18, ServiceArea.ADULTS: 25}


class TeamQuerySet(models.QuerySet["Team"]):
    def visible_to(self, user: User) -> Self:
        """A lead sees every team; a manager the teams they manage; anyone else their own."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.LEAD):
            return self.all()
        return self.filter(Q(manager=user) | Q(pk=user.team_id)).distinct()


class Team(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    service_area = models.CharField(
        _("service area"), max_length=20, choices=ServiceArea.choices, default=ServiceArea.CHILDREN
    )
    manager = models.ForeignKey(
        "people.User",
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_teams",
    )
    standard_full_caseload = models.PositiveSmallIntegerField(
        _("standard full caseload"),
        help_text=_("Open cases an experienced worker in this team carries at full time."),
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.CheckConstraint(
                condition=Q(standard_full_caseload__gte=1), name="team_full_caseload_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name


def validate_not_in_the_future(day: date) -> None:
    """A qualification is a fact already true: a date ahead of today is a typing slip."""
    if day > timezone.localdate():
        raise ValidationError(_("The qualification date must be today or in the past."))


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, user: User) -> Self:
        """A lead sees everyone; a manager their teams' members; anyone else only themselves."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.LEAD):
            return self.all()
        return self.filter(Q(pk=user.pk) | Q(team__manager=user)).distinct()


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, email: str) -> User:
        return self.get(email__iexact=email)

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    class EmploymentType(models.TextChoices):
        PERMANENT = "permanent", _("Permanent")
        AGENCY = "agency", _("Agency")

    class EmailFrequency(models.TextChoices):
        IMMEDIATE = "immediate", _("As each one arrives")
        DAILY = "daily", _("Once a day, in a digest")

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    swe_registration_number = models.CharField(
        _("Social Work England registration number"), max_length=20, blank=True
    )
    # Post-qualifying experience counts from here (the agency rule in programmes.rules).
    qualified_on = models.DateField(
        _("qualification date"),
        null=True,
        blank=True,
        validators=[validate_not_in_the_future],
    )
    employment_type = models.CharField(
        _("employment type"),
        max_length=20,
        choices=EmploymentType.choices,
        default=EmploymentType.PERMANENT,
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    # The inbox always has everything; this only decides when email goes out.
    email_frequency = models.CharField(
        _("email notifications"),
        max_length=20,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATE,
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_any_case")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        """One query per request at most: the roles this person holds."""
        if not self.pk:
            return frozenset()
        return frozenset(self.role_memberships.values_list("role", flat=True))

    def has_role(self, role: str) -> bool:
        return role in self.roles


class RoleMembershipQuerySet(models.QuerySet["RoleMembership"]):
    def visible_to(self, user: User) -> Self:
        """A lead sees every role held; anyone else the roles they hold themselves."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.LEAD):
            return self.all()
        return self.filter(user=user)


class RoleMembership(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="role_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_on = models.DateField(_("granted on"), default=timezone.localdate)

    objects = RoleMembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class PrivacyEventQuerySet(models.QuerySet["PrivacyEvent"]):
    def visible_to(self, user: User) -> Self:
        """The privacy record is a programme lead's: they answer for the council's duties."""
        if not user.is_authenticated or not user.has_role(Role.LEAD):
            return self.none()
        return self.all()


class PrivacyEvent(models.Model):
    """The council's record of its privacy duties done: append-only, and names nobody.

    The subject is kept as a bare id, not a foreign key, so the record outlives the person's
    account and never repeats their name or email (UK GDPR, Article 5(2): accountability).
    """

    class Kind(models.TextChoices):
        SUBJECT_ACCESS_EXPORT = "subject-access-export", _("Subject access export")
        RETENTION_ANONYMISED = "retention-anonymised", _("Anonymised after the retention period")
        RETENTION_DRY_RUN = "retention-dry-run", _("Retention dry run")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    subject_id = models.PositiveBigIntegerField(_("subject (person id)"), null=True, blank=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Blank when the scheduled job did it."),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = PrivacyEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("privacy event")
        verbose_name_plural = _("privacy events")
        indexes = [models.Index(fields=["subject_id", "kind"], name="privacy_event_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.subject_id or '-'} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        # An audit record is written once: a correction is a new event, never an edit.
        if self.pk is not None:
            raise ValueError("A privacy event is never changed once recorded.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("A privacy event is never deleted.")


class TwoFactorDeviceQuerySet(models.QuerySet["TwoFactorDevice"]):
    def visible_to(self, user: User) -> Self:
        """A device holds a secret: only its owner ever sees it, whatever their role."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class TwoFactorDevice(models.Model):
    """A person's authenticator app (TOTP, RFC 6238), once they have proved it with a code.

    A row exists only for a confirmed app: the secret being set up waits in the session.
    """

    user = models.OneToOneField(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="two_factor_device",
    )
    secret = models.CharField(_("secret"), max_length=64)
    confirmed_at = models.DateTimeField(_("set up at"), default=timezone.now)
    # The 30-second step of the last code accepted: a code is never accepted twice.
    last_used_step = models.BigIntegerField(_("last time step used"), default=0)

    objects = TwoFactorDeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("two-step verification app")
        verbose_name_plural = _("two-step verification apps")

    def __str__(self) -> str:
        return str(self.user)


from people.models.invitations import AssessorInvitation  # noqa: E402  (needs User, above)
from people.models.notifications import Notification  # noqa: E402  (needs User, above)

__all__ = [
    "DEFAULT_FULL_CASELOAD",
    "AssessorInvitation",
    "Notification",
    "PrivacyEvent",
    "Role",
    "RoleMembership",
    "ServiceArea",
    "Team",
    "TwoFactorDevice",
    "User",
]
