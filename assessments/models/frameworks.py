"""Frameworks as data: Framework -> Standard (heading) -> Statement, versioned and effective-dated.

An enrolment is assessed against one framework version, pinned when it is enrolled (the one its
programme uses on the start date) and changed only by a lead; a move maps evidence across through
`StatementMapping` (DOMAIN.md, "Frameworks" and "Modelling consequences").
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programmes.models import Enrolment

if TYPE_CHECKING:
    from people.models import User


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def visible_to(self, user: User) -> Self:
        """The standards are public texts: anyone signed in may read them."""
        if not user.is_authenticated:
            return self.none()
        return self.all()

    def in_force_on(self, day: date) -> Self:
        return self.filter(effective_from__lte=day).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=day)
        )


class Framework(models.Model):
    code = models.SlugField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Where the text was taken from.")
    )
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force to"), null=True, blank=True)
    programmes = models.ManyToManyField(
        "programmes.Programme",
        verbose_name=_("programmes assessed against it"),
        related_name="frameworks",
        blank=True,
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now)

    objects = FrameworkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "-effective_from"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_version_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="framework_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    def clean(self) -> None:
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError(
                {"effective_to": _("The end of the period must be after its start.")}
            )


class Standard(models.Model):
    """A heading of a framework (a PQS, a PCF domain, an early career standards domain)."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="standards"
    )
    number = models.CharField(_("number"), max_length=10)
    title = models.CharField(_("heading"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["framework", "position", "pk"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="standard_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Statement(models.Model):
    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="statements"
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("statement"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["standard__position", "standard_id", "position", "pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="statement_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"


class StatementMapping(models.Model):
    """Evidence tagged with `source` shows `target` in the framework that replaced it."""

    source = models.ForeignKey(
        Statement, verbose_name=_("old statement"), on_delete=models.CASCADE, related_name="+"
    )
    target = models.ForeignKey(
        Statement,
        verbose_name=_("new statement"),
        on_delete=models.CASCADE,
        related_name="mapped_from",
    )

    class Meta:
        verbose_name = _("statement mapping")
        verbose_name_plural = _("statement mappings")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="statement_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source.code} → {self.target.code}"


class FrameworkPinQuerySet(models.QuerySet["FrameworkPin"]):
    def visible_to(self, user: User) -> Self:
        return self.filter(enrolment__in=Enrolment.objects.visible_to(user))


class FrameworkPin(models.Model):
    """The framework version one enrolment is assessed against; its history shows every move."""

    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="framework_pin",
    )
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="pins"
    )
    pinned_at = models.DateTimeField(_("pinned"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    objects = FrameworkPinQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("framework of an enrolment")
        verbose_name_plural = _("frameworks of enrolments")

    def __str__(self) -> str:
        return f"{self.enrolment}: {self.framework}"
