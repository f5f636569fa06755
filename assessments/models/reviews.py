"""Reviews on the programme's schedule, concerns with action plans, and the final decision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programmes.models import OUT_OF_RANGE, Enrolment, check_past_day
from programmes.rules import EARLIEST_DAY, LATEST_DAY

from .frameworks import Standard

if TYPE_CHECKING:
    from people.models import User


class EnrolmentRecordQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        """Reviews, concerns and final assessments are seen with their enrolment."""
        return self.filter(enrolment__in=Enrolment.objects.visible_to(user))


class Progress(models.TextChoices):
    ON_TRACK = "on-track", _("On track")
    SOME_CONCERNS = "some-concerns", _("Some concerns")
    CAUSING_CONCERN = "causing-concern", _("Causing concern")


class Review(models.Model):
    """A review held at one of the programme's review points (months from the start)."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="reviews"
    )
    # The review point it answers (programme.review_points_months); the last one is the final.
    months = models.PositiveSmallIntegerField(_("review point (months)"))
    is_final = models.BooleanField(_("final review"), default=False)
    held_on = models.DateField(_("date held"))
    attendees = models.TextField(_("who attended"))
    progress = models.CharField(_("progress"), max_length=20, choices=Progress.choices)
    summary = models.TextField(_("summary of progress"))
    actions = models.TextField(_("actions agreed"), blank=True)
    recorded_by = models.ForeignKey(
        "people.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = EnrolmentRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["enrolment", "months"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "months"], name="review_point_unique")
        ]

    def __str__(self) -> str:
        return f"{self.months}-month review"

    def clean(self) -> None:
        check_past_day("held_on", self.held_on)


class Concern(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="concerns"
    )
    review = models.ForeignKey(
        Review,
        verbose_name=_("raised at review"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concerns",
    )
    opened_by = models.ForeignKey(
        "people.User", verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    reason = models.TextField(_("what the concern is"))
    action_plan = models.TextField(_("action plan"))
    review_on = models.DateField(_("review the plan by"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "people.User",
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.TextField(_("outcome"), blank=True)

    objects = EnrolmentRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_on__isnull=False),
                name="concern_closed_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"Concern opened {self.opened_on:%-d %B %Y}"

    def clean(self) -> None:
        if self.review_on and not EARLIEST_DAY <= self.review_on <= LATEST_DAY:
            raise ValidationError({"review_on": OUT_OF_RANGE})
        if self.review_on and self.opened_on and self.review_on < self.opened_on:
            raise ValidationError(
                {"review_on": _("The date to review the plan must be after it is opened.")}
            )


class Recommendation(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    EXTEND = "extend", _("Extend the programme")


class FinalAssessment(models.Model):
    """The assessor's recommendation; the moderation panel's decision settles the outcome."""

    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="final_assessment",
    )
    assessor = models.ForeignKey(
        "people.User", verbose_name=_("assessor"), on_delete=models.PROTECT, related_name="+"
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices
    )
    extension_weeks = models.PositiveSmallIntegerField(
        _("extension recommended (weeks)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    summary = models.TextField(_("overall summary"))
    recommended_at = models.DateTimeField(_("recommended"), default=timezone.now)

    objects = EnrolmentRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("final assessment")
        verbose_name_plural = _("final assessments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(recommendation="extend") | Q(extension_weeks__isnull=False),
                name="final_extend_has_weeks",
            )
        ]

    def __str__(self) -> str:
        return f"Final assessment: {self.get_recommendation_display()}"


class StandardSummary(models.Model):
    final_assessment = models.ForeignKey(
        FinalAssessment,
        verbose_name=_("final assessment"),
        on_delete=models.CASCADE,
        related_name="standard_summaries",
    )
    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("summary"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["standard__position", "pk"]
        verbose_name = _("summary against a standard")
        verbose_name_plural = _("summaries against the standards")
        constraints = [
            models.UniqueConstraint(
                fields=["final_assessment", "standard"], name="standard_summary_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.standard)


class ModerationDecision(models.Model):
    class Decision(models.TextChoices):
        AGREE = "agree", _("Agree with the recommendation")
        DISAGREE = "disagree", _("Disagree with the recommendation")

    final_assessment = models.ForeignKey(
        FinalAssessment,
        verbose_name=_("final assessment"),
        on_delete=models.CASCADE,
        related_name="moderation_decisions",
    )
    decided_by = models.ForeignKey(
        "people.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    panel = models.TextField(_("panel members"))
    decided_on = models.DateField(_("date of the panel"))
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Recommendation.choices)
    reasons = models.TextField(_("reasons"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["decided_on", "pk"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")

    def __str__(self) -> str:
        return f"Moderation: {self.get_decision_display()}"

    def clean(self) -> None:
        check_past_day("decided_on", self.decided_on)
