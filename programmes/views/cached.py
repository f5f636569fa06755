"""Pages worked out from many enrolments, kept until one of those enrolments changes.

A page's key holds everything it is worked out from: who asks (what they may see, their
language), the day, the query string, and the revision (`revision_of`) of what it reads. Its
filters' choices read the rows of every enrolment the reader may see, and the records shared
between them; its rows and figures read every record of the enrolments the filters leave. So a
write to one enrolment's records works out again only the pages that show that enrolment, and a
kept page is never older than the data. `DASHBOARD_CACHE_SECONDS` only bounds how long an unread
page takes room; 0 turns keeping off.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from programmes import selectors
from programmes.forms_dashboard import DashboardFilterForm
from programmes.models import Enrolment
from programmes.selectors.revisions import revision_of

logger = logging.getLogger(__name__)


def _key(kind: str, parts: list[Any]) -> str:
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    return f"footing:{kind}:{digest}"


# The query string a kept page may be asked with. Any other parameter, or one given twice,
# has its page worked out and not kept, so odd links cannot fill the cache with copies.
FILTERS = frozenset(DashboardFilterForm.base_fields)
KEPT_PARAMETERS = frozenset({*FILTERS, "sort", "page"})


def page_key(
    request: HttpRequest, page: str, visible: QuerySet[Enrolment], form: DashboardFilterForm
) -> str | None:
    """Two queries: the revision of the enrolments the reader may see, then of those the
    filters leave (one, with no filter chosen). Which filters are valid is itself kept, as
    checking reads every choice. None when the page is not to be kept: filters in error, or an
    unexpected query string."""
    if not set(request.GET) <= KEPT_PARAMETERS or any(
        len(values) > 1 for _name, values in request.GET.lists()
    ):
        return None
    seen = revision_of(visible)
    reader = [
        connection.settings_dict["NAME"],  # two databases may share one cache (tests, staging)
        request.user.pk,
        get_language(),
        seen.count,
        seen.own,
        seen.shared,
    ]
    asked = sorted((name, value) for name, value in request.GET.items() if name in FILTERS)
    filters_key = _key("filters", [*reader, asked])
    checked = _get(filters_key)
    if checked is None:
        checked = (form.is_valid(), form.lookups())
        _set(filters_key, checked)
    valid, lookups = checked
    if not valid:
        return None
    shown = revision_of(visible.filter(**lookups)) if lookups else seen
    return _key(
        "page",
        [
            page,
            *reader,
            timezone.localdate().isoformat(),
            shown.count,
            shown.records,
            sorted(request.GET.items()),
        ],
    )


def render_body(request: HttpRequest, template: str, context: dict[str, Any]) -> str:
    """The part of a page below its title, drawn without the header's context processors:
    they read notifications and roles the body does not show."""
    drawing = Context({**context, "request": request})
    drawing.request = request  # where {% querystring %} reads the query string
    return get_template(template).template.render(drawing)


class _Unavailable(Exception):
    pass


def _get(key: str) -> Any:
    try:
        return cache.get(key)
    except Exception as error:  # a cache that is down slows the page; it must not break it
        raise _Unavailable from error


def _set(key: str, value: Any) -> None:
    try:
        cache.set(key, value, settings.DASHBOARD_CACHE_SECONDS)
    except Exception as error:
        raise _Unavailable from error


def worked_out_once(
    request: HttpRequest,
    page: str,
    visible: QuerySet[Enrolment],
    work_out: Callable[[DashboardFilterForm], dict[str, Any]],
) -> dict[str, Any]:
    """`work_out(form)`'s parts for this request, from the cache when nothing they read has
    changed. `visible` is every enrolment the reader may see: the filters choose among them."""
    form = DashboardFilterForm(request.GET, visible=visible)
    if not settings.DASHBOARD_CACHE_SECONDS:
        return _shown(work_out(form))
    try:
        key = page_key(request, page, visible, form)
        if key is None:
            return _shown(work_out(form))
        parts = _get(key)
        if parts is None:
            parts = work_out(form)
            _set(key, parts)
    except _Unavailable:
        logger.warning("Cache unavailable: %s worked out without it", page, exc_info=True)
        return _shown(work_out(form))
    return _shown(parts)


def kept_page(
    request: HttpRequest,
    page: str,
    template: str,
    work_out: Callable[[DashboardFilterForm, QuerySet[Enrolment]], dict[str, Any]],
) -> HttpResponse:
    """A page over the enrolments a manager's teams or a lead's whole authority hold, for them
    alone, kept while nothing it reads changes. `work_out(form, visible)` draws its parts."""
    if not selectors.can_see_cohorts(request.user):
        raise PermissionDenied
    visible = selectors.managed_enrolments(request.user)
    parts = worked_out_once(request, page, visible, lambda form: work_out(form, visible))
    # The layout's title says "Error:" from `form.errors`; the form itself is not kept.
    return render(request, template, {**parts, "form": {"errors": parts["errors"]}})


def _shown(parts: dict[str, Any]) -> dict[str, Any]:
    # The body was escaped when it was drawn; a cache may hand it back as plain text.
    return {**parts, "body": mark_safe(parts["body"])}  # noqa: S308
