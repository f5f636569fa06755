"""Assessors from outside the authority: a lead's list and invitation form, and the public page
where the invited person follows their link and chooses a password."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from people.forms import AssessorInviteForm, InvitationPasswordForm
from people.invitation_selectors import can_invite_assessors, invitations_for_list
from people.invitations import (
    accept_invitation,
    invitation_tokens,
    invite_assessor,
    resend_invitation,
)
from people.models import AssessorInvitation, User

# The accepted person is signed in with the password they have just chosen.
SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _link_lifetime(days: int) -> str:
    return ngettext(
        "The link works once, for %(days)s day.", "The link works once, for %(days)s days.", days
    ) % {"days": days}


def assessor_list(request: HttpRequest) -> HttpResponse:
    """The assessors a lead has invited from outside the authority, and where each stands."""
    if not can_invite_assessors(request.user):
        raise PermissionDenied
    context = {
        "title": _("External assessors"),
        "rows": invitations_for_list(request.user, now=timezone.now()),
        "valid_days": settings.INVITATION_DAYS,
    }
    return render(request, "people/assessor_list.html", context)


def assessor_invite(request: HttpRequest) -> HttpResponse:
    if not can_invite_assessors(request.user):
        raise PermissionDenied
    form = AssessorInviteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            person, sent = invite_assessor(invited_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # goes to the named field, so the summary links to it
        else:
            if sent:
                message = _("Invitation sent to %(email)s.") % {"email": person.email}
                message = f"{message} {_link_lifetime(settings.INVITATION_DAYS)}"
            else:
                message = _(
                    "%(name)s already has a Footing account and is now an assessor too. "
                    "Nothing was emailed: they sign in as they do now."
                ) % {"name": person.full_name}
            messages.success(request, message)
            return redirect("people:assessor-list")
    context = {
        "form": form,
        "title": _("Invite an assessor from outside the authority"),
        "intro": _(
            "They get an email with a link to choose a password. Once they have signed in, "
            "assign them to a worker on the worker’s enrolment page: they see only the "
            "workers they are assigned to."
        ),
        "submit_label": _("Send the invitation"),
        "back_url": reverse("people:assessor-list"),
    }
    return render(request, "form_page.html", context)


@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_invite_assessors(request.user):
        raise PermissionDenied  # lead-only whatever the id: nothing is looked up for others
    invitation = get_object_or_404(
        AssessorInvitation.objects.visible_to(request.user).select_related("person"), pk=pk
    )
    try:
        resend_invitation(invitation=invitation, sent_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        message = _(
            "A new invitation link was sent to %(email)s. Earlier links no longer work."
        ) % {"email": invitation.person.email}
        messages.success(request, f"{message} {_link_lifetime(settings.INVITATION_DAYS)}")
    return redirect("people:assessor-list")


class InvitationAcceptView(PasswordResetConfirmView):
    """Django's password reset confirmation, for an invitation's own link.

    Like a reset link, the token moves from the address into the session at once, so it never
    leaks in a Referer header; the link is spent when the password is set.
    """

    form_class = InvitationPasswordForm
    template_name = "people/invitation_accept.html"
    token_generator = invitation_tokens
    title = gettext_lazy("Choose a password for Footing")

    def get_user(self, uidb64: str) -> User | None:
        """Only a person with an invitation they have not accepted, whose account is open."""
        try:
            pk = int(force_str(urlsafe_base64_decode(uidb64)))
        except (TypeError, ValueError, OverflowError):
            return None
        return (
            User.objects.filter(
                pk=pk,
                is_active=True,
                assessor_invitation__isnull=False,
                assessor_invitation__accepted_at__isnull=True,
            )
            .select_related("assessor_invitation")
            .first()
        )

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        if self.validlink:
            context["invitation"] = self.user.assessor_invitation
        return context

    def form_valid(self, form: InvitationPasswordForm) -> HttpResponse:
        try:
            accept_invitation(person=self.user, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        login(self.request, self.user, backend=SIGN_IN_BACKEND)
        messages.success(
            self.request,
            _(
                "Your password is set and you are signed in. Next time, sign in with your email "
                "address and this password."
            ),
        )
        return redirect("programmes:home")
