"""Protected caseloads and protected time: snapshots, breaches of the cap, learning logged."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Self

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from people.models import Role
from programmes.models.enrolments import Enrolment, EnrolmentPartQuerySet

if TYPE_CHECKING:
    from people.models import User

# No social worker carries more; a bigger figure is a slip of the keyboard or a bad export.
MOST_CASES = 500


class CaseloadSnapshot(models.Model):
    """A worker's caseload on a day, however it arrived. One per enrolment and day."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered on a form")
        CSV = "csv", _("Imported from a file")
        API = "api", _("Sent through the API")

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="caseload_snapshots",
    )
    as_of = models.DateField(_("date"))
    open_cases = models.PositiveSmallIntegerField(
        _("open cases"), validators=[MaxValueValidator(MOST_CASES)]
    )
    child_protection_cases = models.PositiveSmallIntegerField(
        _("child-protection cases held as lead"),
        default=0,
        validators=[MaxValueValidator(MOST_CASES)],
    )
    complex_cases = models.PositiveSmallIntegerField(
        _("complex cases held as lead"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MOST_CASES)],
        help_text=_("Care proceedings, or safeguarding enquiries in adult services."),
    )
    weighted_complexity = models.DecimalField(
        _("weighted complexity"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        "people.User",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = EnrolmentPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["enrolment", "-as_of"]
        verbose_name = _("caseload snapshot")
        verbose_name_plural = _("caseload snapshots")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "as_of"], name="one_snapshot_a_day"),
            models.CheckConstraint(
                condition=Q(child_protection_cases__lte=models.F("open_cases")),
                name="snapshot_cp_within_open_cases",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.open_cases} open cases on {self.as_of:%-d %B %Y}"


class CaseloadBreachQuerySet(EnrolmentPartQuerySet):
    def unresolved(self) -> Self:
        return self.exclude(status=CaseloadBreach.Status.RESOLVED)

    def past_plan(self, on: date) -> Self:
        """Still unresolved after the day the manager said it would be back within the cap."""
        return self.unresolved().filter(plan_due_on__lt=on)


class CaseloadBreach(models.Model):
    """A caseload over its cap: opened by detection, owned by a manager, ended by the figures."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="caseload_breaches",
    )
    detected_on = models.DateField(_("detected on"))
    # The snapshot that opened it, and the cap in force that day.
    snapshot_on = models.DateField(_("caseload date"))
    open_cases = models.PositiveSmallIntegerField(_("open cases"))
    cap = models.PositiveSmallIntegerField(_("cap on open cases"))
    child_protection_cases = models.PositiveSmallIntegerField(_("child-protection cases"))
    child_protection_cap = models.PositiveSmallIntegerField(
        _("cap on child-protection cases"), null=True, blank=True
    )
    complex_cases = models.PositiveSmallIntegerField(_("complex cases"), null=True, blank=True)
    complex_cap = models.PositiveSmallIntegerField(_("cap on complex cases"), null=True, blank=True)
    limits = models.JSONField(_("limits exceeded"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    plan = models.TextField(_("plan to bring the caseload down"), blank=True)
    plan_due_on = models.DateField(_("back within the cap by"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "people.User",
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    ended_on = models.DateField(
        _("back within the cap on"),
        null=True,
        blank=True,
        help_text=_("The date of the first caseload figure within the cap."),
    )
    resolved_by = models.ForeignKey(
        "people.User",
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution_note = models.TextField(_("how it was resolved"), blank=True)
    notified_at = models.DateTimeField(_("manager and supervisor told"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated to the programme lead"), null=True, blank=True)

    objects = CaseloadBreachQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["detected_on", "pk"]
        verbose_name = _("caseload breach")
        verbose_name_plural = _("caseload breaches")
        constraints = [
            # Detection may run twice, or in two workers at once: never two live breaches.
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=~Q(status="resolved"),
                name="one_unresolved_breach_per_enrolment",
            ),
            models.CheckConstraint(
                condition=~Q(status="acknowledged")
                | (Q(plan_due_on__isnull=False) & Q(acknowledged_at__isnull=False)),
                name="acknowledged_breach_has_a_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"Caseload over the cap from {self.detected_on:%-d %B %Y}"

    def is_past_plan(self, on: date) -> bool:
        """The same rule as `CaseloadBreachQuerySet.past_plan`, for a breach already loaded."""
        unresolved = self.status != self.Status.RESOLVED
        return unresolved and self.plan_due_on is not None and self.plan_due_on < on


class ProtectedTimeEntry(models.Model):
    """Hours of learning a worker logged: the protected development time they were given."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        STUDY = "study", _("Study")
        SHADOWING = "shadowing", _("Shadowing")
        REFLECTIVE_WRITING = "reflective-writing", _("Reflective writing")

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="protected_time",
    )
    on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[
            MinValueValidator(Decimal("0.5"), _("Log at least half an hour.")),
            MaxValueValidator(Decimal("12"), _("Log at most 12 hours for one day.")),
        ],
    )
    kind = models.CharField(_("kind of learning"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("what it was"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "people.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = EnrolmentPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("protected time entry")
        verbose_name_plural = _("protected time entries")

    def __str__(self) -> str:
        return f"{self.hours} h of {self.get_kind_display().lower()} on {self.on:%-d %B %Y}"


class CaseloadImportProfileQuerySet(models.QuerySet["CaseloadImportProfile"]):
    def visible_to(self, user: User) -> Self:
        """Import profiles are the programme lead's tools."""
        if user.is_authenticated and user.has_role(Role.LEAD):
            return self.all()
        return self.none()


class CaseloadImportProfile(models.Model):
    """How one case-management system's export names its columns, saved once by a lead."""

    # What a column can hold; `worker` is matched by email or Social Work England number.
    FIELDS = (
        "worker",
        "as_of",
        "open_cases",
        "child_protection_cases",
        "complex_cases",
        "weighted_complexity",
    )
    REQUIRED = ("worker", "as_of", "open_cases")

    name = models.CharField(_("name"), max_length=100, unique=True)
    columns = models.JSONField(
        _("columns"), default=dict, help_text=_("For each field, the heading of its column.")
    )
    created_by = models.ForeignKey(
        "people.User", verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CaseloadImportProfileQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("caseload import profile")
        verbose_name_plural = _("caseload import profiles")

    def __str__(self) -> str:
        return self.name
