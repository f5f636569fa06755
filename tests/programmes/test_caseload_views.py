"""Caseload, protected time and breach pages through the test client, as each persona."""

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from people.models import Role
from programmes.models import CaseloadBreach, CaseloadSnapshot, ProtectedTimeEntry
from programmes.services import (
    SnapshotRow,
    acknowledge_caseload_breach,
    detect_caseload_breaches,
    ingest_caseload_snapshots,
    record_protected_time,
    resolve_caseload_breach,
)
from programmes.views.caseload_chart import CaseloadRow, caseload_chart
from tests.factories import EnrolmentFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

# A Wednesday in programme week 11 of an enrolment starting on Monday 7 September 2026 (the
# factories' default). For a children's team with a full caseload of 18 at 1.0 FTE, the ASYE-CF
# caps open cases at 9 in weeks 1-6 (no child-protection cases as lead) and at 14 in weeks 7-26
# (two as lead). The last full month is October 2026: 22 working days at 10% of 7.4 hours.
TODAY = date(2026, 11, 18)
OWED_IN_OCTOBER = "16.3"


@pytest.fixture(autouse=True)
def _clock(monkeypatch) -> None:
    """Fix "today", so caps, day counts and the last full month read the same on any day."""
    real_localdate = timezone.localdate

    def localdate(*args: object, **kwargs: object) -> date:
        return real_localdate(*args, **kwargs) if args or kwargs else TODAY

    monkeypatch.setattr(timezone, "localdate", localdate)


def url(name: str, *args: object) -> str:
    return reverse(f"programmes:{name}", args=args)


