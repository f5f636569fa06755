"""Review reminders: a review point due within five working days, and one overdue.

Each is a people.Notification whose subject key names the enrolment and the review point
(`enrolment-42-review-3-due-2026-12-07`, `enrolment-42-review-3-overdue`): a rerun, or
tomorrow's run, adds nothing. The due-soon key names the due day too, so a point moved by a
pause earns a fresh notice; the overdue key does not, so an overdue point is told once, however
long it stays overdue. The worker, the supervisor and the assessor are told: the review is
theirs to hold together. Paused and ended enrolments owe nothing, so get nothing.
"""

from __future__ import annotations

import logging
from datetime import date

from django.urls import reverse

from assessments.selectors.reviews import ReviewDue, reviews_due
from people.notifications import NotificationRequest, queue_notifications, render_notification
from people.working_days import add_working_days
from programmes.models import Enrolment

logger = logging.getLogger(__name__)

REVIEW_DUE = "review-due"
REVIEW_OVERDUE = "review-overdue"

# A week's notice, counted in working days, is enough to book a review around caseloads.
DUE_SOON_WORKING_DAYS = 5


def _requests(due: ReviewDue, *, horizon: date) -> list[NotificationRequest]:
    enrolment = due.enrolment
    point = f"enrolment-{enrolment.pk}-review-{due.months}"
    if due.is_overdue:
        kind, subject_key = REVIEW_OVERDUE, f"{point}-overdue"
    elif due.due_on <= horizon:
        kind, subject_key = REVIEW_DUE, f"{point}-due-{due.due_on.isoformat()}"
    else:
        return []
    link = reverse("assessments:review-list", args=[enrolment.pk])
    people = dict.fromkeys(
        pk
        for pk in (enrolment.worker_id, enrolment.supervisor_id, enrolment.assessor_id)
        if pk is not None
    )
    return [
        render_notification(
            recipient_id=person,
            kind=kind,
            subject_key=subject_key,
            context={
                "enrolment": enrolment,
                "due": due,
                "for_worker": person == enrolment.worker_id,
            },
            link=link,
        )
        for person in people
    ]


def queue_review_reminders(*, on: date) -> int:
    """Queue the review reminders owed on `on`; returns how many were asked for (a rerun writes
    none of them again). Queries, whatever the number of enrolments: the four of `reviews_due`,
    then those of `queue_notifications`."""
    horizon = add_working_days(on, DUE_SOON_WORKING_DAYS)
    due = reviews_due(Enrolment.objects.current().order_by("pk"), on=on)
    requests = [request for item in due.values() for request in _requests(item, horizon=horizon)]
    queue_notifications(requests)
    logger.info("review reminders on %s: %d asked for", on, len(requests))
    return len(requests)
