"""REQUIRE_2FA: leads and managers set up two-step verification before using anything else."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from rest_framework.views import APIView

from people.selectors import must_set_up_two_factor

# What a person who must set up an app can still reach: the set-up page and signing out.
ALWAYS_REACHABLE = frozenset({"people:two-factor-setup", "people:logout"})


def signed_in_by_single_sign_on(request: HttpRequest) -> bool:
    """Did this session start at the council's identity provider, which asks its own second step?"""
    return request.session.get(BACKEND_SESSION_KEY) == settings.OIDC_BACKEND


class TwoFactorRequiredMiddleware:
    """Send a lead or manager with no authenticator app to set one up, from every page.

    Public pages (marked `login_not_required`: health check, password reset), the API (its
    clients use tokens) and static files (served before this, by whitenoise) are untouched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple,
        view_kwargs: dict,
    ) -> HttpResponse | None:
        if not settings.REQUIRE_2FA or not request.user.is_authenticated:
            return None
        if not getattr(view_func, "login_required", True):
            return None
        view_class = getattr(view_func, "cls", None)
        if isinstance(view_class, type) and issubclass(view_class, APIView):
            return None
        if request.resolver_match and request.resolver_match.view_name in ALWAYS_REACHABLE:
            return None
        if signed_in_by_single_sign_on(request) or not must_set_up_two_factor(request.user):
            return None
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('people:two-factor-setup')}?{query}")
