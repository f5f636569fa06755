"""The qualification date: entered with the worker, never in the future."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from people.models import Role, User
from programmes.models import Enrolment
from programmes.services import CohortImportError, import_cohort_csv
from tests.factories import CohortFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "email,full_name,team,programme,started_on,fte,qualified_on"


def _enrol(client, lead, **extra):
    cohort, team = CohortFactory(), TeamFactory()
    client.force_login(lead)
    return client.post(
        reverse("programmes:enrolment-create", args=[cohort.pk]),
        {
            "email": "ria@council.example",
            "full_name": "Ria Bose",
            "employment_type": "agency",
            "team": team.pk,
            "started_on": "2026-09-07",
            "fte": "1.0",
            **extra,
        },
        follow=True,
    )


def test_the_enrolment_form_records_the_qualification_date(client, lead):
    response = _enrol(client, lead, qualified_on="2026-07-01")
    assert "Ria Bose is enrolled." in response.content.decode()
    assert User.objects.get(email="ria@council.example").qualified_on == date(2026, 7, 1)


def test_the_qualification_date_may_be_left_blank(client, lead):
    _enrol(client, lead, qualified_on="")
    assert User.objects.get(email="ria@council.example").qualified_on is None


def test_a_qualification_date_in_the_future_is_refused_and_nothing_is_saved(client, lead):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _enrol(client, lead, qualified_on=tomorrow.isoformat())
    page = response.content.decode()
    assert "The qualification date must be today or in the past." in page
    assert 'href="#id_qualified_on"' in page  # the error summary links to the field
    assert not User.objects.filter(email="ria@council.example").exists()
    assert not Enrolment.objects.exists()


def test_the_model_refuses_a_future_qualification_date():
    person = UserFactory.build(qualified_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError) as refusal:
        person.full_clean(exclude=["password"])
    assert refusal.value.message_dict["qualified_on"] == [
        "The qualification date must be today or in the past."
    ]


def _import(lead, rows):
    TeamFactory(name="Front Door")
    raw = "\n".join([HEADER, *rows]).encode()
    return import_cohort_csv(imported_by=lead, name="ASYE 2027", intake_on="2027-01-04", raw=raw)


def test_the_cohort_import_reads_the_qualification_date_in_either_format(lead):
    _import(
        lead,
        [
            "ana@council.example,Ana Silva,Front Door,ASYE-CF,04/01/2027,1.0,30/06/2025",
            "ben@council.example,Ben Ode,Front Door,ASYE-CF,04/01/2027,1.0,2025-07-14",
            "cal@council.example,Cal Li,Front Door,ASYE-CF,04/01/2027,1.0,",
        ],
    )
    imported = User.objects.filter(
        email__in=["ana@council.example", "ben@council.example", "cal@council.example"]
    )
    assert dict(imported.values_list("email", "qualified_on")) == {
        "ana@council.example": date(2025, 6, 30),
        "ben@council.example": date(2025, 7, 14),
        "cal@council.example": None,
    }


def test_the_cohort_import_refuses_a_bad_qualification_date(lead):
    with pytest.raises(CohortImportError) as refusal:
        _import(
            lead, ["ana@council.example,Ana Silva,Front Door,ASYE-CF,04/01/2027,1.0,31/02/2025"]
        )
    assert refusal.value.problems == [
        (2, "bad qualification date “31/02/2025”: use DD/MM/YYYY or YYYY-MM-DD.")
    ]


def test_the_admin_shows_the_qualification_date(client):
    staff = UserFactory(is_staff=True, is_superuser=True, roles=[Role.LEAD])
    worker = UserFactory(qualified_on=date(2025, 6, 30))
    client.force_login(staff)
    page = client.get(reverse("admin:people_user_change", args=[worker.pk])).content.decode()
    assert 'name="qualified_on"' in page and 'value="30/06/2025"' in page
