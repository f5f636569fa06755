"""Object-boundary rows for reviews and the final decision (see tests/assessments/boundaries.py)."""

from tests.assessments.factories import ConcernFactory, ReviewFactory


def _review(elsewhere):
    if "review" not in elsewhere.__dict__:
        elsewhere.__dict__["review"] = ReviewFactory(enrolment=elsewhere.enrolment)
    return elsewhere.__dict__["review"]


def _concern(elsewhere):
    if "concern" not in elsewhere.__dict__:
        elsewhere.__dict__["concern"] = ConcernFactory(enrolment=elsewhere.enrolment)
    return elsewhere.__dict__["concern"]


def _enrolment(elsewhere):
    return [elsewhere.enrolment.pk]


OTHER_TEAMS: dict[str, tuple[dict, ...]] = {
    "assessments:review-list": ({"args": _enrolment},),
    "assessments:review-create": ({"args": _enrolment},),
    "assessments:review-detail": ({"args": lambda e: [_review(e).pk]},),
    "assessments:concern-create": ({"args": _enrolment},),
    "assessments:concern-close": ({"args": lambda e: [_concern(e).pk]},),
    # The lead sees the enrolment but is not its assessor: 403, not 404.
    "assessments:final-assessment-create": ({"args": _enrolment, "lead_sees": 403},),
    "assessments:moderation-create": ({"args": _enrolment},),
    "assessments:portfolio": ({"args": _enrolment},),
    "api:review-detail": ({"args": lambda e: [_review(e).pk], "methods": ("get",)},),
}
EXEMPT: dict[str, str] = {}
