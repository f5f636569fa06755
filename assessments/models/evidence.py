"""Evidence of practice, the assessor's sign-offs, direct observations and feedback requests."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from people.models import Role
from programmes.models import Enrolment, check_past_day

from .frameworks import Statement

if TYPE_CHECKING:
    from people.models import User


class EvidenceQuerySet(models.QuerySet["Evidence"]):
    def visible_to(self, user: User) -> Self:
        """A draft is its author's alone, a lead's included; the rest is seen with the enrolment."""
        if not user.is_authenticated:
            return self.none()
        shared = ~Q(status=Evidence.Status.DRAFT)
        if not user.has_role(Role.LEAD):
            shared &= Q(enrolment__in=Enrolment.objects.visible_to(user))
        return self.filter(Q(author=user) | shared)

    def awaiting_sign_off(self) -> Self:
        return self.filter(status=Evidence.Status.SUBMITTED)

    def signed_off(self) -> Self:
        return self.filter(status=Evidence.Status.SIGNED_OFF)


class Evidence(models.Model):
    class Kind(models.TextChoices):
        REFLECTION = "reflection", _("Reflection")
        OBSERVATION = "observation", _("Direct observation")
        FEEDBACK_PERSON = "feedback-person", _("Feedback from a child, family member or carer")
        FEEDBACK_PROFESSIONAL = (
            "feedback-professional",
            _("Feedback from a colleague or other professional"),
        )
        CASE_NOTE = "case-note", _("Case-note extract")
        SUPERVISION = "supervision", _("Supervision record")
        LEARNING = "learning", _("Learning activity")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting sign-off")
        SIGNED_OFF = "signed-off", _("Signed off")
        RETURNED = "returned", _("Returned for changes")

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="evidence"
    )
    # Blank for feedback sent in through a link by someone without an account.
    author = models.ForeignKey(
        "people.User",
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_written",
    )
    kind = models.CharField(_("kind of evidence"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    occurred_on = models.DateField(_("date of the practice"))
    # A reflection is short and structured; other kinds use `body`.
    what_happened = models.TextField(_("what happened"), blank=True)
    what_i_learned = models.TextField(_("what I learned"), blank=True)
    what_i_will_do = models.TextField(_("what I will do next"), blank=True)
    body = models.TextField(_("the evidence"), blank=True)
    # Who feedback came from, in their own words ("Parent", "Health visitor").
    source_name = models.CharField(_("from"), max_length=200, blank=True)
    source_relationship = models.CharField(_("their relationship"), max_length=200, blank=True)
    statements = models.ManyToManyField(
        Statement,
        verbose_name=_("statements it shows"),
        related_name="evidence",
        blank=True,
        through="EvidenceStatement",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    times_submitted = models.PositiveSmallIntegerField(_("times submitted"), default=0)
    # MEDIA_ROOT is outside the web root and has no URL: only the attachment view serves it.
    attachment = models.FileField(_("attachment"), upload_to="evidence/", blank=True)
    attachment_name = models.CharField(_("attachment title"), max_length=200, blank=True)
    attachment_type = models.CharField(_("attachment content type"), max_length=100, blank=True)
    attachment_bytes = models.PositiveIntegerField(_("attachment size in bytes"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), default=timezone.now)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [
            models.Index(fields=["enrolment", "status"], name="evidence_enrolment_status"),
            models.Index(fields=["status", "submitted_at"], name="evidence_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="evidence_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        """Signed off: the worker can no longer change it (a reversal would unlock it)."""
        return self.status == self.Status.SIGNED_OFF

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def clean(self) -> None:
        check_past_day("occurred_on", self.occurred_on)


class EvidenceStatement(models.Model):
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+")
    # Added when the enrolment moved framework and a mapping carried the tag across.
    mapped = models.BooleanField(_("carried across from an earlier framework"), default=False)

    class Meta:
        verbose_name = _("statement shown")
        verbose_name_plural = _("statements shown")
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "statement"], name="evidence_statement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evidence_id} shows {self.statement_id}"


class SignOffQuerySet(models.QuerySet["SignOff"]):
    def visible_to(self, user: User) -> Self:
        return self.filter(evidence__in=Evidence.objects.visible_to(user))


class SignOff(models.Model):
    """An assessor's decision on one item. Append-only: a reversal is a new row with a reason."""

    class Decision(models.TextChoices):
        SIGNED_OFF = "signed-off", _("Signed off")
        RETURNED = "returned", _("Returned for changes")
        REVERSED = "reversed", _("Sign-off reversed")

    evidence = models.ForeignKey(
        Evidence, verbose_name=_("evidence"), on_delete=models.CASCADE, related_name="sign_offs"
    )
    assessor = models.ForeignKey(
        "people.User", verbose_name=_("assessor"), on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    statements = models.ManyToManyField(
        Statement, verbose_name=_("statements confirmed"), related_name="+", blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.evidence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(_("A sign-off cannot be changed; record a reversal instead."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("A sign-off cannot be deleted; record a reversal instead."))


class ObservationQuerySet(models.QuerySet["Observation"]):
    def visible_to(self, user: User) -> Self:
        return self.filter(evidence__in=Evidence.objects.visible_to(user))


class Observation(models.Model):
    """A direct observation of practice; its evidence item carries the date and the statements."""

    evidence = models.OneToOneField(
        Evidence, verbose_name=_("evidence"), on_delete=models.CASCADE, related_name="observation"
    )
    observer = models.ForeignKey(
        "people.User", verbose_name=_("observer"), on_delete=models.PROTECT, related_name="+"
    )
    setting = models.CharField(_("setting"), max_length=200)
    what_was_observed = models.TextField(_("what was observed"))
    feedback = models.TextField(_("feedback to the worker"), blank=True)
    worker_reflection = models.TextField(_("the worker's reflection on it"), blank=True)
    worker_reflected_at = models.DateTimeField(_("reflection added"), null=True, blank=True)

    objects = ObservationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("direct observation")
        verbose_name_plural = _("direct observations")

    def __str__(self) -> str:
        return f"Observation: {self.evidence}"


class ObservationJudgement(models.Model):
    class Judgement(models.TextChoices):
        MEETS = "meets", _("Meets")
        NOT_YET = "not-yet", _("Not yet")
        NOT_SEEN = "not-seen", _("Not seen")

    observation = models.ForeignKey(
        Observation,
        verbose_name=_("observation"),
        on_delete=models.CASCADE,
        related_name="judgements",
    )
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="+"
    )
    judgement = models.CharField(_("judgement"), max_length=20, choices=Judgement.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["statement__standard__position", "statement__position", "pk"]
        verbose_name = _("judgement")
        verbose_name_plural = _("judgements")
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "statement"], name="observation_judgement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement.code}: {self.get_judgement_display()}"


class FeedbackRequestQuerySet(models.QuerySet["FeedbackRequest"]):
    def visible_to(self, user: User) -> Self:
        return self.filter(enrolment__in=Enrolment.objects.visible_to(user))

    def usable(self, *, now: datetime | None = None) -> Self:
        now = now or timezone.now()
        return self.filter(used_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now)


class FeedbackRequest(models.Model):
    """A single-use, expiring link (or short code) that lets someone without an account give
    feedback; what they send lands as an evidence item on the worker's record."""

    class Giver(models.TextChoices):
        PERSON = "person", _("A child, family member or carer")
        PROFESSIONAL = "professional", _("A colleague or other professional")

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="feedback_requests",
    )
    requested_by = models.ForeignKey(
        "people.User", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    giver = models.CharField(_("who is asked"), max_length=20, choices=Giver.choices)
    recipient_name = models.CharField(_("their name or role"), max_length=200)
    recipient_email = models.EmailField(_("their email address"), blank=True)
    about = models.CharField(
        _("what the feedback is about"),
        max_length=300,
        help_text=_("Shown to them, in plain words: the visit or meeting you want feedback on."),
    )
    # Only a hash of the link's secret is kept: a copy of the database opens no form.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    short_code = models.CharField(_("short code"), max_length=12, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    evidence = models.OneToOneField(
        Evidence,
        verbose_name=_("feedback received"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_request",
    )

    objects = FeedbackRequestQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback request")
        verbose_name_plural = _("feedback requests")

    def __str__(self) -> str:
        return f"Feedback from {self.recipient_name}"
