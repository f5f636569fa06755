"""A programme and its rules, as data (DOMAIN.md, "Programme catalogue")."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Self, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from people.models import ServiceArea
from programmes import rules

if TYPE_CHECKING:
    from people.models import User

T = TypeVar("T")


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
    triangulation_kinds = models.PositiveSmallIntegerField(
        _("kinds of evidence that triangulate a statement"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_(
            "A statement is triangulated when signed-off evidence of at least this many kinds "
            "shows it, one of them a direct observation."
        ),
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
        "triangulation_kinds",
    )

    objects = ProgrammeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def _parsed(self, name: str, raw: tuple, parse: Callable[[], T]) -> T:
        """The rules parsed from `raw` (stored values), once while they stay the same objects:
        a list of enrolments shares one programme instance, asked for its rules on every row.
        Assigning a field anew parses it again; changing a stored list in place does not."""
        memo = self.__dict__.setdefault("_parsed_rules", {})
        found = memo.get(name)
        if found is None or any(old is not new for old, new in zip(found[0], raw, strict=True)):
            found = memo[name] = (raw, parse())
        return found[1]

    @property
    def cadence_phases(self) -> tuple[rules.CadencePhase, ...]:
        return self._parsed(
            "cadence",
            (self.supervision_phases,),
            lambda: rules.phases_from_data(self.supervision_phases, rules.CadencePhase),
        )

    @property
    def caseload_protection_phases(self) -> tuple[rules.CaseloadPhase, ...]:
        return self._parsed(
            "caseload",
            (self.caseload_phases,),
            lambda: rules.phases_from_data(self.caseload_phases, rules.CaseloadPhase),
        )

    @property
    def protected_time(self) -> tuple[rules.ProtectedTimePhase, ...]:
        return self._parsed(
            "protected-time",
            (self.protected_time_phases,),
            lambda: rules.phases_from_data(self.protected_time_phases, rules.ProtectedTimePhase),
        )

    @property
    def milestone_plan(self) -> rules.MilestonePlan:
        stored = (
            self.duration_months,
            self.review_points_months,
            self.learning_agreement_weeks,
            self.critical_reflection_months,
            self.self_assessment_months,
        )
        return self._parsed(
            "milestones",
            stored,
            lambda: rules.MilestonePlan(
                duration_months=self.duration_months,
                review_points_months=tuple(self.review_points_months),
                learning_agreement_weeks=self.learning_agreement_weeks,
                critical_reflection_months=tuple(self.critical_reflection_months),
                self_assessment_months=tuple(self.self_assessment_months),
            ),
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