def _words(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def visible(response) -> str:
    """The page as a person reads it: tags dropped, entities decoded, spaces collapsed."""
    main = response.content.decode().split('id="main-content"', 1)[-1]
    return _words(re.sub(r"<svg\b.*?</svg>", " ", main, flags=re.DOTALL))


def rows(response) -> list[str]:
    markup = response.content.decode()
    return [_words(row) for row in re.findall(r"<tr\b.*?</tr>", markup, flags=re.DOTALL)]


def svg(response) -> str:
    (chart,) = re.findall(r"<svg\b.*?</svg>", response.content.decode(), flags=re.DOTALL)
    return chart


def figures(enrolment, *days_and_figures, by=None, detected_on: date = TODAY) -> None:
    """Caseload figures stored as any source stores them, then detection run as the job does."""
    ingest_caseload_snapshots(
        rows=[
            SnapshotRow(enrolment_id=enrolment.pk, as_of=day, open_cases=open_cases, **more)
            for day, open_cases, more in days_and_figures
        ],
        source=CaseloadSnapshot.Source.CSV,
        recorded_by=by,
    )
    detect_caseload_breaches(on=detected_on, enrolment_ids=[enrolment.pk])


HISTORY = (
    (date(2026, 10, 5), 8, {}),  # week 5: cap 9
    (date(2026, 10, 26), 12, {"child_protection_cases": 1}),  # week 8: cap 14
    (date(2026, 11, 16), 17, {"child_protection_cases": 3}),  # week 11: over by 3, and on CP
)


def log_october(enrolment) -> None:
    for day, hours, kind in (
        (date(2026, 10, 14), "4", ProtectedTimeEntry.Kind.TRAINING),
        (date(2026, 10, 21), "2.5", ProtectedTimeEntry.Kind.STUDY),
        (date(2026, 11, 4), "3", ProtectedTimeEntry.Kind.SHADOWING),  # not in October
    ):
        record_protected_time(
            recorded_by=enrolment.worker,
            enrolment=enrolment,
            on=day,
            hours=Decimal(hours),
            kind=kind,
        )


def breach_for(enrolment) -> CaseloadBreach:
    figures(enrolment, (date(2026, 11, 16), 17, {}))
    return CaseloadBreach.objects.get(enrolment=enrolment)


class TestWhoMaySee:
    @pytest.mark.parametrize(
        ("persona", "status_code"),
        [
            ("anonymous", 302),
            ("worker", 200),
            ("supervisor", 200),
            ("assessor", 200),
            ("manager", 200),
            ("lead", 200),
            ("outsider", 404),
        ],
    )
    def test_the_caseload_page_is_for_anyone_who_may_see_the_enrolment(
        self, client, request, enrolment, persona, status_code
    ):
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        assert client.get(url("caseload", enrolment.pk)).status_code == status_code

    @pytest.mark.parametrize(
        ("persona", "status_code"),
        [
            ("worker", 403),
            ("supervisor", 200),
            ("assessor", 403),
            ("manager", 200),
            ("lead", 200),
            ("outsider", 404),
        ],
    )
    def test_the_supervisor_the_manager_or_a_lead_records_figures(
        self, client, request, enrolment, persona, status_code
    ):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(url("caseload-record", enrolment.pk)).status_code == status_code

    @pytest.mark.parametrize(
        ("persona", "status_code"),
        [
            ("worker", 200),
            ("supervisor", 200),
            ("assessor", 403),
            ("manager", 403),
            ("lead", 200),
            ("outsider", 404),
        ],
    )
    def test_the_worker_their_supervisor_or_a_lead_logs_protected_time(
        self, client, request, enrolment, persona, status_code
    ):
        client.force_login(request.getfixturevalue(persona))
        response = client.get(url("protected-time-create", enrolment.pk))
        assert response.status_code == status_code

    @pytest.mark.parametrize(
        ("persona", "status_code"),
        [
            ("anonymous", 302),
            ("worker", 403),
            ("supervisor", 403),
            ("assessor", 403),
            ("manager", 200),
            ("lead", 200),
            ("outsider", 200),  # a manager too: of their own team, whose list it shows
        ],
    )
    def test_the_breach_list_is_for_managers_and_leads(
        self, client, request, enrolment, persona, status_code
    ):
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        assert client.get(url("breach-list")).status_code == status_code

    @pytest.mark.parametrize("route", ["breach-acknowledge", "breach-resolve"])
    @pytest.mark.parametrize(
        ("persona", "status_code"),
        [
            ("worker", 403),
            ("supervisor", 403),
            ("assessor", 403),
            ("manager", 200),
            ("lead", 200),
            ("outsider", 404),
        ],
    )
    def test_the_manager_or_a_lead_works_a_breach_others_who_see_it_are_refused(
        self, client, request, enrolment, route, persona, status_code
    ):
        breach = breach_for(enrolment)
        client.force_login(request.getfixturevalue(persona))
        assert client.get(url(route, breach.pk)).status_code == status_code

    def test_a_resolved_breach_cannot_be_worked_again(self, client, manager, enrolment):
        breach = breach_for(enrolment)
        resolve_caseload_breach(resolved_by=manager, breach=breach, resolution_note="Wrong figure")
        client.force_login(manager)
        assert client.get(url("breach-acknowledge", breach.pk)).status_code == 403
        assert client.get(url("breach-resolve", breach.pk)).status_code == 403

    def test_managers_and_leads_have_the_breaches_in_their_navigation(
        self, client, manager, worker
    ):
        link = f'href="{url("breach-list")}"'
        client.force_login(manager)
        assert link in client.get(url("home")).content.decode()
        client.force_login(worker)
        assert link not in client.get(url("home")).content.decode()


class TestCaseloadPage:
    def test_the_summary_gives_the_cap_the_latest_figures_and_the_state_in_words(
        self, client, supervisor, enrolment
    ):
        figures(enrolment, *HISTORY)
        client.force_login(supervisor)

        page = visible(client.get(url("caseload", enrolment.pk)))

        assert "Cap today 14 open cases" in page
        assert "Child-protection cases as lead At most 2" in page
        assert "Complex cases as lead None as lead: co-working only." in page
        assert (
            "Latest figures 17 open cases on 16 November 2026 3 child-protection cases as lead"
        ) in page
        assert (
            "Against the cap Over Over the cap by 3 cases; over the child-protection limit" in page
        )
        assert "The caseload has been over the cap since 16 November 2026" in page
        assert "Record caseload figures" in page

    def test_the_chart_has_an_accessible_name_and_the_table_the_same_numbers(
        self, client, worker, enrolment
    ):
        figures(enrolment, *HISTORY)
        client.force_login(worker)

        response = client.get(url("caseload", enrolment.pk))

        chart = svg(response)
        assert 'role="img"' in chart
        assert 'aria-labelledby="caseload-chart-title caseload-chart-desc"' in chart
        assert (
            '<title id="caseload-chart-title">Open cases against the cap, 5 October 2026 to '
            "16 November 2026</title>"
        ) in chart
        assert (
            "Latest: 17 open cases on 16 November 2026 against a cap of 14. Over the cap by 3 "
            "cases; over the child-protection limit. The table below gives every figure."
        ) in _words(chart)
        # One marker per figure: circles within the cap, a square over it.
        assert chart.count("<circle") == 2 and chart.count("<rect") == 1 + 1  # + the legend's
        assert "style=" not in chart and "<script" not in chart
        assert rows(response)[1:4] == [
            "5 October 2026 8 9 0 0 Within the cap",
            "26 October 2026 12 14 1 2 Within the cap",
            "16 November 2026 17 14 3 2 Over the cap by 3 cases; over the child-protection limit",
        ]
        page = visible(response)
        assert "Your caseload and protected time" in page
        assert "Record caseload figures" not in page

    def test_protected_time_shows_last_months_shortfall_and_every_entry(
        self, client, manager, enrolment
    ):
        log_october(enrolment)
        client.force_login(manager)

        response = client.get(url("caseload", enrolment.pk))

        page = visible(response)
        assert f"October 2026 6.5 hours logged of {OWED_IN_OCTOBER} owed" in page
        assert "Shortfall Short 9.8 hours short in October 2026." in page
        assert "Log protected time" not in page  # the manager may not log it
        worker = enrolment.worker.full_name
        assert rows(response)[-3:] == [
            f"4 November 2026 Shadowing 3.0 – {worker}",
            f"21 October 2026 Study 2.5 – {worker}",
            f"14 October 2026 Training 4.0 – {worker}",
        ]

    def test_with_no_figures_the_page_says_what_to_do(self, client, supervisor, worker, enrolment):
        client.force_login(supervisor)
        response = client.get(url("caseload", enrolment.pk))
        assert "<svg" not in response.content.decode()
        page = visible(response)
        assert "No caseload figures yet. Record the figures from the case-management" in page
        assert "Latest figures None recorded yet" in page
        assert "No learning logged yet. The worker logs" in page

        client.force_login(worker)
        page = visible(client.get(url("caseload", enrolment.pk)))
        assert "No caseload figures yet. The supervisor, the team manager or the programme" in page
        assert "No learning logged yet. Log each training session" in page
        assert f"0 hours logged of {OWED_IN_OCTOBER} owed" in page

    def test_the_enrolment_page_and_home_link_to_it(self, client, worker, supervisor, enrolment):
        link = f'href="{url("caseload", enrolment.pk)}"'
        client.force_login(worker)
        assert link in client.get(url("enrolment-detail", enrolment.pk)).content.decode()
        assert link in client.get(url("home")).content.decode()
        client.force_login(supervisor)
        assert link in client.get(url("home")).content.decode()

    def test_query_count_is_flat(
        self, client, supervisor, enrolment, django_assert_max_num_queries
    ):
        client.force_login(supervisor)
        _history(enrolment, 3)
        # session, user, roles, enrolment (+ people, team, cohort), programme, pauses,
        # extensions, snapshots, the unresolved breach, protected time (enrolment, programme,
        # pauses, extensions), the entries, and the idle-timeout refresh of the session (3)
        # +1: the header's unread notifications count
        with django_assert_max_num_queries(18):
            client.get(url("caseload", enrolment.pk))
        _history(enrolment, 40)
        with django_assert_max_num_queries(18):
            response = client.get(url("caseload", enrolment.pk))
        assert len(response.context["rows"]) == 40


def _history(enrolment, count: int) -> None:
    """A figure and an hour of learning each day back from today, up to `count` of each."""
    days = [TODAY - timedelta(days=n) for n in range(count)]
    figures(enrolment, *((day, 10 + n % 8, {}) for n, day in enumerate(days)))
    for day in days:
        if not ProtectedTimeEntry.objects.filter(enrolment=enrolment, on=day).exists():
            record_protected_time(
                recorded_by=enrolment.worker,
                enrolment=enrolment,
                on=day,
                hours=Decimal(1),
                kind=ProtectedTimeEntry.Kind.STUDY,
            )


def snapshot_form(**changes: str) -> dict[str, str]:
    return {
        "as_of": "2026-11-16",
        "open_cases": "12",
        "child_protection_cases": "1",
        "complex_cases": "",
        "weighted_complexity": "",
        **changes,
    }


class TestRecordFigures:
    def test_figures_within_the_cap_are_saved_and_said_to_be_within(
        self, client, supervisor, enrolment
    ):
        client.force_login(supervisor)

        response = client.post(url("caseload-record", enrolment.pk), snapshot_form(), follow=True)

        assert response.redirect_chain == [(url("caseload", enrolment.pk), 302)]
        assert "The latest figures are within the cap." in visible(response)
        snapshot = CaseloadSnapshot.objects.get()
        assert (snapshot.open_cases, snapshot.child_protection_cases) == (12, 1)
        assert snapshot.source == CaseloadSnapshot.Source.MANUAL
        assert snapshot.recorded_by == supervisor
        assert not CaseloadBreach.objects.exists()

    def test_figures_over_the_cap_open_a_breach_and_say_so(self, client, manager, enrolment):
        client.force_login(manager)

        response = client.post(
            url("caseload-record", enrolment.pk),
            snapshot_form(open_cases="17", weighted_complexity="21.5"),
            follow=True,
        )

        page = visible(response)
        assert "Important Caseload figures saved. The caseload is over the cap: a breach" in page
        breach = CaseloadBreach.objects.get()
        assert (breach.open_cases, breach.cap, breach.limits) == (17, 14, ["open-cases"])
        assert CaseloadSnapshot.objects.get().weighted_complexity == Decimal("21.5")

    def test_figures_back_within_the_cap_close_the_breach(self, client, supervisor, enrolment):
        breach_for(enrolment)
        client.force_login(supervisor)

        response = client.post(
            url("caseload-record", enrolment.pk), snapshot_form(as_of="2026-11-17"), follow=True
        )

        assert "The caseload is back within the cap: the breach is closed." in visible(response)
        assert CaseloadBreach.objects.get().status == CaseloadBreach.Status.RESOLVED

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"as_of": "2026-11-19"}, "as_of", "The date must be today or in the past."),
            (
                {"as_of": "2026-09-01"},
                "as_of",
                "The date must be on or after the programme started (7 September 2026).",
            ),
            ({"as_of": "31/02/2026"}, "as_of", "Enter a real date, for example 7 September 2026"),
            (
                {"open_cases": "3", "child_protection_cases": "4"},
                "child_protection_cases",
                "Child-protection cases are part of the open cases: they cannot be more.",
            ),
            ({"open_cases": "-1"}, "open_cases", "The number of cases cannot be less than 0"),
            (
                {"open_cases": ""},
                "open_cases",
                "Enter the number of cases, or 0 if there are none",
            ),
            (
                {"complex_cases": "-2"},
                "complex_cases",
                "The number of cases cannot be less than 0",
            ),
            (
                {"weighted_complexity": "-0.5"},
                "weighted_complexity",
                "The weighted complexity cannot be less than 0",
            ),
        ],
    )
    def test_bad_figures_are_refused_with_what_to_do_and_nothing_is_saved(
        self, client, supervisor, enrolment, changes, field, message
    ):
        client.force_login(supervisor)

        response = client.post(url("caseload-record", enrolment.pk), snapshot_form(**changes))

        assert response.status_code == 200
        markup = response.content.decode()
        assert "<title>Error:" in markup
        assert f'<a href="#id_{field}">{message}</a>' in html.unescape(markup)
        assert not CaseloadSnapshot.objects.exists()
        assert not CaseloadSnapshot.history.exists()
        assert not CaseloadBreach.objects.exists()

    def test_the_worker_may_not_post_figures(self, client, worker, enrolment):
        client.force_login(worker)
        response = client.post(url("caseload-record", enrolment.pk), snapshot_form())
        assert response.status_code == 403
        assert not CaseloadSnapshot.objects.exists()


