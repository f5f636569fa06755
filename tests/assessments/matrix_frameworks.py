"""Permission-matrix rows for this part's routes (see tests/assessments/matrix.py)."""

from django.urls import reverse

from assessments.models import Framework

PERSONAS = ("worker", "supervisor", "assessor", "manager", "lead", "outsider")
SIGNED_IN = {"anonymous": 302, **{persona: 200 for persona in PERSONAS}}
WITH_THE_ENROLMENT = {**SIGNED_IN, "outsider": 404}

ROWS: dict[str, dict[str, int]] = {
    # The standards are public texts: anyone signed in reads them.
    "assessments:framework-list": SIGNED_IN,
    "assessments:framework-detail": SIGNED_IN,
    # Seen with the enrolment; only a lead may move it (the form is the lead's alone).
    "assessments:enrolment-framework": WITH_THE_ENROLMENT,
    "assessments:coverage": WITH_THE_ENROLMENT,
    # Assessors (the outsider assesses another team's enrolment) and leads.
    "assessments:assessee-list": {
        **SIGNED_IN,
        "worker": 403,
        "supervisor": 403,
        "manager": 403,
    },
}


def url_for(route: str, enrolment) -> str | None:
    if route == "assessments:framework-detail":
        return reverse(route, args=[Framework.objects.get(code="pqs-child-family").pk])
    if route in ("assessments:enrolment-framework", "assessments:coverage"):
        return reverse(route, args=[enrolment.pk])
    if route in ("assessments:framework-list", "assessments:assessee-list"):
        return reverse(route)
    return None
