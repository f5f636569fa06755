"""What they are on: programmes (rules as data), cohorts, enrolments, pauses and extensions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Self

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from people.models import Role, ServiceArea
from programmes import rules

if TYPE_CHECKING:
    from people.models import User


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def visible_to(self, user: User) -> Self:
        """Programme rules are no secret: anyone signed in may read them."""
        if not user.is_authenticated:
            return self.none()
        return self.all()


class Programme(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    service_area = models.CharField(
        _("service area"),
        max_length=20,
        choices=ServiceArea.choices,
        blank=True,
        help_text=_("Leave blank when the programme serves both."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    in_force_to = models.DateField(_("in force to"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("local variant of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_variants",
    )
    assessed_against = models.CharField(_("assessed against"), max_length=200, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("length in months at full time"), validators=[MinValueValidator(1)]
    )
    maximum_elapsed_months = models.PositiveSmallIntegerField(
        _("maximum elapsed months"),
        null=True,
        blank=True,
        help_text=_("Longest time from start to end, pauses included. Blank for no limit."),
    )
    review_points_months = models.JSONField(_("review points (months)"), default=list, blank=True)
    learning_agreement_weeks = models.PositiveSmallIntegerField(
        _("learning agreement due (weeks)"), null=True, blank=True
    )
    critical_reflection_months = models.JSONField(
        _("critical reflections (months)"), default=list, blank=True
    )
    self_assessment_months = models.JSONField(
        _("self-assessments (months)"), default=list, blank=True
    )
    supervision_phases = models.JSONField(_("supervision cadence phases"), default=list, blank=True)
    minimum_supervision_minutes = models.PositiveSmallIntegerField(
        _("minimum supervision length (minutes)"), default=90
    )
    group_supervision_counts = models.BooleanField(
        _("group sessions count towards the cadence"), default=False
    )
    caseload_phases = models.JSONField(_("caseload protection phases"), default=list, blank=True)
    protected_time_phases = models.JSONField(
        _("protected development time phases"), default=list, blank=True
    )
    required_evidence = models.JSONField(
        _("required evidence (minimum counts)"), default=dict, blank=True
    )

    # The fields that are the programme's rules: a local variant starts with a copy of them.
    RULE_FIELDS = (
        "service_area",
        "assessed_against",
        "duration_months",
        "maximum_elapsed_months",
        "review_points_months",
        "learning_agreement_weeks",
        "critical_reflection_months",
        "self_assessment_months",
        "supervision_phases",
        "minimum_supervision_minutes",
        "group_supervision_counts",
        "caseload_phases",
        "protected_time_phases",
        "required_evidence",
    )

    objects = ProgrammeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def cadence_phases(self) -> tuple[rules.CadencePhase, ...]:
        return rules.phases_from_data(self.supervision_phases, rules.CadencePhase)

    @property
    def caseload_protection_phases(self) -> tuple[rules.CaseloadPhase, ...]:
        return rules.phases_from_data(self.caseload_phases, rules.CaseloadPhase)

    @property
    def protected_time(self) -> tuple[rules.ProtectedTimePhase, ...]:
        return rules.phases_from_data(self.protected_time_phases, rules.ProtectedTimePhase)

    @property
    def milestone_plan(self) -> rules.MilestonePlan:
        return rules.MilestonePlan(
            duration_months=self.duration_months,
            review_points_months=tuple(self.review_points_months),
            learning_agreement_weeks=self.learning_agreement_weeks,
            critical_reflection_months=tuple(self.critical_reflection_months),
            self_assessment_months=tuple(self.self_assessment_months),
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for field, phase_class in (
            ("supervision_phases", rules.CadencePhase),
            ("caseload_phases", rules.CaseloadPhase),
            ("protected_time_phases", rules.ProtectedTimePhase),
        ):
            try:
                rules.phases_from_data(getattr(self, field), phase_class)
            except (ValueError, TypeError) as problem:
                errors[field] = str(problem)
        for field in ("review_points_months", "critical_reflection_months"):
            points = getattr(self, field)
            valid = isinstance(points, list) and all(
                isinstance(m, int) and 0 < m <= (self.duration_months or 0) for m in points
            )
            if not valid:
                errors[field] = _("List whole months between 1 and the programme's length.")
        months = self.self_assessment_months
        if not isinstance(months, list) or not all(
            isinstance(m, int) and 0 <= m <= (self.duration_months or 0) for m in months
        ):
            errors["self_assessment_months"] = _(
                "List whole months between 0 (the start) and the programme's length."
            )
        evidence = self.required_evidence
        if not isinstance(evidence, dict) or not all(
            isinstance(v, int) and v >= 0 for v in evidence.values()
        ):
            errors["required_evidence"] = _("Give each kind of evidence a whole-number minimum.")
        if self.in_force_from and self.in_force_to and self.in_force_to < self.in_force_from:
            errors["in_force_to"] = _("The end of the period must be after its start.")
        if errors:
            raise ValidationError(errors)


# rules.EARLIEST_DAY and rules.LATEST_DAY, for the dates people type on enrolments and pauses.
OUT_OF_RANGE = _("Enter a date between 1 January 2000 and 31 December 2099")


class CohortQuerySet(models.QuerySet["Cohort"]):
    def visible_to(self, user: User) -> Self:
        """A lead sees every cohort; anyone else the cohorts of the enrolments they may see."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.LEAD):
            return self.all()
        return self.filter(pk__in=Enrolment.objects.visible_to(user).values("cohort_id"))