def time_form(**changes: str) -> dict[str, str]:
    return {"on": "2026-11-17", "hours": "1.5", "kind": "reflective-writing", "note": "", **changes}


class TestLogProtectedTime:
    def test_the_worker_logs_learning_and_sees_it_listed(self, client, worker, enrolment):
        client.force_login(worker)

        response = client.post(
            url("protected-time-create", enrolment.pk),
            time_form(note="Wrote up the first home visit"),
            follow=True,
        )

        assert response.redirect_chain == [(url("caseload", enrolment.pk), 302)]
        page = visible(response)
        assert "Logged 1.5 hours of reflective writing on 17 November 2026." in page
        assert (
            f"17 November 2026 Reflective writing 1.5 Wrote up the first home visit "
            f"{worker.full_name}"
        ) in rows(response)
        entry = ProtectedTimeEntry.objects.get()
        assert (entry.hours, entry.recorded_by) == (Decimal("1.5"), worker)

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"hours": "0.2"}, "hours", "Log at least half an hour."),
            ({"hours": "13"}, "hours", "Log at most 12 hours for one day."),
            ({"hours": "-1"}, "hours", "Log at least half an hour."),
            ({"hours": "two"}, "hours", "Enter the hours as a number, for example 1.5"),
            (
                {"hours": "1.25"},
                "hours",
                "Enter the hours with at most one decimal, for example 1.5",
            ),
            ({"on": "2026-11-19"}, "on", "The date must be today or in the past."),
            ({"kind": ""}, "kind", "Choose the kind of learning"),
        ],
    )
    def test_bad_entries_are_refused_with_what_to_do_and_nothing_is_saved(
        self, client, worker, enrolment, changes, field, message
    ):
        client.force_login(worker)

        response = client.post(url("protected-time-create", enrolment.pk), time_form(**changes))

        assert response.status_code == 200
        assert f'<a href="#id_{field}">{message}</a>' in html.unescape(response.content.decode())
        assert not ProtectedTimeEntry.objects.exists()
        assert not ProtectedTimeEntry.history.exists()


