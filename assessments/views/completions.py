"""Completion records: a lead looks up what a worker's programmes came to, and prints one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from assessments.forms_completions import CompletionLookupForm
from assessments.models import CompletionRecord
from assessments.selectors.completions import (
    can_look_up_completions,
    completions_for_number,
    normalise_registration_number,
)


def completion_lookup(request: HttpRequest) -> HttpResponse:
    if not can_look_up_completions(request.user):
        raise PermissionDenied
    searched = "number" in request.GET
    form = CompletionLookupForm(request.GET if searched else None)
    records = None
    number = ""
    if form.is_valid():
        number = normalise_registration_number(form.cleaned_data["number"])
        records = list(completions_for_number(request.user, number))
    context = {"form": form, "records": records, "number": number}
    return render(request, "assessments/completions/completion_lookup.html", context)


def completion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_look_up_completions(request.user):
        raise PermissionDenied  # lead-only whatever the id: refused before any lookup
    record = get_object_or_404(CompletionRecord.objects.visible_to(request.user), pk=pk)
    context = {"record": record}
    return render(request, "assessments/completions/completion_detail.html", context)
