"""Signing in and out: password, two-step verification, single sign-on, password reset.

After a right password, a person with an authenticator app is *not* signed in yet: the
session holds a pending sign-in (who, and since when) until they enter a code. Until then
every page but the code page treats them as signed out.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import (
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
)
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from people import totp
from people.forms import (
    NewPasswordForm,
    PasswordResetRequestForm,
    SignInForm,
    TwoFactorCodeForm,
)
from people.lockout import count_failed_sign_in, is_locked_out, locked_out, unlock_account
from people.middleware import signed_in_by_single_sign_on
from people.models import User
from people.selectors import has_two_factor, must_set_up_two_factor, two_factor_is_required
from people.services import set_up_two_factor, turn_off_two_factor, use_two_factor_code

PENDING_SIGN_IN = "people.pending_sign_in"
SETUP_SESSION_KEY = "people.two_factor_setup_key"
TURN_OFF_FAILURES = "people.two_factor_turn_off_failures"
# Long enough to find a phone and open the app; short enough that a forgotten half-signed-in
# browser does not wait for a code all day.
PENDING_SIGN_IN_SECONDS = 10 * 60


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    """The page to go to afterwards, if it is on this site; else nothing."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _sign_in_page(request: HttpRequest, form: SignInForm, *, notice: str = "") -> HttpResponse:
    """The sign-in form; `notice` says why someone is back at it (not a mistake in the form)."""
    context = {
        "form": form,
        "notice": notice,
        "next": request.GET.get("next", ""),
        "title": _("Sign in"),
        "single_sign_on": settings.OIDC_ENABLED,
    }
    return render(request, "people/sign_in.html", context)


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("programmes:home")
    form = SignInForm(request, request.POST if request.method == "POST" else None)
    if form.is_valid():
        next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
        if has_two_factor(form.user):
            _begin_pending_sign_in(request, form.user, next_url)
            return redirect("people:two-factor-verify")
        request.session.pop(PENDING_SIGN_IN, None)  # someone else's half-finished sign-in
        login(request, form.user)
        return redirect(next_url or "programmes:home")
    notice = ""
    if settings.OIDC_ENABLED and request.GET.get("sso") == "failed":
        notice = _(
            "You could not be signed in with your council account. Ask your programme lead "
            "to check Footing has an account for your email address, or sign in with your "
            "password."
        )
    return _sign_in_page(request, form, notice=notice)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("people:login")


def _begin_pending_sign_in(request: HttpRequest, user: User, next_url: str) -> None:
    request.session.cycle_key()  # a new session id once the password is proved
    request.session[PENDING_SIGN_IN] = {
        "user_id": user.pk,
        "backend": user.backend,
        "next": next_url,
        "started_at_seconds": int(timezone.now().timestamp()),
        "failures": 0,
    }


def _pending_sign_in(request: HttpRequest) -> tuple[User, dict] | None:
    """The person half-way through signing in, while there is still time to enter a code."""
    pending = request.session.get(PENDING_SIGN_IN)
    if not pending:
        return None
    elapsed = timezone.now().timestamp() - pending["started_at_seconds"]
    user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    if elapsed > PENDING_SIGN_IN_SECONDS or user is None or not has_two_factor(user):
        del request.session[PENDING_SIGN_IN]
        return None
    return user, pending


