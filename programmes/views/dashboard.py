"""The cohort dashboard and its CSV: a manager's teams, or every enrolment for a lead."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from people.csv_export import csv_response
from people.models import Role
from programmes import exports, selectors
from programmes.dashboard.cohort import (
    BY_NAME,
    SORTABLE,
    dashboard_page,
    dashboard_rows,
    needing_attention,
    sorted_rows,
)
from programmes.forms_dashboard import DashboardFilterForm
from programmes.models import Enrolment
from programmes.views.cached import kept_page, render_body

ROWS_PER_PAGE = 50


def _sort(request: HttpRequest) -> str:
    """The column asked for, "-" first when descending; by name when it is not one we sort on."""
    sort = request.GET.get("sort", "name")
    return sort if sort.removeprefix("-") in SORTABLE else "name"


def _filtered(request: HttpRequest) -> tuple[DashboardFilterForm, QuerySet[Enrolment]]:
    """The filters from the query string, and the enrolments they leave."""
    if not selectors.can_see_cohorts(request.user):
        raise PermissionDenied
    visible = selectors.managed_enrolments(request.user)
    form = DashboardFilterForm(request.GET, visible=visible)
    return form, form.filtered(visible)


def _sort_headers(sort: str) -> list[dict[str, str]]:
    """Each sortable column: its label, the sort its link asks for, and its aria-sort."""
    labels = {
        "name": _("Worker"),
        "week": _("Programme week"),
        "coverage": _("Time and standards"),
        "supervision": _("Supervision"),
    }
    headers = []
    for key in SORTABLE:
        current = sort.removeprefix("-") == key
        descending = current and sort.startswith("-")
        headers.append(
            {
                "key": key,
                "label": labels[key],
                "link": f"-{key}" if current and not descending else key,
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return headers


def dashboard(request: HttpRequest) -> HttpResponse:
    return kept_page(
        request,
        "dashboard",
        "programmes/dashboard.html",
        lambda form, visible: _work_out(request, form, visible),
    )


def _work_out(
    request: HttpRequest, form: DashboardFilterForm, visible: QuerySet[Enrolment]
) -> dict[str, object]:
    sort = _sort(request)
    page = dashboard_page(
        form.filtered(visible),
        on=timezone.localdate(),
        needs_attention=form.needs_attention,
        sort=sort.removeprefix("-"),
        descending=sort.startswith("-"),
        number=request.GET.get("page"),
        per_page=ROWS_PER_PAGE,
    )
    context = {
        "form": form,
        "page": page,
        "rows": [row.shown for row in page.object_list],
        "headers": {header["key"]: header for header in _sort_headers(sort)},
        "is_lead": request.user.has_role(Role.LEAD),
    }
    return {
        "body": render_body(request, "programmes/_dashboard_body.html", context),
        "number": page.number,
        "errors": bool(form.errors),
    }


def dashboard_export(request: HttpRequest) -> HttpResponse:
    """Every row the filters leave, not just one page, with each state in words."""
    form, enrolments = _filtered(request)
    rows = dashboard_rows(enrolments.order_by(*BY_NAME), on=timezone.localdate())
    if form.needs_attention:
        rows = needing_attention(rows)
    sort = _sort(request)
    rows = sorted_rows(rows, sort=sort.removeprefix("-"), descending=sort.startswith("-"))
    return csv_response(
        filename=exports.dashboard_export_filename(on=timezone.localdate()),
        header=exports.dashboard_export_header(),
        rows=exports.dashboard_export_rows(rows),
    )
