"""Feedback from people without an account: ask by a single-use link, answer once, withdraw."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Evidence, FeedbackRequest
from assessments.selectors import feedback as selectors
from people.audit import save_audited
from people.models import User
from people.notifications import queue_notifications, render_notification
from programmes.models import Enrolment

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L or 5/S: a code read aloud or copied from paper is typed as it was meant.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
CODE_LENGTH = 8

USED = "used"
CLOSED = "closed"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_code(typed: str) -> str:
    """What a person types, as stored: upper case, without spaces or dashes."""
    return "".join(character for character in (typed or "").upper() if character.isalnum())


def _new_short_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for position in range(CODE_LENGTH))
        if not FeedbackRequest.objects.filter(short_code=code).exists():
            return code


def feedback_link(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('feedback:give', args=[token])}"


@dataclass(frozen=True)
class NewFeedbackRequest:
    """The request, and its link's secret: given back this once, never kept."""

    feedback_request: FeedbackRequest
    token: str

    @property
    def link(self) -> str:
        return feedback_link(self.token)


def _send_link(feedback_request: FeedbackRequest, token: str) -> None:
    context = {
        "worker_first_name": feedback_request.enrolment.worker.get_short_name(),
        "council_name": settings.COUNCIL_NAME,
        "about": feedback_request.about,
        "link": feedback_link(token),
        "start_url": f"{settings.SITE_URL}{reverse('feedback:start')}",
        "short_code": selectors.format_short_code(feedback_request.short_code),
        "expires_on": timezone.localtime(feedback_request.expires_at).date(),
    }
    subject = " ".join(render_to_string("email/feedback-request_subject.txt", context).split())
    body = render_to_string("email/feedback-request.txt", context).strip()
    try:
        send_mail(subject, body, None, [feedback_request.recipient_email])
    except Exception:
        # The request is saved and its code works: the worker can still give it by hand.
        logger.exception("Feedback link could not be emailed for request %s", feedback_request.pk)
        return
    logger.info("Feedback link emailed for request %s", feedback_request.pk)


def create_feedback_request(
    *,
    requested_by: User,
    enrolment: Enrolment,
    giver: str,
    recipient_name: str,
    about: str,
    recipient_email: str = "",
) -> NewFeedbackRequest:
    """A single-use link and short code, expiring after FEEDBACK_LINK_DAYS; emailed if asked."""
    if not selectors.can_request_feedback(requested_by, enrolment):
        raise PermissionDenied
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    feedback_request = FeedbackRequest(
        enrolment=enrolment,
        requested_by=requested_by,
        giver=giver,
        recipient_name=(recipient_name or "").strip(),
        recipient_email=(recipient_email or "").strip(),
        about=(about or "").strip(),
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.FEEDBACK_LINK_DAYS),
    )
    with transaction.atomic():
        feedback_request.short_code = _new_short_code()
        save_audited(feedback_request, by=requested_by, why="Feedback requested")
        if feedback_request.recipient_email:
            saved = feedback_request
            transaction.on_commit(lambda: _send_link(saved, token))
    return NewFeedbackRequest(feedback_request=feedback_request, token=token)


def withdraw_feedback_request(
    *, withdrawn_by: User, feedback_request: FeedbackRequest
) -> FeedbackRequest:
    """Close a waiting request: its link and code then open nothing."""
    if not selectors.can_request_feedback(withdrawn_by, feedback_request.enrolment):
        raise PermissionDenied
    with transaction.atomic():
        locked = FeedbackRequest.objects.select_for_update().get(pk=feedback_request.pk)
        if selectors.feedback_status(locked) != selectors.WAITING:
            raise ValidationError(_("Only a request still waiting for an answer can be withdrawn."))
        locked.withdrawn_at = timezone.now()
        save_audited(locked, by=withdrawn_by, why="Feedback request withdrawn")
    feedback_request.refresh_from_db()
    return feedback_request


