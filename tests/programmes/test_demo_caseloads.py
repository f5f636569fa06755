"""The demo council's caseloads: a weekly history for everyone, two over the cap now in Priya
Shah's team (one acknowledged, one new), one back within it; two short of protected time."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from people.models import User
from programmes import rules
from programmes.models import CaseloadBreach, CaseloadSnapshot, Enrolment, ProtectedTimeEntry
from programmes.selectors import enrolments_for_list
from programmes.selectors.caseloads import breaches_for, caseload_history, protected_time_status

pytestmark = pytest.mark.django_db

NORTH = "Assessment and Intervention North"
# Singled out by the supervision demo (overdue, short sessions) or walked through as the worker.
SUPERVISION_DEMO = {"Ben Hughes", "Megan Doherty", "Sofia Marin", "Alex Morgan"}


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", "--force", stdout=StringIO())


def _person(login: str) -> User:
    return User.objects.get(email=f"{login}@demo.example")


def test_every_active_enrolment_has_a_figure_each_week_from_its_start_to_today(demo, today):
    lead = _person("lead")
    ever_over, gaps = set(), set()
    for enrolment in enrolments_for_list(Enrolment.objects.current()):
        pauses = [pause.as_rule(today=today) for pause in enrolment.pauses.all()]
        weeks = (today - enrolment.started_on).days // 7 + 1
        every_week = [enrolment.started_on + timedelta(weeks=week) for week in range(weeks)]
        expected = [day for day in every_week if not rules.is_paused_on(pauses, day)]
        history = caseload_history(lead, enrolment)
        assert [point.snapshot.as_of for point in history] == expected, enrolment
        assert history[-1].snapshot.open_cases > history[0].snapshot.open_cases, enrolment
        assert all(point.snapshot.source == CaseloadSnapshot.Source.CSV for point in history)
        if any(point.is_over for point in history):
            ever_over.add(enrolment.worker.full_name)
        if len(expected) < weeks:
            gaps.add(enrolment.worker.full_name)
    # Within the cap for most: only the three whose breaches the demo shows ever went over it.
    assert ever_over == {"Kwame Asante", "Chloe Nguyen", "Oliver Grant"}
    assert gaps == {"Lucy Fraser"}  # on sick leave for a while: no figures while paused


def test_the_manager_sees_two_breaches_now_one_acknowledged_and_one_back_within(demo, today):
    manager = _person("manager")
    unresolved = list(breaches_for(manager).unresolved())
    assert [breach.status for breach in unresolved] == ["acknowledged", "open"]  # oldest first
    assert CaseloadBreach.objects.unresolved().count() == 2
    for breach in unresolved:
        worker = breach.enrolment.worker
        assert worker.team.name == NORTH and worker.team.manager == manager
        assert worker.full_name not in SUPERVISION_DEMO
        latest = breach.enrolment.caseload_snapshots.latest("as_of")
        assert latest.as_of > today - timedelta(days=7) and latest.open_cases > breach.cap
    acknowledged, new = unresolved
    assert acknowledged.detected_on < new.detected_on <= today
    assert acknowledged.plan and acknowledged.plan_due_on > today
    assert acknowledged.acknowledged_by == manager
    rows = acknowledged.history.order_by("history_date", "history_id")
    assert [(row.history_user, row.history_change_reason) for row in rows] == [
        (None, "Detected over the cap"),
        (manager, "Acknowledged with a plan"),
        (None, "Manager and supervisor told"),  # the morning's notices, queued by the demo
    ]

    resolved = CaseloadBreach.objects.get(status=CaseloadBreach.Status.RESOLVED)
    assert resolved in breaches_for(manager)
    assert resolved.enrolment.worker.full_name not in SUPERVISION_DEMO
    # Opened by detection on a past week's figure, ended by a later one within the cap.
    assert resolved.detected_on == resolved.snapshot_on
    assert resolved.detected_on < resolved.ended_on <= today - timedelta(weeks=2)
    assert resolved.resolved_by is None and resolved.resolution_note
    back = resolved.enrolment.caseload_snapshots.get(as_of=resolved.ended_on)
    assert back.open_cases <= resolved.cap


def test_last_month_most_logged_their_protected_time_and_two_fell_short(demo, today):
    statuses = protected_time_status(Enrolment.objects.current(), on=today)
    assert all(status.owed_hours > 0 for status in statuses.values())
    short = Enrolment.objects.filter(
        pk__in=[pk for pk, status in statuses.items() if status.has_shortfall]
    )
    assert sorted(short.values_list("worker__full_name", flat=True)) == [
        "Aisha Rahman",
        "Kwame Asante",
    ]
    entries = ProtectedTimeEntry.objects.select_related("enrolment")
    assert all(entry.enrolment.started_on <= entry.on <= today for entry in entries)
    assert all(entry.recorded_by_id == entry.enrolment.worker_id for entry in entries)
    assert len({entry.kind for entry in entries}) == len(ProtectedTimeEntry.Kind)