class Cohort(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=150)
    intake_on = models.DateField(_("intake date"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = CohortQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-intake_on", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def visible_to(self, user: User) -> Self:
        """A worker sees their own; supervisors and assessors theirs; managers their teams'."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.LEAD):
            return self.all()
        return self.filter(
            Q(worker=user) | Q(supervisor=user) | Q(assessor=user) | Q(worker__team__manager=user)
        )

    def current(self) -> Self:
        return self.filter(status=Enrolment.Status.ACTIVE)


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    worker = models.ForeignKey(
        "people.User",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="enrolments"
    )
    started_on = models.DateField(_("start date"))
    fte = models.DecimalField(
        _("FTE"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[
            MinValueValidator(rules.MINIMUM_FTE, _("FTE must be at least 0.1.")),
            MaxValueValidator(rules.MAXIMUM_FTE, _("FTE must be at most 1.0.")),
        ],
    )
    supervisor = models.ForeignKey(
        "people.User",
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_enrolments",
    )
    assessor = models.ForeignKey(
        "people.User",
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessed_enrolments",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = EnrolmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cohort", "worker__full_name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            # DOMAIN.md, "Modelling consequences": enrolments in sequence, never two at once.
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(status="active"),
                name="one_active_enrolment_per_worker",
            ),
            models.CheckConstraint(
                condition=Q(fte__gte=Decimal("0.1")) & Q(fte__lte=Decimal("1.0")),
                name="enrolment_fte_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} – {self.cohort}"

    def clean(self) -> None:
        if self.started_on and not rules.EARLIEST_DAY <= self.started_on <= rules.LATEST_DAY:
            raise ValidationError({"started_on": OUT_OF_RANGE})


class EnrolmentPartQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        """Pauses, extensions and documents are seen with their enrolment."""
        return self.filter(enrolment__in=Enrolment.objects.visible_to(user))


class EnrolmentPause(models.Model):
    class Reason(models.TextChoices):
        # DOMAIN.md, "ASYE": the clock stops for these, never for capability.
        PARENTAL_LEAVE = "parental-leave", _("Parental leave")
        SICKNESS = "sickness", _("Long-term sickness")
        BEREAVEMENT = "bereavement", _("Bereavement")
        OTHER = "other", _("Other agreed absence")

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="pauses"
    )
    starts_on = models.DateField(_("first day of the pause"))
    ends_on = models.DateField(
        _("last day of the pause"),
        null=True,
        blank=True,
        help_text=_("Leave blank while the return date is not known."),
    )
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "people.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = EnrolmentPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="pause_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} from {self.starts_on:%-d %B %Y}"

    def as_rule(self, *, today: date) -> rules.Pause:
        """An open pause runs to today as far as anyone can yet tell."""
        return rules.Pause(self.starts_on, self.ends_on or max(today, self.starts_on))

    def clean(self) -> None:
        days = {"starts_on": self.starts_on, "ends_on": self.ends_on}
        errors = {
            name: OUT_OF_RANGE
            for name, day in days.items()
            if day and not rules.EARLIEST_DAY <= day <= rules.LATEST_DAY
        }
        if errors:
            raise ValidationError(errors)


class EnrolmentExtension(models.Model):
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    weeks = models.PositiveSmallIntegerField(
        _("weeks"),
        validators=[
            MinValueValidator(1, _("An extension is at least 1 week.")),
            MaxValueValidator(52, _("An extension is at most 52 weeks.")),
        ],
    )
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        "people.User", verbose_name=_("approved by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(_("approved on"), default=timezone.localdate)

    objects = EnrolmentPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["approved_on", "pk"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def __str__(self) -> str:
        return f"{self.weeks} weeks, approved {self.approved_on:%-d %B %Y}"


class EnrolmentDocument(models.Model):
    class Kind(models.TextChoices):
        LEARNING_AGREEMENT = "learning-agreement", _("Learning agreement")
        DEVELOPMENT_PLAN = "development-plan", _("Professional development plan")
        REVIEW = "review", _("Review record")
        OTHER = "other", _("Other document")

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    # MEDIA_ROOT is outside the web root and has no URL: only document_download serves it.
    file = models.FileField(_("file"), upload_to="documents/", max_length=100)
    content_type = models.CharField(_("content type"), max_length=100)
    size_bytes = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        "people.User", verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = EnrolmentPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title
