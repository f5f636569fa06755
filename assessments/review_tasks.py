"""Celery task for review reminders: thin, calling the reminder service, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from assessments.review_reminders import queue_review_reminders


@shared_task
def send_review_reminders() -> None:
    """Beat, daily at 07:08, before the 07:30 daily digests. Run twice, or rerun after a
    crash, it sends nothing twice."""
    queue_review_reminders(on=timezone.localdate())
