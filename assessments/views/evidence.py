"""Evidence pages: an enrolment's list, writing and changing an item (saved as the person types),
submitting it, deleting a draft, its page and its attachment."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.forms_evidence import KIND_HINTS, AutosaveForm, EvidenceForm, KindForm
from assessments.models import Evidence
from assessments.selectors import evidence as selectors
from assessments.selectors import framework_for
from assessments.selectors import observations as observation_selectors
from assessments.services import evidence as services
from people.files import safe_download_name
from programmes.views.common import add_service_errors, visible_enrolment


def _visible_evidence(request: HttpRequest, pk: int) -> Evidence:
    return get_object_or_404(selectors.evidence_detail(request.user), pk=pk)


def _detail_url(evidence: Evidence) -> str:
    return reverse("assessments:evidence-detail", args=[evidence.pk])


def _statements_for(enrolment: object) -> object:
    framework = framework_for(enrolment)
    return selectors.framework_statements(framework.pk if framework else None)


def _form_context(form: EvidenceForm, statements: object) -> dict:
    """What the form page needs to tick statements under their standards."""
    field = form["statements"]
    if form.is_bound:
        ticked = {str(value) for value in (field.value() or [])}
    else:
        ticked = {
            str(getattr(value, "pk", value)) for value in (form.initial.get("statements") or [])
        }
    return {
        "statement_groups": selectors.statements_by_standard(statements),
        "ticked": ticked,
        "idle_seconds": settings.SESSION_COOKIE_AGE,
    }


def evidence_list(request: HttpRequest, pk: int) -> HttpResponse:
    """An enrolment's evidence as this person may see it; the worker's own drafts among it."""
    enrolment = visible_enrolment(request, pk)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    status = status if status in Evidence.Status.values else ""
    kind = kind if kind in Evidence.Kind.values else ""
    context = {
        "enrolment": enrolment,
        "items": list(
            selectors.evidence_for_enrolment(request.user, enrolment, status=status, kind=kind)
        ),
        "status": status,
        "kind": kind,
        "statuses": Evidence.Status.choices,
        "kinds": Evidence.Kind.choices,
        "can_create": selectors.can_create_evidence(request.user, enrolment),
        "can_observe": observation_selectors.can_record_observation(request.user, enrolment),
        "filtered": bool(status or kind),
    }
    return render(request, "assessments/evidence/evidence_list.html", context)


def evidence_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the kind, then write it; the first save makes the draft, autosave carries on."""
    enrolment = visible_enrolment(request, pk)
    if not selectors.can_create_evidence(request.user, enrolment):
        raise PermissionDenied
    back_url = reverse("assessments:evidence-list", args=[enrolment.pk])
    kind = request.GET.get("kind") or request.POST.get("kind")
    if kind not in selectors.WRITTEN_KINDS:
        chooser = KindForm(request.GET if "kind" in request.GET else None)
        chooser.is_valid()
        context = {
            "enrolment": enrolment,
            "form": chooser,
            "hints": KIND_HINTS,
            "back_url": back_url,
        }
        return render(request, "assessments/evidence/evidence_kind.html", context)
    statements = _statements_for(enrolment)
    form = EvidenceForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        kind=kind,
        statements=statements,
        initial={"occurred_on": timezone.localdate()},
    )
    if form.is_valid():
        values = dict(form.cleaned_data)
        values.pop("remove_attachment", None)
        try:
            evidence = services.create_evidence(
                created_by=request.user, enrolment=enrolment, kind=kind, **values
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Draft saved. Only you can see it. It now saves as you type."),
            )
            return redirect("assessments:evidence-edit", pk=evidence.pk)
    context = {
        "enrolment": enrolment,
        "form": form,
        "kind": kind,
        "kind_label": Evidence.Kind(kind).label,
        "back_url": reverse("assessments:evidence-create", args=[enrolment.pk]),
        "title": _("Add %(kind)s") % {"kind": Evidence.Kind(kind).label.lower()},
        **_form_context(form, statements),
    }
    return render(request, "assessments/evidence/evidence_form.html", context)