class TestBreachList:
    def test_a_manager_sees_their_teams_breaches_oldest_first_and_a_lead_sees_all(
        self, client, manager, lead, enrolment
    ):
        colleague = EnrolmentFactory(worker__team=enrolment.worker.team)
        elsewhere = EnrolmentFactory()
        figures(colleague, (date(2026, 11, 2), 15, {}), detected_on=date(2026, 11, 2))
        for other in (enrolment, elsewhere):
            figures(other, (date(2026, 11, 16), 17, {"child_protection_cases": 3}))

        client.force_login(manager)
        response = client.get(url("breach-list"))

        names = [row.split(" ")[0:2] for row in rows(response)[1:3]]
        assert names == [
            colleague.worker.full_name.split(" ")[0:2],
            enrolment.worker.full_name.split(" ")[0:2],
        ]
        page = visible(response)
        assert "2 breaches not yet resolved" in page
        assert escape(elsewhere.worker.full_name) not in page
        row = rows(response)[2]
        assert (
            "16 November 2026 2 days 17 open cases (cap 14) 3 child-protection cases as lead "
            "(limit 2) Over on: open cases, child-protection cases Open Waiting for a plan "
            "Acknowledge the breach for"
        ) in row

        client.force_login(lead)
        page = visible(client.get(url("breach-list")))
        assert "3 breaches not yet resolved" in page
        assert escape(elsewhere.worker.full_name) in page

    def test_an_acknowledged_breach_past_its_plan_date_says_so(self, client, manager, enrolment):
        breach = breach_for(enrolment)
        acknowledge_caseload_breach(
            acknowledged_by=manager,
            breach=breach,
            plan="Two cases move to a senior practitioner.",
            plan_due_on=TODAY,
        )
        client.force_login(manager)
        url_today = url("breach-list")
        row = rows(client.get(url_today))[1]
        assert "Acknowledged Back within the cap by 18 November 2026" in row
        assert "Two cases move to a senior practitioner." in row
        assert "Past its plan date" not in row
        assert "Acknowledge the breach" not in row and "Resolve the breach" in row

        CaseloadBreach.objects.filter(pk=breach.pk).update(plan_due_on=date(2026, 11, 17))
        assert "Acknowledged Past its plan date" in rows(client.get(url_today))[1]

    def test_breaches_resolved_in_the_last_90_days_are_listed_below(
        self, client, manager, enrolment
    ):
        breach = breach_for(enrolment)
        resolve_caseload_breach(
            resolved_by=manager, breach=breach, resolution_note="The figure was a typing slip."
        )
        older = breach_for(EnrolmentFactory(worker__team=enrolment.worker.team))
        resolve_caseload_breach(resolved_by=manager, breach=older, resolution_note="Long ago")
        CaseloadBreach.objects.filter(pk=older.pk).update(
            resolved_at=timezone.now() - timedelta(days=91)
        )
        client.force_login(manager)

        response = client.get(url("breach-list"))

        page = visible(response)
        assert "No breaches. When a worker's caseload figures go over the cap" in page
        assert "Resolved in the last 90 days" in page
        assert "The figure was a typing slip." in page
        assert "Long ago" not in page

    def test_a_breach_that_ended_by_itself_shows_the_day_the_figures_came_back(
        self, client, manager, enrolment
    ):
        figures(enrolment, (date(2026, 11, 2), 17, {}), detected_on=date(2026, 11, 2))
        figures(enrolment, (date(2026, 11, 9), 12, {}), detected_on=TODAY)
        client.force_login(manager)

        resolved = [row for row in rows(client.get(url("breach-list"))) if "came back" in row]

        assert resolved == [
            f"{enrolment.worker.full_name} {enrolment.worker.team.name} 2 November 2026 "
            "9 November 2026 The caseload came back within the cap."
        ]

    def test_with_nothing_to_show_the_page_says_so(self, client, manager):
        client.force_login(manager)
        page = visible(client.get(url("breach-list")))
        assert "No breaches." in page
        assert "None resolved in the last 90 days." in page

    def test_protected_time_shortfalls_in_the_managers_teams_are_listed(
        self, client, manager, enrolment
    ):
        log_october(enrolment)
        elsewhere = EnrolmentFactory()
        client.force_login(manager)

        response = client.get(url("breach-list"))

        assert "Protected time short in October 2026" in visible(response)
        assert (
            f"{enrolment.worker.full_name} {enrolment.worker.team.name} {OWED_IN_OCTOBER} 6.5 9.8"
            in rows(response)
        )
        assert elsewhere.worker.full_name not in visible(response)

    def test_query_count_is_flat(self, client, django_assert_max_num_queries):
        manager = UserFactory(roles=[Role.MANAGER])
        team = TeamFactory(manager=manager)
        client.force_login(manager)
        _breaches(3, team)
        # session, user, roles, protected time (enrolments, programmes, pauses, extensions),
        # the enrolments with their workers, unresolved breaches (+ worker, team, supervisor,
        # acknowledger), resolved breaches, and the idle-timeout refresh of the session (3)
        # +1: the header's unread notifications count
        with django_assert_max_num_queries(14):
            client.get(url("breach-list"))
        _breaches(30, team)
        with django_assert_max_num_queries(14):
            response = client.get(url("breach-list"))
        assert len(response.context["rows"]) == 22  # two in three are acknowledged or open
        assert len(response.context["resolved"]) == 11


