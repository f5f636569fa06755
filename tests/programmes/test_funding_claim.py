"""The funding claim: one row per enrolment of a cohort, its pauses in words, for a lead."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from programmes import services
from programmes.models import Enrolment, EnrolmentPause
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _worker(name, number=""):
    return UserFactory(roles=[Role.WORKER], full_name=name, swe_registration_number=number)


@pytest.fixture
def cohort():
    return CohortFactory(name="ASYE September 2026")


def test_the_funding_claim_lists_each_enrolment_with_its_pauses(client, lead, cohort):
    paused = EnrolmentFactory(
        cohort=cohort, worker=_worker("Bea Brown", "SW100001"), fte=Decimal("0.60")
    )
    services.record_pause(
        recorded_by=lead,
        enrolment=paused,
        starts_on=date(2026, 10, 5),
        ends_on=date(2026, 10, 16),
        reason=EnrolmentPause.Reason.SICKNESS,
    )
    services.record_pause(
        recorded_by=lead,
        enrolment=paused,
        starts_on=date(2026, 11, 2),
        ends_on=None,
        reason=EnrolmentPause.Reason.PARENTAL_LEAVE,
    )
    EnrolmentFactory(
        cohort=cohort,
        worker=_worker("Al Adams"),
        started_on=date(2026, 9, 14),
        status=Enrolment.Status.WITHDRAWN,
        ended_on=date(2026, 11, 20),
    )
    EnrolmentFactory(worker=_worker("Cy Other"))  # another cohort
    client.force_login(lead)
    response = client.get(reverse("programmes:funding-claim", args=[cohort.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="funding-claim-{cohort.pk}-asye-september-2026-'
        f'{timezone.localdate().isoformat()}.csv"'
    )
    assert _rows(response) == [
        [
            "Worker",
            "Social Work England number",
            "Programme",
            "Start date",
            "FTE",
            "Status",
            "Pauses",
        ],
        ["Al Adams", "", "ASYE-CF", "14/09/2026", "1.00", "Withdrawn", ""],
        [
            "Bea Brown",
            "SW100001",
            "ASYE-CF",
            "07/09/2026",
            "0.60",
            "Active",
            "05/10/2026 – 16/10/2026 (Long-term sickness); 02/11/2026 – ongoing (Parental leave)",
        ],
    ]


def test_a_formula_in_a_name_is_made_harmless(client, lead, cohort):
    EnrolmentFactory(cohort=cohort, worker=_worker("=HYPERLINK(1)"))
    client.force_login(lead)
    rows = _rows(client.get(reverse("programmes:funding-claim", args=[cohort.pk])))
    assert rows[1][0] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor", "manager", "outsider"])
def test_only_a_lead_may_download_the_funding_claim(client, request, enrolment, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("programmes:funding-claim", args=[enrolment.cohort_id])
    assert client.get(url).status_code == 403


def test_the_cohort_page_links_the_funding_claim_for_a_lead_only(client, lead, enrolment):
    url = reverse("programmes:cohort-detail", args=[enrolment.cohort_id])
    claim = reverse("programmes:funding-claim", args=[enrolment.cohort_id])
    client.force_login(lead)
    assert claim in client.get(url).content.decode()
    client.force_login(enrolment.worker.team.manager)
    assert claim not in client.get(url).content.decode()


def test_the_funding_claim_query_count_is_flat(client, lead, cohort, django_assert_max_num_queries):
    def enrol(start, stop):
        for index in range(start, stop):
            enrolment = EnrolmentFactory(cohort=cohort, worker=_worker(f"Worker {index}"))
            services.record_pause(
                recorded_by=lead,
                enrolment=enrolment,
                starts_on=date(2026, 10, 5),
                ends_on=None,
                reason=EnrolmentPause.Reason.OTHER,
            )

    client.force_login(lead)
    url = reverse("programmes:funding-claim", args=[cohort.pk])
    enrol(0, 3)
    # session, user, roles, cohort, enrolments with workers, their pauses, the session saved (3)
    with django_assert_max_num_queries(9):
        assert len(_rows(client.get(url))) == 4
    enrol(3, 30)
    with django_assert_max_num_queries(9):
        assert len(_rows(client.get(url))) == 31
