"""The header's navigation: the pages this person's roles give them, in one place."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from people.models import Role
from people.selectors import unread_count
from programmes.selectors.caseloads import can_see_breaches
from supervision.selectors import can_see_compliance


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [(_("Home"), reverse("programmes:home"))]
    if user.has_role(Role.LEAD) or user.has_role(Role.MANAGER):
        items.append((_("Cohorts"), reverse("programmes:cohort-list")))
    if user.has_role(Role.SUPERVISOR):
        items.append((_("My supervisees"), reverse("supervision:supervisee-list")))
    if can_see_compliance(user):
        items.append((_("Supervision"), reverse("supervision:compliance")))
    if can_see_breaches(user):
        items.append((_("Caseload breaches"), reverse("programmes:breach-list")))
    items.append((_("Programmes"), reverse("programmes:programme-list")))
    if user.has_role(Role.LEAD):
        items.append((_("People"), reverse("people:person-list")))
    path = request.path
    entries = []
    for label, url in items:
        active = path == url if url == "/" else path.startswith(url)
        entries.append({"label": label, "url": url, "active": active})
    return {"navigation": entries, "unread_notifications": unread_count(user)}
