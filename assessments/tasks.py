"""Celery tasks for assessments: thin, each calling a service, each safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from assessments.reminders import remind_evidence_awaiting_sign_off


@shared_task
def send_evidence_sign_off_reminders() -> None:
    """Beat, daily at 07:25. Run twice, or rerun after a crash, it sends nothing twice."""
    remind_evidence_awaiting_sign_off(on=timezone.localdate())
