"""Completion records: what an ended enrolment was, kept as it was on the day it ended.

A record copies the names, numbers and framework version it reports, so that a later change
(a worker's new surname, a renamed cohort, a moved framework) leaves the record of the outcome
as it was decided.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from people.models import Role
from programmes.models import Enrolment

if TYPE_CHECKING:
    from people.models import User


class CompletionRecordQuerySet(models.QuerySet["CompletionRecord"]):
    def visible_to(self, user: User) -> Self:
        """A lead sees every record; a manager their teams'; a worker their own; nobody else."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(Role.LEAD):
            return self.all()
        return self.filter(Q(worker=user) | Q(worker__team__manager=user))


class CompletionRecord(models.Model):
    class Outcome(models.TextChoices):
        COMPLETED = Enrolment.Status.COMPLETED.value, _("Completed")
        FAILED = Enrolment.Status.FAILED.value, _("Not passed")
        WITHDRAWN = Enrolment.Status.WITHDRAWN.value, _("Withdrawn")

    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="completion_record",
    )
    worker = models.ForeignKey(
        "people.User",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="completion_records",
    )
    worker_name = models.CharField(_("worker's name"), max_length=200)
    swe_registration_number = models.CharField(
        _("Social Work England registration number"), max_length=20, blank=True, db_index=True
    )
    programme_code = models.CharField(_("programme code"), max_length=40)
    programme_name = models.CharField(_("programme"), max_length=200)
    cohort_name = models.CharField(_("cohort"), max_length=150)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    # Blank when the programme is assessed against no framework.
    framework_code = models.CharField(_("framework code"), max_length=40, blank=True)
    framework_version = models.CharField(_("framework version"), max_length=40, blank=True)
    framework_name = models.CharField(_("framework"), max_length=200, blank=True)
    started_on = models.DateField(_("start date"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = CompletionRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-outcome_on", "-pk"]
        verbose_name = _("completion record")
        verbose_name_plural = _("completion records")

    def __str__(self) -> str:
        return f"{self.worker_name} – {self.programme_code} – {self.get_outcome_display()}"
