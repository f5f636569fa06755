"""The workforce summary: each programme's people, employment, caseloads, leavers and the
agency workers the agency rule flags; the page and its CSV, scoped to the reader's teams."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Role, ServiceArea, User
from programmes.models import CaseloadSnapshot, Enrolment
from programmes.selectors.workforce import workforce_summary
from tests.factories import CohortFactory, EnrolmentFactory, TeamFactory, UserFactory, programme

pytestmark = pytest.mark.django_db

AGENCY, PERMANENT = User.EmploymentType.AGENCY, User.EmploymentType.PERMANENT


def _enrol(team, *, name, employment=PERMANENT, qualified_on=None, cases=None, **fields):
    worker = UserFactory(
        roles=[Role.WORKER],
        team=team,
        full_name=name,
        employment_type=employment,
        qualified_on=qualified_on,
    )
    enrolment = EnrolmentFactory(worker=worker, **fields)
    if cases is not None:
        CaseloadSnapshot.objects.create(
            enrolment=enrolment,
            as_of=timezone.localdate() - timedelta(days=1),
            open_cases=cases,
            source="manual",
        )
    return enrolment


@pytest.fixture
def team():
    return TeamFactory(service_area=ServiceArea.CHILDREN, name="Front Door")


@pytest.fixture
def cohort():
    return CohortFactory(programme=programme("ASYE-CF"))


@pytest.fixture
def people(team, cohort):
    """Four on the ASYE in a children's team: two agency, one a leaver in the first year."""
    return {
        "recent": _enrol(
            team,
            name="Ada Agency",
            employment=AGENCY,
            qualified_on=date(2024, 9, 1),
            cases=8,
            cohort=cohort,
        ),
        "unknown": _enrol(team, name="Uma Unknown", employment=AGENCY, cases=14, cohort=cohort),
        "permanent": _enrol(
            team, name="Pat Permanent", qualified_on=date(2025, 6, 1), cases=23, cohort=cohort
        ),
        "leaver": _enrol(
            team,
            name="Lee Leaver",
            cohort=cohort,
            status=Enrolment.Status.WITHDRAWN,
            ended_on=date(2026, 11, 2),
        ),
    }


def test_the_summary_counts_each_programmes_people(team, people):
    (asye,) = workforce_summary(team.manager, on=timezone.localdate())
    assert asye.programme.code == "ASYE-CF"
    outcomes = asye.outcomes
    assert (outcomes.active, outcomes.withdrawn, outcomes.withdrawn_in_first_year) == (3, 1, 1)
    assert (asye.permanent, asye.agency) == (1, 2)
    assert [(band.label, band.count) for band in asye.caseloads.bands] == [
        ("0–10", 1),
        ("11–20", 1),
        ("21–30", 1),
        ("31+", 0),
    ]
    flagged = [(f.enrolment.worker.full_name, f.reasons_in_words) for f in asye.flagged]
    assert flagged == [
        ("Ada Agency", "Under five years' post-qualifying experience; No completed ASYE")
    ]
    assert [f.enrolment.worker.full_name for f in asye.qualification_not_recorded] == [
        "Uma Unknown"
    ]


def test_a_completed_asye_leaves_only_the_experience_reason(team, people):
    worker = people["recent"].worker
    EnrolmentFactory(
        worker=worker,
        cohort=CohortFactory(programme=programme("ASYE-AD")),
        started_on=date(2024, 9, 2),
        status=Enrolment.Status.COMPLETED,
        ended_on=date(2025, 9, 1),
    )
    summary = {w.programme.code: w for w in workforce_summary(team.manager, on=date(2026, 12, 1))}
    reasons = [f.reasons_in_words for f in summary["ASYE-CF"].flagged]
    assert reasons == ["Under five years' post-qualifying experience"]
    assert summary["ASYE-AD"].flagged == ()  # a completed enrolment is not on the workforce


