"""Permission-matrix rows for this part's routes (see tests/programmes/matrix.py)."""

from datetime import date

from django.urls import reverse

from programmes.models import Enrolment
from tests.factories import EnrolmentFactory

LEAD_ONLY = {
    "anonymous": 302,
    "worker": 403,
    "supervisor": 403,
    "assessor": 403,
    "manager": 403,
    "lead": 200,
    "outsider": 403,
}
# A manager's teams, or every team for a lead (the outsider manages another team).
LEAD_OR_MANAGER = {**LEAD_ONLY, "manager": 200, "outsider": 200}

ROWS: dict[str, dict[str, int]] = {
    "programmes:workforce-summary": LEAD_OR_MANAGER,
    "programmes:workforce-export": LEAD_OR_MANAGER,
    # The claim lists every worker of the cohort, with their registration number: a lead's.
    "programmes:funding-claim": LEAD_ONLY,
    # Employers' reference checks: a lead's, whoever's record it is.
    "assessments:completion-lookup": LEAD_ONLY,
    "assessments:completion-detail": LEAD_ONLY,
}


def url_for(route: str, enrolment) -> str | None:
    if route == "programmes:workforce-summary":
        return reverse(route)
    if route == "programmes:workforce-export":
        return reverse(route, args=[enrolment.cohort.programme.code])
    if route == "programmes:funding-claim":
        return reverse(route, args=[enrolment.cohort_id])
    if route == "assessments:completion-lookup":
        return reverse(route) + "?number=SW123456"
    if route == "assessments:completion-detail":
        ended = EnrolmentFactory(status=Enrolment.Status.WITHDRAWN, ended_on=date(2026, 10, 30))
        return reverse(route, args=[ended.completion_record.pk])
    return None
