"""Object-boundary rows for the sign-off routes (see tests/assessments/boundaries.py)."""

from assessments.models import Evidence, SignOff
from tests.assessments.factories import EvidenceFactory, sign_off


def awaiting(e) -> Evidence:
    return e.__dict__.setdefault("awaiting_evidence", EvidenceFactory(enrolment=e.enrolment))


def signed_off(e) -> tuple[Evidence, SignOff]:
    if "signed_off_evidence" not in e.__dict__:
        evidence = EvidenceFactory(enrolment=e.enrolment)
        e.__dict__["signed_off_evidence"] = (evidence, sign_off(evidence))
    return e.__dict__["signed_off_evidence"]


OTHER_TEAMS: dict[str, tuple[dict, ...]] = {
    "assessments:evidence-decide": ({"args": lambda e: [awaiting(e).pk]},),
    "assessments:evidence-reverse": ({"args": lambda e: [signed_off(e)[0].pk]},),
    "api:sign-off-detail": ({"args": lambda e: [signed_off(e)[1].pk], "methods": ("get",)},),
}
EXEMPT: dict[str, str] = {}
