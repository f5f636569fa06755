"""Review pages: an enrolment's review schedule, recording a review, concerns, the final
assessment, the moderation panel, the portfolio PDF, and the reviews due across a caseload."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments import portfolio
from assessments.forms_reviews import (
    ConcernCloseForm,
    ConcernForm,
    FinalAssessmentForm,
    ModerationForm,
    ReviewForm,
)
from assessments.models import Progress, Standard
from assessments.selectors import coverage_of, framework_for
from assessments.selectors import reviews as selectors
from assessments.services import reviews as services
from programmes.models import Enrolment
from programmes.selectors import (
    EVIDENCE_LABELS,
    learning_agreement_overdue_on,
    with_learning_agreement_recorded,
)
from programmes.views.common import add_service_errors, form_page, visible_enrolment


def _list_url(enrolment_id: int) -> str:
    return reverse("assessments:review-list", args=[enrolment_id])


def review_list(request: HttpRequest, pk: int) -> HttpResponse:
    """One enrolment's reviews: the schedule, the learning agreement, concerns, the outcome."""
    enrolment = visible_enrolment(request, pk)
    on = timezone.localdate()
    agreement = with_learning_agreement_recorded(Enrolment.objects.filter(pk=pk)).get()
    enrolment.has_learning_agreement = agreement.has_learning_agreement
    final = selectors.final_assessment_of(enrolment)
    user = request.user
    context = {
        "enrolment": enrolment,
        "schedule": selectors.review_schedule(enrolment, on=on),
        "has_learning_agreement": agreement.has_learning_agreement,
        "learning_agreement_overdue": learning_agreement_overdue_on(enrolment, on=on) is not None,
        "concerns": selectors.concerns_for_enrolment(enrolment),
        "final": final,
        "decisions": list(final.moderation_decisions.all()) if final else [],
        "current_decision": selectors.current_round(final),
        "can_record": selectors.can_record_review(user, enrolment),
        "can_record_final": selectors.can_record_final(user, enrolment),
        "can_moderate": selectors.can_moderate(user, enrolment),
        "can_download": selectors.can_download_portfolio(user, enrolment),
        "on": on,
    }
    return render(request, "assessments/reviews/review_list.html", context)


