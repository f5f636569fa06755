"""The cohort dashboard: each state in words, its filters, sort, pages, CSV and query bound."""

from __future__ import annotations

import csv
import importlib
import io
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape

from assessments.models import Evidence
from programmes.dashboard import long_date
from programmes.models import CaseloadBreach, Enrolment
from programmes.selectors import managed_enrolments
from programmes.selectors.filters import filter_choices
from tests.assessments.factories import ConcernFactory, EvidenceFactory, sign_off
from tests.factories import CohortFactory, EnrolmentFactory, SupervisionSessionFactory, programme

TODAY = date(2026, 11, 9)  # a Monday
URL = reverse("programmes:dashboard")
EXPORT_URL = reverse("programmes:dashboard-export")


@pytest.fixture(autouse=True)
def _today(monkeypatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def healthy(**kwargs) -> Enrolment:
    """Started a week ago: the first session is due today, nothing else is due or short."""
    return EnrolmentFactory(
        started_on=date(2026, 11, 2), cohort__intake_on=date(2026, 11, 2), **kwargs
    )


def breach(enrolment: Enrolment) -> CaseloadBreach:
    return CaseloadBreach.objects.create(
        enrolment=enrolment,
        detected_on=date(2026, 11, 3),
        snapshot_on=date(2026, 11, 3),
        open_cases=12,
        cap=9,
        child_protection_cases=0,
        limits=["open-cases"],
    )


def waiting_since(enrolment: Enrolment, day: date) -> Evidence:
    moment = timezone.make_aware(datetime(day.year, day.month, day.day, 10))
    return EvidenceFactory(enrolment=enrolment, submitted_at=moment, statements=[])


def rows_of(client, url: str = URL, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def exported(client, **params) -> list[dict[str, str]]:
    response = client.get(EXPORT_URL, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_each_state_is_shown_in_words(client, lead, enrolment):
    breach(enrolment)
    ConcernFactory(enrolment=enrolment, opened_on=date(2026, 11, 2))
    waiting_since(enrolment, date(2026, 10, 19))
    client.force_login(lead)

    page = rows_of(client)

    assert escape(enrolment.worker.full_name) in page
    assert "Week 10 of 52" in page
    assert "19% of the time; 0% of the standards evidenced" in page
    assert "Overdue since" in page  # supervision: none held since the start
    assert "Over the cap since 3 November 2026, not yet acknowledged" in page
    assert "hours short in October 2026" in page
    assert "3-month review due 7 December 2026 (Due in 28 days)" in page
    assert "1 open concern" in page
    assert "Active" in page
    for reason in (
        "Supervision overdue",
        "Caseload over the protected cap",
        "Protected time short",
        "Learning agreement overdue",
        "Open concern",
        "Evidence awaiting sign-off for more than 10 working days",
    ):
        assert reason in page
    assert "Needs attention" in page


def test_a_healthy_enrolment_is_all_well_in_words(client, lead):
    well = healthy()
    client.force_login(lead)
    page = rows_of(client)
    assert escape(well.worker.full_name) in page
    assert "Within the cap" in page
    assert "Not short" in page
    assert "None open" in page
    assert "All well" in page
    assert escape(well.worker.full_name) not in rows_of(client, attention="on")


def _supervision_overdue() -> Enrolment:
    return EnrolmentFactory()


def _breach() -> Enrolment:
    enrolment = healthy()
    breach(enrolment)
    return enrolment


def _review_overdue() -> Enrolment:
    enrolment = EnrolmentFactory(started_on=date(2026, 7, 6), cohort__intake_on=date(2026, 7, 6))
    SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 2))
    return enrolment


def _concern() -> Enrolment:
    enrolment = healthy()
    ConcernFactory(enrolment=enrolment, opened_on=date(2026, 11, 3))
    return enrolment


def _sign_off_waiting() -> Enrolment:
    enrolment = healthy()
    waiting_since(enrolment, date(2026, 10, 19))  # 15 working days before 9 November
    return enrolment


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(_supervision_overdue, "Supervision overdue", id="supervision"),
        pytest.param(_supervision_overdue, "Protected time short", id="protected-time"),
        pytest.param(_supervision_overdue, "Learning agreement overdue", id="learning-agreement"),
        pytest.param(_breach, "Caseload over the protected cap", id="breach"),
        pytest.param(_review_overdue, "Review overdue", id="review"),
        pytest.param(_concern, "Open concern", id="concern"),
        pytest.param(
            _sign_off_waiting,
            "Evidence awaiting sign-off for more than 10 working days",
            id="sign-off",
        ),
    ],
)
def test_needs_attention_includes_each_reason_and_leaves_out_the_healthy(
    client, lead, make, reason
):
    enrolment = make()
    well = healthy()
    client.force_login(lead)

    page = rows_of(client, attention="on")

    assert escape(enrolment.worker.full_name) in page
    assert reason in page
    assert escape(well.worker.full_name) not in page


