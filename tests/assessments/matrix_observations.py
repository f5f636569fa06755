"""Permission-matrix rows for this part's routes (see tests/assessments/matrix.py).

Observations are recorded by the enrolment's assessor, its supervisor (the practice educator) or
a lead; the worker alone reflects on one; its observer alone corrects one that was returned.
Feedback is asked for by the worker or their assessor. The public feedback pages are open to all.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from assessments.models import Evidence, FeedbackRequest, SignOff
from assessments.services.feedback import NewFeedbackRequest, create_feedback_request
from assessments.services.observations import record_observation
from tests.assessments.factories import sign_off, statements_of

EVERYONE = {
    p: 200 for p in ("anonymous", "worker", "supervisor", "assessor", "manager", "lead", "outsider")
}
SEEN_WITH_ENROLMENT = {
    "anonymous": 302,
    "worker": 200,
    "supervisor": 200,
    "assessor": 200,
    "manager": 200,
    "lead": 200,
    "outsider": 404,
}
# Seen with the enrolment, but refused (403) to each of its people unless a row allows them.
NOBODY_BUT = {
    **SEEN_WITH_ENROLMENT,
    **{p: 403 for p in ("worker", "supervisor", "assessor", "manager", "lead")},
}

ROWS: dict[str, dict[str, int]] = {
    "assessments:observation-create": {
        **NOBODY_BUT,
        "supervisor": 200,
        "assessor": 200,
        "lead": 200,
    },
    "assessments:observation-reflect": {**NOBODY_BUT, "worker": 200},
    # Returned to its observer (the assessor here): theirs alone to correct.
    "assessments:observation-correct": {**NOBODY_BUT, "assessor": 200},
    "assessments:feedback-request-list": SEEN_WITH_ENROLMENT,
    "assessments:feedback-request-create": {**NOBODY_BUT, "worker": 200, "assessor": 200},
    "assessments:feedback-request-detail": SEEN_WITH_ENROLMENT,
    "assessments:feedback-request-withdraw": {**NOBODY_BUT, "worker": 200, "assessor": 200},
    # No account needed: the same page for everyone, signed in or not.
    "feedback:start": EVERYONE,
    "feedback:give": EVERYONE,
    "feedback:done": EVERYONE,
    "api:observation-list": {"anonymous": 401, **{p: 200 for p in EVERYONE if p != "anonymous"}},
    "api:observation-detail": {
        "anonymous": 401,
        **{p: 200 for p in EVERYONE if p != "anonymous"},
        "outsider": 404,
    },
}


def observed(enrolment, *, by=None, occurred_on: date = date(2026, 10, 5)) -> Evidence:
    """An observation of the enrolment's worker, recorded through the service."""
    first, second = statements_of(enrolment)[:2]
    return record_observation(
        recorded_by=by or enrolment.assessor,
        enrolment=enrolment,
        occurred_on=occurred_on,
        setting="Home visit",
        what_was_observed="Explained the plan to the family in plain words.",
        feedback="Clear and kind.",
        judgements={first.pk: "meets", second.pk: "not-yet"},
    )


def returned(enrolment) -> Evidence:
    evidence = observed(enrolment)
    sign_off(evidence, decision=SignOff.Decision.RETURNED)
    return evidence


def asked(enrolment, *, by=None, email: str = "") -> NewFeedbackRequest:
    """A waiting feedback request, with the link's token given back."""
    return create_feedback_request(
        requested_by=by or enrolment.worker,
        enrolment=enrolment,
        giver=FeedbackRequest.Giver.PERSON,
        recipient_name="Sam's mum",
        recipient_email=email,
        about="My visit to your home on Tuesday",
    )


def url_for(route: str, enrolment) -> str | None:
    if route not in ROWS:
        return None
    if route in ("feedback:start", "feedback:done", "api:observation-list"):
        return reverse(route)
    if route == "feedback:give":
        return reverse(route, args=[asked(enrolment).token])
    if route in (
        "assessments:observation-create",
        "assessments:feedback-request-list",
        "assessments:feedback-request-create",
    ):
        return reverse(route, args=[enrolment.pk])
    if route == "assessments:observation-reflect":
        return reverse(route, args=[observed(enrolment).pk])
    if route == "assessments:observation-correct":
        return reverse(route, args=[returned(enrolment).pk])
    if route == "api:observation-detail":
        return reverse(route, args=[observed(enrolment).observation.pk])
    return reverse(route, args=[asked(enrolment).feedback_request.pk])
