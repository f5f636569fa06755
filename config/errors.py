"""Error pages: what went wrong in plain words, what to do next, and a reference to quote.

The reference is the request's id, which is on every log line of that request, so the service
desk can find what happened. No exception text or stack trace reaches the page: an exception's
message can quote a record. Under /api/ the answer stays JSON for the program that called.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext as _

from config.logging import current_request_id

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
API_HTML_PAGES = ("/api/docs/",)  # the Swagger page is for people: it gets the HTML pages


def _reference(request: HttpRequest) -> str:
    return getattr(request, "request_id", None) or current_request_id()


def _is_api(request: HttpRequest) -> bool:
    path = request.path
    return path.startswith(API_PREFIX) and not path.startswith(API_HTML_PAGES)


def _api_error(request: HttpRequest, detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail, "request_id": _reference(request)}, status=status)


def _page(request: HttpRequest, template_name: str, status: int, **context: object) -> HttpResponse:
    context = {"reference": _reference(request), **context}
    return render(request, template_name, context, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(request, _("The request could not be understood."), 400)
    return _page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(request, _("You do not have permission to do this."), 403)
    return _page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(request, _("Not found."), 404)
    return _page(request, "404.html", 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with an old or missing token, most often after signing in again elsewhere.

    CsrfViewMiddleware has already logged the reason; the person needs only the way out.
    """
    if _is_api(request):
        return _api_error(request, _("The form could not be sent. Refresh and try again."), 403)
    return _page(request, "403.html", 403, form_expired=True)


FALLBACK_500 = (
    '<!DOCTYPE html><html lang="en-gb"><head><meta charset="utf-8"><title>{title}</title>'
    "</head><body><h1>{title}</h1><p>{advice}</p><p>{reference_label} {reference}</p>"
    "</body></html>"
)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request: the context processors read the user and the database,
    either of which may be what failed. If even the template fails, a bare page still says
    what to do and gives the reference."""
    reference = _reference(request)
    if _is_api(request):
        return _api_error(request, _("Something went wrong. Try again later."), 500)
    try:
        body = loader.get_template("500.html").render({"reference": reference})
    except Exception:
        logger.exception("The 500 page could not be rendered")
        body = FALLBACK_500.format(
            title=escape(_("Sorry, there is a problem with the service")),
            advice=escape(_("Try again later.")),
            reference_label=escape(_("Reference:")),
            reference=escape(reference),
        )
    return HttpResponse(body, status=500)