def test_evidence_waiting_ten_working_days_or_fewer_is_not_a_reason(client, lead):
    enrolment = healthy()
    waiting_since(enrolment, date(2026, 10, 26))  # 10 working days before 9 November
    client.force_login(lead)
    assert escape(enrolment.worker.full_name) not in rows_of(client, attention="on")


def test_an_ended_enrolment_needs_no_attention(client, lead):
    ended = EnrolmentFactory(status=Enrolment.Status.WITHDRAWN, ended_on=date(2026, 10, 30))
    breach(ended)
    client.force_login(lead)
    assert "Withdrawn" in rows_of(client)
    assert escape(ended.worker.full_name) not in rows_of(client, attention="on")


def _filter_value(enrolment: Enrolment, name: str) -> object:
    return {
        "programme": enrolment.cohort.programme_id,
        "cohort": enrolment.cohort_id,
        "team": enrolment.worker.team_id,
        "supervisor": enrolment.supervisor_id,
        "assessor": enrolment.assessor_id,
        "status": enrolment.status,
    }[name]


@pytest.mark.parametrize(
    "name", ["programme", "cohort", "team", "supervisor", "assessor", "status"]
)
def test_each_filter_leaves_only_the_matching_enrolments(client, lead, name):
    kept = EnrolmentFactory(worker__full_name="Kept Person")
    other = EnrolmentFactory(
        worker__full_name="Other Person",
        status=Enrolment.Status.COMPLETED,
        ended_on=date(2026, 10, 30),
        cohort__programme=programme("NQSW"),
    )
    client.force_login(lead)

    page = rows_of(client, **{name: _filter_value(kept, name)})

    assert "Kept Person" in page
    assert "Other Person" not in page
    assert "Other Person" in rows_of(client, **{name: _filter_value(other, name)})


def test_a_filter_outside_what_the_reader_may_see_is_ignored(client, manager, enrolment):
    elsewhere = EnrolmentFactory()
    client.force_login(manager)
    page = rows_of(client, team=elsewhere.worker.team_id)
    assert escape(enrolment.worker.full_name) in page
    assert escape(elsewhere.worker.full_name) not in page
    assert f">{elsewhere.worker.team.name}</option>" not in page  # nor offered as a choice


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        pytest.param("name", ["Ann", "Bea", "Cal"], id="name"),
        pytest.param("-name", ["Cal", "Bea", "Ann"], id="name-descending"),
        pytest.param("week", ["Bea", "Cal", "Ann"], id="week"),
        pytest.param("-week", ["Ann", "Cal", "Bea"], id="week-descending"),
        pytest.param("coverage", ["Bea", "Cal", "Ann"], id="coverage"),
        pytest.param("-coverage", ["Ann", "Bea", "Cal"], id="coverage-descending"),
        pytest.param("supervision", ["Ann", "Cal", "Bea"], id="supervision-due"),
    ],
)
def test_rows_sort_on_the_chosen_column(client, lead, sort, order):
    ann = EnrolmentFactory(worker__full_name="Ann", started_on=date(2026, 9, 7))
    EnrolmentFactory(worker__full_name="Bea", started_on=date(2026, 11, 2))
    EnrolmentFactory(worker__full_name="Cal", started_on=date(2026, 10, 5))
    sign_off(EvidenceFactory(enrolment=ann))  # Ann alone has a standard evidenced
    client.force_login(lead)

    page = rows_of(client, sort=sort)

    positions = [page.index(f">{name}</a>") for name in order]
    assert positions == sorted(positions)


def test_the_sorted_column_says_so_to_assistive_technology(client, lead, enrolment):
    client.force_login(lead)
    page = rows_of(client, sort="-week")
    assert 'aria-sort="descending"><a class="govuk-link" href="?sort=week">' in page
    assert 'aria-sort="none"><a class="govuk-link" href="?sort=name">' in page


def test_rows_are_paginated_after_filtering_and_sorting(client, lead, monkeypatch):
    # The package exports the view under the module's name: patch the module itself.
    monkeypatch.setattr(importlib.import_module("programmes.views.dashboard"), "ROWS_PER_PAGE", 2)
    for name in ("Ann", "Bea", "Cal"):
        EnrolmentFactory(worker__full_name=name)
    healthy(worker__full_name="Dee")
    client.force_login(lead)

    first = rows_of(client, attention="on", sort="-name")
    second = rows_of(client, attention="on", sort="-name", page=2)

    assert ">Cal</a>" in first and ">Bea</a>" in first and ">Ann</a>" not in first
    assert ">Ann</a>" in second and "Dee" not in second
    assert "Page 2 of 2" in second
    assert "attention=on&amp;sort=-name&amp;page=2" in first


