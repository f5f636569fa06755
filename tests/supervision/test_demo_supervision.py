"""The demo council's supervision history: most on track, two overdue, one with short sessions."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from people.models import User
from programmes.models import Enrolment
from supervision import selectors
from supervision.models import SupervisionAction, SupervisionSession

pytestmark = pytest.mark.django_db

NORTH = "Assessment and Intervention North"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", "--force", stdout=StringIO())


def _person(login: str) -> User:
    return User.objects.get(email=f"{login}@demo.example")


def test_most_workers_are_on_track_two_are_overdue_and_one_has_short_sessions(demo, today):
    statuses = selectors.supervision_status(Enrolment.objects.current(), on=today).values()
    overdue = [status for status in statuses if status.is_overdue]
    assert len(overdue) == 2
    assert {status.enrolment.worker.team.name for status in overdue} == {NORTH}
    assert all(status.days_overdue >= 7 for status in overdue)  # some weeks

    short = SupervisionSession.objects.filter(is_short=True)
    short_enrolments = set(short.values_list("enrolment", flat=True))
    assert len(short_enrolments) == 1
    assert short.count() >= 2  # several, each kept but not counted
    assert all(
        45 <= session.minutes <= 60 and not session.counts_towards_cadence for session in short
    )
    assert not short_enrolments & {status.enrolment.pk for status in overdue}

    on_track = [status for status in statuses if not status.is_overdue]
    assert len(on_track) == len(statuses) - 2
    for status in on_track:
        assert status.last_held_on is not None, status.enrolment
        # Owed a session that is not yet late (none owed while paused or once the end has come).
        assert not status.is_owed or status.latest_on >= today, status.enrolment
    sessions = SupervisionSession.objects.exclude(is_short=True)
    assert all(90 <= session.minutes <= 120 for session in sessions)
    assert all(session.held_on <= today and session.held_on.weekday() < 5 for session in sessions)
    assert {session.kind for session in sessions} == {
        SupervisionSession.Kind.ONE_TO_ONE,
        SupervisionSession.Kind.REFLECTIVE,
    }


def test_the_supervisor_and_the_manager_see_who_is_overdue_and_one_draft_waits(demo, today):
    helen = _person("supervisor")
    assert any(status.is_overdue for status in selectors.supervisees(helen, on=today))
    rows = selectors.supervision_compliance(
        selectors.compliance_enrolments(_person("manager")), on=today
    )
    assert sum(1 for row in rows if row.status.is_overdue) == 2

    drafts = SupervisionSession.objects.filter(status=SupervisionSession.Status.DRAFT)
    assert [draft.supervisor for draft in drafts] == [helen]
    assert selectors.can_edit_draft(helen, drafts[0])


def test_alex_morgan_has_a_record_to_countersign_and_an_action_of_their_own(demo, today):
    alex = _person("worker")
    enrolment = Enrolment.objects.current().get(worker=alex)
    status = selectors.supervision_status(Enrolment.objects.filter(pk=enrolment.pk), on=today)
    assert not status[enrolment.pk].is_overdue
    sessions = selectors.sessions_for_enrolment(alex, enrolment)
    assert any(selectors.can_countersign(alex, session) for session in sessions)
    assert selectors.open_actions_for_enrolment(alex, enrolment).filter(owner=alex).exists()


def test_actions_are_some_done_some_open_and_the_history_says_who_and_why(demo):
    for enrolment in Enrolment.objects.current():
        actions = SupervisionAction.objects.filter(session__enrolment=enrolment)
        assert 1 <= actions.count() <= 5, enrolment
        assert actions.open().exists(), enrolment
        owners = set(actions.values_list("owner", flat=True))
        assert owners <= {enrolment.worker_id, enrolment.supervisor_id}
    done = SupervisionAction.objects.filter(done_on__isnull=False).select_related("done_by")
    assert done.count() >= 10
    marked = done[0].history.latest("history_date")
    assert (marked.history_user, marked.history_change_reason) == (done[0].done_by, "Marked done")

    session = (
        SupervisionSession.objects.filter(status=SupervisionSession.Status.COUNTERSIGNED)
        .select_related("supervisor", "enrolment__worker")
        .earliest("held_on")
    )
    assert session.worker_reflection and session.notes and session.wellbeing and session.agenda
    rows = session.history.order_by("history_date", "history_id")
    assert [(row.history_user, row.history_change_reason) for row in rows] == [
        (session.supervisor, "Recorded as a draft"),
        (session.supervisor, "Signed by the supervisor"),
        (session.enrolment.worker, "Countersigned by the worker"),
    ]
