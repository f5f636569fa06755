"""The API: same scoping and services as the web, 400/403 never 500."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from programmes.models import Enrolment
from tests.factories import CohortFactory, EnrolmentFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_lists_are_paginated_with_count_and_results(api, lead, enrolment):
    api.force_authenticate(lead)
    for route in ("api:programme-list", "api:cohort-list", "api:enrolment-list"):
        body = api.get(reverse(route)).json()
        assert set(body) == {"count", "next", "previous", "results"}
    assert api.get(reverse("api:programme-list")).json()["count"] == 6


def test_a_worker_sees_only_their_own_enrolment_with_its_derived_dates(api, worker, enrolment):
    EnrolmentFactory()
    api.force_authenticate(worker)
    body = api.get(reverse("api:enrolment-list")).json()
    assert [row["id"] for row in body["results"]] == [enrolment.pk]
    row = body["results"][0]
    assert row["expected_end_on"] == "2027-09-07"
    assert row["milestones"][0] == {
        "key": "self-assessment-0",
        "label": "Self-assessment at the start",
        "due_on": "2026-09-07",
    }


def test_another_teams_enrolment_is_not_found(api, outsider, enrolment):
    api.force_authenticate(outsider)
    assert api.get(reverse("api:enrolment-detail", args=[enrolment.pk])).status_code == 404


def test_a_token_authenticates_and_no_token_is_refused(api, worker, enrolment):
    assert api.get(reverse("api:enrolment-list")).status_code == 401
    token = Token.objects.create(user=worker)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(reverse("api:enrolment-list")).json()["count"] == 1


def _new_enrolment(cohort, team, **extra):
    return {
        "cohort": cohort.pk,
        "email": "kai@council.example",
        "full_name": "Kai Reed",
        "team": team.pk,
        "started_on": "2026-09-07",
        "fte": "0.60",
        **extra,
    }


def test_a_lead_enrols_through_the_api_with_the_same_service(api, lead):
    cohort, team = CohortFactory(), TeamFactory()
    api.force_authenticate(lead)
    response = api.post(reverse("api:enrolment-list"), _new_enrolment(cohort, team), format="json")
    assert response.status_code == 201
    assert response.json()["expected_end_on"] == "2028-05-07"
    assert Enrolment.objects.get().history.get().history_user == lead


@pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor", "manager"])
def test_only_a_lead_may_enrol_through_the_api(api, request, enrolment, persona):
    api.force_authenticate(request.getfixturevalue(persona))
    response = api.post(
        reverse("api:enrolment-list"),
        _new_enrolment(enrolment.cohort, enrolment.worker.team),
        format="json",
    )
    assert response.status_code == 403
    assert Enrolment.objects.count() == 1


def test_a_service_refusal_is_a_400_with_the_field_named(api, lead, enrolment):
    api.force_authenticate(lead)
    response = api.post(
        reverse("api:enrolment-list"),
        _new_enrolment(CohortFactory(), TeamFactory(), email=enrolment.worker.email),
        format="json",
    )
    assert response.status_code == 400
    assert "already enrolled" in response.json()["email"][0]


def test_bad_input_is_a_400_not_a_500(api, lead):
    api.force_authenticate(lead)
    response = api.post(
        reverse("api:enrolment-list"),
        {"cohort": "x", "email": "nope", "fte": "2", "full_name": "a\x00b"},
        format="json",
    )
    assert response.status_code == 400
    assert {"cohort", "email", "fte", "full_name", "team", "started_on"} <= set(response.json())


def test_a_lead_changes_an_enrolment_saying_why(api, lead, enrolment):
    api.force_authenticate(lead)
    url = reverse("api:enrolment-detail", args=[enrolment.pk])
    response = api.patch(url, {"fte": "0.5", "reason": "Phased return"}, format="json")
    assert response.status_code == 200
    assert response.json()["fte"] == "0.50"
    assert enrolment.history.latest().history_change_reason == "Phased return"


def test_fields_a_lead_may_not_set_are_refused_not_ignored(api, lead, enrolment):
    api.force_authenticate(lead)
    url = reverse("api:enrolment-detail", args=[enrolment.pk])
    response = api.patch(url, {"status": "completed", "reason": "x"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"status": ["This field cannot be changed here."]}
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE


def test_a_supervisor_cannot_change_an_enrolment(api, supervisor, enrolment):
    api.force_authenticate(supervisor)
    url = reverse("api:enrolment-detail", args=[enrolment.pk])
    response = api.patch(url, {"fte": "0.5", "reason": "x"}, format="json")
    assert response.status_code == 403


def test_the_schema_describes_every_endpoint(api, worker):
    api.force_authenticate(worker)
    response = api.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    assert {"/api/v1/programmes/", "/api/v1/cohorts/", "/api/v1/enrolments/"} <= set(paths)
    assert "post" in paths["/api/v1/enrolments/"]


def test_the_docs_page_works_offline(client, worker):
    client.force_login(worker)
    page = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in page and "cdn" not in page.lower()