def test_a_manager_sees_only_their_teams(client, manager, enrolment, outsider):
    client.force_login(manager)
    page = rows_of(client)
    assert escape(enrolment.worker.full_name) in page
    elsewhere = Enrolment.objects.exclude(pk=enrolment.pk).get()
    assert escape(elsewhere.worker.full_name) not in page
    assert [row["Worker"] for row in exported(client)] == [enrolment.worker.full_name]


def test_a_lead_sees_every_team(client, lead, enrolment, outsider):
    client.force_login(lead)
    page = rows_of(client)
    for each in Enrolment.objects.all():
        assert escape(each.worker.full_name) in page


@pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor"])
@pytest.mark.parametrize("url", [URL, EXPORT_URL])
def test_other_roles_are_refused(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 403


def test_the_csv_has_every_filtered_row_with_each_state_in_words(client, lead, enrolment):
    breach(enrolment)
    healthy(worker__full_name='=HYPERLINK("http://example.com")')
    client.force_login(lead)

    (row,) = exported(client, attention="on")
    every = exported(client)

    assert row["Worker"] == enrolment.worker.full_name
    assert row["Programme"] == "ASYE-CF"
    assert row["Programme week"] == "Week 10 of 52"
    assert row["Time elapsed (%)"] == "19"
    assert row["Standards evidenced (%)"] == "0"
    assert row["Supervision"].startswith("Overdue since ")
    assert row["Caseload"] == "Over the cap since 3 November 2026, not yet acknowledged"
    assert row["Protected time last month"].endswith("hours short in October 2026")
    assert row["Next review"] == "3-month review due 7 December 2026 (Due in 28 days)"
    assert row["Concerns"] == "None open"
    assert row["Evidence awaiting sign-off"] == "None waiting"
    assert row["Status"] == "Active"
    assert "Caseload over the protected cap" in row["Needs attention"]
    assert len(every) == 2
    assert '\'=HYPERLINK("http://example.com")' in [r["Worker"] for r in every]
    assert [r["Needs attention"] for r in every if r["Worker"].startswith("'")] == ["No"]


def _enrolments_with_something_of_each(count: int) -> None:
    for index, enrolment in enumerate(EnrolmentFactory.create_batch(count)):
        if index % 3 == 0:
            breach(enrolment)
        if index % 4 == 0:
            ConcernFactory(enrolment=enrolment)
            waiting_since(enrolment, date(2026, 10, 19))
        if index % 5 == 0:
            SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 2))


def test_the_page_makes_the_same_number_of_queries_for_10_and_200_enrolments(client, lead):
    client.force_login(lead)
    counts = []
    for count in (10, 190):
        _enrolments_with_something_of_each(count)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"attention": "on"}).status_code == 200
        counts.append(len(queries))
    # Session, user, roles (3); the key the page is kept under: the revision of what the reader
    # may see, which with no filter chosen is what the filters leave (1); the five filters'
    # choices (1); every enrolment judged without
    # its people: attention_for (9); the page's rows: their people (1) and coverage_for (4:
    # every enrolment here is pinned, so no framework candidates); the unread count in the
    # header; SAVEPOINT, session UPDATE, RELEASE.
    assert counts[0] == counts[1] == 23


def test_the_page_by_name_makes_the_same_number_of_queries_for_10_and_200_enrolments(client, lead):
    client.force_login(lead)
    counts = []
    for count in (10, 190):
        _enrolments_with_something_of_each(count)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    # As above, with the count of matching enrolments and the page's keys from the database
    # (2), then only the page's rows judged, with their people (9), and their coverage (4).
    assert counts[0] == counts[1] == 24


def test_pages_by_name_come_from_the_database_in_name_order_both_ways(client, lead, monkeypatch):
    monkeypatch.setattr(importlib.import_module("programmes.views.dashboard"), "ROWS_PER_PAGE", 2)
    for name in ("Cal", "Ann", "Dee", "Bea", "Eve"):
        EnrolmentFactory(worker__full_name=name)
    client.force_login(lead)

    pages = [rows_of(client, page=number) for number in (1, 2, 3)]
    backwards = rows_of(client, sort="-name", page=2)

    shown = [[n for n in ("Ann", "Bea", "Cal", "Dee", "Eve") if f">{n}</a>" in p] for p in pages]
    assert shown == [["Ann", "Bea"], ["Cal", "Dee"], ["Eve"]]
    assert ">Cal</a>" in backwards and ">Bea</a>" in backwards and ">Dee</a>" not in backwards
    assert "5 enrolments" in pages[2] and "Page 3 of 3" in pages[2]


