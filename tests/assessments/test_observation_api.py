"""The observations API: the same service and the same scoping as the web."""

import pytest
from django.urls import reverse

from assessments.models import Evidence, Observation
from tests.assessments.factories import statements_of
from tests.assessments.matrix_observations import observed
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _body(enrolment, **changes):
    first, second = statements_of(enrolment)[:2]
    return {
        "enrolment": enrolment.pk,
        "occurred_on": "2026-10-05",
        "setting": "Home visit",
        "what_was_observed": "Explained the plan.",
        "judgements": [
            {"statement": first.pk, "judgement": "meets"},
            {"statement": second.pk, "judgement": "not-yet"},
        ],
    } | changes


def test_the_assessor_records_an_observation_with_nested_judgements(client, assessor, enrolment):
    client.force_login(assessor)
    response = client.post(reverse("api:observation-list"), _body(enrolment), "application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "submitted"
    assert [row["judgement"] for row in body["judgements"]] == ["meets", "not-yet"]
    assert Evidence.objects.get().statements.count() == 1


@pytest.mark.parametrize("persona", ["worker", "manager"])
def test_someone_who_may_not_observe_is_refused(client, request, enrolment, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("api:observation-list"), _body(enrolment), "application/json")
    assert response.status_code == 403
    assert not Observation.objects.exists()


def test_another_team_s_enrolment_cannot_be_named(client, outsider, enrolment):
    client.force_login(outsider)
    response = client.post(reverse("api:observation-list"), _body(enrolment), "application/json")
    assert response.status_code == 400
    assert "enrolment" in response.json()


def test_a_statement_of_another_framework_is_a_400(client, assessor, enrolment):
    client.force_login(assessor)
    body = _body(enrolment, judgements=[{"statement": 999999, "judgement": "meets"}])
    response = client.post(reverse("api:observation-list"), body, "application/json")
    assert response.status_code == 400
    assert not Observation.objects.exists()


def test_a_statement_judged_twice_is_a_400(client, assessor, enrolment):
    client.force_login(assessor)
    first = statements_of(enrolment)[0]
    rows = [{"statement": first.pk, "judgement": "meets"}] * 2
    response = client.post(
        reverse("api:observation-list"), _body(enrolment, judgements=rows), "application/json"
    )
    assert response.status_code == 400


def test_an_unknown_field_in_a_judgement_is_refused(client, assessor, enrolment):
    client.force_login(assessor)
    first = statements_of(enrolment)[0]
    rows = [{"statement": first.pk, "judgement": "meets", "observer": 1}]
    response = client.post(
        reverse("api:observation-list"), _body(enrolment, judgements=rows), "application/json"
    )
    assert response.status_code == 400
    assert not Observation.objects.exists()


def test_nul_characters_are_refused(client, assessor, enrolment):
    client.force_login(assessor)
    body = _body(enrolment, setting="Home\x00visit")
    response = client.post(reverse("api:observation-list"), body, "application/json")
    assert response.status_code == 400
    assert not Observation.objects.exists()


def test_the_list_holds_only_what_the_caller_may_see(client, worker, enrolment):
    mine = observed(enrolment)
    observed(EnrolmentFactory())
    client.force_login(worker)
    rows = client.get(reverse("api:observation-list")).json()["results"]
    assert [row["evidence"] for row in rows] == [mine.pk]


def test_the_list_query_count_is_flat(client, lead, django_assert_max_num_queries):
    client.force_login(lead)
    url = reverse("api:observation-list")
    for _ in range(2):
        observed(EnrolmentFactory())
    # session (read, saved), user, roles, count, page of observations (with evidence and
    # observer), the visible-evidence scope, their judgements with statements
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200
    for _ in range(8):
        observed(EnrolmentFactory())
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200
