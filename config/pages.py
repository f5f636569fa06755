"""Public information pages: the privacy notice and the accessibility statement.

Public on purpose (each is marked `login_not_required`): people must be able to read how their
data is used, and how accessible the service is, before they sign in.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_not_required
def privacy_notice(request: HttpRequest) -> HttpResponse:
    context = {
        "council_name": settings.COUNCIL_NAME,
        "data_protection_contact": settings.DATA_PROTECTION_CONTACT,
        "retention_years": settings.RETENTION_YEARS,
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
    }
    return render(request, "pages/privacy_notice.html", context)


@login_not_required
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    context = {"council_name": settings.COUNCIL_NAME}
    return render(request, "pages/accessibility_statement.html", context)
