"""Helpers every programmes page shares: the form page, and finding an enrolment."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from programmes import selectors
from programmes.models import Enrolment


def form_page(request: HttpRequest, form: object, **context: object) -> HttpResponse:
    return render(request, "form_page.html", {"form": form, **context})


def visible_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    queryset = selectors.enrolments_for_list(Enrolment.objects.visible_to(request.user))
    return get_object_or_404(queryset, pk=pk)


def changeable_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    enrolment = visible_enrolment(request, pk)
    if not selectors.can_change_enrolment(request.user, enrolment):
        raise PermissionDenied
    return enrolment