def test_an_agency_worker_in_an_adults_team_is_never_flagged(cohort):
    adults = TeamFactory(service_area=ServiceArea.ADULTS)
    _enrol(
        adults, name="Ari Adults", employment=AGENCY, qualified_on=date(2025, 1, 1), cohort=cohort
    )
    (asye,) = workforce_summary(adults.manager, on=timezone.localdate())
    assert asye.flags == ()


def test_a_manager_sees_only_their_own_teams_in_the_workforce_summary(client, team, people):
    other = TeamFactory(name="Elsewhere")
    _enrol(other, name="Otto Other", employment=AGENCY, qualified_on=date(2025, 1, 1))
    # The manager supervises someone in another team: still not theirs to count.
    _enrol(other, name="Sam Supervised", supervisor=team.manager)
    client.force_login(team.manager)
    page = client.get(reverse("programmes:workforce-summary")).content.decode()
    assert "Ada Agency" in page and "Uma Unknown" in page
    assert "Otto Other" not in page and "Sam Supervised" not in page
    assert "Under five years&#x27; post-qualifying experience; No completed ASYE" in page
    assert "Qualification date not recorded" in page


def test_a_lead_sees_every_team_in_the_workforce_summary(client, lead, team, people):
    _enrol(TeamFactory(), name="Otto Other", employment=AGENCY, qualified_on=date(2025, 1, 1))
    client.force_login(lead)
    page = client.get(reverse("programmes:workforce-summary")).content.decode()
    assert "Ada Agency" in page and "Otto Other" in page


def _rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_workforce_csv_lists_each_measure_in_long_format(client, team, people):
    client.force_login(team.manager)
    response = client.get(reverse("programmes:workforce-export", args=["ASYE-CF"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert _rows(response) == [
        ["Measure", "Group", "Count"],
        ["Status", "Active", "3"],
        ["Status", "Completed", "0"],
        ["Status", "Not passed", "0"],
        ["Status", "Withdrawn", "1"],
        ["Status", "Extended", "0"],
        ["Employment", "Permanent", "1"],
        ["Employment", "Agency", "2"],
        ["Caseload", "0–10", "1"],
        ["Caseload", "11–20", "1"],
        ["Caseload", "21–30", "1"],
        ["Caseload", "31+", "0"],
        ["Caseload", "Not recorded", "0"],
        ["Leavers", "All", "1"],
        ["Leavers", "Within the first year", "1"],
        ["Agency rule", "Flagged", "1"],
        ["Agency rule", "Under five years' post-qualifying experience", "1"],
        ["Agency rule", "No completed ASYE", "1"],
        ["Agency rule", "Qualification date not recorded", "1"],
    ]


def test_an_unknown_programme_code_is_not_found(client, lead):
    client.force_login(lead)
    assert client.get(reverse("programmes:workforce-export", args=["NOPE"])).status_code == 404


def _people(team, cohort, start, stop):
    for index in range(start, stop):
        employment = AGENCY if index % 2 else PERMANENT
        _enrol(
            team,
            name=f"Worker {index}",
            employment=employment,
            qualified_on=date(2024, 9, 1) if index % 3 else None,
            cases=index,
            cohort=cohort,
        )


def test_the_workforce_summary_query_count_is_flat(
    client, team, cohort, django_assert_max_num_queries
):
    client.force_login(team.manager)
    url = reverse("programmes:workforce-summary")
    _people(team, cohort, 0, 3)
    # session, user, roles, programmes; per programme: employment, outcomes (2), caseloads (3),
    # flagged agency workers; unread notifications, the session saved (3)
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
    _people(team, cohort, 3, 30)
    with django_assert_max_num_queries(15):
        assert "Worker 29" in client.get(url).content.decode()


def test_the_workforce_csv_query_count_is_flat(client, team, cohort, django_assert_max_num_queries):
    client.force_login(team.manager)
    url = reverse("programmes:workforce-export", args=["ASYE-CF"])
    _people(team, cohort, 0, 3)
    # session, user, roles, programme; employment, outcomes (2), caseloads (3), flagged; session
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    _people(team, cohort, 3, 30)
    with django_assert_max_num_queries(14):
        assert _rows(client.get(url))[1] == ["Status", "Active", "30"]
