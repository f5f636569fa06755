"""Reads for feedback requests: who may ask and withdraw, where each stands, and the lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import FeedbackRequest
from people.models import User
from programmes.models import Enrolment

WAITING = "waiting"
ANSWERED = "answered"
EXPIRED = "expired"
WITHDRAWN = "withdrawn"
STATUS_LABELS = {
    WAITING: _("Waiting for an answer"),
    ANSWERED: _("Answered"),
    EXPIRED: _("Expired"),
    WITHDRAWN: _("Withdrawn"),
}
# The words of the page are in a tag's colour too, never the colour alone.
STATUS_COLOURS = {WAITING: "blue", ANSWERED: "green", EXPIRED: "grey", WITHDRAWN: "grey"}


def can_request_feedback(user: User, enrolment: Enrolment) -> bool:
    """The worker, or their assessor, asks for feedback while the enrolment is active."""
    if not user.is_authenticated or enrolment.status != Enrolment.Status.ACTIVE:
        return False
    return user.pk in (enrolment.worker_id, enrolment.assessor_id)


def feedback_status(feedback_request: FeedbackRequest, *, now: datetime | None = None) -> str:
    """Answered wins over everything; then withdrawn; then expired; else still waiting."""
    now = now or timezone.now()
    if feedback_request.used_at is not None:
        return ANSWERED
    if feedback_request.withdrawn_at is not None:
        return WITHDRAWN
    if feedback_request.expires_at <= now:
        return EXPIRED
    return WAITING


def can_withdraw_feedback_request(user: User, feedback_request: FeedbackRequest) -> bool:
    """Whoever may ask for feedback on the enrolment may withdraw a request still waiting."""
    return can_request_feedback(user, feedback_request.enrolment) and (
        feedback_status(feedback_request) == WAITING
    )


@dataclass(frozen=True)
class FeedbackRequestRow:
    feedback_request: FeedbackRequest
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]


def visible_feedback_requests(user: User) -> QuerySet[FeedbackRequest]:
    return FeedbackRequest.objects.visible_to(user).select_related(
        "enrolment__worker", "enrolment__cohort__programme", "requested_by", "evidence"
    )


def feedback_requests_for_enrolment(user: User, enrolment: Enrolment) -> list[FeedbackRequestRow]:
    """One enrolment's requests, the newest first, each with where it stands now."""
    now = timezone.now()
    return [
        FeedbackRequestRow(feedback_request=item, status=feedback_status(item, now=now))
        for item in visible_feedback_requests(user).filter(enrolment=enrolment)
    ]


def format_short_code(code: str) -> str:
    """ABCD2345 is shown as ABCD-2345: two halves are easier to read out and type."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code
