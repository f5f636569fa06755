"""Observation pages, through the client, for each person who may (or may not) use them."""

from datetime import date

import pytest
from django.urls import reverse

from assessments.models import Evidence, Observation
from tests.assessments.factories import sign_off, statements_of
from tests.assessments.matrix_observations import observed, returned

pytestmark = pytest.mark.django_db


def _post(enrolment, **changes):
    first, second = statements_of(enrolment)[:2]
    return {
        "occurred_on": "2026-10-05",
        "setting": "Home visit",
        "what_was_observed": "Explained the plan.",
        "feedback": "Well done.",
        f"statement_{first.pk}": "meets",
        f"statement_{second.pk}": "not-seen",
    } | changes


@pytest.mark.parametrize(
    ("persona", "status_code"),
    [
        ("assessor", 200),
        ("supervisor", 200),
        ("lead", 200),
        ("worker", 403),
        ("manager", 403),
        ("outsider", 404),
    ],
)
def test_only_the_assessor_supervisor_or_lead_may_open_the_form(
    client, request, enrolment, persona, status_code
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("assessments:observation-create", args=[enrolment.pk]))
    assert response.status_code == status_code


def test_the_form_offers_a_judgement_for_each_statement_of_the_framework(
    client, assessor, enrolment
):
    client.force_login(assessor)
    response = client.get(reverse("assessments:observation-create", args=[enrolment.pk]))
    statements = statements_of(enrolment)
    assert response.status_code == 200
    for statement in statements:
        assert f'name="statement_{statement.pk}"' in response.content.decode()


def test_recording_an_observation_saves_it_and_says_so(client, assessor, enrolment):
    client.force_login(assessor)
    response = client.post(
        reverse("assessments:observation-create", args=[enrolment.pk]),
        _post(enrolment),
        follow=True,
    )
    assert response.status_code == 200
    evidence = Evidence.objects.get()
    assert evidence.occurred_on == date(2026, 10, 5)
    assert evidence.observation.judgements.count() == 2
    assert "Observation recorded" in response.content.decode()


def test_without_a_judgement_the_form_says_what_to_do(client, assessor, enrolment):
    client.force_login(assessor)
    first, second = statements_of(enrolment)[:2]
    data = _post(enrolment, **{f"statement_{first.pk}": "", f"statement_{second.pk}": ""})
    response = client.post(reverse("assessments:observation-create", args=[enrolment.pk]), data)
    assert response.status_code == 200
    assert "Give a judgement for at least one statement you observed." in response.content.decode()
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status_code"),
    [
        ("worker", 200),
        ("assessor", 403),
        ("supervisor", 403),
        ("manager", 403),
        ("lead", 403),
        ("outsider", 404),
    ],
)
def test_only_the_worker_may_open_the_reflection(client, request, enrolment, persona, status_code):
    evidence = observed(enrolment)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("assessments:observation-reflect", args=[evidence.pk]))
    assert response.status_code == status_code


def test_the_worker_saves_a_reflection_and_sees_the_observation(client, worker, enrolment):
    evidence = observed(enrolment)
    client.force_login(worker)
    url = reverse("assessments:observation-reflect", args=[evidence.pk])
    page = client.get(url).content.decode()
    assert "Explained the plan to the family in plain words." in page
    response = client.post(url, {"worker_reflection": "I slowed down."}, follow=True)
    assert "Reflection saved" in response.content.decode()
    assert Observation.objects.get().worker_reflection == "I slowed down."


def test_a_signed_off_observation_has_no_reflection_page(client, worker, enrolment):
    evidence = observed(enrolment)
    sign_off(evidence)
    client.force_login(worker)
    response = client.get(reverse("assessments:observation-reflect", args=[evidence.pk]))
    assert response.status_code == 403


def test_the_observer_corrects_a_returned_observation(client, assessor, enrolment):
    evidence = returned(enrolment)
    client.force_login(assessor)
    url = reverse("assessments:observation-correct", args=[evidence.pk])
    page = client.get(url).content.decode()
    assert "Explained the plan to the family in plain words." in page
    response = client.post(url, _post(enrolment, setting="School visit"), follow=True)
    assert "sent again for sign-off" in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SUBMITTED
    assert evidence.observation.setting == "School visit"


def test_the_detail_partial_shows_the_judgements(client, worker, enrolment):
    evidence = observed(enrolment)
    client.force_login(worker)
    page = client.get(reverse("assessments:observation-reflect", args=[evidence.pk]))
    content = page.content.decode()
    assert "Meets" in content
    assert "Not yet" in content
    assert "5 October 2026" in content
