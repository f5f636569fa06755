"""Celery tasks for people: thin, each calling a service, each safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from people.notifications import deliver_pending_notifications, send_daily_digests


@shared_task
def deliver_notifications() -> None:
    """Queued when notifications are written, and a sweep every minute: the rows are the
    promise, so whatever a lost message or a killed worker left pending is sent on the next."""
    deliver_pending_notifications()


@shared_task
def send_daily_digests_task() -> None:
    """Beat, daily at 07:30: one email for each person who chose a daily digest."""
    send_daily_digests(on=timezone.localdate())
