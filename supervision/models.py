"""Supervision sessions, the actions agreed in them, and amendments to signed records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from people.models import Role
from programmes.models import Enrolment
from programmes.rules import EARLIEST_DAY, LATEST_DAY
from supervision import rules

if TYPE_CHECKING:
    from people.models import User


class SupervisionSessionQuerySet(models.QuerySet["SupervisionSession"]):
    def visible_to(self, user: User) -> Self:
        """Seen with its enrolment; a draft only by the supervisor writing it and by leads."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.LEAD):
            return self.all()
        shared = Q(enrolment__in=Enrolment.objects.visible_to(user)) & ~Q(
            status=SupervisionSession.Status.DRAFT
        )
        return self.filter(Q(supervisor=user) | shared)

    def counting(self) -> Self:
        """Sessions that count towards the cadence: signed by the supervisor and long enough."""
        return self.filter(counts_towards_cadence=True).exclude(
            status=SupervisionSession.Status.DRAFT
        )


class SupervisionSession(models.Model):
    class Kind(models.TextChoices):
        ONE_TO_ONE = "one-to-one", _("One-to-one")
        GROUP = "group", _("Group")
        REFLECTIVE = "reflective", _("Reflective or case discussion")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed by supervisor, awaiting the worker")
        COUNTERSIGNED = "countersigned", _("Signed by both")

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="supervision_sessions",
    )
    supervisor = models.ForeignKey(
        "people.User",
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Who led the session and signs the record."),
    )
    held_on = models.DateField(_("date of the session"))
    minutes = models.PositiveSmallIntegerField(
        _("length in minutes"),
        validators=[
            MinValueValidator(
                rules.SHORTEST_MINUTES, _("A session must last at least 15 minutes.")
            ),
            MaxValueValidator(
                rules.LONGEST_MINUTES, _("A session can last at most 8 hours (480 minutes).")
            ),
        ],
    )
    kind = models.CharField(_("kind of session"), max_length=20, choices=Kind.choices)
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("discussion notes"), blank=True)
    wellbeing = models.TextField(
        _("wellbeing check"),
        blank=True,
        help_text=_("How the worker is, workload and stress, and any support agreed."),
    )
    worker_reflection = models.TextField(_("worker's reflection"), blank=True)
    # Set by the service from the programme's minimum at the time of recording (and again on an
    # amendment): a short session is kept and shown, but the worker is still owed one.
    is_short = models.BooleanField(_("shorter than the programme's minimum"), default=False)
    counts_towards_cadence = models.BooleanField(_("counts towards the cadence"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    supervisor_signed_at = models.DateTimeField(
        _("signed by the supervisor"), null=True, blank=True
    )
    worker_signed_at = models.DateTimeField(_("countersigned by the worker"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = SupervisionSessionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")
        indexes = [models.Index(fields=["enrolment", "held_on"], name="session_enrolment_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=rules.SHORTEST_MINUTES)
                & Q(minutes__lte=rules.LONGEST_MINUTES),
                name="session_length_in_range",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(supervisor_signed_at__isnull=False),
                name="session_signed_unless_draft",
            ),
            models.CheckConstraint(
                condition=~Q(status="countersigned") | Q(worker_signed_at__isnull=False),
                name="session_countersigned_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%-d %B %Y}"

    @property
    def is_locked(self) -> bool:
        """Signed by both: from now on a correction is an amendment with a reason."""
        return self.status == self.Status.COUNTERSIGNED

    @property
    def counts(self) -> bool:
        """Counts towards the cadence now: as `counting()` has it, long enough and signed."""
        return self.counts_towards_cadence and self.status != self.Status.DRAFT

    @property
    def not_counted_reason(self) -> str:
        """Why the session does not count, in words; blank when it counts."""
        if self.counts:
            return ""
        if self.is_short:
            return str(_("Shorter than the minimum; does not count"))
        if not self.counts_towards_cadence:  # long enough, so a group the programme does not count
            return str(_("No: group sessions do not count on this programme"))
        return str(_("Not yet: a draft counts once the supervisor signs it"))

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.held_on:
            if not EARLIEST_DAY <= self.held_on <= LATEST_DAY:
                errors["held_on"] = _("Enter a date between 1 January 2000 and 31 December 2099")
            elif self.held_on > timezone.localdate():
                errors["held_on"] = _("The date must be today or in the past.")
            elif self.enrolment_id and self.held_on < self.enrolment.started_on:
                errors["held_on"] = _(
                    "The date must be on or after the programme started (%(day)s)."
                ) % {"day": f"{self.enrolment.started_on:%-d %B %Y}"}
        if errors:
            raise ValidationError(errors)


class SupervisionActionQuerySet(models.QuerySet["SupervisionAction"]):
    def visible_to(self, user: User) -> Self:
        """Seen with the session they were agreed in."""
        return self.filter(session__in=SupervisionSession.objects.visible_to(user))

    def open(self) -> Self:
        return self.filter(done_on__isnull=True)


class SupervisionAction(models.Model):
    session = models.ForeignKey(
        SupervisionSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    description = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        "people.User",
        verbose_name=_("who will do it"),
        on_delete=models.PROTECT,
        related_name="supervision_actions",
    )
    due_on = models.DateField(_("to be done by"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        "people.User",
        verbose_name=_("marked done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SupervisionActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        if self.due_on and not EARLIEST_DAY <= self.due_on <= LATEST_DAY:
            raise ValidationError(
                {"due_on": _("Enter a date between 1 January 2000 and 31 December 2099")}
            )


class SupervisionAmendment(models.Model):
    """A correction to a record both have signed: what changed, who changed it, and why."""

    session = models.ForeignKey(
        SupervisionSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="amendments",
    )
    amended_by = models.ForeignKey(
        "people.User", verbose_name=_("amended by"), on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField(_("amended"), default=timezone.now)
    reason = models.TextField(_("reason for the amendment"))
    # {field label: [before, after]} as text, so the record reads the same after a rename.
    changes = models.JSONField(_("what changed"), default=dict)

    history = HistoricalRecords()

    class Meta:
        ordering = ["amended_at", "pk"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return f"Amendment of {self.session} on {self.amended_at:%-d %B %Y}"
