"""The assessor's decisions on evidence: sign off, return with a comment, reverse a sign-off.

Each decision is a new SignOff row, never changed or deleted (the model refuses): a reversal is
a row of its own with its reason, and the history reads in order. The worker is told of each.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Evidence, SignOff, Statement
from assessments.selectors import evidence as selectors
from assessments.services.evidence import checked_statements, locked_evidence, set_statements
from people.audit import save_audited
from people.models import User
from people.notifications import queue_notifications, render_notification

NOTIFY_KIND = {
    SignOff.Decision.SIGNED_OFF: "evidence-signed-off",
    SignOff.Decision.RETURNED: "evidence-returned",
    SignOff.Decision.REVERSED: "evidence-reversed",
}
DECISIONS = (SignOff.Decision.SIGNED_OFF, SignOff.Decision.RETURNED)


def _tell_the_worker(evidence: Evidence, record: SignOff) -> None:
    worker_id = evidence.enrolment.worker_id
    if worker_id is None:
        return
    queue_notifications(
        [
            render_notification(
                recipient_id=worker_id,
                kind=NOTIFY_KIND[record.decision],
                # One per decision: a second return of the same item is news of its own.
                subject_key=f"evidence-{evidence.pk}-decision-{record.pk}",
                context={"evidence": evidence, "sign_off": record},
                link=reverse("assessments:evidence-detail", args=[evidence.pk]),
            )
        ]
    )


def decide(
    *,
    assessor: User,
    evidence: Evidence,
    decision: str,
    comment: str = "",
    statements: Iterable[Statement] = (),
) -> SignOff:
    """Sign off a submitted item against the statements confirmed, or return it with a comment.

    Signing off makes the confirmed statements the item's tags (feedback sent in through a link
    arrives untagged: the assessor tags it here) and locks it for the worker.
    """
    if not selectors.can_decide(assessor, evidence):
        raise PermissionDenied
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose whether to sign it off or return it.")})
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = locked_evidence(evidence)
        if locked.status != Evidence.Status.SUBMITTED:
            raise ValidationError(
                _("This evidence is no longer waiting for a decision. Open it again to see why."),
                code="not_submitted",
            )
        record = SignOff(evidence=locked, assessor=assessor, decision=decision, comment=comment)
        if decision == SignOff.Decision.SIGNED_OFF:
            chosen = checked_statements(locked.enrolment, statements)
            if not chosen:
                raise ValidationError(
                    {"statements": _("Choose at least one statement this evidence shows.")}
                )
            locked.status = Evidence.Status.SIGNED_OFF
        else:
            if not comment:
                raise ValidationError(
                    {"comment": _("Say what the worker needs to change before they resubmit.")}
                )
            chosen = []
            locked.status = Evidence.Status.RETURNED
        record.decided_at = timezone.now()
        record.full_clean()
        record.save()
        if chosen:
            record.statements.set(chosen)
            set_statements(locked, chosen)
        save_audited(locked, by=assessor, why=record.get_decision_display())
        _tell_the_worker(locked, record)
    evidence.status = locked.status  # the caller's copy reads as the row now does
    return record


def reverse_sign_off(*, by: User, evidence: Evidence, reason: str) -> SignOff:
    """Undo a sign-off with a reason: a new row; the item goes back to the worker to change."""
    if not selectors.can_reverse(by, evidence):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the sign-off is being reversed.")})
    with transaction.atomic():
        locked = locked_evidence(evidence)
        if locked.status != Evidence.Status.SIGNED_OFF:
            raise ValidationError(
                _("This evidence is not signed off, so there is nothing to reverse."),
                code="not_signed_off",
            )
        record = SignOff(
            evidence=locked,
            assessor=by,
            decision=SignOff.Decision.REVERSED,
            comment=reason,
            decided_at=timezone.now(),
        )
        record.full_clean()
        record.save()
        locked.status = Evidence.Status.RETURNED
        save_audited(locked, by=by, why="Sign-off reversed")
        _tell_the_worker(locked, record)
    evidence.status = locked.status
    return record