def _breaches(count: int, team) -> None:
    """Breaches in each state: open, acknowledged with a plan, resolved by hand."""
    enrolments = EnrolmentFactory.create_batch(count, worker__team=team)
    ingest_caseload_snapshots(
        rows=[SnapshotRow(enrolment_id=e.pk, as_of=TODAY, open_cases=17) for e in enrolments],
        source=CaseloadSnapshot.Source.CSV,
        recorded_by=None,
    )
    detect_caseload_breaches(on=TODAY, enrolment_ids=[e.pk for e in enrolments])
    for index, breach in enumerate(CaseloadBreach.objects.filter(enrolment__in=enrolments)):
        if index % 3 == 1:
            acknowledge_caseload_breach(
                acknowledged_by=team.manager, breach=breach, plan="Reallocate", plan_due_on=TODAY
            )
        elif index % 3 == 2:
            resolve_caseload_breach(
                resolved_by=team.manager, breach=breach, resolution_note="Wrong figure"
            )


class TestWorkBreach:
    def test_the_manager_acknowledges_with_a_plan_and_a_date(self, client, manager, enrolment):
        breach = breach_for(enrolment)
        client.force_login(manager)
        form_page = visible(client.get(url("breach-acknowledge", breach.pk)))
        assert "Over the cap since 16 November 2026 Figures 17 open cases (cap 14)" in form_page

        response = client.post(
            url("breach-acknowledge", breach.pk),
            {"plan": "Move two cases to Sam.", "plan_due_on": "2026-12-04"},
            follow=True,
        )

        assert response.redirect_chain == [(url("breach-list"), 302)]
        name = enrolment.worker.full_name
        assert (
            f"Breach acknowledged. {name}'s caseload is due back within the cap by 4 December 2026."
        ) in visible(response)
        breach.refresh_from_db()
        assert breach.status == CaseloadBreach.Status.ACKNOWLEDGED
        assert (breach.plan, breach.plan_due_on) == ("Move two cases to Sam.", date(2026, 12, 4))
        assert breach.acknowledged_by == manager

    @pytest.mark.parametrize(
        ("data", "errors"),
        [
            (
                {},
                {
                    "plan": "Say how the caseload will come back within the cap.",
                    "plan_due_on": "Enter the date",
                },
            ),
            (
                {"plan": "Move two cases.", "plan_due_on": "2026-11-17"},
                {"plan_due_on": "The date must be today or in the future."},
            ),
            (
                {"plan": "   ", "plan_due_on": "2026-12-04"},
                {"plan": "Say how the caseload will come back within the cap."},
            ),
        ],
    )
    def test_acknowledging_needs_a_plan_and_a_date_not_in_the_past(
        self, client, manager, enrolment, data, errors
    ):
        breach = breach_for(enrolment)
        client.force_login(manager)

        response = client.post(url("breach-acknowledge", breach.pk), data)

        markup = html.unescape(response.content.decode())
        for field, message in errors.items():
            assert f'<a href="#id_{field}">{message}</a>' in markup
        breach.refresh_from_db()
        assert breach.status == CaseloadBreach.Status.OPEN
        assert breach.history.count() == 1

    def test_the_manager_resolves_with_a_note_and_it_moves_to_resolved(
        self, client, manager, enrolment
    ):
        breach = breach_for(enrolment)
        client.force_login(manager)

        empty = client.post(url("breach-resolve", breach.pk), {"resolution_note": ""})
        assert '<a href="#id_resolution_note">Say how the breach was resolved.</a>' in (
            html.unescape(empty.content.decode())
        )
        assert CaseloadBreach.objects.get().status == CaseloadBreach.Status.OPEN

        response = client.post(
            url("breach-resolve", breach.pk),
            {"resolution_note": "The figure counted closed cases."},
            follow=True,
        )

        page = visible(response)
        assert f"Breach resolved for {enrolment.worker.full_name}." in page
        assert "No breaches." in page
        assert "The figure counted closed cases." in page
        breach.refresh_from_db()
        assert (breach.status, breach.resolved_by) == (CaseloadBreach.Status.RESOLVED, manager)

    def test_the_worker_may_not_post_an_acknowledgement(self, client, worker, enrolment):
        breach = breach_for(enrolment)
        client.force_login(worker)
        response = client.post(
            url("breach-acknowledge", breach.pk), {"plan": "x", "plan_due_on": "2026-12-04"}
        )
        assert response.status_code == 403
        assert CaseloadBreach.objects.get().status == CaseloadBreach.Status.OPEN


