"""Home, cohorts and enrolling: a lead's and a manager's pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from people.csv_export import csv_response
from people.models import Role
from people.selectors import can_view_history
from programmes import dashboard, exports, selectors, services
from programmes.forms import (
    CohortForm,
    CohortImportForm,
    EnrolmentForm,
)
from programmes.models import Cohort, Enrolment
from programmes.selectors import caseloads as caseload_selectors
from programmes.views.caseload_chart import latest_state
from programmes.views.common import form_page


def home(request: HttpRequest) -> HttpResponse:
    """One page per person, with a section for each role they hold."""
    user, on = request.user, timezone.localdate()
    visible = Enrolment.objects.visible_to(user)
    context: dict[str, object] = {
        "on": on,
        "roles": user.roles,
        "is_lead": user.has_role(Role.LEAD),
    }
    if user.has_role(Role.WORKER):
        own = selectors.enrolments_with_timelines(
            visible.filter(worker=user).order_by("-started_on"), on=on
        )
        context["own_enrolments"] = own
        if own:
            latest = own[0][0]  # the page shows the latest enrolment only
            statuses = dashboard.supervision_by_enrolment(visible.filter(pk=latest.pk), on=on)
            context["own_supervision"] = statuses[latest.pk]
    if user.has_role(Role.SUPERVISOR):
        supervisees = dashboard.supervisees_for(user, on=on)
        context["supervisees"] = supervisees
        context["supervisee_caseloads"] = _caseloads(visible, supervisees, on=on)
    if user.has_role(Role.ASSESSOR):
        context["assessees"] = selectors.enrolments_with_timelines(
            visible.current().filter(assessor=user).order_by("worker__full_name"), on=on
        )
    if selectors.can_see_cohorts(user):
        context["cohorts"] = selectors.cohorts_for_list(user)
    return render(request, "programmes/home.html", context)


@dataclass(frozen=True)
class SuperviseeCaseload:
    enrolment: Enrolment
    summary: caseload_selectors.CaseloadSummary
    state: str  # the latest figures against the cap, in words; "" with no figures yet


def _caseloads(
    visible: QuerySet[Enrolment], supervisees: list, *, on: date
) -> list[SuperviseeCaseload]:
    """The supervisees' caseloads and protected time; those over the cap first."""
    enrolments = [status.enrolment for status in supervisees]
    summaries = caseload_selectors.caseload_summaries(
        visible.filter(pk__in=[enrolment.pk for enrolment in enrolments]), on=on
    )
    rows = [
        SuperviseeCaseload(
            enrolment=enrolment,
            summary=summaries[enrolment.pk],
            state=latest_state(summaries[enrolment.pk].latest)
            if summaries[enrolment.pk].latest
            else "",
        )
        for enrolment in enrolments
    ]
    return sorted(
        rows, key=lambda row: (not row.summary.is_over_cap, row.enrolment.worker.full_name)
    )


def cohort_list(request: HttpRequest) -> HttpResponse:
    if not selectors.can_see_cohorts(request.user):
        raise PermissionDenied
    context = {
        "cohorts": selectors.cohorts_for_list(request.user),
        "can_manage": selectors.can_manage_cohorts(request.user),
    }
    return render(request, "programmes/cohort_list.html", context)


def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_object_or_404(
        Cohort.objects.visible_to(request.user).select_related("programme"), pk=pk
    )
    if not selectors.can_see_cohorts(request.user):
        raise PermissionDenied  # may see it through an enrolment, but the cohort page is not theirs
    on = timezone.localdate()
    enrolments = Enrolment.objects.visible_to(request.user).filter(cohort=cohort)
    context = {
        "cohort": cohort,
        "rows": selectors.enrolments_with_timelines(
            enrolments.order_by("worker__full_name"), on=on
        ),
        "can_manage": selectors.can_manage_cohorts(request.user),
        "can_view_history": can_view_history(request.user),
    }
    return render(request, "programmes/cohort_detail.html", context)


def cohort_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The cohort page's rows as a CSV file: the same people, the same scoping."""
    cohort = get_object_or_404(Cohort.objects.visible_to(request.user), pk=pk)
    if not selectors.can_see_cohorts(request.user):
        raise PermissionDenied  # as cohort_detail: visible through an enrolment is not enough
    on = timezone.localdate()
    enrolments = Enrolment.objects.visible_to(request.user).filter(cohort=cohort)
    return csv_response(
        filename=exports.cohort_export_filename(cohort, on=on),
        header=exports.cohort_export_header(),
        rows=exports.cohort_export_rows(enrolments.order_by("worker__full_name", "pk"), on=on),
    )


def cohort_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_manage_cohorts(request.user):
        raise PermissionDenied
    form = CohortForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            cohort = services.create_cohort(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Cohort opened. Now enrol its workers."))
            return redirect("programmes:cohort-detail", pk=cohort.pk)
    return form_page(
        request,
        form,
        title=_("Open a cohort"),
        submit_label=_("Open cohort"),
        back_url=reverse("programmes:cohort-list"),
    )


def cohort_import(request: HttpRequest) -> HttpResponse:
    if not selectors.can_manage_cohorts(request.user):
        raise PermissionDenied
    form = CohortImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    problems: list[tuple[int | None, str]] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            raw = upload.read(services.cohort_import.MAXIMUM_BYTES + 1)
            cohort = services.import_cohort_csv(
                imported_by=request.user,
                name=form.cleaned_data["name"],
                intake_on=form.cleaned_data["intake_on"],
                raw=raw,
            )
        except services.CohortImportError as refusal:
            problems = refusal.problems
            form.add_error(
                "file",
                _("Nothing was imported. Fix the %(count)s problem(s) listed and try again.")
                % {"count": len(problems)},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count = cohort.enrolments.count()
            messages.success(
                request,
                _("Imported %(count)s worker(s) into %(cohort)s.")
                % {"count": count, "cohort": cohort.name},
            )
            return redirect("programmes:cohort-detail", pk=cohort.pk)
    context = {
        "form": form,
        "problems": problems,
        "title": _("Import a cohort from a CSV file"),
        "submit_label": _("Import"),
        "back_url": reverse("programmes:cohort-list"),
    }
    return render(request, "programmes/cohort_import.html", context)


def enrolment_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.visible_to(request.user), pk=pk)
    if not selectors.can_manage_cohorts(request.user):
        raise PermissionDenied
    form = EnrolmentForm(
        request.POST if request.method == "POST" else None,
        initial={"started_on": cohort.intake_on, "fte": "1.0"},
    )
    if form.is_valid():
        try:
            enrolment = services.enrol_worker(
                enrolled_by=request.user, cohort=cohort, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("%(name)s is enrolled.") % {"name": enrolment.worker.full_name}
            )
            return redirect("programmes:cohort-detail", pk=cohort.pk)
    return form_page(
        request,
        form,
        title=_("Enrol a worker"),
        caption=cohort.name,
        submit_label=_("Enrol"),
        back_url=reverse("programmes:cohort-detail", args=[cohort.pk]),
    )
