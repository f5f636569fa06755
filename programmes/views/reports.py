"""Reports for leads and managers: the workforce summary and its CSV, and a cohort's funding
claim. Thin shells over `programmes.selectors.workforce` and `programmes.exports`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from people.csv_export import csv_response
from programmes import exports, selectors
from programmes.models import Cohort, Enrolment, Programme
from programmes.selectors import workforce


def workforce_summary(request: HttpRequest) -> HttpResponse:
    if not selectors.can_see_cohorts(request.user):
        raise PermissionDenied
    on = timezone.localdate()
    context = {
        "on": on,
        "programmes": workforce.workforce_summary(request.user, on=on),
        "user_is_lead": selectors.can_manage_cohorts(request.user),
    }
    return render(request, "programmes/workforce_summary.html", context)


def workforce_export(request: HttpRequest, code: str) -> HttpResponse:
    """One programme's summary as Measure, Group, Count rows: the same people as the page."""
    if not selectors.can_see_cohorts(request.user):
        raise PermissionDenied
    programme = get_object_or_404(Programme.objects.visible_to(request.user), code=code)
    on = timezone.localdate()
    figures = workforce.programme_workforce(
        selectors.managed_enrolments(request.user), programme, on=on
    )
    return csv_response(
        filename=exports.workforce_export_filename(programme, on=on),
        header=exports.workforce_export_header(),
        rows=exports.workforce_export_rows(figures),
    )


def funding_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """Every enrolment of the cohort, for the lead's claim to the funder."""
    if not selectors.can_manage_cohorts(request.user):
        raise PermissionDenied  # lead-only whatever the id: refused before any lookup
    cohort = get_object_or_404(Cohort.objects.visible_to(request.user), pk=pk)
    enrolments = Enrolment.objects.visible_to(request.user).filter(cohort=cohort)
    return csv_response(
        filename=exports.funding_claim_filename(cohort, on=timezone.localdate()),
        header=exports.funding_claim_header(),
        rows=exports.funding_claim_rows(enrolments.order_by("worker__full_name", "pk")),
    )
