"""A person's notifications: the inbox, how often to be emailed, and a lead's failed sends."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people import notifications, selectors
from people.forms import EmailFrequencyForm
from people.models import Notification

PAGE_SIZE = 50


def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread": selectors.unread_count(request.user),
        "can_see_failed": selectors.can_see_failed_notifications(request.user),
    }
    return render(request, "people/inbox.html", context)


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(selectors.inbox_for(request.user), pk=pk)
    notifications.mark_read(reader=request.user, notifications=[notification])
    if notification.link and request.POST.get("open"):
        return redirect(notification.link)  # a path of this site, written by Footing
    messages.success(request, _("Marked as read: %(title)s") % {"title": notification.title})
    return redirect("people:inbox")


@require_POST
def notifications_all_read(request: HttpRequest) -> HttpResponse:
    count = notifications.mark_all_read(reader=request.user)
    messages.success(request, _("%(count)s marked as read.") % {"count": count})
    return redirect("people:inbox")


def notification_settings(request: HttpRequest) -> HttpResponse:
    form = EmailFrequencyForm(
        request.POST if request.method == "POST" else None,
        initial={"email_frequency": request.user.email_frequency},
    )
    if form.is_valid():
        try:
            notifications.set_email_frequency(person=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved. Your inbox still shows every notification."))
            return redirect("people:inbox")
    context = {
        "form": form,
        "title": _("Email notifications"),
        "intro": _(
            "Footing tells you when supervision is due or overdue, when a caseload goes over "
            "its cap, and what else needs you. Choose when it emails you."
        ),
        "submit_label": _("Save"),
        "back_url": reverse("people:inbox"),
    }
    return render(request, "form_page.html", context)


def failed_list(request: HttpRequest) -> HttpResponse:
    if not selectors.can_see_failed_notifications(request.user):
        raise PermissionDenied
    context = {"failed": selectors.failed_notifications(request.user)}
    return render(request, "people/failed_notifications.html", context)


@require_POST
def notification_retry(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.can_see_failed_notifications(request.user):
        raise PermissionDenied
    notification = get_object_or_404(
        Notification.objects.visible_to(request.user).select_related("recipient"), pk=pk
    )
    try:
        notifications.retry_failed_notification(retried_by=request.user, notification=notification)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Sending again to %(email)s.") % {"email": notification.recipient.email},
        )
    return redirect("people:notification-failed")
