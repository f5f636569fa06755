"""Direct observation pages: record one, correct a returned one, and the worker's reflection."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.forms_observations import ObservationForm, ReflectionForm
from assessments.models import Evidence
from assessments.selectors import observations as selectors
from assessments.services import observations as services
from programmes.views.common import add_service_errors, visible_enrolment


def _visible_observation(request: HttpRequest, pk: int) -> Evidence:
    return get_object_or_404(selectors.observation_evidence(request.user), pk=pk)


def _enrolment_url(enrolment_id: int) -> str:
    return reverse("programmes:enrolment-detail", args=[enrolment_id])


def _observation_page(
    request: HttpRequest, form: ObservationForm, **context: object
) -> HttpResponse:
    return render(
        request, "assessments/observations/observation_form.html", {"form": form, **context}
    )


def observation_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = visible_enrolment(request, pk)
    if not selectors.can_record_observation(request.user, enrolment):
        raise PermissionDenied  # may see it but not record it: 403; may not see it: 404
    statements = selectors.observable_statements(enrolment)
    form = ObservationForm(
        request.POST if request.method == "POST" else None,
        statements=statements,
        initial={"occurred_on": timezone.localdate()},
    )
    if form.is_valid():
        try:
            evidence = services.record_observation(
                recorded_by=request.user, enrolment=enrolment, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Observation recorded. It is waiting for the assessor's sign-off, and "
                    "%(name)s has been asked to add their reflection."
                )
                % {"name": enrolment.worker.full_name},
            )
            return redirect("assessments:evidence-detail", pk=evidence.pk)
    return _observation_page(
        request,
        form,
        enrolment=enrolment,
        title=_("Record a direct observation"),
        submit_label=_("Save and send for sign-off"),
        back_url=_enrolment_url(enrolment.pk),
    )


def observation_correct(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _visible_observation(request, pk)
    if not selectors.can_correct_observation(request.user, evidence):
        raise PermissionDenied
    observation = evidence.observation
    initial = {
        "occurred_on": evidence.occurred_on,
        "setting": observation.setting,
        "what_was_observed": observation.what_was_observed,
        "feedback": observation.feedback,
    }
    initial |= {f"statement_{j.statement_id}": j.judgement for j in observation.judgements.all()}
    form = ObservationForm(
        request.POST if request.method == "POST" else None,
        statements=selectors.observable_statements(evidence.enrolment),
        initial=initial,
    )
    if form.is_valid():
        try:
            services.correct_observation(
                corrected_by=request.user, evidence=evidence, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Observation corrected and sent again for sign-off."))
            return redirect("assessments:evidence-detail", pk=evidence.pk)
    return _observation_page(
        request,
        form,
        enrolment=evidence.enrolment,
        title=_("Correct the observation"),
        submit_label=_("Save and send again for sign-off"),
        back_url=_enrolment_url(evidence.enrolment_id),
    )


def observation_reflect(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _visible_observation(request, pk)
    if not selectors.can_reflect_on_observation(request.user, evidence):
        raise PermissionDenied
    form = ReflectionForm(
        request.POST if request.method == "POST" else None,
        initial={"worker_reflection": evidence.observation.worker_reflection},
    )
    if form.is_valid():
        try:
            services.reflect_on_observation(
                reflected_by=request.user, evidence=evidence, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Reflection saved. You can change it until the observation is signed off."),
            )
            return redirect("assessments:observation-reflect", pk=evidence.pk)
    context = {
        "form": form,
        "evidence": evidence,
        "title": _("Your reflection on the observation"),
        "submit_label": _("Save your reflection"),
        "back_url": _enrolment_url(evidence.enrolment_id),
    }
    return render(request, "assessments/observations/observation_reflect.html", context)
