"""Permission-matrix rows for the sign-off routes (see tests/assessments/matrix.py).

The enrolment's assessor decides, or a lead; the outsider assesses another team's enrolment,
so they have a queue of their own, but this item is not theirs to see.
"""

from django.urls import reverse

from assessments.models import SignOff
from tests.assessments.factories import EvidenceFactory, sign_off

PERSONAS = ("worker", "supervisor", "assessor", "manager", "lead", "outsider")
ASSESSOR_OR_LEAD = {
    "anonymous": 302,
    "worker": 403,
    "supervisor": 403,
    "assessor": 200,
    "manager": 403,
    "lead": 200,
    "outsider": 404,
}
API_SIGNED_IN = {"anonymous": 401, **{persona: 200 for persona in PERSONAS}}

ROWS: dict[str, dict[str, int]] = {
    "assessments:sign-off-queue": {**ASSESSOR_OR_LEAD, "outsider": 200},
    "assessments:evidence-decide": ASSESSOR_OR_LEAD,
    "assessments:evidence-reverse": ASSESSOR_OR_LEAD,
    "api:sign-off-list": API_SIGNED_IN,
    "api:sign-off-detail": {**API_SIGNED_IN, "outsider": 404},
}


def url_for(route: str, enrolment) -> str | None:
    if route not in ROWS:
        return None
    if route in ("assessments:sign-off-queue", "api:sign-off-list"):
        return reverse(route)
    evidence = EvidenceFactory(enrolment=enrolment)
    if route == "assessments:evidence-decide":
        return reverse(route, args=[evidence.pk])
    record = sign_off(evidence, decision=SignOff.Decision.SIGNED_OFF)
    if route == "assessments:evidence-reverse":
        return reverse(route, args=[evidence.pk])
    return reverse(route, args=[record.pk])
