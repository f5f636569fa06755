"""Helpers every programmes page shares: the form page, and finding an enrolment."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from programmes import selectors
from programmes.models import Enrolment


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's errors go to the form's field of that name, else to the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


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
