"""One enrolment: its schedule, and a lead's changes, pauses and extensions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from people.selectors import can_view_history
from programmes import selectors, services
from programmes.forms import (
    EnrolmentEndForm,
    EnrolmentUpdateForm,
    ExtensionForm,
    PauseEndForm,
    PauseForm,
)
from programmes.models import EnrolmentPause
from programmes.views.common import changeable_enrolment, form_page, visible_enrolment


def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = visible_enrolment(request, pk)
    context = {
        "enrolment": enrolment,
        "timeline": selectors.enrolment_timeline(enrolment, on=timezone.localdate()),
        "can_change": selectors.can_change_enrolment(request.user, enrolment),
        "can_view_history": can_view_history(request.user),
        "can_add_document": selectors.can_add_document(request.user, enrolment),
        "documents": [
            (document, selectors.can_remove_document(request.user, document))
            for document in enrolment.documents.select_related("uploaded_by")
        ],
    }
    return render(request, "programmes/enrolment_detail.html", context)


def enrolment_update(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = changeable_enrolment(request, pk)
    initial = {
        "started_on": enrolment.started_on,
        "fte": enrolment.fte,
        "supervisor": enrolment.supervisor,
        "assessor": enrolment.assessor,
    }
    form = EnrolmentUpdateForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            services.update_enrolment(
                changed_by=request.user, enrolment=enrolment, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Enrolment updated."))
            return redirect("programmes:enrolment-detail", pk=enrolment.pk)
    return form_page(
        request,
        form,
        title=_("Change enrolment"),
        caption=enrolment.worker.full_name,
        submit_label=_("Save changes"),
        back_url=reverse("programmes:enrolment-detail", args=[enrolment.pk]),
    )


def enrolment_end(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = changeable_enrolment(request, pk)
    form = EnrolmentEndForm(
        request.POST if request.method == "POST" else None,
        initial={"ended_on": timezone.localdate()},
    )
    if form.is_valid():
        try:
            services.end_enrolment(ended_by=request.user, enrolment=enrolment, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The enrolment has ended."))
            return redirect("programmes:enrolment-detail", pk=enrolment.pk)
    return form_page(
        request,
        form,
        title=_("End this enrolment"),
        caption=enrolment.worker.full_name,
        intro=_("The worker can be enrolled again later, on this or another programme."),
        submit_label=_("End enrolment"),
        back_url=reverse("programmes:enrolment-detail", args=[enrolment.pk]),
    )


def pause_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = changeable_enrolment(request, pk)
    form = PauseForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.record_pause(
                recorded_by=request.user, enrolment=enrolment, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Pause recorded. Later dates have moved."))
            return redirect("programmes:enrolment-detail", pk=enrolment.pk)
    return form_page(
        request,
        form,
        title=_("Pause the programme"),
        caption=enrolment.worker.full_name,
        intro=_("While paused, the programme clock stops and every later date moves on."),
        submit_label=_("Record pause"),
        back_url=reverse("programmes:enrolment-detail", args=[enrolment.pk]),
    )


def pause_end(request: HttpRequest, pk: int, pause_pk: int) -> HttpResponse:
    enrolment = changeable_enrolment(request, pk)
    pause = get_object_or_404(EnrolmentPause.objects.filter(enrolment=enrolment), pk=pause_pk)
    form = PauseEndForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.end_pause(recorded_by=request.user, pause=pause, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The pause has a last day. Later dates have moved."))
            return redirect("programmes:enrolment-detail", pk=enrolment.pk)
    return form_page(
        request,
        form,
        title=_("End the pause"),
        caption=enrolment.worker.full_name,
        submit_label=_("Save"),
        back_url=reverse("programmes:enrolment-detail", args=[enrolment.pk]),
    )


def extension_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = changeable_enrolment(request, pk)
    form = ExtensionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.grant_extension(
                approved_by=request.user, enrolment=enrolment, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Extension approved. The end date has moved."))
            return redirect("programmes:enrolment-detail", pk=enrolment.pk)
    return form_page(
        request,
        form,
        title=_("Extend the programme"),
        caption=enrolment.worker.full_name,
        intro=_("An extension moves the end date and the final review; earlier dates stay."),
        submit_label=_("Approve extension"),
        back_url=reverse("programmes:enrolment-detail", args=[enrolment.pk]),
    )