@login_not_required
@never_cache
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in with a password: a code from the person's app."""
    if request.user.is_authenticated:
        return redirect("programmes:home")
    found = _pending_sign_in(request)
    if found is None:
        if request.method != "POST":
            return redirect("people:login")
        timed_out = _("The time to enter a code ran out. Sign in again with your password.")
        return _sign_in_page(request, SignInForm(request), notice=timed_out)
    user, pending = found
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if is_locked_out(request, email=user.email):
            del request.session[PENDING_SIGN_IN]
            return locked_out(request, None, None)
        try:
            use_two_factor_code(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error(None, error)
            return _refuse_code(request, form, user, pending)
        del request.session[PENDING_SIGN_IN]
        login(request, user, backend=pending["backend"])
        return redirect(pending["next"] or "programmes:home")
    context = {"form": form, "title": _("Enter the code from your authenticator app")}
    return render(request, "people/two_factor_verify.html", context)


def _refuse_code(request: HttpRequest, form: Form, user: User, pending: dict) -> HttpResponse:
    """A wrong code counts towards the account's lockout, like a wrong password.

    The count in the session is a second limit: axes counts per account and address, and
    one half-signed-in session could otherwise keep guessing from address after address.
    """
    pending["failures"] += 1
    request.session[PENDING_SIGN_IN] = pending
    if count_failed_sign_in(request, email=user.email):
        del request.session[PENDING_SIGN_IN]
        return locked_out(request, None, None)
    if pending["failures"] >= settings.AXES_FAILURE_LIMIT:
        del request.session[PENDING_SIGN_IN]
        too_many = _("You entered too many wrong codes. Sign in again with your password.")
        return _sign_in_page(request, SignInForm(request), notice=too_many)
    context = {"form": form, "title": _("Enter the code from your authenticator app")}
    return render(request, "people/two_factor_verify.html", context)


def two_factor(request: HttpRequest) -> HttpResponse:
    """Whether two-step verification is on for this person, and how to change it."""
    context = {
        "title": _("Two-step verification"),
        "is_on": has_two_factor(request.user),
        "is_required": two_factor_is_required(request.user),
        "single_sign_on": signed_in_by_single_sign_on(request),
    }
    return render(request, "people/two_factor.html", context)


@never_cache  # the page shows the secret
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if has_two_factor(request.user):
        return redirect("people:two-factor")
    # The secret waits in the session until a code proves the app has it: reloading the
    # page shows the same QR code, and no half-set-up row is ever saved.
    secret = request.session.get(SETUP_SESSION_KEY) or totp.new_secret()
    request.session[SETUP_SESSION_KEY] = secret
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            set_up_two_factor(user=request.user, secret=secret, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            del request.session[SETUP_SESSION_KEY]
            messages.success(
                request,
                _(
                    "Two-step verification is on. When you sign in with your password, "
                    "you will also enter a code from your app."
                ),
            )
            return redirect(next_url or "people:two-factor")
    uri = totp.provisioning_uri(secret=secret, account=request.user.email)
    svg = totp.qr_code_svg(uri, title=_("QR code for your authenticator app"))
    qr_code = mark_safe(svg)  # noqa: S308 (segno's markup of our own address; nothing typed)
    context = {
        "form": form,
        "title": _("Set up two-step verification"),
        "qr_code": qr_code,
        "secret": totp.grouped(secret),
        "is_required": must_set_up_two_factor(request.user),
        "next": next_url,
    }
    return render(request, "people/two_factor_setup.html", context)


def two_factor_turn_off(request: HttpRequest) -> HttpResponse:
    if not has_two_factor(request.user):
        return redirect("people:two-factor")
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            turn_off_two_factor(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error(None, error)
            # Someone at an unattended, signed-in browser may not guess codes for ever.
            failures = request.session.get(TURN_OFF_FAILURES, 0) + 1
            request.session[TURN_OFF_FAILURES] = failures
            if failures >= settings.AXES_FAILURE_LIMIT:
                logout(request)
                signed_out = _(
                    "You entered too many wrong codes, so you have been signed out. "
                    "Sign in again to carry on."
                )
                return _sign_in_page(request, SignInForm(request), notice=signed_out)
        else:
            request.session.pop(TURN_OFF_FAILURES, None)
            messages.success(
                request,
                _("Two-step verification is off. You will sign in with your password only."),
            )
            return redirect("people:two-factor")
    context = {
        "form": form,
        "title": _("Turn off two-step verification"),
        "intro": _("Enter a code from your authenticator app to show it is you."),
        "submit_label": _("Turn off two-step verification"),
        "back_url": reverse("people:two-factor"),
    }
    return render(request, "form_page.html", context)


class PasswordResetRequestView(PasswordResetView):
    """Ask for a reset link. The next page is the same whether or not the account exists."""

    form_class = PasswordResetRequestForm
    template_name = "people/password_reset_request.html"
    subject_template_name = "people/password_reset_subject.txt"
    email_template_name = "people/password_reset_email.txt"
    success_url = reverse_lazy("people:password-reset-done")
    title = gettext_lazy("Reset your password")

    @property
    def extra_email_context(self) -> dict:
        return {"valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}


class PasswordResetSentView(PasswordResetDoneView):
    template_name = "people/password_reset_sent.html"
    title = gettext_lazy("Check your email")


class PasswordResetNewPasswordView(PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "people/password_reset_confirm.html"
    success_url = reverse_lazy("people:password-reset-complete")
    title = gettext_lazy("Choose a new password")

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        # Proving they hold the email account is enough to lift a lockout on it too.
        unlock_account(email=form.user.email)
        return response


class PasswordResetCompleteNoticeView(PasswordResetCompleteView):
    template_name = "people/password_reset_complete.html"
    title = gettext_lazy("Your password has been changed")
