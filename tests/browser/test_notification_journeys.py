"""Notifications in Chromium, by keyboard alone, with axe on every page.

A worker sees how many notifications are unread in the header, opens one (which marks it read
and takes them to its page), marks the rest read, and chooses a daily digest.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from people.models import Notification, User
from people.notifications import NotificationRequest, queue_notifications
from programmes.models import Enrolment
from tests.browser.test_journeys import HOME_URL, sign_in
from tests.browser.test_supervision_journeys import activate, banner, choose

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = pytest.importorskip("playwright.sync_api").expect

WORKER_EMAIL = "worker@demo.example"


def _two_for_the_worker() -> Enrolment:
    """Whatever the demo left in Alex's inbox is read; then two new ones arrive."""
    enrolment = Enrolment.objects.get(worker__email=WORKER_EMAIL)
    Notification.objects.filter(recipient=enrolment.worker).delete()
    sessions = reverse("supervision:enrolment-sessions", args=[enrolment.pk])
    queue_notifications(
        [
            NotificationRequest(
                recipient_id=enrolment.worker_id,
                kind="supervision-due",
                subject_key=f"journey-{enrolment.pk}-due",
                title="Supervision is due on Monday",
                body="Your next supervision session is due on Monday.",
                link=sessions,
            ),
            NotificationRequest(
                recipient_id=enrolment.worker_id,
                kind="protected-time-short",
                subject_key=f"journey-{enrolment.pk}-time",
                title="Protected time short last month",
                body="You logged 8 of the 15.5 hours of learning you were owed.",
                link=reverse("programmes:caseload", args=[enrolment.pk]),
            ),
        ]
    )
    return enrolment


def test_a_worker_reads_their_notifications_and_chooses_a_digest(page: Page, axe_check) -> None:
    enrolment = _two_for_the_worker()

    sign_in(page, "worker", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    inbox_link = page.get_by_role("link", name="Notifications (2 unread)")
    expect(inbox_link).to_be_visible()
    axe_check(page)
    activate(page, inbox_link)

    expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    expect(page.get_by_text("You have 2 unread notifications.")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Open Supervision is due on Monday"))

    expect(page).to_have_url(re.compile(f"/supervision/enrolments/{enrolment.pk}/"))
    axe_check(page)
    activate(page, page.get_by_role("link", name="Notifications (1 unread)"))

    expect(page.get_by_text("You have 1 unread notification.")).to_be_visible()
    activate(page, page.get_by_role("button", name="Mark all as read"))
    expect(banner(page, "1 marked as read.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    axe_check(page)

    activate(page, page.get_by_role("link", name="Choose when Footing emails you"))
    expect(page.get_by_role("heading", level=1, name="Email notifications")).to_be_visible()
    axe_check(page)
    choose(page, page.get_by_label("Email me about new notifications"), "Once", "daily")
    activate(page, page.get_by_role("button", name="Save"))

    expect(banner(page, "Saved. Your inbox still shows every notification.")).to_be_visible()
    axe_check(page)
    worker = User.objects.get(email=WORKER_EMAIL)
    assert worker.email_frequency == User.EmailFrequency.DAILY
    assert not Notification.objects.filter(recipient=worker).unread().exists()
