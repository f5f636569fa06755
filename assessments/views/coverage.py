"""Coverage pages: one enrolment's statements against its signed-off evidence, and an assessor's
assessees with how far each has evidenced the standards."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from assessments.selectors.coverage import assessee_rows, can_see_assessees, coverage_matrix
from people.models import Role
from programmes.views.common import visible_enrolment


def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = visible_enrolment(request, pk)
    context = {"enrolment": enrolment, "matrix": coverage_matrix(enrolment)}
    return render(request, "assessments/coverage/coverage.html", context)


def assessee_list(request: HttpRequest) -> HttpResponse:
    """An assessor's active assessees (a lead's: every active enrolment) and their coverage."""
    if not can_see_assessees(request.user):
        raise PermissionDenied
    on = timezone.localdate()
    context = {
        "rows": assessee_rows(request.user, on=on),
        "on": on,
        "is_lead": request.user.has_role(Role.LEAD),
    }
    return render(request, "assessments/coverage/assessee_list.html", context)
