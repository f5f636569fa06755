"""Evidence reminders: an item waiting for sign-off for more than ten working days.

One notification to the enrolment's assessor per item, whose subject key names the item and
the moment it was submitted (`evidence-42-awaiting-2026-11-02T09:15:00+00:00`): a rerun, or
tomorrow's run, adds nothing, while an item returned and submitted again earns one of its own.
"""

from __future__ import annotations

import logging
from datetime import date

from django.urls import reverse

from assessments.selectors.evidence import overdue_for_sign_off
from people.notifications import queue_notifications, render_notification

logger = logging.getLogger(__name__)

EVIDENCE_AWAITING_SIGN_OFF = "evidence-awaiting-sign-off"


def remind_evidence_awaiting_sign_off(*, on: date) -> int:
    """Queue a reminder to the assessor of each item overdue for sign-off on `on`; returns how
    many were asked for (a rerun writes none of them again)."""
    requests = [
        render_notification(
            recipient_id=row.evidence.enrolment.assessor_id,
            kind=EVIDENCE_AWAITING_SIGN_OFF,
            subject_key=(
                f"evidence-{row.evidence.pk}-awaiting-{row.evidence.submitted_at.isoformat()}"
            ),
            context={"evidence": row.evidence, "row": row},
            link=reverse("assessments:evidence-decide", args=[row.evidence.pk]),
        )
        for row in overdue_for_sign_off(on=on)
    ]
    queue_notifications(requests)
    logger.info("evidence sign-off reminders on %s: %d asked for", on, len(requests))
    return len(requests)
