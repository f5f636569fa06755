"""Framework pages: every framework and its text, and the version an enrolment is assessed
against, which a lead may change after seeing what the move does to the evidence."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessments.forms_frameworks import MoveFrameworkForm
from assessments.selectors import framework_for
from assessments.selectors.frameworks import (
    can_move_framework,
    frameworks_for_enrolment,
    frameworks_for_list,
    move_plan,
    retagging_needed,
)
from assessments.selectors.frameworks import (
    framework_detail as framework_detail_queryset,
)
from assessments.services.frameworks import move_framework
from programmes.views.common import add_service_errors, visible_enrolment


def framework_list(request: HttpRequest) -> HttpResponse:
    """Every framework version: when it is in force and which programmes use it."""
    context = {"frameworks": frameworks_for_list(request.user)}
    return render(request, "assessments/frameworks/framework_list.html", context)


def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(framework_detail_queryset(request.user), pk=pk)
    return render(request, "assessments/frameworks/framework_detail.html", {"framework": framework})


def enrolment_framework(request: HttpRequest, pk: int) -> HttpResponse:
    """The pinned version for anyone who may see the enrolment; for a lead, a move in two steps:
    choose and preview what maps and what needs tagging again, then confirm."""
    enrolment = visible_enrolment(request, pk)
    may_move = can_move_framework(request.user, enrolment)
    if request.method == "POST" and not may_move:
        raise PermissionDenied
    current = framework_for(enrolment)
    choices = frameworks_for_enrolment(enrolment)
    if current is not None:
        choices = choices.exclude(pk=current.pk)
    form = None
    plan = None
    if may_move:
        form = MoveFrameworkForm(
            request.POST if request.method == "POST" else None, choices=choices
        )
    if form is not None and form.is_valid():
        if "confirm" in request.POST:
            try:
                pin = move_framework(
                    moved_by=request.user, enrolment=enrolment, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(worker)s is now assessed against %(framework)s.")
                    % {"worker": enrolment.worker.full_name, "framework": pin.framework},
                )
                return redirect("assessments:enrolment-framework", pk=enrolment.pk)
        else:
            plan = move_plan(request.user, enrolment, form.cleaned_data["framework"])
    context = {
        "enrolment": enrolment,
        "framework": current,
        "pin": getattr(enrolment, "framework_pin", None),
        "form": form,
        "plan": plan,
        "has_choices": choices.exists(),
        "retag": retagging_needed(enrolment, user=request.user),
    }
    return render(request, "assessments/frameworks/enrolment_framework.html", context)
