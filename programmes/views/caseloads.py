"""Caseloads against the cap, protected development time, and the manager's breaches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.models import Role, User
from programmes import rules, services
from programmes.forms import (
    BreachAcknowledgeForm,
    BreachResolveForm,
    CaseloadSnapshotForm,
    ProtectedTimeForm,
)
from programmes.models import CaseloadBreach, Enrolment, ProtectedTimeEntry
from programmes.selectors import caseloads as selectors
from programmes.selectors import managed_enrolments
from programmes.services.caseloads import IngestResult
from programmes.views.caseload_chart import caseload_chart, caseload_row
from programmes.views.common import form_page, visible_enrolment

# Breaches resolved within this many days stay on the manager's list, below the open ones.
RECENTLY_RESOLVED_DAYS = 90


def _unresolved_breach(user: User, enrolment: Enrolment) -> CaseloadBreach | None:
    return (
        CaseloadBreach.objects.visible_to(user)
        .unresolved()
        .filter(enrolment=enrolment)
        .select_related("acknowledged_by")
        .first()
    )


def caseload(request: HttpRequest, pk: int) -> HttpResponse:
    """The worker's caseload over time against the cap, and their protected time."""
    enrolment = visible_enrolment(request, pk)
    user, on = request.user, timezone.localdate()
    rows = [caseload_row(point) for point in selectors.caseload_history(user, enrolment)]
    is_active = enrolment.status == Enrolment.Status.ACTIVE
    time_status = selectors.protected_time_status(Enrolment.objects.filter(pk=enrolment.pk), on=on)
    context = {
        "enrolment": enrolment,
        "is_worker": enrolment.worker_id == user.pk,
        "is_active": is_active,
        "cap": selectors.cap_for(enrolment, on=on) if is_active else None,
        "latest": rows[-1] if rows else None,
        "rows": rows,
        "show_complex": any(row.complex_cases is not None for row in rows),
        "chart": caseload_chart(rows),
        "breach": _unresolved_breach(user, enrolment),
        "time_status": time_status[enrolment.pk],
        "entries": ProtectedTimeEntry.objects.visible_to(user)
        .filter(enrolment=enrolment)
        .select_related("recorded_by"),
        "can_record": selectors.can_record_caseload(user, enrolment),
        "can_log_time": selectors.can_log_protected_time(user, enrolment),
        "can_see_breaches": selectors.can_see_breaches(user),
    }
    return render(request, "programmes/caseload_detail.html", context)


def _recorded_message(
    result: IngestResult, before: int | None, after: CaseloadBreach | None
) -> str:
    if result.unchanged:
        return _("Nothing changed: these figures were already recorded for that day.")
    if after is None and before is not None:
        return _(
            "Caseload figures saved. The caseload is back within the cap: the breach is closed."
        )
    if after is None:
        return _("Caseload figures saved. The latest figures are within the cap.")
    if before is None:
        return _(
            "Caseload figures saved. The caseload is over the cap: a breach is open, and the "
            "worker's manager and supervisor will be told."
        )
    return _("Caseload figures saved. The caseload is still over the cap: the breach stays open.")


