"""Programme rules: read by everyone signed in; local variants made by leads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from people.selectors import can_view_history
from programmes import selectors, services
from programmes.forms import (
    LocalVariantForm,
)
from programmes.models import Cohort, Programme
from programmes.views.common import form_page


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
    return form_page(
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
