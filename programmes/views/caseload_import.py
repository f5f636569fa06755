"""Caseload figures from a case-management system's export: upload, preview, confirm.

The uploaded file waits on the server between the preview and the confirmation, under a token
kept in the session: what is confirmed is what was previewed, checked again as it is saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from programmes.forms import CaseloadImportForm, ImportProfileForm
from programmes.models import CaseloadImportProfile
from programmes.selectors.caseloads import can_import_caseloads
from programmes.services import save_import_profile
from programmes.services.caseload_import import (
    COLUMN_LABELS,
    MAXIMUM_BYTES,
    CaseloadImportPreview,
    held_caseload_file,
    hold_caseload_file,
    import_caseload_file,
    preview_caseload_import,
    release_caseload_file,
)
from programmes.views.common import form_page

HELD = "caseload_import"  # session key: {"token": ..., "profile": pk} of the file in preview
MOST_SHOWN = 1000  # rows of changes, and problems, listed on the preview page


def caseload_import_page(request: HttpRequest) -> HttpResponse:
    """Step 1, choose a profile and a file; step 2, the preview; step 3, confirm."""
    if not can_import_caseloads(request.user):
        raise PermissionDenied
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = CaseloadImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=request.user,
    )
    if form.is_valid():
        profile = form.cleaned_data["profile"]
        data = form.cleaned_data["file"].read(MAXIMUM_BYTES + 1)
        preview = preview_caseload_import(previewed_by=request.user, data=data, profile=profile)
        _release(request)
        if preview.can_confirm:
            token = hold_caseload_file(data)
            request.session[HELD] = {"token": token, "profile": profile.pk}
        return _preview_page(request, preview)
    context = {
        "form": form,
        "has_profiles": CaseloadImportProfile.objects.visible_to(request.user).exists(),
    }
    return render(request, "programmes/caseload_import.html", context)


def _confirm(request: HttpRequest) -> HttpResponse:
    held = request.session.get(HELD) or {}
    if not held or request.POST.get("confirm") != held.get("token"):
        # A second tab may have uploaded another file since this preview was shown.
        messages.error(
            request,
            _("That preview is out of date or has expired. Upload the file again to check it."),
        )
        return redirect("programmes:caseload-import")
    data = held_caseload_file(held["token"])
    profiles = CaseloadImportProfile.objects.visible_to(request.user)
    profile = profiles.filter(pk=held["profile"]).first()
    if data is None or profile is None:
        _release(request)
        messages.error(request, _("That preview has expired. Upload the file again to check it."))
        return redirect("programmes:caseload-import")
    try:
        result = import_caseload_file(imported_by=request.user, data=data, profile=profile)
    except ValidationError:
        # Something changed since the preview (an enrolment ended, say): show what, save nothing.
        _release(request)
        preview = preview_caseload_import(previewed_by=request.user, data=data, profile=profile)
        return _preview_page(request, preview)
    _release(request)
    messages.success(
        request,
        _(
            "Caseload figures imported: %(created)s new, %(updated)s changed, "
            "%(unchanged)s unchanged."
        )
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return redirect("programmes:caseload-import")


def _release(request: HttpRequest) -> None:
    held = request.session.pop(HELD, None)
    if held:
        release_caseload_file(held["token"])


def _preview_page(request: HttpRequest, preview: CaseloadImportPreview) -> HttpResponse:
    held = request.session.get(HELD) or {}
    context = {
        "preview": preview,
        "rows": preview.rows[:MOST_SHOWN],
        "problems": preview.problems[:MOST_SHOWN],
        "most_shown": MOST_SHOWN,
        "token": held.get("token", ""),
        "title": _("Check the caseload figures before importing them"),
    }
    return render(request, "programmes/caseload_import_preview.html", context)


def import_profile_list(request: HttpRequest) -> HttpResponse:
    if not can_import_caseloads(request.user):
        raise PermissionDenied
    profiles = CaseloadImportProfile.objects.visible_to(request.user).select_related("created_by")
    context = {
        "profiles": [
            (
                profile,
                [(label, profile.columns.get(field, "")) for field, label in COLUMN_LABELS.items()],
            )
            for profile in profiles
        ]
    }
    return render(request, "programmes/import_profile_list.html", context)


def import_profile_create(request: HttpRequest) -> HttpResponse:
    if not can_import_caseloads(request.user):
        raise PermissionDenied
    form = ImportProfileForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        columns = {field: form.cleaned_data[field] for field in CaseloadImportProfile.FIELDS}
        try:
            profile = save_import_profile(
                saved_by=request.user, name=form.cleaned_data["name"], columns=columns
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Import profile “%(name)s” saved.") % {"name": profile.name}
            )
            return redirect("programmes:import-profile-list")
    return form_page(
        request,
        form,
        title=_("Add an import profile"),
        intro=_(
            "Give the heading of each column as the case-management system's export writes "
            "it. Capitals and spaces do not matter. Leave out the columns the export does not "
            "have."
        ),
        submit_label=_("Save profile"),
        back_url=reverse("programmes:import-profile-list"),
    )
