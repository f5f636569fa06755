"""Documents filed on an enrolment: upload, download (after visible_to), removal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from people.files import safe_download_name
from programmes import selectors, services
from programmes.forms import (
    DocumentForm,
    DocumentRemoveForm,
)
from programmes.models import EnrolmentDocument
from programmes.views.common import form_page, visible_enrolment


def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = visible_enrolment(request, pk)
    if not selectors.can_add_document(request.user, enrolment):
        raise PermissionDenied
    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if form.is_valid():
        try:
            services.add_document(
                uploaded_by=request.user, enrolment=enrolment, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("programmes:enrolment-detail", pk=enrolment.pk)
    return form_page(
        request,
        form,
        title=_("Upload a document"),
        caption=enrolment.worker.full_name,
        submit_label=_("Upload"),
        back_url=reverse("programmes:enrolment-detail", args=[enrolment.pk]),
    )


def _visible_document(request: HttpRequest, pk: int, document_pk: int) -> EnrolmentDocument:
    documents = EnrolmentDocument.objects.visible_to(request.user).select_related("enrolment")
    return get_object_or_404(documents, pk=document_pk, enrolment_id=pk)


def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    document = _visible_document(request, pk, document_pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=safe_download_name(document.title, document.content_type),
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def document_remove(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    document = _visible_document(request, pk, document_pk)
    if not selectors.can_remove_document(request.user, document):
        raise PermissionDenied
    form = DocumentRemoveForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.remove_document(
                removed_by=request.user, document=document, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Document removed."))
            return redirect("programmes:enrolment-detail", pk=pk)
    return form_page(
        request,
        form,
        title=_("Remove “%(title)s”") % {"title": document.title},
        intro=_("The file is deleted. The enrolment's history keeps a note of who removed it."),
        submit_label=_("Remove document"),
        back_url=reverse("programmes:enrolment-detail", args=[pk]),
    )
