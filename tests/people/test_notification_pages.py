"""The inbox, email preferences and a lead's failed sends, through the test client; the API."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from people.models import Notification, Role, User
from people.notifications import NotificationRequest, queue_notifications
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def visible(response) -> str:
    main = response.content.decode().split('id="main-content"', 1)[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def header(response) -> str:
    top = response.content.decode().split('id="main-content"', 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", top)).split())


def notify(person: User, key: str = "one", title: str = "Supervision is due", **fields) -> None:
    queue_notifications(
        [
            NotificationRequest(
                recipient_id=person.pk,
                kind="supervision-due",
                subject_key=key,
                title=title,
                body="Book a session with your supervisor.",
                link=fields.get("link", "/supervision/"),
            )
        ]
    )


class TestInbox:
    def test_the_header_counts_unread_and_the_inbox_lists_newest_first(self, client, worker):
        notify(worker, "one", "First")
        notify(worker, "two", "Second")
        client.force_login(worker)

        response = client.get(reverse("people:inbox"))

        assert "Notifications (2 unread)" in header(response)
        page = visible(response)
        assert "You have 2 unread notifications." in page
        assert page.index("New Second") < page.index("New First")

    def test_nobody_sees_anyone_elses(self, client, worker, supervisor):
        notify(supervisor, title="For the supervisor")
        client.force_login(worker)
        page = visible(client.get(reverse("people:inbox")))
        assert "For the supervisor" not in page
        assert "Nothing yet. Footing notifies you here" in page

    def test_opening_one_marks_it_read_and_goes_to_its_page(self, client, worker):
        notify(worker, link="/supervision/")
        notification = Notification.objects.get()
        client.force_login(worker)

        url = reverse("people:notification-read", args=[notification.pk])
        response = client.post(url, {"open": "1"})

        assert response.status_code == 302
        assert response["Location"] == "/supervision/"
        notification.refresh_from_db()
        assert notification.read_at is not None
        assert "Notifications" in header(client.get(reverse("people:inbox")))
        assert "unread)" not in header(client.get(reverse("people:inbox")))

    def test_mark_all_read_says_how_many(self, client, worker):
        notify(worker, "one")
        notify(worker, "two")
        client.force_login(worker)
        response = client.post(reverse("people:inbox-all-read"), follow=True)
        assert "2 marked as read." in visible(response)
        assert not Notification.objects.unread().exists()

    def test_another_persons_notification_cannot_be_marked(self, client, worker, supervisor):
        notify(supervisor)
        client.force_login(worker)
        url = reverse("people:notification-read", args=[Notification.objects.get().pk])
        assert client.post(url).status_code == 404
        assert Notification.objects.get().read_at is None

    def test_the_inbox_query_count_does_not_grow_with_notifications(
        self, client, worker, django_assert_max_num_queries
    ):
        client.force_login(worker)
        for index in range(3):
            notify(worker, f"a{index}")
        # session, user, roles, unread count (header), page count, page, unread count (page),
        # session refresh (3)
        with django_assert_max_num_queries(10):
            client.get(reverse("people:inbox"))
        for index in range(60):
            notify(worker, f"b{index}")
        with django_assert_max_num_queries(10):
            response = client.get(reverse("people:inbox"))
        assert len(response.context["page"].object_list) == 50


class TestSettings:
    def test_a_person_chooses_a_daily_digest(self, client, worker):
        client.force_login(worker)
        response = client.post(
            reverse("people:notification-settings"), {"email_frequency": "daily"}, follow=True
        )
        assert "Saved. Your inbox still shows every notification." in visible(response)
        worker.refresh_from_db()
        assert worker.email_frequency == User.EmailFrequency.DAILY

    def test_a_missing_choice_is_shown_as_an_error(self, client, worker):
        client.force_login(worker)
        response = client.post(reverse("people:notification-settings"), {"email_frequency": "x"})
        assert response.status_code == 200
        assert "There is a problem" in visible(response)
        worker.refresh_from_db()
        assert worker.email_frequency == User.EmailFrequency.IMMEDIATE


class TestFailed:
    def test_a_lead_sees_failed_sends_and_sends_one_again(self, client, lead, worker):
        notify(worker, title="Supervision is overdue")
        Notification.objects.update(
            email_status="failed", attempts=5, last_error="SMTPRecipientsRefused: no such user"
        )
        client.force_login(lead)

        page = visible(client.get(reverse("people:notification-failed")))
        assert f"{worker.full_name} {worker.email} Supervision is overdue" in page
        assert "SMTPRecipientsRefused: no such user" in page

        url = reverse("people:notification-retry", args=[Notification.objects.get().pk])
        response = client.post(url, follow=True)
        assert f"Sending again to {worker.email}." in visible(response)
        assert Notification.objects.get().email_status == Notification.EmailStatus.PENDING
        assert "None: every notification's email has been sent" in visible(response)

    def test_nobody_else_may_see_or_retry(self, client, manager, worker):
        notify(worker)
        Notification.objects.update(email_status="failed")
        client.force_login(manager)
        assert client.get(reverse("people:notification-failed")).status_code == 403
        url = reverse("people:notification-retry", args=[Notification.objects.get().pk])
        assert client.post(url).status_code == 403
        assert Notification.objects.get().email_status == "failed"


class TestApi:
    def test_the_caller_lists_and_reads_their_own_only(self, client, worker, supervisor):
        notify(worker, title="Mine")
        notify(supervisor, title="Theirs")
        client.force_login(worker)

        listed = client.get(reverse("api:notification-list")).json()
        assert [item["title"] for item in listed["results"]] == ["Mine"]

        mine = Notification.objects.get(recipient=worker)
        answer = client.post(reverse("api:notification-read", args=[mine.pk])).json()
        assert answer["is_read"] is True
        theirs = Notification.objects.get(recipient=supervisor)
        assert client.post(reverse("api:notification-read", args=[theirs.pk])).status_code == 404

    def test_a_lead_cannot_read_someone_elses_through_the_api(self, client, worker):
        notify(worker)
        client.force_login(UserFactory(roles=[Role.LEAD]))
        url = reverse("api:notification-detail", args=[Notification.objects.get().pk])
        assert client.get(url).status_code == 404