def chart_row(day: date, open_cases: int, cap: int | None) -> CaseloadRow:
    over = cap is not None and open_cases > cap
    return CaseloadRow(day, open_cases, cap, 0, None, None, None, cap is None, over, "")


class TestChart:
    def test_one_figure_sits_in_the_middle_with_the_cap_across_the_width(self):
        chart = caseload_chart([chart_row(date(2026, 11, 16), 17, 14)])
        (marker,) = chart.markers
        assert (marker.x, chart.cap_path) == ("320", "M 48 112.4 H 592")
        assert [tick.value for tick in chart.y_ticks] == [0, 5, 10, 15, 20]

    def test_the_cap_steps_where_it_changes_and_breaks_while_paused(self):
        chart = caseload_chart(
            [
                chart_row(date(2026, 10, 1), 8, 9),
                chart_row(date(2026, 10, 11), 8, 14),
                chart_row(date(2026, 10, 21), 8, None),
                chart_row(date(2026, 10, 31), 16, 14),
            ]
        )
        assert chart.cap_path == "M 48 169.4 H 229.3 V 112.4 M 584 112.4 H 600"
        assert chart.cases_line == "48,180.8 229.3,180.8 410.7,180.8 592,89.6"
        assert [tick.value for tick in chart.x_ticks] == [
            date(2026, 10, 1),
            date(2026, 10, 11),
            date(2026, 10, 21),
            date(2026, 10, 31),
        ]

    def test_no_figures_no_chart(self):
        assert caseload_chart([]) is None


