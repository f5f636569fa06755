"""Celery tasks for programmes: thin, each calling a service, each safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from programmes.reminders import (
    queue_learning_agreement_reminders,
    queue_manager_digests,
    queue_open_breach_reminders,
    queue_protected_time_reminders,
)
from programmes.services.caseloads import (
    detect_caseload_breaches,
    escalate_caseload_breaches,
    notify_caseload_breaches,
)
from programmes.services.retention import apply_retention, report_retention


@shared_task
def run_retention() -> None:
    """Beat, monthly: a dry-run report, unless RETENTION_AUTO_APPLY says to anonymise.

    Anonymising cannot be undone, so by default a person reads the report (a PrivacyEvent, and
    `manage.py apply_retention --dry-run`) and runs the real thing. Run twice, the real run
    anonymises nobody twice: anonymised people are no longer due.
    """
    on = timezone.localdate()
    if settings.RETENTION_AUTO_APPLY:
        apply_retention(on=on, actor=None, source="scheduled job")
    else:
        report_retention(on=on, actor=None, source="scheduled job")


@shared_task
def detect_caseload_breaches_task() -> None:
    """Beat, daily at 06:00, and after every caseload import. Run twice, it opens nothing twice."""
    detect_caseload_breaches(on=timezone.localdate())


@shared_task
def notify_caseload_breaches_task() -> None:
    """After detection opens breaches: each is told to its manager and supervisor once."""
    notify_caseload_breaches()


@shared_task
def escalate_caseload_breaches_task() -> None:
    """Beat, daily at 07:00: breaches past their plan date go to the programme leads, once."""
    escalate_caseload_breaches(on=timezone.localdate())


@shared_task
def send_learning_agreement_reminders() -> None:
    """Beat, daily at 07:05: each enrolment whose learning agreement is overdue is told once."""
    queue_learning_agreement_reminders(on=timezone.localdate())


@shared_task
def send_open_breach_reminders() -> None:
    """Beat, daily at 07:10: managers are reminded of breaches they have not acknowledged, once
    a working day; run twice on a day, it adds nothing."""
    queue_open_breach_reminders(on=timezone.localdate())


@shared_task
def send_protected_time_reminders() -> None:
    """Beat, on the 2nd of each month at 07:15: last month's shortfalls, once per month."""
    queue_protected_time_reminders(on=timezone.localdate())


@shared_task
def send_manager_digests() -> None:
    """Beat, Mondays at 07:20: one digest per manager per ISO week, however often it runs."""
    queue_manager_digests(on=timezone.localdate())