def review_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = visible_enrolment(request, pk)
    if not selectors.can_record_review(request.user, enrolment):
        raise PermissionDenied  # may see it but not record it: 403; may not see it: 404
    schedule = selectors.review_schedule(enrolment, on=timezone.localdate())
    points = [(point.months, point.label) for point in schedule.unrecorded]
    if not points:
        messages.info(request, _("Every review point of this programme is already recorded."))
        return redirect(_list_url(enrolment.pk))
    initial = {"held_on": timezone.localdate(), "months": request.GET.get("months", "")}
    form = ReviewForm(
        request.POST if request.method == "POST" else None, initial=initial, points=points
    )
    if form.is_valid():
        values = dict(form.cleaned_data)
        if values["progress"] != Progress.CAUSING_CONCERN:
            values.update(concern_reason="", action_plan="", review_on=None)
        try:
            review = services.record_review(recorded_by=request.user, enrolment=enrolment, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if review.progress == Progress.CAUSING_CONCERN:
                messages.success(
                    request,
                    _(
                        "Review recorded. A concern is open with its action plan, and the "
                        "worker's manager and the programme leads have been told."
                    ),
                )
            else:
                messages.success(request, _("Review recorded."))
            return redirect("assessments:review-detail", pk=review.pk)
    return form_page(
        request,
        form,
        title=_("Record a review"),
        caption=enrolment.worker.full_name,
        intro=_(
            "Record the review at one of the programme's review points. If progress is causing "
            "concern, write the action plan and the date to review it by: a concern opens."
        ),
        submit_label=_("Record the review"),
        back_url=_list_url(enrolment.pk),
    )


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(selectors.review_detail(request.user), pk=pk)
    context = {
        "review": review,
        "enrolment": review.enrolment,
        "concerns": list(review.concerns.select_related("opened_by").order_by("pk")),
    }
    return render(request, "assessments/reviews/review_detail.html", context)


def concern_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = visible_enrolment(request, pk)
    if not selectors.can_open_concern(request.user, enrolment):
        raise PermissionDenied
    form = ConcernForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.open_concern(opened_by=request.user, enrolment=enrolment, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Concern opened. The worker's manager and the programme leads have been told."),
            )
            return redirect(_list_url(enrolment.pk))
    return form_page(
        request,
        form,
        title=_("Open a concern"),
        caption=enrolment.worker.full_name,
        intro=_("Say what the concern is, the plan to address it, and when the plan is reviewed."),
        submit_label=_("Open the concern"),
        back_url=_list_url(enrolment.pk),
    )


def concern_close(request: HttpRequest, pk: int) -> HttpResponse:
    concern = get_object_or_404(selectors.concern_detail(request.user), pk=pk)
    if not selectors.can_close_concern(request.user, concern):
        raise PermissionDenied
    form = ConcernCloseForm(
        request.POST if request.method == "POST" else None,
        initial={"closed_on": timezone.localdate()},
    )
    if form.is_valid():
        try:
            services.close_concern(closed_by=request.user, concern=concern, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Concern closed."))
            return redirect(_list_url(concern.enrolment_id))
    return render(
        request,
        "assessments/reviews/concern_close.html",
        {
            "form": form,
            "concern": concern,
            "title": _("Close the concern"),
            "caption": concern.enrolment.worker.full_name,
            "submit_label": _("Close the concern"),
            "back_url": _list_url(concern.enrolment_id),
        },
    )


def final_assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessor's recommendation, with the coverage beside it so gaps are in plain sight."""
    enrolment = visible_enrolment(request, pk)
    if not selectors.can_record_final(request.user, enrolment):
        raise PermissionDenied
    on = timezone.localdate()
    schedule = selectors.review_schedule(enrolment, on=on)
    opens_on = selectors.final_opens_on(schedule)
    framework = framework_for(enrolment)
    standards = list(Standard.objects.filter(framework=framework).order_by("position", "pk"))
    final = selectors.final_assessment_of(enrolment)
    decision = selectors.current_round(final)
    waiting = final is not None and decision is None
    is_open = opens_on is not None and on >= opens_on and not waiting
    form = FinalAssessmentForm(
        request.POST if request.method == "POST" and is_open else None, standards=standards
    )
    if is_open and form.is_valid():
        try:
            services.record_final_assessment(
                recorded_by=request.user, enrolment=enrolment, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Recommendation recorded. A programme lead will take it to the moderation "
                    "panel."
                ),
            )
            return redirect(_list_url(enrolment.pk))
    coverage = coverage_of(enrolment)
    context = {
        "form": form,
        "enrolment": enrolment,
        "coverage": coverage,
        "requirements": [
            (EVIDENCE_LABELS.get(item.key, item.key), item) for item in coverage.requirements
        ],
        "opens_on": opens_on,
        "is_open": is_open,
        "waiting": waiting,
        "title": _("Final assessment"),
        "back_url": _list_url(enrolment.pk),
    }
    return render(request, "assessments/reviews/final_assessment_create.html", context)


def moderation_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = visible_enrolment(request, pk)
    if not selectors.can_moderate(request.user, enrolment):
        raise PermissionDenied
    final = selectors.final_assessment_of(enrolment)
    is_open = final is not None and selectors.current_round(final) is None
    form = ModerationForm(
        request.POST if request.method == "POST" and is_open else None,
        initial={"decided_on": timezone.localdate()},
    )
    if is_open and form.is_valid():
        try:
            decision = services.record_moderation(
                decided_by=request.user, enrolment=enrolment, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The panel's decision is recorded. Outcome: %(outcome)s.")
                % {"outcome": decision.get_outcome_display()},
            )
            return redirect(_list_url(enrolment.pk))
    context = {
        "form": form,
        "enrolment": enrolment,
        "final": final,
        "is_open": is_open,
        "title": _("Record the moderation panel"),
        "back_url": _list_url(enrolment.pk),
    }
    return render(request, "assessments/reviews/moderation_create.html", context)


def portfolio_download(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = visible_enrolment(request, pk)
    if not selectors.can_download_portfolio(request.user, enrolment):
        raise PermissionDenied
    pdf = portfolio.render_portfolio_pdf(enrolment)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"portfolio {enrolment.worker.full_name} {enrolment.pk}")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def reviews_due(request: HttpRequest) -> HttpResponse:
    """The reviews due in the next four weeks, or overdue, across the enrolments one may see."""
    if not selectors.can_see_reviews_due(request.user):
        raise PermissionDenied
    on = timezone.localdate()
    rows = selectors.reviews_due_for(request.user, on=on)
    context = {
        "rows": rows,
        "on": on,
        "days": selectors.DUE_SOON_DAYS,
        "overdue": sum(1 for row in rows if row.is_overdue),
    }
    return render(request, "assessments/reviews/reviews_due.html", context)
