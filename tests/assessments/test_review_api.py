"""The reviews API: the same scoping and the same service as the web."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Concern, Review
from tests.assessments.factories import ReviewFactory
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _body(enrolment, **overrides):
    values = {
        "enrolment": enrolment.pk,
        "months": 3,
        "held_on": timezone.localdate().isoformat(),
        "attendees": "Worker, supervisor, assessor",
        "progress": "on-track",
        "summary": "Good progress.",
    }
    return {**values, **overrides}


def test_the_assessor_records_a_review_through_the_api(client, enrolment, assessor):
    client.force_login(assessor)
    response = client.post(reverse("api:review-list"), _body(enrolment), "application/json")
    assert response.status_code == 201
    assert response.json()["months"] == 3 and response.json()["concerns"] == []


def test_causing_concern_through_the_api_opens_the_concern(client, enrolment, assessor):
    client.force_login(assessor)
    body = _body(
        enrolment,
        progress="causing-concern",
        action_plan="Weekly check.",
        review_on=(timezone.localdate() + timedelta(days=14)).isoformat(),
    )
    response = client.post(reverse("api:review-list"), body, "application/json")
    assert response.status_code == 201
    assert response.json()["concerns"][0]["action_plan"] == "Weekly check."
    assert Concern.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"months": 5}, "months", id="not-a-review-point"),
        pytest.param({"progress": "causing-concern"}, "action_plan", id="concern-without-plan"),
        pytest.param({"summary": "a\x00b"}, "summary", id="nul-character"),
        pytest.param({"is_final": True}, "is_final", id="unknown-field"),
    ],
)
def test_a_refused_review_is_a_400_naming_the_field(client, enrolment, assessor, overrides, field):
    client.force_login(assessor)
    body = _body(enrolment, **overrides)
    response = client.post(reverse("api:review-list"), body, "application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Review.objects.exists()


@pytest.mark.parametrize(("persona", "status_code"), [("worker", 403), ("manager", 403)])
def test_the_worker_and_manager_may_not_record(client, request, enrolment, persona, status_code):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("api:review-list"), _body(enrolment), "application/json")
    assert response.status_code == status_code


def test_another_teams_enrolment_is_not_a_choice(client, enrolment, outsider):
    client.force_login(outsider)
    response = client.post(reverse("api:review-list"), _body(enrolment), "application/json")
    assert response.status_code == 400
    assert "enrolment" in response.json()


def test_the_list_holds_only_visible_reviews(client, enrolment, manager):
    mine = ReviewFactory(enrolment=enrolment)
    ReviewFactory(enrolment=EnrolmentFactory())
    client.force_login(manager)
    response = client.get(reverse("api:review-list"))
    results = response.json()
    results = results["results"] if isinstance(results, dict) else results
    assert [row["id"] for row in results] == [mine.pk]


def test_review_api_list_query_count_is_flat(client, lead, django_assert_max_num_queries):
    client.force_login(lead)
    url = reverse("api:review-list")
    for size in (3, 30):
        for enrolment in EnrolmentFactory.create_batch(size - Review.objects.count()):
            ReviewFactory(enrolment=enrolment)
        # session, user, roles, the page's count, reviews, their concerns, session saved (3)
        with django_assert_max_num_queries(9):
            assert client.get(url).status_code == 200
