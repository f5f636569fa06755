"""Permission-matrix rows for the moderation sample (see tests/assessments/matrix.py)."""

from django.urls import reverse

PERSONAS = ("worker", "supervisor", "assessor", "manager", "lead", "outsider")

ROWS: dict[str, dict[str, int]] = {
    # A lead's alone: the outsider holds every other role, and is refused like them.
    "assessments:moderation-sample": {
        "anonymous": 302,
        **{persona: 403 for persona in PERSONAS},
        "lead": 200,
    },
    # POST only: a GET is refused by method before anything is looked at.
    "assessments:moderation-sample-pack": {
        "anonymous": 302,
        **{persona: 405 for persona in PERSONAS},
    },
}


def url_for(route: str, enrolment) -> str | None:
    if route in ROWS:
        return reverse(route)
    return None
