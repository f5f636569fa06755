"""Cohorts, enrolments, and the parts of an enrolment: pauses, extensions, documents."""

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

from people.models import Role
from programmes import rules

if TYPE_CHECKING:
    from people.models import User
from programmes.models.programme import Programme

# Dates outside these years are typing slips, and past 9999 the derived dates cannot exist.
OUT_OF_RANGE = _("Enter a date between 1 January 2000 and 31 December 2099")
IN_THE_FUTURE = _("The date must be today or in the past.")


def check_past_day(field: str, day: date | None) -> None:
    """A day something happened on (held, observed, decided) is within range and not ahead."""
    if day is None:
        return
    if not rules.EARLIEST_DAY <= day <= rules.LATEST_DAY:
        raise ValidationError({field: OUT_OF_RANGE})
    if day > timezone.localdate():
        raise ValidationError({field: IN_THE_FUTURE})


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
        # Set only by a moderation panel's decision; a fail is terminal (DOMAIN.md, "ASYE").
        FAILED = "failed", _("Not passed")

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
