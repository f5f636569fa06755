"""Supervision reminders: a session due soon, a session overdue, and a week overdue.

Each reminder is a people.Notification whose subject key names the enrolment and the due date of
the session it is about (`enrolment-42-due-2026-11-30`): a rerun, or tomorrow's run, adds
nothing, while the next session owed earns reminders of its own. While a session is overdue,
the one named stays the first one missed (supervision.rules.cadence_status), so an overdue
stretch is told once, not every day. Nothing is owed while an enrolment is paused or has ended,
so those get nothing.
"""

from __future__ import annotations

import logging
from datetime import date

from django.urls import reverse

from people.notifications import NotificationRequest, queue_notifications, render_notification
from people.working_days import add_working_days
from programmes.models import Enrolment
from supervision.selectors import SupervisionStatus, supervision_status

logger = logging.getLogger(__name__)

SUPERVISION_DUE = "supervision-due"
SUPERVISION_OVERDUE = "supervision-overdue"
SUPERVISION_OVERDUE_MANAGER = "supervision-overdue-manager"

# Two working days' notice is enough to book a room and clear an hour and a half.
DUE_SOON_WORKING_DAYS = 2
# A week overdue (the seventh day counted as the status page counts it), the worker's
# manager is told as well, since the worker and supervisor have not put it right between them.
MANAGER_AFTER_DAYS_OVERDUE = 7


def _requests(status: SupervisionStatus, *, horizon: date) -> list[NotificationRequest]:
    """The reminders one enrolment is owed today; none if nothing is due by `horizon`."""
    if not status.is_owed:
        return []
    enrolment = status.enrolment
    due_on = status.next_due_on.isoformat()
    link = reverse("supervision:enrolment-sessions", args=[enrolment.pk])
    told = [enrolment.worker_id, enrolment.supervisor_id]
    if status.is_overdue:
        kind, subject_key = SUPERVISION_OVERDUE, f"enrolment-{enrolment.pk}-overdue-{due_on}"
    elif status.next_due_on <= horizon:
        kind, subject_key = SUPERVISION_DUE, f"enrolment-{enrolment.pk}-due-{due_on}"
    else:
        return []
    requests = [
        render_notification(
            recipient_id=person,
            kind=kind,
            subject_key=subject_key,
            context={
                "enrolment": enrolment,
                "status": status,
                "for_worker": person == enrolment.worker_id,
            },
            link=link,
        )
        for person in told
        if person is not None
    ]
    team = enrolment.worker.team
    manager_id = team.manager_id if team is not None else None
    # A manager who is also the supervisor was told already, as the supervisor.
    if status.days_overdue >= MANAGER_AFTER_DAYS_OVERDUE and manager_id not in (None, *told):
        requests.append(
            render_notification(
                recipient_id=manager_id,
                kind=SUPERVISION_OVERDUE_MANAGER,
                subject_key=f"enrolment-{enrolment.pk}-overdue-manager-{due_on}",
                context={"enrolment": enrolment, "status": status},
                link=link,
            )
        )
    return requests


def queue_supervision_reminders(*, on: date) -> int:
    """Queue the supervision reminders owed on `on`; returns how many were asked for (a rerun
    writes none of them again).

    Due within two working days: the worker and the supervisor. Overdue: both. A week
    overdue: the worker's manager too. Queries, whatever the number of enrolments: the three of
    `supervision_status`, then those of `queue_notifications` (who chose a daily digest, and
    the insert; SQLite splits an insert every 76 rows).
    """
    horizon = add_working_days(on, DUE_SOON_WORKING_DAYS)
    statuses = supervision_status(Enrolment.objects.current().order_by("pk"), on=on)
    requests = [
        request for status in statuses.values() for request in _requests(status, horizon=horizon)
    ]
    queue_notifications(requests)
    logger.info("supervision reminders on %s: %d asked for", on, len(requests))
    return len(requests)
