"""Permission-matrix rows for reviews, concerns, the final assessment, moderation and the
portfolio (see tests/assessments/matrix.py)."""

from django.urls import reverse

from tests.assessments.factories import ConcernFactory, ReviewFactory

PERSONAS = ("anonymous", "worker", "supervisor", "assessor", "manager", "lead", "outsider")
SIGNED_IN = {p: 200 for p in PERSONAS if p != "anonymous"}
SEEN = {"anonymous": 302, **SIGNED_IN, "outsider": 404}
# The assessor, the supervisor or a lead records reviews and concerns.
RECORDS = {**SEEN, "worker": 403, "manager": 403}
ONLY = {"anonymous": 302, **{p: 403 for p in SIGNED_IN}, "outsider": 404}

ROWS: dict[str, dict[str, int]] = {
    "assessments:review-list": SEEN,
    "assessments:review-create": RECORDS,
    "assessments:review-detail": SEEN,
    "assessments:concern-create": RECORDS,
    "assessments:concern-close": RECORDS,
    # The recommendation is the enrolment's assessor's alone; the panel is a lead's.
    "assessments:final-assessment-create": {**ONLY, "assessor": 200},
    "assessments:moderation-create": {**ONLY, "lead": 200},
    # The panel's papers: the assessor, the worker's manager, a lead, and the worker's own copy.
    "assessments:portfolio": {**SEEN, "supervisor": 403},
    # Everyone who works with enrolments (the outsider holds those roles elsewhere).
    "assessments:reviews-due": {"anonymous": 302, **SIGNED_IN, "worker": 403},
    "api:review-list": {"anonymous": 401, **SIGNED_IN},
    "api:review-detail": {"anonymous": 401, **SIGNED_IN, "outsider": 404},
}

ENROLMENT_ROUTES = (
    "assessments:review-list",
    "assessments:review-create",
    "assessments:concern-create",
    "assessments:final-assessment-create",
    "assessments:moderation-create",
    "assessments:portfolio",
)


def url_for(route: str, enrolment) -> str | None:
    if route not in ROWS:
        return None
    if route in ENROLMENT_ROUTES:
        return reverse(route, args=[enrolment.pk])
    if route in ("assessments:review-detail", "api:review-detail"):
        return reverse(route, args=[ReviewFactory(enrolment=enrolment).pk])
    if route == "assessments:concern-close":
        return reverse(route, args=[ConcernFactory(enrolment=enrolment).pk])
    return reverse(route)
