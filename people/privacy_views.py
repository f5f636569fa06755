"""A programme lead's pages about people: the list of people, and subject access exports.

Kept apart from views.py (signing in and out) so each file reads as one subject.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from people import privacy
from people.models import PrivacyEvent, User
from people.selectors import people_for_list

PEOPLE_PER_PAGE = 50


def person_list(request: HttpRequest) -> HttpResponse:
    """Everyone a lead may see, searchable by name or email, a page at a time."""
    if not privacy.can_manage_privacy(request.user):
        raise PermissionDenied
    search = request.GET.get("q", "").strip()[:200]
    page = Paginator(people_for_list(request.user, search=search), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "search": search, "title": _("People")}
    return render(request, "people/person_list.html", context)


@require_http_methods(["GET", "POST"])
def subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    """What a subject access export holds; the POST downloads it as a ZIP file."""
    person = get_object_or_404(User.objects.visible_to(request.user).select_related("team"), pk=pk)
    if not privacy.can_manage_privacy(request.user):
        raise PermissionDenied  # may see the person (their manager, themselves) but not export
    if request.method == "POST":
        archive = privacy.build_subject_access_export(requested_by=request.user, person=person)
        response = HttpResponse(archive, content_type="application/zip")
        filename = f"subject-access-{person.pk}-{timezone.localdate().isoformat()}.zip"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["Cache-Control"] = "private, no-store"
        return response
    earlier = (
        PrivacyEvent.objects.visible_to(request.user)
        .filter(subject_id=person.pk, kind=PrivacyEvent.Kind.SUBJECT_ACCESS_EXPORT)
        .select_related("actor")[:10]
    )
    context = {
        "person": person,
        "sections": privacy.subject_sections(),
        "files": privacy.subject_files(person),
        "earlier": earlier,
        "title": _("Subject access export"),
    }
    return render(request, "people/subject_access.html", context)
