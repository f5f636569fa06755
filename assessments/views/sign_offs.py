"""The assessor's pages: the queue of evidence awaiting sign-off, the decision, a reversal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.forms_evidence import DecideForm, ReverseForm
from assessments.models import Evidence, SignOff
from assessments.selectors import evidence as selectors
from assessments.services import sign_offs as services
from assessments.views.evidence import (
    _detail_url,
    _statements_for,
    _visible_evidence,
)
from programmes.views.common import add_service_errors


def sign_off_queue(request: HttpRequest) -> HttpResponse:
    """Items awaiting this assessor's decision (a lead's: everyone's), oldest first."""
    if not selectors.can_see_queue(request.user):
        raise PermissionDenied
    rows = selectors.sign_off_queue(request.user)
    context = {
        "rows": rows,
        "overdue": sum(1 for row in rows if row.is_overdue),
        "working_days": selectors.SIGN_OFF_WORKING_DAYS,
    }
    return render(request, "assessments/sign_offs/sign_off_queue.html", context)


def evidence_decide(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _visible_evidence(request, pk)
    if not selectors.can_decide(request.user, evidence):
        raise PermissionDenied
    statements = _statements_for(evidence.enrolment)
    tagged = [statement.pk for statement in evidence.statements.all()]
    form = DecideForm(
        request.POST if request.method == "POST" else None,
        statements=statements,
        initial={"statements": tagged},
    )
    if form.is_valid():
        try:
            record = services.decide(assessor=request.user, evidence=evidence, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if record.decision == SignOff.Decision.SIGNED_OFF:
                messages.success(request, _("Signed off. The worker has been told."))
            else:
                messages.success(request, _("Returned to the worker with your comment."))
            return redirect("assessments:sign-off-queue")
    if form.is_bound:
        ticked = {str(value) for value in (form["statements"].value() or [])}
    else:
        ticked = {str(pk) for pk in tagged}
    context = {
        "evidence": evidence,
        "enrolment": evidence.enrolment,
        "form": form,
        "statement_groups": selectors.statements_by_standard(statements),
        "ticked": ticked,
        "back_url": reverse("assessments:sign-off-queue"),
        "detail_statement_groups": selectors.statements_by_standard(evidence.statements.all()),
        "is_feedback": evidence.kind in selectors.FEEDBACK_KINDS,
        "has_observation": (
            evidence.kind == Evidence.Kind.OBSERVATION and hasattr(evidence, "observation")
        ),
    }
    return render(request, "assessments/sign_offs/evidence_decide.html", context)


def evidence_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _visible_evidence(request, pk)
    if not selectors.can_reverse(request.user, evidence):
        raise PermissionDenied
    form = ReverseForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.reverse_sign_off(by=request.user, evidence=evidence, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Sign-off reversed. The worker can change the evidence and resubmit.")
            )
            return redirect(_detail_url(evidence))
    context = {
        "form": form,
        "title": _("Reverse the sign-off of “%(title)s”") % {"title": evidence.title},
        "caption": evidence.enrolment.worker.full_name,
        "intro": _(
            "The sign-off stays in the history; a reversal is recorded beside it. The evidence "
            "goes back to the worker and no longer counts until it is signed off again."
        ),
        "submit_label": _("Reverse the sign-off"),
        "back_url": _detail_url(evidence),
    }
    return render(request, "form_page.html", context)
