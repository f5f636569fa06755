"""Supervision pages: supervisees, an enrolment's sessions, recording, signing, amending."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import Role
from people.selectors import can_view_history
from programmes.models import Enrolment
from programmes.rules import add_months
from programmes.views.common import add_service_errors, form_page, visible_enrolment
from supervision import selectors, services
from supervision.forms import (
    ActionForm,
    AmendmentForm,
    CompleteActionForm,
    CountersignForm,
    SessionForm,
)
from supervision.models import SupervisionAction, SupervisionSession


def _visible_session(request: HttpRequest, pk: int) -> SupervisionSession:
    return get_object_or_404(selectors.session_detail(request.user), pk=pk)


def _visible_action(request: HttpRequest, pk: int) -> SupervisionAction:
    queryset = SupervisionAction.objects.visible_to(request.user).select_related(
        "owner", "session__enrolment__worker", "session__supervisor"
    )
    return get_object_or_404(queryset, pk=pk)


def _session_url(session: SupervisionSession) -> str:
    return reverse("supervision:session-detail", args=[session.pk])


def supervisee_list(request: HttpRequest) -> HttpResponse:
    """A supervisor's people: last session, next due, overdue in words, open actions."""
    if not request.user.has_role(Role.SUPERVISOR):
        raise PermissionDenied
    on = timezone.localdate()
    rows = selectors.supervisees(request.user, on=on)
    context = {"rows": rows, "on": on, "overdue": sum(1 for row in rows if row.is_overdue)}
    return render(request, "supervision/supervisee_list.html", context)


def compliance(request: HttpRequest) -> HttpResponse:
    """A manager's teams (a lead's, everyone): sessions owed against those held on time."""
    if not selectors.can_see_compliance(request.user):
        raise PermissionDenied
    on = timezone.localdate()
    rows = selectors.supervision_compliance(selectors.compliance_enrolments(request.user), on=on)
    context = {
        "rows": rows,
        "on": on,
        "window_starts_on": add_months(on, -selectors.COMPLIANCE_MONTHS),
        "months": selectors.COMPLIANCE_MONTHS,
        "overdue": sum(1 for row in rows if row.status.is_overdue),
    }
    return render(request, "supervision/compliance.html", context)


def enrolment_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    """One enrolment's supervision: where it stands, its open actions, every session."""
    enrolment = visible_enrolment(request, pk)
    on = timezone.localdate()
    status = selectors.supervision_status(Enrolment.objects.filter(pk=enrolment.pk), on=on)
    actions = selectors.open_actions_for_enrolment(request.user, enrolment)
    context = {
        "enrolment": enrolment,
        "status": status[enrolment.pk],
        "sessions": selectors.sessions_for_enrolment(request.user, enrolment),
        "actions": [
            (action, selectors.can_complete_action(request.user, action)) for action in actions
        ],
        "can_record": selectors.can_record_supervision(request.user, enrolment),
        "is_worker": enrolment.worker_id == request.user.pk,
    }
    return render(request, "supervision/enrolment_sessions.html", context)


