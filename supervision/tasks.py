"""Celery tasks for supervision: thin, each calling a service, each safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from supervision.reminders import queue_supervision_reminders


@shared_task
def send_supervision_reminders() -> None:
    """Beat, daily at 07:00. Run twice, or rerun after a crash, it sends nothing twice."""
    queue_supervision_reminders(on=timezone.localdate())