def caseload_record(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = visible_enrolment(request, pk)
    if not selectors.can_record_caseload(request.user, enrolment):
        raise PermissionDenied  # may see it but not record it: 403; may not see it: 404
    form = CaseloadSnapshotForm(
        request.POST if request.method == "POST" else None,
        initial={"as_of": timezone.localdate()},
    )
    if form.is_valid():
        before = _unresolved_breach(request.user, enrolment)
        try:
            result = services.record_caseload_snapshot(
                recorded_by=request.user, enrolment=enrolment, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            after = _unresolved_breach(request.user, enrolment)
            message = _recorded_message(result, before.pk if before else None, after)
            level = messages.WARNING if after is not None else messages.SUCCESS
            messages.add_message(request, level, message)
            return redirect("programmes:caseload", pk=enrolment.pk)
    return form_page(
        request,
        form,
        title=_("Record caseload figures"),
        caption=enrolment.worker.full_name,
        intro=_("The figures on one day. A second entry for the same day replaces the first."),
        submit_label=_("Save figures"),
        back_url=reverse("programmes:caseload", args=[enrolment.pk]),
    )


def protected_time_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = visible_enrolment(request, pk)
    if not selectors.can_log_protected_time(request.user, enrolment):
        raise PermissionDenied
    form = ProtectedTimeForm(
        request.POST if request.method == "POST" else None,
        initial={"on": timezone.localdate()},
    )
    if form.is_valid():
        try:
            entry = services.record_protected_time(
                recorded_by=request.user, enrolment=enrolment, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Logged %(hours)s hours of %(kind)s on %(day)s.")
                % {
                    "hours": entry.hours,
                    "kind": entry.get_kind_display().lower(),
                    "day": date_format(entry.on, "j F Y"),
                },
            )
            return redirect("programmes:caseload", pk=enrolment.pk)
    return form_page(
        request,
        form,
        title=_("Log protected time"),
        caption=enrolment.worker.full_name,
        intro=_("Time set aside for learning: training, study, shadowing or reflective writing."),
        submit_label=_("Log time"),
        back_url=reverse("programmes:caseload", args=[enrolment.pk]),
    )


@dataclass(frozen=True)
class BreachRow:
    breach: CaseloadBreach
    days_over: int
    limits: str
    is_past_plan: bool
    can_work: bool


LIMIT_NAMES = {
    "open-cases": gettext_lazy("open cases"),
    "child-protection": gettext_lazy("child-protection cases"),
    "complex": gettext_lazy("complex cases"),
}


def _breach_row(breach: CaseloadBreach, user: User, on: date) -> BreachRow:
    return BreachRow(
        breach=breach,
        days_over=(on - breach.snapshot_on).days,
        limits=", ".join(str(LIMIT_NAMES[name]) for name in breach.limits if name in LIMIT_NAMES),
        is_past_plan=breach.is_past_plan(on),
        can_work=selectors.can_work_breach(user, breach),
    )


def breach_list(request: HttpRequest) -> HttpResponse:
    """A manager's teams' breaches (a lead's: all), oldest first; then shortfalls of time."""
    user = request.user
    if not selectors.can_see_breaches(user):
        raise PermissionDenied
    on = timezone.localdate()
    breaches = selectors.breaches_for(user)
    resolved_since = timezone.now() - timedelta(days=RECENTLY_RESOLVED_DAYS)
    resolved = breaches.filter(
        status=CaseloadBreach.Status.RESOLVED, resolved_at__gte=resolved_since
    ).order_by("-resolved_at", "-pk")
    enrolments = managed_enrolments(user).current()
    statuses = selectors.protected_time_status(enrolments, on=on)
    short = [
        (enrolment, statuses[enrolment.pk])
        for enrolment in enrolments.select_related("worker__team").order_by(
            "worker__full_name", "pk"
        )
        if enrolment.pk in statuses and statuses[enrolment.pk].has_shortfall
    ]
    context = {
        "rows": [_breach_row(breach, user, on) for breach in breaches.unresolved()],
        "resolved": resolved,
        "recent_days": RECENTLY_RESOLVED_DAYS,
        "shortfalls": short,
        "month_starts_on": rules.last_full_month(on)[0],
        "is_lead": user.has_role(Role.LEAD),
    }
    return render(request, "programmes/breach_list.html", context)


def _workable_breach(request: HttpRequest, pk: int) -> CaseloadBreach:
    breach = get_object_or_404(
        CaseloadBreach.objects.visible_to(request.user).select_related(
            "enrolment__worker__team", "enrolment__cohort__programme"
        ),
        pk=pk,
    )
    if not selectors.can_work_breach(request.user, breach):
        raise PermissionDenied  # seen with the enrolment, worked by its manager or a lead
    return breach


def breach_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    breach = _workable_breach(request, pk)
    form = BreachAcknowledgeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.acknowledge_caseload_breach(
                acknowledged_by=request.user, breach=breach, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Breach acknowledged. %(name)s's caseload is due back within the cap by %(day)s.")
                % {
                    "name": breach.enrolment.worker.full_name,
                    "day": date_format(breach.plan_due_on, "j F Y"),
                },
            )
            return redirect("programmes:breach-list")
    return _breach_form(
        request,
        form,
        breach,
        title=_("Acknowledge the breach"),
        intro=_("Say how the caseload will come back within the cap, and by when."),
        submit_label=_("Acknowledge"),
    )


def breach_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    breach = _workable_breach(request, pk)
    form = BreachResolveForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.resolve_caseload_breach(
                resolved_by=request.user, breach=breach, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Breach resolved for %(name)s.") % {"name": breach.enrolment.worker.full_name},
            )
            return redirect("programmes:breach-list")
    return _breach_form(
        request,
        form,
        breach,
        title=_("Resolve the breach"),
        intro=_(
            "A breach closes by itself when the next figures are within the cap. Resolve it here "
            "when, for example, the figure that opened it was wrong. If the caseload is still "
            "over the cap, a new breach opens."
        ),
        submit_label=_("Resolve"),
    )


def _breach_form(
    request: HttpRequest, form: object, breach: CaseloadBreach, **context: object
) -> HttpResponse:
    context = {
        "form": form,
        "breach": breach,
        "limits": _breach_row(breach, request.user, timezone.localdate()).limits,
        "caption": breach.enrolment.worker.full_name,
        "back_url": reverse("programmes:breach-list"),
        **context,
    }
    return render(request, "programmes/breach_form.html", context)