def find_by_token(token: str) -> FeedbackRequest | None:
    return (
        FeedbackRequest.objects.select_related("enrolment__worker")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )


def find_by_code(typed: str) -> FeedbackRequest | None:
    code = normalise_code(typed)
    if len(code) != CODE_LENGTH:
        return None
    return (
        FeedbackRequest.objects.select_related("enrolment__worker").filter(short_code=code).first()
    )


def refusal_for(feedback_request: FeedbackRequest) -> str | None:
    """USED or CLOSED when the link can no longer be answered; None while it can."""
    status = selectors.feedback_status(feedback_request)
    if status == selectors.ANSWERED:
        return USED
    if status in (selectors.WITHDRAWN, selectors.EXPIRED):
        return CLOSED
    return None


def _body(*, what_went_well: str, what_could_be_better: str, anything_else: str) -> str:
    parts = [
        (_("What went well?"), what_went_well),
        (_("What could be better?"), what_could_be_better),
        (_("Anything else?"), anything_else),
    ]
    return "\n\n".join(f"{question}\n{answer}" for question, answer in parts if answer)


def give_feedback(
    *,
    feedback_request: FeedbackRequest,
    relationship: str,
    what_went_well: str,
    what_could_be_better: str,
    anything_else: str = "",
) -> Evidence:
    """Their answer, once: it lands as submitted evidence, and the worker and assessor are told.

    The request's row is locked first, so a second tab or a double click waits, then finds
    the link used and is refused.
    """
    what_went_well = (what_went_well or "").strip()
    what_could_be_better = (what_could_be_better or "").strip()
    anything_else = (anything_else or "").strip()
    if not (what_went_well or what_could_be_better):
        raise ValidationError(
            {"what_went_well": _("Write what went well, or what could be better.")}
        )
    with transaction.atomic():
        locked = (
            FeedbackRequest.objects.select_for_update()
            .select_related("enrolment__worker")
            .get(pk=feedback_request.pk)
        )
        refusal = refusal_for(locked)
        if refusal == USED:
            raise ValidationError(_("This link has already been used."), code=USED)
        if refusal == CLOSED:
            raise ValidationError(_("This link can no longer be used."), code=CLOSED)
        enrolment = locked.enrolment
        now = timezone.now()
        kind = (
            Evidence.Kind.FEEDBACK_PERSON
            if locked.giver == FeedbackRequest.Giver.PERSON
            else Evidence.Kind.FEEDBACK_PROFESSIONAL
        )
        relationship = (relationship or "").strip() or locked.recipient_name
        evidence = Evidence(
            enrolment=enrolment,
            author=None,
            kind=kind,
            title=(_("Feedback from %(who)s") % {"who": relationship})[:200],
            occurred_on=timezone.localdate(),
            body=_body(
                what_went_well=what_went_well,
                what_could_be_better=what_could_be_better,
                anything_else=anything_else,
            ),
            source_name=locked.recipient_name,
            source_relationship=relationship[:200],
            status=Evidence.Status.SUBMITTED,
            submitted_at=now,
            times_submitted=1,
            created_at=now,
            updated_at=now,
        )
        save_audited(evidence, by=None, why="Feedback received through a link")
        locked.used_at = now
        locked.evidence = evidence
        save_audited(locked, by=None, why="Feedback link answered")
        link = reverse("assessments:feedback-request-detail", args=[locked.pk])
        recipients = {enrolment.worker_id, enrolment.assessor_id} - {None}
        queue_notifications(
            render_notification(
                recipient_id=recipient_id,
                kind="feedback-received",
                subject_key=f"feedback-request-{locked.pk}-answered",
                context={
                    "for_worker": recipient_id == enrolment.worker_id,
                    "enrolment": enrolment,
                    "feedback_request": locked,
                    "evidence": evidence,
                },
                link=link,
            )
            for recipient_id in sorted(recipients)
        )
    feedback_request.refresh_from_db()
    return evidence
