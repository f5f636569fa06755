"""Who: people (email is the login), their teams, and the roles they hold."""

from __future__ import annotations

from typing import Self

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
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

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    swe_registration_number = models.CharField(
        _("Social Work England registration number"), max_length=20, blank=True
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
