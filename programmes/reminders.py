"""Programme reminders: learning agreements, protected time, open caseload breaches,
and each manager's weekly digest.

Each is a people.Notification whose subject key names the thing and the period it is about, so a
rerun adds nothing while a reminder meant to repeat (a breach left unacknowledged) repeats once a
day. The new-breach notice and the escalation to the programme leads are
`notify_caseload_breaches` and `escalate_caseload_breaches` in programmes.services.caseloads.
"""

from __future__ import annotations

import logging
from datetime import date

from django.urls import reverse

from people.notifications import NotificationRequest, queue_notifications, render_notification
from people.working_days import is_working_day
from programmes import dashboard
from programmes.models import CaseloadBreach, Enrolment
from programmes.selectors import (
    enrolment_timeline,
    enrolments_for_list,
    missing_learning_agreements,
)
from programmes.selectors.caseloads import protected_time_status

logger = logging.getLogger(__name__)

LEARNING_AGREEMENT_MISSING = "learning-agreement-missing"
PROTECTED_TIME_SHORT = "protected-time-short"
CASELOAD_BREACH_OPEN = "caseload-breach-open"
MANAGER_WEEKLY_DIGEST = "manager-weekly-digest"


def _queue(requests: list[NotificationRequest], *, what: str, on: date) -> int:
    queue_notifications(requests)
    logger.info("%s on %s: %d asked for", what, on, len(requests))
    return len(requests)


def _people(*ids: int | None) -> list[int]:
    """Each person once, in the order given: a supervisor who also assesses gets one."""
    return list(dict.fromkeys(pk for pk in ids if pk is not None))


def queue_learning_agreement_reminders(*, on: date) -> int:
    """Once per enrolment, when its learning agreement's due day (the end of the programme's
    learning-agreement weeks, moved by pauses) has passed with none on file: the worker, the
    supervisor and the assessor.

    Queries, whatever the number of enrolments: the four of `missing_learning_agreements`,
    then those of `queue_notifications`.
    """
    missing = missing_learning_agreements(Enrolment.objects.current(), on=on)
    requests = [
        render_notification(
            recipient_id=person,
            kind=LEARNING_AGREEMENT_MISSING,
            subject_key=f"enrolment-{item.enrolment.pk}-learning-agreement",
            context={
                "enrolment": item.enrolment,
                "due_on": item.due_on,
                "for_worker": person == item.enrolment.worker_id,
            },
            link=reverse("programmes:enrolment-detail", args=[item.enrolment.pk]),
        )
        for item in missing
        for person in _people(
            item.enrolment.worker_id, item.enrolment.supervisor_id, item.enrolment.assessor_id
        )
    ]
    return _queue(requests, what="learning agreement reminders", on=on)


def queue_protected_time_reminders(*, on: date) -> int:
    """Monthly: the worker and the supervisor of each enrolment that logged less protected
    development time in the last full month than it was owed. Nobody is told while paused.

    Queries, whatever the number of enrolments: the four of `protected_time_status`, the
    four of the short enrolments with their people, programmes, pauses and extensions, then
    those of `queue_notifications`.
    """
    statuses = protected_time_status(Enrolment.objects.current(), on=on)
    short = [pk for pk, status in statuses.items() if status.has_shortfall]
    requests = []
    for enrolment in enrolments_for_list(Enrolment.objects.filter(pk__in=short).order_by("pk")):
        if enrolment_timeline(enrolment, on=on).is_paused:
            continue  # away: a reminder to log learning would reach them on leave
        status = statuses[enrolment.pk]
        requests += [
            render_notification(
                recipient_id=person,
                kind=PROTECTED_TIME_SHORT,
                subject_key=f"enrolment-{enrolment.pk}-protected-time-{status.starts_on:%Y-%m}",
                context={
                    "enrolment": enrolment,
                    "status": status,
                    "for_worker": person == enrolment.worker_id,
                },
                link=reverse("programmes:caseload", args=[enrolment.pk]),
            )
            for person in _people(enrolment.worker_id, enrolment.supervisor_id)
        ]
    return _queue(requests, what="protected time reminders", on=on)


def queue_open_breach_reminders(*, on: date) -> int:
    """Each working day, the worker's manager is reminded of every caseload breach they have not
    yet acknowledged; acknowledging (or the caseload coming back within the cap) stops it.

    The day a breach is found its manager has the new-breach notice, so this starts the day
    after. Weekends and bank holidays are skipped: the reminder asks for action at work, and
    Monday's names the breach anyway. Queries: the breaches (1), then `queue_notifications`.
    """
    if not is_working_day(on):
        return 0
    breaches = (
        CaseloadBreach.objects.filter(
            status=CaseloadBreach.Status.OPEN,
            detected_on__lt=on,
            enrolment__status=Enrolment.Status.ACTIVE,
            enrolment__worker__team__manager__isnull=False,
        )
        .select_related("enrolment__worker__team")
        .order_by("pk")
    )
    link = reverse("programmes:breach-list")
    requests = [
        render_notification(
            recipient_id=breach.enrolment.worker.team.manager_id,
            kind=CASELOAD_BREACH_OPEN,
            subject_key=f"breach-{breach.pk}-open-{on.isoformat()}",
            context={"breach": breach, "enrolment": breach.enrolment},
            link=link,
        )
        for breach in breaches
    ]
    return _queue(requests, what="open breach reminders", on=on)


def queue_manager_digests(*, on: date) -> int:
    """Weekly: one notification per team manager per ISO week, listing their teams' current
    enrolments that need attention (`dashboard.EnrolmentAttention.reasons`, as on the cohort
    dashboard). A manager with nothing to report is not written to.

    Queries, whatever the number of enrolments: the nine of `manager_digests`, then those
    of `queue_notifications`.
    """
    year, week, _day = on.isocalendar()
    requests = [
        render_notification(
            recipient_id=digest.manager.pk,
            kind=MANAGER_WEEKLY_DIGEST,
            subject_key=f"digest-{year}-W{week:02d}",
            context={"digest": digest, "on": on},
            link=reverse("programmes:breach-list"),
        )
        for digest in dashboard.manager_digests(on=on)
    ]
    return _queue(requests, what="manager digests", on=on)
