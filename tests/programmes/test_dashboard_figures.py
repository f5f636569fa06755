"""The cohort figures page: who sees it, what it counts, its filters, charts and query bound."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Evidence
from programmes.dashboard.figures import cohort_figures, heat_step
from programmes.models import CaseloadBreach, CaseloadSnapshot, Enrolment
from programmes.views.dashboard_figures import bar_chart
from tests.assessments.factories import ConcernFactory, EvidenceFactory, sign_off, statements_of
from tests.factories import EnrolmentFactory, SupervisionSessionFactory, programme

TODAY = date(2026, 11, 9)  # a Monday
URL = reverse("programmes:dashboard-figures")
DASHBOARD_URL = reverse("programmes:dashboard")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def healthy(**kwargs) -> Enrolment:
    """Started a week ago: the first session is due today, nothing else is due or short."""
    return EnrolmentFactory(
        started_on=date(2026, 11, 2), cohort__intake_on=date(2026, 11, 2), **kwargs
    )


def breach(enrolment: Enrolment, detected_on: date = date(2026, 11, 3)) -> CaseloadBreach:
    return CaseloadBreach.objects.create(
        enrolment=enrolment,
        detected_on=detected_on,
        snapshot_on=detected_on,
        open_cases=12,
        cap=9,
        child_protection_cases=0,
        limits=["open-cases"],
    )


def page_of(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def cell(page: str, heading: str) -> str:
    """The number in the table cell after a row heading."""
    start = page.index(f'class="govuk-table__header">{heading}</th>')
    opening = page.index(">", page.index("<td", start)) + 1
    return page[opening : page.index("</td>", opening)]


def test_the_page_counts_on_track_and_needing_attention_among_active_enrolments(client, lead):
    healthy()
    healthy()
    breach(healthy())  # over the cap: needs attention
    EnrolmentFactory()  # supervision overdue since September
    EnrolmentFactory(status=Enrolment.Status.COMPLETED, ended_on=date(2026, 10, 30))
    client.force_login(lead)

    page = page_of(client)

    assert cell(page, "On track") == "2"
    assert cell(page, "Needing attention") == "2"
    assert "5 enrolments counted." in page


def test_each_figure_has_an_accessible_chart_and_a_table(client, lead, enrolment):
    client.force_login(lead)
    page = page_of(client)
    for key in ("attention", "supervision", "caseload", "breach", "outcome"):
        assert f'aria-labelledby="{key}-chart-title {key}-chart-desc"' in page
        assert f'<title id="{key}-chart-title">' in page
        assert f'<desc id="{key}-chart-desc">' in page
    assert page.count('role="img"') == 5
    assert page.count('<table class="govuk-table') >= 6
    assert "style=" not in page
    assert "<script>" not in page


def test_supervision_by_month_is_a_percentage_or_nothing_owed(client, lead):
    steady = EnrolmentFactory()
    for day in (date(2026, 9, 14), date(2026, 9, 21), date(2026, 9, 28)):
        SupervisionSessionFactory(enrolment=steady, held_on=day)
    client.force_login(lead)

    page = page_of(client)

    assert cell(page, "September 2026") == "3"
    assert ">100%</td>" in page
    assert cell(page, "August 2026") == "0"
    assert "Nothing owed" in page
    assert ">nothing owed</text>" in page  # in the chart too, with no bar
    assert "November 2026 to date" in page
    assert "Nov 2026 to date" in page


def test_the_heat_map_gives_each_statements_share_as_text_and_a_shade(client, lead):
    evidenced, _other = EnrolmentFactory(), EnrolmentFactory()
    first = statements_of(evidenced)[0]
    sign_off(EvidenceFactory(enrolment=evidenced, statements=[first]))
    client.force_login(lead)

    page = page_of(client)

    assert f"{first.code} " in page
    assert 'app-heat app-heat--3">50%</td>' in page  # evidenced by one of the two
    assert 'app-heat app-heat--0">0%</td>' in page
    (framework,) = cohort_figures(Enrolment.objects.all(), on=TODAY).coverage
    assert framework.enrolments == 2
    share = framework.standards[0].statements[0]
    assert (share.statement, share.evidenced, share.triangulated, share.of) == (first, 1, 0, 2)


def test_evidence_not_signed_off_is_not_counted_in_the_heat_map(lead):
    enrolment = EnrolmentFactory()
    EvidenceFactory(enrolment=enrolment, status=Evidence.Status.SUBMITTED)
    (framework,) = cohort_figures(Enrolment.objects.all(), on=TODAY).coverage
    assert framework.standards[0].statements[0].evidenced == 0


@pytest.mark.parametrize(
    ("percent", "step"), [(0, 0), (1, 1), (24, 1), (25, 2), (49, 2), (50, 3), (75, 4), (100, 4)]
)
def test_the_heat_map_shades_in_five_steps(percent, step):
    assert heat_step(percent) == step


def test_caseload_bands_and_outcomes_are_shown(client, lead):
    for open_cases in (10, 11, 31):
        CaseloadSnapshot.objects.create(
            enrolment=EnrolmentFactory(),
            as_of=date(2026, 11, 2),
            open_cases=open_cases,
            source="manual",
        )
    EnrolmentFactory(
        status=Enrolment.Status.WITHDRAWN,
        started_on=date(2026, 9, 7),
        cohort__intake_on=date(2026, 9, 7),
        ended_on=date(2026, 10, 30),
    )
    EnrolmentFactory(status=Enrolment.Status.FAILED, ended_on=date(2026, 10, 30))
    client.force_login(lead)

    page = page_of(client)

    assert cell(page, "0–10") == "1"
    assert cell(page, "11–20") == "1"
    assert cell(page, "21–30") == "0"
    assert cell(page, "31+") == "1"
    assert cell(page, "Not passed") == "1"
    assert cell(page, "Left within the first year") == "1"
    assert cell(page, "Still on the programme") == "3"


def test_breaches_opened_are_shown_by_month(client, lead):
    breach(EnrolmentFactory(), detected_on=date(2026, 10, 5))
    client.force_login(lead)
    page = page_of(client)
    start = page.index('id="breaches-heading"')
    october = page.index("October 2026", start)
    assert page[october : page.index("</tr>", october)].count(">1</td>") == 1


def test_a_manager_sees_only_their_own_teams_in_the_figures(client, manager, enrolment):
    elsewhere = EnrolmentFactory.create_batch(3)
    for other in elsewhere:
        breach(other)
    client.force_login(manager)

    page = page_of(client)

    assert "1 enrolment counted." in page
    assert cell(page, "Needing attention") == "1"  # their own, overdue on supervision
    assert f">{elsewhere[0].worker.team.name}</option>" not in page


def test_a_manager_of_another_team_counts_only_that_team(client, outsider, enrolment):
    EnrolmentFactory.create_batch(2)
    client.force_login(outsider)
    page = page_of(client)
    assert "1 enrolment counted." in page
    assert f">{enrolment.worker.team.name}</option>" not in page


def test_a_bar_chart_scales_its_bars_and_draws_none_for_a_month_with_nothing_owed():
    chart = bar_chart(
        key="k",
        title="T",
        description="D",
        series=["Held on time"],
        rows=[("Sep", [(100, "100%")]), ("Oct", [(50, "50%")]), ("Aug", [(None, "nothing owed")])],
        highest=100,
    )
    widths = [row.bars[0].width for row in chart.rows]
    assert widths == ["360", "180", "0"]
    assert [row.bars[0].text for row in chart.rows] == ["100%", "50%", "nothing owed"]


def test_a_lead_counts_every_team(client, lead, enrolment):
    EnrolmentFactory.create_batch(2)
    client.force_login(lead)
    assert "3 enrolments counted." in page_of(client)


def test_the_filters_narrow_the_figures(client, lead):
    kept = EnrolmentFactory()
    EnrolmentFactory(cohort__programme=programme("NQSW"))
    EnrolmentFactory(status=Enrolment.Status.COMPLETED, ended_on=date(2026, 10, 30))
    client.force_login(lead)

    assert "1 enrolment counted." in page_of(client, cohort=kept.cohort_id)
    assert "1 enrolment counted." in page_of(client, programme=programme("NQSW").pk)
    by_status = page_of(client, status="completed")
    assert "1 enrolment counted." in by_status
    assert cell(by_status, "Completed") == "1"
    assert "3 enrolments counted." in page_of(client)


def test_a_filter_outside_what_the_reader_may_see_is_ignored_and_said_so(
    client, manager, enrolment
):
    elsewhere = EnrolmentFactory()
    client.force_login(manager)

    page = page_of(client, team=elsewhere.worker.team_id)

    assert "1 enrolment counted." in page
    assert "There is a problem" in page
    assert 'href="#id_team"' in page


def test_only_those_needing_attention_counts_them_alone(client, lead):
    healthy()
    ConcernFactory(enrolment=healthy(), opened_on=date(2026, 11, 3))
    client.force_login(lead)

    page = page_of(client, attention="on")

    assert "1 enrolment counted." in page
    assert cell(page, "On track") == "0"
    assert cell(page, "Needing attention") == "1"


def test_with_nobody_to_count_the_page_says_what_to_do(client, manager, enrolment):
    client.force_login(manager)
    page = page_of(client, status="completed")
    assert "Nobody matches these filters" in page
    assert "Clear the filters" in page
    assert 'role="img"' not in page


def test_the_dashboard_and_the_figures_link_to_each_other_keeping_the_filters(
    client, lead, enrolment
):
    client.force_login(lead)
    cohort = enrolment.cohort_id

    dashboard = client.get(DASHBOARD_URL, {"cohort": cohort, "sort": "-week", "page": "1"})
    figures = page_of(client, cohort=cohort, attention="on")

    assert f'href="{URL}?cohort={cohort}"' in dashboard.content.decode()
    assert f'href="{DASHBOARD_URL}?cohort={cohort}&amp;attention=on"' in figures


@pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor"])
def test_other_roles_are_refused(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


def test_someone_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302


def _enrolments_with_something_of_each(count: int) -> None:
    approver = None
    for index, enrolment in enumerate(EnrolmentFactory.create_batch(count)):
        approver = approver or enrolment.supervisor
        if index % 3 == 0:
            breach(enrolment, detected_on=date(2026, 10, 1 + index % 28))
        if index % 4 == 0:
            ConcernFactory(enrolment=enrolment)
            sign_off(EvidenceFactory(enrolment=enrolment))
        if index % 5 == 0:
            SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 9, 14))
            SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 2))
        CaseloadSnapshot.objects.create(
            enrolment=enrolment, as_of=date(2026, 11, 2), open_cases=index, source="manual"
        )
        enrolment.extensions.create(weeks=2, reason="Sickness", approved_by=approver)
    EnrolmentFactory(status=Enrolment.Status.WITHDRAWN, ended_on=date(2026, 10, 30))


def test_the_page_makes_the_same_number_of_queries_for_10_and_60_enrolments(
    client, lead, django_assert_max_num_queries
):
    client.force_login(lead)
    counts = []
    for count in (10, 50):
        _enrolments_with_something_of_each(count)
        # Session, user, roles (3); attention_for (8); coverage_for (5: the enrolments, their
        # pins; every enrolment here is pinned, so no framework candidates); compliance_by_month
        # (5); caseload_bands (3); breaches_by_month (1); outcome_counts (2); the unread count
        # in the header; the five filters' choices; SAVEPOINT, session UPDATE, RELEASE.
        with django_assert_max_num_queries(36) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    assert Enrolment.objects.count() == 62
    assert counts[0] == counts[1]
