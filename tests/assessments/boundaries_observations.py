"""Object-boundary rows for this part's routes (see tests/assessments/boundaries.py)."""

from tests.assessments.matrix_observations import asked, observed, returned


def _observation(e):
    return e.__dict__.setdefault("observation_evidence", observed(e.enrolment))


def _returned(e):
    return e.__dict__.setdefault("returned_observation", returned(e.enrolment))


def _request(e):
    return e.__dict__.setdefault("feedback_request", asked(e.enrolment).feedback_request)


OTHER_TEAMS: dict[str, tuple[dict, ...]] = {
    "assessments:observation-create": ({"args": lambda e: [e.enrolment.pk]},),
    # Only the worker reflects, only the observer corrects: a lead may look but not write.
    "assessments:observation-reflect": (
        {"args": lambda e: [_observation(e).pk], "lead_sees": 403},
    ),
    "assessments:observation-correct": ({"args": lambda e: [_returned(e).pk], "lead_sees": 403},),
    "assessments:feedback-request-list": ({"args": lambda e: [e.enrolment.pk]},),
    "assessments:feedback-request-create": (
        {"args": lambda e: [e.enrolment.pk], "lead_sees": 403},
    ),
    "assessments:feedback-request-detail": ({"args": lambda e: [_request(e).pk]},),
    "assessments:feedback-request-withdraw": (
        {"args": lambda e: [_request(e).pk], "lead_sees": 403},
    ),
    "api:observation-detail": (
        {"args": lambda e: [_observation(e).observation.pk], "methods": ("get",)},
    ),
}
EXEMPT: dict[str, str] = {
    # Names a one-time secret, not an object: any token not on file gets the "cannot find" page.
    "feedback:give": "a single-use token, not an object; public to everyone",
}
