"""Feedback requests: ask, list, print, withdraw; and the public pages that answer them.

The public pages (`feedback:*`) need no account: each is marked `login_not_required`. They name
only the worker's first name and the council, never the worker's full name or their record.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.forms_observations import CodeForm, FeedbackRequestForm, GiveFeedbackForm
from assessments.models import FeedbackRequest
from assessments.selectors import feedback as selectors
from assessments.services import feedback as services
from people.lockout import client_address
from programmes.views.common import add_service_errors, form_page, visible_enrolment

# Wrong short codes allowed from one address in a window: enough for typing slips, far too few
# to guess one of the codes in use.
CODE_GUESSES = 10
CODE_GUESS_WINDOW_SECONDS = 15 * 60


def _visible_request(request: HttpRequest, pk: int) -> FeedbackRequest:
    return get_object_or_404(selectors.visible_feedback_requests(request.user), pk=pk)


def _list_url(enrolment_id: int) -> str:
    return reverse("assessments:feedback-request-list", args=[enrolment_id])


def feedback_request_list(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = visible_enrolment(request, pk)
    context = {
        "enrolment": enrolment,
        "rows": selectors.feedback_requests_for_enrolment(request.user, enrolment),
        "can_request": selectors.can_request_feedback(request.user, enrolment),
    }
    return render(request, "assessments/feedback/request_list.html", context)


def feedback_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = visible_enrolment(request, pk)
    if not selectors.can_request_feedback(request.user, enrolment):
        raise PermissionDenied
    form = FeedbackRequestForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            created = services.create_feedback_request(
                requested_by=request.user, enrolment=enrolment, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Shown on this response and never again: only the link's hash is kept.
            context = {
                "enrolment": enrolment,
                "feedback_request": created.feedback_request,
                "link": created.link,
                "short_code": selectors.format_short_code(created.feedback_request.short_code),
            }
            return render(request, "assessments/feedback/request_created.html", context)
    return form_page(
        request,
        form,
        title=_("Ask for feedback"),
        caption=enrolment.worker.full_name,
        intro=_(
            "They get a link, or a code to type in, that works once and expires after "
            "%(days)s days. They do not need an account."
        )
        % {"days": settings.FEEDBACK_LINK_DAYS},
        submit_label=_("Create the request"),
        back_url=_list_url(enrolment.pk),
    )


def feedback_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback_request = _visible_request(request, pk)
    status = selectors.feedback_status(feedback_request)
    context = {
        "feedback_request": feedback_request,
        "enrolment": feedback_request.enrolment,
        "row": selectors.FeedbackRequestRow(feedback_request=feedback_request, status=status),
        "is_waiting": status == selectors.WAITING,
        "short_code": selectors.format_short_code(feedback_request.short_code),
        "start_url": f"{settings.SITE_URL}{reverse('feedback:start')}",
        "worker_first_name": feedback_request.enrolment.worker.get_short_name(),
        "council_name": settings.COUNCIL_NAME,
        "can_withdraw": selectors.can_withdraw_feedback_request(request.user, feedback_request),
    }
    return render(request, "assessments/feedback/request_detail.html", context)


def feedback_request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    feedback_request = _visible_request(request, pk)
    if not selectors.can_request_feedback(request.user, feedback_request.enrolment):
        raise PermissionDenied
    form = forms.Form(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.withdraw_feedback_request(
                withdrawn_by=request.user, feedback_request=feedback_request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Request withdrawn. Its link and code no longer open the form.")
            )
            return redirect(_list_url(feedback_request.enrolment_id))
    return form_page(
        request,
        form,
        title=_("Withdraw the feedback request"),
        caption=feedback_request.recipient_name,
        intro=_("The link and the code will stop working. You can ask again with a new request."),
        submit_label=_("Withdraw the request"),
        back_url=reverse("assessments:feedback-request-detail", args=[feedback_request.pk]),
    )


# Public pages.


def _guess_key(request: HttpRequest) -> str:
    return f"feedback-code-guesses:{client_address(request) or 'unknown'}"


def _too_many_guesses(request: HttpRequest) -> bool:
    return (cache.get(_guess_key(request)) or 0) >= CODE_GUESSES


def _count_wrong_guess(request: HttpRequest) -> None:
    key = _guess_key(request)
    # add() sets the window only on the first wrong guess; later ones count within it.
    if not cache.add(key, 1, CODE_GUESS_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, CODE_GUESS_WINDOW_SECONDS)


def _public_context(feedback_request: FeedbackRequest) -> dict:
    """Only what the person asked needs: the worker's first name, the council, the subject."""
    return {
        "worker_first_name": feedback_request.enrolment.worker.get_short_name(),
        "council_name": settings.COUNCIL_NAME,
        "about": feedback_request.about,
        "is_person": feedback_request.giver == FeedbackRequest.Giver.PERSON,
        "expires_on": timezone.localtime(feedback_request.expires_at).date(),
    }


def _refused(request: HttpRequest, refusal: str) -> HttpResponse:
    template = (
        "assessments/feedback/public_used.html"
        if refusal == services.USED
        else "assessments/feedback/public_closed.html"
    )
    return render(request, template, {})


def _give(
    request: HttpRequest, feedback_request: FeedbackRequest, *, action: str, code: str = ""
) -> HttpResponse:
    """The form itself, reached by the link or by the code; one way to answer either way."""
    refusal = services.refusal_for(feedback_request)
    if refusal is not None:
        return _refused(request, refusal)
    answering = request.method == "POST" and request.POST.get("step") == "give"
    form = GiveFeedbackForm(
        request.POST if answering else None,
        initial={"relationship": feedback_request.recipient_name},
    )
    if form.is_valid():
        try:
            services.give_feedback(feedback_request=feedback_request, **form.cleaned_data)
        except ValidationError as error:
            code = getattr(error, "code", None)
            if code in (services.USED, services.CLOSED):
                return _refused(request, code)
            add_service_errors(form, error)
        else:
            return redirect("feedback:done")
    context = {"form": form, "action": action, "code": code, **_public_context(feedback_request)}
    return render(request, "assessments/feedback/public_give.html", context)


@login_not_required
def feedback_start(request: HttpRequest) -> HttpResponse:
    """Type the short code from a letter or a printed page; wrong guesses are limited."""
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if _too_many_guesses(request):
            form.add_error(
                "code",
                _(
                    "You have typed too many wrong codes. Wait 15 minutes, then try again. "
                    "Or ask the social worker for a new code."
                ),
            )
        else:
            feedback_request = services.find_by_code(form.cleaned_data["code"])
            if feedback_request is None:
                _count_wrong_guess(request)
                form.add_error(
                    "code",
                    _(
                        "We cannot find that code. Check it and type it again, "
                        "for example ABCD-2346."
                    ),
                )
            else:
                return _give(
                    request,
                    feedback_request,
                    action=reverse("feedback:start"),
                    code=form.cleaned_data["code"],
                )
    return render(request, "assessments/feedback/public_start.html", {"form": form})


@login_not_required
def feedback_give(request: HttpRequest, token: str) -> HttpResponse:
    feedback_request = services.find_by_token(token)
    if feedback_request is None:
        return render(
            request,
            "assessments/feedback/public_not_found.html",
            {"start_url": reverse("feedback:start")},
            status=404,
        )
    return _give(request, feedback_request, action=reverse("feedback:give", args=[token]))


@login_not_required
def feedback_done(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/feedback/public_done.html", {})
