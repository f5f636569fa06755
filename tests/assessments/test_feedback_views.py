"""Feedback pages: asking, the printable page, withdrawing, and the public pages that answer."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from assessments.models import Evidence, FeedbackRequest
from tests.assessments.matrix_observations import asked
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ANSWER = {
    "step": "give",
    "relationship": "Mum",
    "what_went_well": "She listened.",
    "what_could_be_better": "Nothing.",
    "anything_else": "",
}


@pytest.fixture(autouse=True)
def _fresh_guess_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def named_enrolment(enrolment):
    worker = enrolment.worker
    worker.full_name = "Alex Marlowe-Quinn"
    worker.save()
    return enrolment


def test_asking_shows_the_link_once_and_keeps_only_its_hash(client, worker, enrolment):
    client.force_login(worker)
    response = client.post(
        reverse("assessments:feedback-request-create", args=[enrolment.pk]),
        {"giver": "person", "recipient_name": "Sam's mum", "about": "My visit on Tuesday"},
    )
    assert response.status_code == 200
    link = response.context["link"]
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert link in response.content.decode()
    saved = FeedbackRequest.objects.get()
    detail = client.get(reverse("assessments:feedback-request-detail", args=[saved.pk]))
    assert token not in detail.content.decode()
    assert f"{saved.short_code[:4]}-{saved.short_code[4:]}" in detail.content.decode()
    assert "/feedback/" in detail.content.decode()


def test_asking_without_who_says_what_to_do(client, worker, enrolment):
    client.force_login(worker)
    response = client.post(
        reverse("assessments:feedback-request-create", args=[enrolment.pk]), {"about": "x"}
    )
    assert "Choose who you are asking for feedback" in response.content.decode()
    assert "Enter their name or role" in response.content.decode()
    assert not FeedbackRequest.objects.exists()


def test_the_list_shows_each_request_s_status_in_words(client, supervisor, enrolment):
    waiting = asked(enrolment).feedback_request
    expired = asked(enrolment).feedback_request
    FeedbackRequest.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    client.force_login(supervisor)
    page = client.get(reverse("assessments:feedback-request-list", args=[enrolment.pk]))
    content = page.content.decode()
    assert "Waiting for an answer" in content
    assert "Expired" in content
    assert waiting.recipient_name.replace("'", "&#x27;") in content
    assert "Ask for feedback" not in content  # the supervisor may read, not ask


def test_the_empty_list_says_what_to_do_next(client, worker, enrolment):
    client.force_login(worker)
    page = client.get(reverse("assessments:feedback-request-list", args=[enrolment.pk]))
    assert "No feedback has been asked for yet." in page.content.decode()


def test_the_list_query_count_is_flat(client, worker, enrolment, django_assert_max_num_queries):
    client.force_login(worker)
    url = reverse("assessments:feedback-request-list", args=[enrolment.pk])
    for _ in range(3):
        asked(enrolment)
    # session (read, saved), user, roles, messages, enrolment with its programme, pauses and
    # extensions, requests (with requester and evidence), unread notifications
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    for _ in range(30):
        asked(enrolment)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_withdrawing_closes_the_link(client, worker, enrolment):
    created = asked(enrolment)
    client.force_login(worker)
    url = reverse("assessments:feedback-request-withdraw", args=[created.feedback_request.pk])
    response = client.post(url, follow=True)
    assert "Request withdrawn" in response.content.decode()
    client.logout()
    page = client.get(reverse("feedback:give", args=[created.token]))
    assert "This link no longer works" in page.content.decode()


def test_the_public_form_names_only_the_first_name_and_the_council(client, named_enrolment):
    created = asked(named_enrolment)
    page = client.get(reverse("feedback:give", args=[created.token])).content.decode()
    assert "Your social worker Alex" in page
    assert "the council" in page
    assert "My visit to your home on Tuesday" in page
    assert "Marlowe-Quinn" not in page
    assert named_enrolment.cohort.programme.name not in page


def test_the_answer_lands_and_a_second_submit_is_told_the_link_is_used(client, enrolment):
    created = asked(enrolment)
    url = reverse("feedback:give", args=[created.token])
    response = client.post(url, ANSWER)
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:done")
    evidence = Evidence.objects.get()
    assert evidence.source_relationship == "Mum"
    again = client.post(url, ANSWER)
    assert "This link has already been used" in again.content.decode()
    assert Evidence.objects.count() == 1


def test_an_empty_answer_is_refused_with_a_clear_message(client, enrolment):
    created = asked(enrolment)
    response = client.post(
        reverse("feedback:give", args=[created.token]),
        ANSWER | {"what_went_well": "", "what_could_be_better": ""},
    )
    assert "Write what went well, or what could be better." in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_expired_link_says_to_ask_for_a_new_one(client, enrolment):
    created = asked(enrolment)
    FeedbackRequest.objects.update(expires_at=timezone.now())
    page = client.get(reverse("feedback:give", args=[created.token])).content.decode()
    assert "ask the social worker for a new one" in page
    assert client.post(reverse("feedback:give", args=[created.token]), ANSWER).status_code == 200
    assert not Evidence.objects.exists()


def test_an_unknown_link_is_not_found(client, enrolment):
    response = client.get(reverse("feedback:give", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "We cannot find this link" in response.content.decode()


def test_the_code_opens_the_form_whatever_its_case_and_the_answer_lands(client, enrolment):
    code = asked(enrolment).feedback_request.short_code
    typed = f"{code[:4].lower()}-{code[4:].lower()}"
    page = client.post(reverse("feedback:start"), {"code": typed})
    assert "Tell us what you think" in page.content.decode()
    response = client.post(reverse("feedback:start"), {"code": typed, **ANSWER})
    assert response.status_code == 302
    assert Evidence.objects.get().kind == Evidence.Kind.FEEDBACK_PERSON


def test_a_wrong_code_is_told_to_check_it(client, enrolment):
    page = client.post(reverse("feedback:start"), {"code": "ZZZZ-ZZZZ"})
    assert "We cannot find that code" in page.content.decode()


def test_wrong_codes_are_limited_per_address(client, enrolment):
    code = asked(enrolment).feedback_request.short_code
    for _ in range(10):
        client.post(reverse("feedback:start"), {"code": "ZZZZ-ZZZZ"})
    page = client.post(reverse("feedback:start"), {"code": code})
    assert "You have typed too many wrong codes" in page.content.decode()
    other = client.post(
        reverse("feedback:start"), {"code": code}, REMOTE_ADDR="192.0.2.7"
    ).content.decode()
    assert "Tell us what you think" in other


def test_the_thank_you_page_needs_no_account(client):
    page = client.get(reverse("feedback:done"))
    assert page.status_code == 200
    assert "Your feedback has been sent" in page.content.decode()


def test_feedback_is_seen_by_the_worker_s_people_not_another_team(client, request, enrolment):
    created = asked(enrolment)
    client.post(reverse("feedback:give", args=[created.token]), ANSWER)
    evidence = Evidence.objects.get()
    url = reverse("assessments:feedback-request-detail", args=[created.feedback_request.pk])
    for persona in ("worker", "supervisor", "assessor", "manager", "lead"):
        person = request.getfixturevalue(persona)
        assert Evidence.objects.visible_to(person).filter(pk=evidence.pk).exists()
        client.force_login(person)
        assert "She listened." in client.get(url).content.decode()
    stranger = request.getfixturevalue("outsider")
    assert not Evidence.objects.visible_to(stranger).filter(pk=evidence.pk).exists()
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert not Evidence.objects.visible_to(UserFactory()).exists()