def evidence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _visible_evidence(request, pk)
    if not selectors.can_edit(request.user, evidence):
        raise PermissionDenied
    statements = _statements_for(evidence.enrolment)
    initial = {
        "title": evidence.title,
        "occurred_on": evidence.occurred_on,
        "statements": [statement.pk for statement in evidence.statements.all()],
        **{field: getattr(evidence, field) for field in services.text_fields_for(evidence.kind)},
    }
    form = EvidenceForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        kind=evidence.kind,
        statements=statements,
        has_attachment=bool(evidence.attachment),
        initial=initial,
    )
    if form.is_valid():
        try:
            services.update_evidence(
                updated_by=request.user, evidence=evidence, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.POST.get("then") == "submit":
                return redirect("assessments:evidence-submit", pk=evidence.pk)
            messages.success(request, _("Draft saved."))
            return redirect(_detail_url(evidence))
    context = {
        "enrolment": evidence.enrolment,
        "evidence": evidence,
        "form": form,
        "kind": evidence.kind,
        "kind_label": evidence.get_kind_display(),
        "back_url": _detail_url(evidence),
        "title": _("Change “%(title)s”") % {"title": evidence.title},
        "autosave_url": reverse("assessments:evidence-autosave", args=[evidence.pk]),
        **_form_context(form, statements),
    }
    return render(request, "assessments/evidence/evidence_form.html", context)


@require_POST
def evidence_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """What the script posts as the person types: text only, answered in JSON."""
    evidence = _visible_evidence(request, pk)
    if not selectors.can_edit(request.user, evidence):
        raise PermissionDenied
    form = AutosaveForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    try:
        saved = services.autosave_evidence(saved_by=request.user, evidence=evidence, **form.sent())
    except ValidationError as error:
        return JsonResponse({"errors": error.message_dict}, status=400)
    at = time_format(timezone.localtime(saved.updated_at), "H:i")
    return JsonResponse({"saved_at": at, "message": _("Draft saved at %(time)s") % {"time": at}})


def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _visible_evidence(request, pk)
    user = request.user
    context = {
        "evidence": evidence,
        "enrolment": evidence.enrolment,
        "statement_groups": selectors.statements_by_standard(evidence.statements.all()),
        "sign_offs": list(evidence.sign_offs.all()),
        "is_author": evidence.author_id == user.pk,
        "can_edit": selectors.can_edit(user, evidence),
        "can_submit": selectors.can_submit(user, evidence),
        "can_delete": selectors.can_delete(user, evidence),
        "can_decide": selectors.can_decide(user, evidence),
        "can_reverse": selectors.can_reverse(user, evidence),
        "is_feedback": evidence.kind in selectors.FEEDBACK_KINDS,
        "has_observation": (
            evidence.kind == Evidence.Kind.OBSERVATION and hasattr(evidence, "observation")
        ),
        "can_reflect": observation_selectors.can_reflect_on_observation(user, evidence),
        "can_correct": observation_selectors.can_correct_observation(user, evidence),
    }
    return render(request, "assessments/evidence/evidence_detail.html", context)


def evidence_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """A page to check before sending: what it still lacks, or a button to submit it."""
    evidence = _visible_evidence(request, pk)
    if not selectors.can_submit(request.user, evidence):
        raise PermissionDenied
    form = forms.Form(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.submit_evidence(submitted_by=request.user, evidence=evidence)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Submitted. Your assessor will sign it off or return it with a comment."),
            )
            return redirect(_detail_url(evidence))
    context = {
        "evidence": evidence,
        "form": form,
        "missing": services.missing_for_submission(evidence),
        "back_url": _detail_url(evidence),
    }
    return render(request, "assessments/evidence/evidence_submit.html", context)


def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _visible_evidence(request, pk)
    if not selectors.can_delete(request.user, evidence):
        raise PermissionDenied
    form = forms.Form(request.POST if request.method == "POST" else None)
    if form.is_valid():
        enrolment_pk = evidence.enrolment_id
        try:
            services.delete_draft(deleted_by=request.user, evidence=evidence)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft deleted."))
            return redirect("assessments:evidence-list", pk=enrolment_pk)
    context = {"evidence": evidence, "form": form, "back_url": _detail_url(evidence)}
    return render(request, "assessments/evidence/evidence_delete.html", context)


def evidence_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """The file, to those who may see the item, as a download the browser will not render."""
    evidence = _visible_evidence(request, pk)
    if not evidence.attachment:
        raise Http404(_("This evidence has no attached file."))
    response = FileResponse(
        evidence.attachment.open("rb"),
        as_attachment=True,
        filename=safe_download_name(
            evidence.attachment_name.rsplit(".", 1)[0] or evidence.title,
            evidence.attachment_type,
        ),
        content_type=evidence.attachment_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