def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = visible_enrolment(request, pk)
    if not selectors.can_record_supervision(request.user, enrolment):
        raise PermissionDenied  # may see it but not record it: 403; may not see it: 404
    initial = {
        "held_on": timezone.localdate(),
        "minutes": enrolment.cohort.programme.minimum_supervision_minutes,
        "kind": SupervisionSession.Kind.ONE_TO_ONE,
    }
    form = SessionForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            session = services.record_supervision_session(
                recorded_by=request.user, enrolment=enrolment, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if session.is_short:
                messages.warning(
                    request,
                    _(
                        "Session saved as a draft. It is shorter than the programme's minimum "
                        "of %(minutes)s minutes, so it will not count towards the supervision owed."
                    )
                    % {"minutes": enrolment.cohort.programme.minimum_supervision_minutes},
                )
            else:
                messages.success(
                    request, _("Session saved as a draft. Sign it when the notes are complete.")
                )
            return redirect(_session_url(session))
    form.drop_same_day_question_unless_asked(request.POST)
    return form_page(
        request,
        form,
        title=_("Record a supervision session"),
        caption=enrolment.worker.full_name,
        intro=_(
            "Save it as a draft first; you can add agreed actions and sign it afterwards. "
            "Sessions shorter than %(minutes)s minutes are kept but do not count."
        )
        % {"minutes": enrolment.cohort.programme.minimum_supervision_minutes},
        submit_label=_("Save as draft"),
        back_url=reverse("supervision:enrolment-sessions", args=[enrolment.pk]),
    )


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    user = request.user
    context = {
        "session": session,
        "enrolment": session.enrolment,
        "actions": [
            (action, selectors.can_complete_action(user, action))
            for action in session.actions.all()
        ],
        "can_edit": selectors.can_edit_draft(user, session),
        "can_countersign": selectors.can_countersign(user, session),
        "can_amend": selectors.can_amend(user, session),
        "can_view_history": can_view_history(user),
    }
    return render(request, "supervision/session_detail.html", context)


def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    if not selectors.can_edit_draft(request.user, session):
        raise PermissionDenied
    initial = {field: getattr(session, field) for field in services.EDITABLE_FIELDS}
    form = SessionForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            services.update_draft_session(
                updated_by=request.user, session=session, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(_session_url(session))
    form.drop_same_day_question_unless_asked(request.POST)
    return form_page(
        request,
        form,
        title=_("Change the draft"),
        caption=session.enrolment.worker.full_name,
        submit_label=_("Save draft"),
        back_url=_session_url(session),
    )


def session_sign(request: HttpRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    if not selectors.can_edit_draft(request.user, session):
        raise PermissionDenied
    form = forms.Form(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.sign_supervision_session(signed_by=request.user, session=session)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Record signed. %(name)s can now add their reflection and countersign it.")
                % {"name": session.enrolment.worker.full_name},
            )
            return redirect(_session_url(session))
    return form_page(
        request,
        form,
        title=_("Sign the session record"),
        caption=session.enrolment.worker.full_name,
        intro=_(
            "By signing you confirm the record of the session on %(day)s is accurate. Once "
            "signed, a change needs an amendment with a reason."
        )
        % {"day": f"{session.held_on:%-d %B %Y}"},
        submit_label=_("Sign the record"),
        back_url=_session_url(session),
    )


def session_countersign(request: HttpRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    if not selectors.can_countersign(request.user, session):
        raise PermissionDenied
    form = CountersignForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.countersign_supervision_session(
                signed_by=request.user, session=session, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. The record is signed by you both."))
            return redirect(_session_url(session))
    context = {
        "form": form,
        "session": session,
        "title": _("Add your reflection and countersign"),
        "submit_label": _("Countersign the record"),
        "back_url": _session_url(session),
    }
    return render(request, "supervision/session_countersign.html", context)


def session_amend(request: HttpRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    if not selectors.can_amend(request.user, session):
        raise PermissionDenied
    initial = {field: getattr(session, field) for field in services.EDITABLE_FIELDS}
    form = AmendmentForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            services.amend_supervision_session(
                amended_by=request.user, session=session, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Amendment saved. The earlier version is kept."))
            return redirect(_session_url(session))
    form.drop_same_day_question_unless_asked(request.POST)
    return form_page(
        request,
        form,
        title=_("Amend a signed record"),
        caption=session.enrolment.worker.full_name,
        intro=_(
            "Correct what is wrong and say why. The record keeps the amendment, who made it "
            "and the earlier version."
        ),
        submit_label=_("Save amendment"),
        back_url=_session_url(session),
    )


def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    if not selectors.can_edit_draft(request.user, session):
        raise PermissionDenied
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        owners=selectors.action_owner_choices(session),
    )
    if form.is_valid():
        try:
            services.add_supervision_action(
                added_by=request.user, session=session, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Action added."))
            return redirect(_session_url(session))
    return form_page(
        request,
        form,
        title=_("Add an agreed action"),
        caption=session.enrolment.worker.full_name,
        submit_label=_("Add action"),
        back_url=_session_url(session),
    )


def action_remove(request: HttpRequest, pk: int) -> HttpResponse:
    action = _visible_action(request, pk)
    session = action.session
    if not selectors.can_edit_draft(request.user, session):
        raise PermissionDenied
    form = forms.Form(request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.remove_supervision_action(removed_by=request.user, action=action)
        messages.success(request, _("Action removed."))
        return redirect(_session_url(session))
    return form_page(
        request,
        form,
        title=_("Remove this action?"),
        intro=action.description,
        submit_label=_("Remove action"),
        back_url=_session_url(session),
    )


def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = _visible_action(request, pk)
    if not selectors.can_complete_action(request.user, action):
        raise PermissionDenied
    back_url = reverse("supervision:enrolment-sessions", args=[action.session.enrolment_id])
    form = CompleteActionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.complete_supervision_action(
                completed_by=request.user, action=action, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Action marked as done."))
            return redirect(back_url)
    return form_page(
        request,
        form,
        title=_("Mark this action as done"),
        intro=action.description,
        submit_label=_("Mark as done"),
        back_url=back_url,
    )
