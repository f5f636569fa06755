"""Web pages for programmes: thin shells over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from people.csv_export import csv_response
from people.files import DOCX, JPEG, PDF, PNG, safe_download_name
from people.models import Role
from people.selectors import can_view_history
from programmes import exports, selectors, services
from programmes.forms import (
    CohortForm,
    CohortImportForm,
    DocumentForm,
    DocumentRemoveForm,
    EnrolmentEndForm,
    EnrolmentForm,
    EnrolmentUpdateForm,
    ExtensionForm,
    LocalVariantForm,
    PauseEndForm,
    PauseForm,
)
from programmes.models import Cohort, Enrolment, EnrolmentDocument, EnrolmentPause, Programme


def _form_page(request: HttpRequest, form: object, **context: object) -> HttpResponse:
    return render(request, "form_page.html", {"form": form, **context})


def home(request: HttpRequest) -> HttpResponse:
    """One page per person, with a section for each role they hold."""
    user, on = request.user, timezone.localdate()
    visible = Enrolment.objects.visible_to(user)
    context: dict[str, object] = {"on": on, "roles": user.roles}
    if user.has_role(Role.WORKER):
        own = selectors.enrolments_with_timelines(
            visible.filter(worker=user).order_by("-started_on"), on=on
        )
        context["own_enrolments"] = own
    if user.has_role(Role.SUPERVISOR):
        context["supervisees"] = selectors.enrolments_with_timelines(
            visible.current().filter(supervisor=user).order_by("worker__full_name"), on=on
        )
    if user.has_role(Role.ASSESSOR):
        context["assessees"] = selectors.enrolments_with_timelines(
            visible.current().filter(assessor=user).order_by("worker__full_name"), on=on
        )
    if selectors.can_see_cohorts(user):
        context["cohorts"] = selectors.cohorts_for_list(user)
    return render(request, "programmes/home.html", context)


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
    return _form_page(
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
    return _form_page(
        request,
        form,
        title=_("Enrol a worker"),
        caption=cohort.name,
        submit_label=_("Enrol"),
        back_url=reverse("programmes:cohort-detail", args=[cohort.pk]),
    )


def _visible_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    queryset = selectors.enrolments_for_list(Enrolment.objects.visible_to(request.user))
    return get_object_or_404(queryset, pk=pk)


def _changeable_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    enrolment = _visible_enrolment(request, pk)
    if not selectors.can_change_enrolment(request.user, enrolment):
        raise PermissionDenied
    return enrolment


def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _visible_enrolment(request, pk)
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
    enrolment = _changeable_enrolment(request, pk)
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
    return _form_page(
        request,
        form,
        title=_("Change enrolment"),
        caption=enrolment.worker.full_name,
        submit_label=_("Save changes"),
        back_url=reverse("programmes:enrolment-detail", args=[enrolment.pk]),
    )


def enrolment_end(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _changeable_enrolment(request, pk)
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
    return _form_page(
        request,
        form,
        title=_("End this enrolment"),
        caption=enrolment.worker.full_name,
        intro=_("The worker can be enrolled again later, on this or another programme."),
        submit_label=_("End enrolment"),
        back_url=reverse("programmes:enrolment-detail", args=[enrolment.pk]),
    )


def pause_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _changeable_enrolment(request, pk)
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
    return _form_page(
        request,
        form,
        title=_("Pause the programme"),
        caption=enrolment.worker.full_name,
        intro=_("While paused, the programme clock stops and every later date moves on."),
        submit_label=_("Record pause"),
        back_url=reverse("programmes:enrolment-detail", args=[enrolment.pk]),
    )


def pause_end(request: HttpRequest, pk: int, pause_pk: int) -> HttpResponse:
    enrolment = _changeable_enrolment(request, pk)
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
    return _form_page(
        request,
        form,
        title=_("End the pause"),
        caption=enrolment.worker.full_name,
        submit_label=_("Save"),
        back_url=reverse("programmes:enrolment-detail", args=[enrolment.pk]),
    )


def extension_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _changeable_enrolment(request, pk)
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
    return _form_page(
        request,
        form,
        title=_("Extend the programme"),
        caption=enrolment.worker.full_name,
        intro=_("An extension moves the end date and the final review; earlier dates stay."),
        submit_label=_("Approve extension"),
        back_url=reverse("programmes:enrolment-detail", args=[enrolment.pk]),
    )


def programme_list(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.visible_to(request.user).select_related("based_on")
    return render(request, "programmes/programme_list.html", {"programmes": programmes})


def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user).prefetch_related(
            Prefetch("cohorts", queryset=Cohort.objects.visible_to(request.user))
        ),
        code=code,
    )
    context = {
        "programme": programme,
        "cadence": programme.cadence_phases,
        "caseload": programme.caseload_protection_phases,
        "protected_time": programme.protected_time,
        "can_view_history": can_view_history(request.user),
        "can_create_variant": selectors.can_manage_cohorts(request.user),
    }
    return render(request, "programmes/programme_detail.html", context)


def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _visible_enrolment(request, pk)
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
    return _form_page(
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
    kind = next(k for k in (PDF, DOCX, PNG, JPEG) if k.content_type == document.content_type)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=safe_download_name(document.title, kind),
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
    return _form_page(
        request,
        form,
        title=_("Remove “%(title)s”") % {"title": document.title},
        intro=_("The file is deleted. The enrolment's history keeps a note of who removed it."),
        submit_label=_("Remove document"),
        back_url=reverse("programmes:enrolment-detail", args=[pk]),
    )


def programme_variant_create(request: HttpRequest, code: str) -> HttpResponse:
    based_on = get_object_or_404(Programme.objects.visible_to(request.user), code=code)
    if not selectors.can_manage_cohorts(request.user):
        raise PermissionDenied
    form = LocalVariantForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            variant = services.create_local_variant(
                created_by=request.user, based_on=based_on, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Local variant created with the rules of %(code)s.") % {"code": based_on.code},
            )
            return redirect("programmes:programme-detail", code=variant.code)
    return _form_page(
        request,
        form,
        title=_("Create a local variant"),
        caption=based_on.name,
        intro=_(
            "The variant starts with a copy of these rules. Cohorts opened on it follow the "
            "variant; cohorts already running keep the rules they started with."
        ),
        submit_label=_("Create variant"),
        back_url=reverse("programmes:programme-detail", args=[based_on.code]),
    )