class TestSupervisorsHome:
    def test_the_supervisor_sees_who_is_over_the_cap_and_short_of_time_first(
        self, client, enrolment
    ):
        within = EnrolmentFactory(supervisor=enrolment.supervisor, worker__full_name="Zoe Abbott")
        figures(within, (date(2026, 11, 16), 10, {}))
        log_october(within)
        figures(enrolment, *HISTORY)
        client.force_login(enrolment.supervisor)
        response = client.get(reverse("programmes:home"))
        table = [row for row in rows(response) if "open cases on" in row]
        assert table == [
            f"{enrolment.worker.full_name} : caseload and protected time "
            "17 open cases on 16 November 2026 Cap: 14 "
            "Over Over the cap by 3 cases; over the child-protection limit "
            f"Short 0 of {OWED_IN_OCTOBER} hours logged",
            "Zoe Abbott : caseload and protected time 10 open cases on 16 November 2026 Cap: 14 "
            f"Within the cap Short 6.5 of {OWED_IN_OCTOBER} hours logged",
        ]

    def test_a_supervisee_without_figures_is_shown_what_to_do(self, client, enrolment):
        client.force_login(enrolment.supervisor)
        page = visible(client.get(reverse("programmes:home")))
        assert "No figures yet Record the first figures from the worker's page." in page
