"""Sign-in lockout (django-axes): who is counted, what a locked-out person sees, and unlocking.

Failures are counted per account *and* address (AXES_LOCKOUT_PARAMETERS): someone guessing
one person's password is stopped, while that person, from their own computer, is not.
"""

from __future__ import annotations

import logging

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def username_from_credentials(request: HttpRequest, credentials: dict | None) -> str | None:
    """The account a sign-in attempt was for: always the lower-case email address.

    Our form authenticates with `email=`; the admin's login form with `username=`. Both are
    the email, and one spelling of it, so "Sam@…" and "sam@…" share one count.
    """
    credentials = credentials or {}
    typed = credentials.get("email") or credentials.get("username")
    if typed is None and request is not None:
        typed = request.POST.get("email") or request.POST.get("username")
    return typed.strip().lower() if typed else None


def client_address(request: HttpRequest) -> str | None:
    """The address a request came from, seen through LOCKOUT_PROXY_COUNT trusted proxies.

    Each proxy appends the address it was called from to X-Forwarded-For, so the client is
    that many entries from the right. Anything further left was written by the client and
    is not believed.
    """
    proxies = settings.LOCKOUT_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR")


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page shown instead of the sign-in form once the account is locked from here."""
    context = {"minutes": settings.LOCKOUT_MINUTES, "title": _("You cannot sign in for now")}
    return render(
        request, "people/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


def is_locked_out(request: HttpRequest, *, email: str) -> bool:
    """Has this account been locked from this address?"""
    return not AxesProxyHandler.is_allowed(request, {"email": email})


def count_failed_sign_in(request: HttpRequest, *, email: str) -> bool:
    """Count a failure other than a wrong password (a wrong code); True once locked out.

    Django's own "sign-in failed" signal is what axes counts, so a wrong two-step code and
    a wrong password add up to one limit.
    """
    user_login_failed.send(sender=__name__, credentials={"email": email}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def unlock_account(*, email: str) -> int:
    """Clear the failures counted against this account from every address."""
    cleared = reset(username=email.strip().lower())
    logger.info("Sign-in failures cleared for an account: %d record(s)", cleared)
    return cleared
