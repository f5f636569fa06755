"""The framework list and one framework's text, for anyone signed in."""

import pytest
from django.urls import reverse

from assessments.models import Framework

pytestmark = pytest.mark.django_db

PERSONAS = ["worker", "supervisor", "assessor", "manager", "lead", "outsider"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_signed_in_sees_every_framework_and_its_programmes(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("assessments:framework-list"))

    page = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["frameworks"]) == Framework.objects.count() == 5
    assert "Social Work England professional standards" in page
    assert "1 January 2015 to 31 March 2027" in page  # the PQS, in force until the switch
    assert "From 1 April 2027" in page
    assert "ASYE-CF, SWIP, ECF" in page or "ASYE-CF, ECF, SWIP" in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_signed_in_reads_a_framework_s_standards_and_statements(client, request, persona):
    framework = Framework.objects.get(code="pqs-child-family")
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("assessments:framework-detail", args=[framework.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "10. Organisational context" in page
    assert "Working accountably within the organisation." in page


def test_someone_signed_out_is_sent_to_sign_in(client, db):
    response = client.get(reverse("assessments:framework-list"))
    assert response.status_code == 302


def test_a_framework_that_does_not_exist_is_not_found(client, lead):
    client.force_login(lead)
    assert client.get(reverse("assessments:framework-detail", args=[999999])).status_code == 404


def test_the_framework_pages_take_a_fixed_number_of_queries(
    client, lead, django_assert_max_num_queries
):
    framework = Framework.objects.get(code="pqs-child-family")
    client.force_login(lead)
    # session, user, roles, frameworks with statement counts, their programmes, notifications,
    # the session saved (savepoint, update, release)
    with django_assert_max_num_queries(9):
        client.get(reverse("assessments:framework-list"))
    # session, user, roles, framework, programmes, standards, statements, notifications,
    # the session saved (savepoint, update, release)
    with django_assert_max_num_queries(11):
        client.get(reverse("assessments:framework-detail", args=[framework.pk]))