def test_the_csv_makes_the_same_number_of_queries_for_10_and_200_enrolments(client, lead):
    client.force_login(lead)
    counts = []
    for count in (10, 190):
        _enrolments_with_something_of_each(count)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(EXPORT_URL).status_code == 200
        counts.append(len(queries))
    # Session, user, roles (3); every row judged with its people (9) and its coverage (4);
    # the session saved (3). No filter is chosen, so their choices are never read.
    assert counts[0] == counts[1] == 19


def test_home_links_managers_and_leads_to_the_dashboard(client, manager, worker):
    client.force_login(manager)
    assert URL in client.get(reverse("programmes:home")).content.decode()
    client.force_login(worker)
    assert URL not in client.get(reverse("programmes:home")).content.decode()


def test_the_filters_keep_the_choice_made_and_escape_every_name(client, lead):
    chosen = EnrolmentFactory(supervisor__full_name="Sam <Supervisor>")
    EnrolmentFactory()
    client.force_login(lead)

    page = rows_of(client, supervisor=chosen.supervisor_id)

    assert (
        f'<option value="{chosen.supervisor_id}" selected>Sam &lt;Supervisor&gt;</option>' in page
    )
    supervisors = page.split('<select name="supervisor" class="govuk-select" id="id_supervisor">')
    assert supervisors[1].split("</select>")[0].count(" selected>") == 1


def test_a_manager_who_also_supervises_elsewhere_sees_only_their_own_teams(
    client, manager, enrolment
):
    elsewhere = EnrolmentFactory(supervisor=manager)  # another team's worker
    client.force_login(manager)

    page = rows_of(client)

    assert escape(enrolment.worker.full_name) in page
    assert escape(elsewhere.worker.full_name) not in page
    assert [row["Worker"] for row in exported(client)] == [enrolment.worker.full_name]


def test_the_filters_list_what_the_visible_enrolments_name_in_one_query(
    lead, django_assert_num_queries
):
    older = CohortFactory(name="Older intake", intake_on=date(2025, 9, 1))
    newer = CohortFactory(name="Newer intake", intake_on=date(2026, 9, 7))
    nqsw = CohortFactory(
        name="Another newer", programme=programme("NQSW"), intake_on=newer.intake_on
    )
    zed = EnrolmentFactory(cohort=older, worker__team__name="Zed team", supervisor__full_name="Zoe")
    ada = EnrolmentFactory(cohort=newer, worker__team__name="Ada team", supervisor__full_name="Al")
    EnrolmentFactory(cohort=nqsw, worker__team__name="Mid team", supervisor__full_name="Mo")

    visible = Enrolment.objects.visible_to(lead)
    with django_assert_num_queries(1):
        lists = filter_choices(visible)

    assert [label for _pk, label in lists["programme"]] == [
        str(programme("ASYE-CF")),
        str(programme("NQSW")),
    ]
    # Newest intake first, then by name; the rest by name.
    assert [pk for pk, _label in lists["cohort"]] == [nqsw.pk, newer.pk, older.pk]
    assert [label for _pk, label in lists["team"]] == ["Ada team", "Mid team", "Zed team"]
    assert [label for _pk, label in lists["supervisor"]] == ["Al", "Mo", "Zoe"]
    assert {pk for pk, _label in lists["assessor"]} == {
        ada.assessor_id,
        zed.assessor_id,
        *Enrolment.objects.filter(cohort=nqsw).values_list("assessor_id", flat=True),
    }


def test_the_filters_list_nothing_a_manager_may_not_see(manager, enrolment, outsider):
    elsewhere = Enrolment.objects.exclude(pk=enrolment.pk).get()
    lists = filter_choices(managed_enrolments(manager))
    assert lists["team"] == [(enrolment.worker.team_id, enrolment.worker.team.name)]
    assert (elsewhere.supervisor_id, elsewhere.supervisor.full_name) not in lists["supervisor"]
    assert [pk for pk, _label in lists["cohort"]] == [enrolment.cohort_id]


@pytest.mark.parametrize("month", range(1, 13))
def test_a_long_date_is_written_as_date_format_writes_it(month):
    day = date(2027, month, 9 if month % 2 else 30 if month != 2 else 28)
    assert long_date(day) == date_format(day, "j F Y")
    assert long_date(None) == ""
