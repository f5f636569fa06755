"""Bad input never breaks the API: no 5xx, and no answer the schema does not describe.

schemathesis reads the schema the app serves, then for each operation and each persona (worker,
supervisor, assessor, manager, lead) sends examples, valid and invalid, built from it: bounded
by EXAMPLES_PER_OPERATION plus its coverage cases (boundaries, wrong types, missing fields).
A lead's POSTs and PATCHes really write; the fixture checks afterwards that the data still
makes sense, and the test's transaction rolls it all back.
"""

from datetime import date

import pytest
import schemathesis
from django.urls import reverse
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from programmes.models import OUT_OF_RANGE, Enrolment
from tests.factories import CohortFactory, TeamFactory
from tests.fuzz.conftest import EXAMPLES_PER_OPERATION

schema = schemathesis.pytest.from_fixture("api_schema")
CHECKS = [
    not_a_server_error,
    status_code_conformance,  # every status the API sends is one the schema declares
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
RELATED_FIELDS = ("cohort", "team", "supervisor", "assessor")


@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,  # a lead's POST runs the whole enrolment service: timing is not the point
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@schema.parametrize()
def test_no_input_breaks_the_api(case, api_headers, known_ids):
    resource = case.path.split("/")[3]  # /api/v1/<resource>/...
    if "id" in case.path_parameters:
        case.path_parameters["id"] = known_ids.aim(resource, case.path_parameters["id"])
    if isinstance(case.body, dict):
        for name in RELATED_FIELDS:
            if name in case.body:
                case.body[name] = known_ids.aim(name, case.body[name])
    case.call_and_validate(headers=api_headers, checks=CHECKS)


# --- What fuzzing found, pinned as plain tests.


@pytest.fixture
def api(client, lead):
    client.force_login(lead)
    return client


@pytest.mark.parametrize("started_on", ["9999-12-31", "0001-01-01", "2100-01-01", "1999-12-31"])
def test_a_start_date_outside_2000_to_2099_is_a_400_not_a_500(api, started_on):
    """The end and milestones are derived from the start: in 9999 they left the calendar."""
    body = {
        "cohort": CohortFactory().pk,
        "email": "kai@council.example",
        "full_name": "Kai Reed",
        "team": TeamFactory().pk,
        "started_on": started_on,
        "fte": "0.1",
    }
    response = api.post(reverse("api:enrolment-list"), body, "application/json")
    assert response.status_code == 400
    assert response.json() == {"started_on": [OUT_OF_RANGE]}
    assert not Enrolment.objects.exists()


def test_moving_a_start_date_past_2099_is_a_400_and_changes_nothing(api, enrolment):
    url = reverse("api:enrolment-detail", args=[enrolment.pk])
    response = api.patch(url, {"started_on": "9999-12-31", "reason": "x"}, "application/json")
    assert response.status_code == 400
    assert response.json() == {"started_on": [OUT_OF_RANGE]}
    enrolment.refresh_from_db()
    assert enrolment.started_on == date(2026, 9, 7)


def test_a_pause_ending_in_9999_is_refused_on_the_web_page(api, enrolment):
    """Each pause moves the end on by its length: a pause to 9999 moved it off the calendar."""
    url = reverse("programmes:pause-create", args=[enrolment.pk])
    form = {"starts_on": "2026-10-01", "ends_on": "9999-12-30", "reason": "sickness"}
    response = api.post(url, form)
    assert response.status_code == 200
    assert str(OUT_OF_RANGE) in response.content.decode()
    assert not enrolment.pauses.exists()
    detail = api.get(reverse("programmes:enrolment-detail", args=[enrolment.pk]))
    assert detail.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/enrolments/99999999999999999999999/",  # past a bigint: PostgreSQL refuses it
        "/api/v1/cohorts/-9223372036854775809/",
        "/api/v1/programmes/1e999/",
        "/api/v1/enrolments/%00/",
        "/api/v1/enrolments/?page=99999999999999999999999",
    ],
)
def test_an_impossible_id_or_page_is_a_404(api, path):
    assert api.get(path).status_code == 404


def test_the_schema_declares_the_errors_each_operation_can_give(api):
    schema = api.get(reverse("api-schema"), {"format": "json"}).json()
    declared = {
        (method.upper(), path): sorted(code for code in operation["responses"] if code >= "400")
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
    assert declared[("GET", "/api/v1/programmes/")] == ["401", "404"]  # 404: no such page
    assert declared[("GET", "/api/v1/enrolments/{id}/")] == ["401", "404"]
    assert declared[("POST", "/api/v1/enrolments/")] == ["400", "401", "403"]
    assert declared[("PATCH", "/api/v1/enrolments/{id}/")] == ["400", "401", "403", "404"]
