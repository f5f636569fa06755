"""Protected caseloads on the real database: figures in, breaches found, told, escalated, worked.

The factories' enrolment starts on Monday 7 September 2026 in a children's team (full caseload
18) at full time: its cap is 9 open cases in weeks 1-6, 14 in weeks 7-26 (child protection
at most 2, complex none) and 16 from week 27 (child protection 4, complex 1).

Ingest and detection queue their Celery tasks with transaction.on_commit; these tests run inside
a transaction that never commits, so nothing reaches a broker.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from people.models import Notification, Role
from people.notifications import deliver_pending_notifications
from programmes.models import (
    CaseloadBreach,
    CaseloadImportProfile,
    CaseloadSnapshot,
    Enrolment,
    EnrolmentPause,
    ProtectedTimeEntry,
)
from programmes.services.caseloads import (
    SnapshotRow,
    acknowledge_caseload_breach,
    detect_caseload_breaches,
    escalate_caseload_breaches,
    ingest_caseload_snapshots,
    notify_caseload_breaches,
    record_caseload_snapshot,
    record_protected_time,
    resolve_caseload_breach,
    save_import_profile,
)
from programmes.services.enrolments import end_enrolment
from tests.factories import EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db

# A Wednesday in programme week 32: every date below is in the past.
TODAY = date(2027, 4, 14)
# Mondays of weeks 9, 10 and 11, when the cap is 14 open cases.
FIRST, SECOND, THIRD = date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)
CSV = CaseloadSnapshot.Source.CSV


@pytest.fixture(autouse=True)
def _clock(monkeypatch) -> None:
    """Fix "today": the services refuse future dates and past plan dates against it."""
    real_localdate = timezone.localdate

    def localdate(*args: object, **kwargs: object) -> date:
        return real_localdate(*args, **kwargs) if args or kwargs else TODAY

    monkeypatch.setattr(timezone, "localdate", localdate)


def row(enrolment: Enrolment, as_of: date, open_cases: int, **figures) -> SnapshotRow:
    return SnapshotRow(enrolment_id=enrolment.pk, as_of=as_of, open_cases=open_cases, **figures)


def ingest(*rows: SnapshotRow, recorded_by=None):
    return ingest_caseload_snapshots(rows=list(rows), source=CSV, recorded_by=recorded_by)


def over_the_cap(enrolment: Enrolment, as_of: date = FIRST) -> CaseloadBreach:
    """A figure of 15 against a cap of 14, detected: an open breach."""
    ingest(row(enrolment, as_of, 15))
    detect_caseload_breaches(on=as_of)
    return CaseloadBreach.objects.get(enrolment=enrolment, status=CaseloadBreach.Status.OPEN)


class TestIngest:
    def test_new_figures_are_stored_each_with_a_history_row_naming_who(self, enrolment, lead):
        other = EnrolmentFactory()
        result = ingest(
            row(enrolment, FIRST, 12, child_protection_cases=1, complex_cases=0),
            row(other, FIRST, 7, weighted_complexity=Decimal("9.50")),
            recorded_by=lead,
        )
        assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
        assert result.enrolment_ids == {enrolment.pk, other.pk}
        snapshot = CaseloadSnapshot.objects.get(enrolment=enrolment)
        assert (snapshot.as_of, snapshot.open_cases, snapshot.child_protection_cases) == (
            FIRST,
            12,
            1,
        )
        assert (snapshot.source, snapshot.recorded_by) == (CSV, lead)
        assert CaseloadSnapshot.objects.get(enrolment=other).weighted_complexity == Decimal("9.5")
        history = CaseloadSnapshot.history.all()
        assert {(h.history_user, h.history_change_reason) for h in history} == {
            (lead, "Caseload recorded (csv)")
        }
        assert history.count() == 2

    def test_the_same_figures_again_change_nothing_and_add_no_history(
        self, enrolment, django_capture_on_commit_callbacks
    ):
        rows = [row(enrolment, FIRST, 12), row(enrolment, SECOND, 13, complex_cases=0)]
        # Captured, never run: detection is queued once the figures are committed.
        with django_capture_on_commit_callbacks() as queued:
            ingest(*rows)
        assert len(queued) == 1
        recorded_at = set(CaseloadSnapshot.objects.values_list("recorded_at", flat=True))

        with django_capture_on_commit_callbacks() as queued:
            result = ingest(*rows, recorded_by=UserFactory())

        assert queued == []  # nothing changed, so nothing to detect
        assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
        assert set(CaseloadSnapshot.objects.values_list("recorded_at", flat=True)) == recorded_at
        assert CaseloadSnapshot.objects.count() == 2
        assert CaseloadSnapshot.history.count() == 2

    def test_a_corrected_figure_replaces_the_day_and_history_keeps_the_old(self, enrolment, lead):
        ingest(row(enrolment, FIRST, 12))
        result = ingest(row(enrolment, FIRST, 11, child_protection_cases=2), recorded_by=lead)

        assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
        snapshot = CaseloadSnapshot.objects.get()
        assert (snapshot.open_cases, snapshot.child_protection_cases) == (11, 2)
        old, new = snapshot.history.order_by("history_date", "history_id")
        assert (old.open_cases, old.child_protection_cases) == (12, 0)
        assert (new.open_cases, new.history_user, new.history_change_reason) == (
            11,
            lead,
            "Caseload corrected (csv)",
        )

    def test_two_lines_for_the_same_day_store_the_later(self, enrolment):
        result = ingest(row(enrolment, FIRST, 12), row(enrolment, FIRST, 10))
        assert result.created == 1
        assert CaseloadSnapshot.objects.get().open_cases == 10

    def test_a_row_that_breaks_a_rule_saves_none_of_the_batch(self, enrolment):
        """The caller checks each row; should one slip through, the database refuses it all."""
        other = EnrolmentFactory()
        with pytest.raises(IntegrityError):
            ingest(row(other, FIRST, 12), row(enrolment, FIRST, 3, child_protection_cases=4))
        assert not CaseloadSnapshot.objects.exists()
        assert not CaseloadSnapshot.history.exists()

    def test_a_bad_correction_undoes_the_new_figures_written_before_it(self, enrolment):
        ingest(row(enrolment, FIRST, 12))
        other = EnrolmentFactory()
        with pytest.raises(IntegrityError):
            ingest(row(other, FIRST, 5), row(enrolment, FIRST, 3, child_protection_cases=4))
        assert list(CaseloadSnapshot.objects.values_list("enrolment", "open_cases")) == [
            (enrolment.pk, 12)
        ]
        assert CaseloadSnapshot.history.count() == 1


class TestRecordSnapshot:
    @pytest.mark.parametrize("persona", ["supervisor", "manager", "lead"])
    def test_a_figure_over_the_cap_is_stored_and_its_breach_opened_at_once(
        self, request, enrolment, persona
    ):
        person = request.getfixturevalue(persona)
        record_caseload_snapshot(
            recorded_by=person, enrolment=enrolment, as_of=FIRST, open_cases=15
        )
        snapshot = CaseloadSnapshot.objects.get()
        assert (snapshot.source, snapshot.recorded_by) == (CaseloadSnapshot.Source.MANUAL, person)
        assert snapshot.history.get().history_user == person
        breach = CaseloadBreach.objects.get()
        assert (breach.detected_on, breach.snapshot_on, breach.open_cases) == (TODAY, FIRST, 15)

    @pytest.mark.parametrize("persona", ["worker", "assessor", "outsider"])
    def test_others_may_not_record(self, request, enrolment, persona):
        with pytest.raises(PermissionDenied):
            record_caseload_snapshot(
                recorded_by=request.getfixturevalue(persona),
                enrolment=enrolment,
                as_of=FIRST,
                open_cases=15,
            )
        assert not CaseloadSnapshot.objects.exists()

    @pytest.mark.parametrize(
        ("figures", "errors"),
        [
            pytest.param(
                {"as_of": TODAY + timedelta(days=1)},
                {"as_of": ["The date must be today or in the past."]},
                id="tomorrow",
            ),
            pytest.param(
                {"as_of": date(2026, 9, 6)},
                {
                    "as_of": [
                        "The date must be on or after the programme started (7 September 2026)."
                    ]
                },
                id="before-the-start",
            ),
            pytest.param(
                {"child_protection_cases": 13},
                {
                    "child_protection_cases": [
                        "Child-protection cases are part of the open cases: they cannot be more."
                    ]
                },
                id="more-child-protection-than-open",
            ),
            pytest.param(
                {"complex_cases": 13},
                {
                    "complex_cases": [
                        "Complex cases are part of the open cases: they cannot be more."
                    ]
                },
                id="more-complex-than-open",
            ),
        ],
    )
    def test_a_figure_that_cannot_be_right_is_refused_and_nothing_saved(
        self, supervisor, enrolment, figures, errors
    ):
        values = {"as_of": FIRST, "open_cases": 12, **figures}
        with pytest.raises(ValidationError) as refusal:
            record_caseload_snapshot(recorded_by=supervisor, enrolment=enrolment, **values)
        assert refusal.value.message_dict == errors
        assert not CaseloadSnapshot.objects.exists()
        assert not CaseloadSnapshot.history.exists()

    def test_today_and_the_first_day_are_accepted(self, supervisor, enrolment):
        for day in (TODAY, enrolment.started_on):
            record_caseload_snapshot(
                recorded_by=supervisor, enrolment=enrolment, as_of=day, open_cases=3
            )
        assert CaseloadSnapshot.objects.count() == 2


class TestDetection:
    def test_a_latest_figure_over_the_cap_opens_a_breach_with_the_cap_of_that_day(self, enrolment):
        ingest(row(enrolment, FIRST, 15, child_protection_cases=1, complex_cases=0))
        found = detect_caseload_breaches(on=SECOND)

        breach = CaseloadBreach.objects.get()
        assert found.opened == [breach] and found.ended == []
        assert (breach.status, breach.detected_on, breach.snapshot_on) == ("open", SECOND, FIRST)
        assert (breach.open_cases, breach.cap, breach.limits) == (15, 14, ["open-cases"])
        assert (breach.child_protection_cases, breach.child_protection_cap) == (1, 2)
        assert (breach.complex_cases, breach.complex_cap) == (0, 0)
        assert breach.notified_at is None and breach.plan == ""
        history = breach.history.get()
        assert (history.history_user, history.history_change_reason) == (
            None,
            "Detected over the cap",
        )

    def test_running_twice_opens_no_second_breach(
        self, enrolment, django_capture_on_commit_callbacks
    ):
        ingest(row(enrolment, FIRST, 15))
        with django_capture_on_commit_callbacks() as queued:  # the notices, after commit
            detect_caseload_breaches(on=FIRST)
        assert len(queued) == 1
        with django_capture_on_commit_callbacks() as queued:
            found = detect_caseload_breaches(on=FIRST)
        assert queued == []
        assert (found.opened, found.ended) == ([], [])
        assert CaseloadBreach.objects.count() == 1
        assert CaseloadBreach.history.count() == 1

    def test_a_higher_figure_while_one_is_unresolved_opens_no_second(self, enrolment, manager):
        breach = over_the_cap(enrolment)
        ingest(row(enrolment, SECOND, 17))
        detect_caseload_breaches(on=SECOND)
        acknowledge_caseload_breach(
            acknowledged_by=manager, breach=breach, plan="Reallocate two", plan_due_on=TODAY
        )
        ingest(row(enrolment, THIRD, 18))
        detect_caseload_breaches(on=THIRD)

        breach = CaseloadBreach.objects.get()  # still the one breach, from the first figure
        assert (breach.snapshot_on, breach.open_cases, breach.status) == (
            FIRST,
            15,
            "acknowledged",
        )

    def test_it_ends_when_the_latest_figure_is_back_within_the_cap(self, enrolment):
        breach = over_the_cap(enrolment)
        ingest(row(enrolment, SECOND, 14))
        found = detect_caseload_breaches(on=THIRD)

        breach.refresh_from_db()
        assert found.ended == [breach]
        assert (breach.status, breach.ended_on) == (CaseloadBreach.Status.RESOLVED, SECOND)
        assert breach.resolved_at is not None and breach.resolved_by is None
        assert breach.resolution_note == "The caseload came back within the cap."
        latest = breach.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (None, "Back within the cap")
        assert breach.history.count() == 2

    def test_an_acknowledged_breach_ends_the_same_way(self, enrolment, manager):
        breach = over_the_cap(enrolment)
        acknowledge_caseload_breach(
            acknowledged_by=manager, breach=breach, plan="Reallocate one", plan_due_on=TODAY
        )
        ingest(row(enrolment, SECOND, 13))
        detect_caseload_breaches(on=SECOND)
        breach.refresh_from_db()
        assert (breach.status, breach.ended_on, breach.plan) == (
            "resolved",
            SECOND,
            "Reallocate one",
        )

    def test_a_correction_of_the_figure_that_opened_it_ends_it_on_that_day(self, enrolment):
        breach = over_the_cap(enrolment)
        ingest(row(enrolment, FIRST, 13))
        detect_caseload_breaches(on=FIRST)
        breach.refresh_from_db()
        assert (breach.status, breach.ended_on) == ("resolved", FIRST)

    def test_an_older_figure_within_the_cap_is_not_the_latest(self, enrolment):
        ingest(row(enrolment, FIRST, 10), row(enrolment, SECOND, 15))
        detect_caseload_breaches(on=THIRD)
        assert CaseloadBreach.objects.get().snapshot_on == SECOND

    def test_figures_dated_after_the_day_of_detection_are_not_yet_counted(self, enrolment):
        ingest(row(enrolment, FIRST, 10), row(enrolment, THIRD, 15))
        detect_caseload_breaches(on=SECOND)
        assert not CaseloadBreach.objects.exists()

    @pytest.mark.parametrize("ends_on", [date(2026, 11, 8), None], ids=["ended", "still-open"])
    def test_a_figure_from_a_paused_week_is_never_a_breach(self, enrolment, lead, ends_on):
        EnrolmentPause.objects.create(
            enrolment=enrolment,
            starts_on=date(2026, 10, 26),
            ends_on=ends_on,
            reason=EnrolmentPause.Reason.SICKNESS,
            recorded_by=lead,
        )
        ingest(row(enrolment, FIRST, 30))
        assert detect_caseload_breaches(on=FIRST).opened == []
        assert not CaseloadBreach.objects.exists()

    def test_earlier_pauses_move_the_phase_boundary_and_open_one_breach(self, enrolment, lead):
        for starts_on in (date(2026, 9, 21), date(2026, 10, 5)):
            EnrolmentPause.objects.create(
                enrolment=enrolment,
                starts_on=starts_on,
                ends_on=starts_on + timedelta(days=6),
                reason=EnrolmentPause.Reason.OTHER,
                recorded_by=lead,
            )
        # Monday 26 October 2026 would start week 8; two weeks paused keep it in week 6 (cap 9).
        ingest(row(enrolment, date(2026, 10, 26), 10))
        detect_caseload_breaches(on=TODAY)
        breach = CaseloadBreach.objects.get()
        assert (breach.cap, breach.limits) == (9, ["open-cases"])

    def test_enrolments_with_no_figures_or_no_longer_active_are_left_alone(self, enrolment):
        EnrolmentFactory()  # no figures at all
        ended = EnrolmentFactory(status=Enrolment.Status.COMPLETED, ended_on=SECOND)
        ingest(row(ended, FIRST, 30))
        assert detect_caseload_breaches(on=THIRD).opened == []
        assert not CaseloadBreach.objects.exists()

    @pytest.mark.parametrize(
        ("as_of", "figures", "limits"),
        [
            # Week 6 (cap 9) ends on Sunday 18 October 2026; week 7 (cap 14) starts on the 19th.
            pytest.param(date(2026, 10, 18), {"open_cases": 10}, ["open-cases"], id="wk6-10-of-9"),
            pytest.param(date(2026, 10, 19), {"open_cases": 10}, [], id="wk7-10-of-14"),
            # Week 26 (cap 14) ends on Sunday 7 March 2027; week 27 (cap 16) starts on the 8th.
            pytest.param(date(2027, 3, 7), {"open_cases": 15}, ["open-cases"], id="wk26-15-of-14"),
            pytest.param(date(2027, 3, 8), {"open_cases": 15}, [], id="wk27-15-of-16"),
            pytest.param(
                date(2027, 3, 7),
                {"open_cases": 10, "child_protection_cases": 3},
                ["child-protection"],
                id="wk26-3-child-protection-of-2",
            ),
            pytest.param(
                date(2027, 3, 8),
                {"open_cases": 10, "child_protection_cases": 3},
                [],
                id="wk27-3-child-protection-of-4",
            ),
            pytest.param(
                date(2027, 3, 7),
                {"open_cases": 10, "complex_cases": 1},
                ["complex"],
                id="wk26-1-complex-of-0",
            ),
            pytest.param(
                date(2027, 3, 8), {"open_cases": 10, "complex_cases": 1}, [], id="wk27-1-of-1"
            ),
        ],
    )
    def test_the_latest_figure_is_judged_against_the_cap_of_its_own_date(
        self, enrolment, as_of, figures, limits
    ):
        """Detection runs in week 32 (cap 16): each figure still meets the cap of its day."""
        ingest(SnapshotRow(enrolment_id=enrolment.pk, as_of=as_of, **figures))
        detect_caseload_breaches(on=TODAY)
        assert [breach.limits for breach in CaseloadBreach.objects.all()] == (
            [limits] if limits else []
        )

    def test_the_enrolments_given_are_the_only_ones_judged(self, enrolment):
        other = EnrolmentFactory()
        ingest(row(enrolment, FIRST, 15), row(other, FIRST, 15))
        detect_caseload_breaches(on=FIRST, enrolment_ids=[other.pk])
        assert list(CaseloadBreach.objects.values_list("enrolment", flat=True)) == [other.pk]

    @pytest.mark.parametrize("size", [5, 50])
    def test_the_query_count_is_the_same_for_5_and_50_enrolments(
        self, size, django_assert_num_queries
    ):
        """Half the enrolments come back within the cap, half go over it, in one run."""
        enrolments = EnrolmentFactory.create_batch(size)
        ending, opening = enrolments[: size // 2], enrolments[size // 2 :]
        ingest(*[row(enrolment, FIRST, 15) for enrolment in ending])
        detect_caseload_breaches(on=FIRST)
        ingest(
            *[row(enrolment, SECOND, 14) for enrolment in ending],
            *[row(enrolment, SECOND, 15) for enrolment in opening],
        )
        # SAVEPOINT; the unresolved breaches, locked; the latest figures with what each cap
        # depends on (team, programme, pauses); the programmes' caseload phases; INSERT the new
        # breaches and INSERT their history rows; UPDATE the ended breaches and INSERT their
        # history rows; RELEASE SAVEPOINT. (SQLite, allowed 999 parameters a statement, splits an
        # INSERT of more than about 38 breaches in two; 25 at a time stay in one on both.)
        with django_assert_num_queries(9):
            found = detect_caseload_breaches(on=SECOND)
        assert (len(found.opened), len(found.ended)) == (len(opening), len(ending))


def delivered(mailoutbox) -> list:
    """Notifications are emailed by delivery, not when queued: deliver, then read the outbox."""
    deliver_pending_notifications()
    return mailoutbox


class TestNotify:
    def test_the_manager_and_the_supervisor_each_get_one_email_per_breach(
        self, enrolment, manager, supervisor, mailoutbox
    ):
        breach = over_the_cap(enrolment)
        other = over_the_cap(EnrolmentFactory())
        other_manager = other.enrolment.worker.team.manager

        assert notify_caseload_breaches() == 2

        assert set(Notification.objects.values_list("recipient", "kind", "subject_key")) == {
            (manager.pk, "caseload-breach", f"breach-{breach.pk}"),
            (supervisor.pk, "caseload-breach", f"breach-{breach.pk}"),
            (other_manager.pk, "caseload-breach", f"breach-{other.pk}"),
            (other.enrolment.supervisor_id, "caseload-breach", f"breach-{other.pk}"),
        }
        messages = {message.to[0]: message for message in delivered(mailoutbox)}
        assert all(len(message.to) == 1 for message in mailoutbox)
        assert set(messages) == {
            manager.email,
            supervisor.email,
            other_manager.email,
            other.enrolment.supervisor.email,
        }
        first = messages[manager.email]
        assert messages[supervisor.email].body == first.body
        assert enrolment.worker.full_name in first.subject
        assert "15 open cases" in first.body and "the cap for this point" in first.body
        assert "/breaches/" in first.body
        breach.refresh_from_db()
        assert breach.notified_at is not None
        latest = breach.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (
            None,
            "Manager and supervisor told",
        )

    def test_run_twice_nobody_is_told_twice(self, enrolment, mailoutbox):
        over_the_cap(enrolment)
        notify_caseload_breaches()
        assert notify_caseload_breaches() == 0
        assert Notification.objects.count() == 2
        assert len(delivered(mailoutbox)) == 2  # the manager once, the supervisor once

    def test_a_breach_found_later_is_told_on_the_next_run(self, enrolment, mailoutbox):
        over_the_cap(enrolment)
        notify_caseload_breaches()
        over_the_cap(EnrolmentFactory())
        assert notify_caseload_breaches() == 1
        assert len(delivered(mailoutbox)) == 4

    def test_the_email_names_the_limits_gone_over(self, enrolment, mailoutbox):
        ingest(row(enrolment, FIRST, 10, child_protection_cases=3, complex_cases=1))
        detect_caseload_breaches(on=FIRST)
        notify_caseload_breaches()
        message = delivered(mailoutbox)[0]
        assert "Child-protection cases held as lead: 3 (the limit is 2)" in message.body
        assert "Complex cases held as lead: 1 (the limit is 0)" in message.body

    def test_a_worker_with_no_team_their_supervisor_alone_is_told(self, mailoutbox):
        enrolment = EnrolmentFactory(worker__team=None)
        over_the_cap(enrolment)
        notify_caseload_breaches()
        (message,) = delivered(mailoutbox)
        assert message.to == [enrolment.supervisor.email]


class TestEscalate:
    @pytest.fixture
    def acknowledged(self, enrolment, manager) -> CaseloadBreach:
        return acknowledge_caseload_breach(
            acknowledged_by=manager,
            breach=over_the_cap(enrolment),
            plan="Move two cases to the duty team",
            plan_due_on=TODAY + timedelta(days=14),
        )

    def test_past_its_plan_date_the_leads_are_emailed_once(self, acknowledged, lead, mailoutbox):
        second_lead = UserFactory(roles=[Role.LEAD])
        UserFactory(roles=[Role.LEAD], is_active=False)

        assert escalate_caseload_breaches(on=acknowledged.plan_due_on + timedelta(days=1)) == 1
        assert escalate_caseload_breaches(on=acknowledged.plan_due_on + timedelta(days=2)) == 0

        assert set(Notification.objects.values_list("recipient", "kind", "subject_key")) == {
            (lead.pk, "caseload-breach-escalated", f"breach-{acknowledged.pk}"),
            (second_lead.pk, "caseload-breach-escalated", f"breach-{acknowledged.pk}"),
        }
        first, second = delivered(mailoutbox)
        assert sorted(first.to + second.to) == sorted([lead.email, second_lead.email])
        assert "Move two cases to the duty team" in first.body
        assert "/breaches/" in first.body
        acknowledged.refresh_from_db()
        assert acknowledged.escalated_at is not None
        assert acknowledged.history.latest().history_change_reason == (
            "Escalated: past its plan date"
        )

    def test_not_on_or_before_the_plan_date(self, acknowledged, lead, mailoutbox):
        assert escalate_caseload_breaches(on=acknowledged.plan_due_on) == 0
        assert escalate_caseload_breaches(on=TODAY) == 0
        assert not Notification.objects.exists()
        assert delivered(mailoutbox) == []

    def test_a_breach_without_a_plan_or_already_ended_is_not_escalated(
        self, acknowledged, lead, mailoutbox
    ):
        over_the_cap(EnrolmentFactory())  # open: no plan date yet
        ingest(row(acknowledged.enrolment, SECOND, 10))
        detect_caseload_breaches(on=SECOND)
        assert escalate_caseload_breaches(on=date(2099, 1, 1)) == 0
        assert not Notification.objects.exists()
        assert delivered(mailoutbox) == []


class TestAcknowledge:
    @pytest.mark.parametrize("persona", ["manager", "lead"])
    def test_the_manager_or_a_lead_owns_it_with_a_plan_and_a_date(
        self, request, enrolment, persona
    ):
        person = request.getfixturevalue(persona)
        breach = acknowledge_caseload_breach(
            acknowledged_by=person,
            breach=over_the_cap(enrolment),
            plan="  Move two cases to the duty team  ",
            plan_due_on=TODAY,
        )
        breach.refresh_from_db()
        assert breach.status == CaseloadBreach.Status.ACKNOWLEDGED
        assert (breach.plan, breach.plan_due_on) == ("Move two cases to the duty team", TODAY)
        assert breach.acknowledged_by == person and breach.acknowledged_at is not None
        latest = breach.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (
            person,
            "Acknowledged with a plan",
        )

    @pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor", "outsider"])
    def test_nobody_else_may(self, request, enrolment, persona):
        breach = over_the_cap(enrolment)
        with pytest.raises(PermissionDenied):
            acknowledge_caseload_breach(
                acknowledged_by=request.getfixturevalue(persona),
                breach=breach,
                plan="Reallocate",
                plan_due_on=TODAY,
            )
        breach.refresh_from_db()
        assert breach.status == CaseloadBreach.Status.OPEN

    @pytest.mark.parametrize(
        ("plan", "plan_due_on", "errors"),
        [
            pytest.param(
                "   ",
                TODAY,
                {"plan": ["Say how the caseload will come back within the cap."]},
                id="no-plan",
            ),
            pytest.param(
                "Reallocate",
                TODAY - timedelta(days=1),
                {"plan_due_on": ["The date must be today or in the future."]},
                id="yesterday",
            ),
        ],
    )
    def test_a_plan_and_a_date_from_today_are_required(
        self, enrolment, manager, plan, plan_due_on, errors
    ):
        breach = over_the_cap(enrolment)
        with pytest.raises(ValidationError) as refusal:
            acknowledge_caseload_breach(
                acknowledged_by=manager, breach=breach, plan=plan, plan_due_on=plan_due_on
            )
        assert refusal.value.message_dict == errors
        breach.refresh_from_db()
        assert breach.status == CaseloadBreach.Status.OPEN and breach.history.count() == 1

    def test_not_twice(self, enrolment, manager, lead):
        breach = acknowledge_caseload_breach(
            acknowledged_by=manager,
            breach=over_the_cap(enrolment),
            plan="Reallocate",
            plan_due_on=TODAY,
        )
        with pytest.raises(ValidationError) as refusal:
            acknowledge_caseload_breach(
                acknowledged_by=lead, breach=breach, plan="Another", plan_due_on=TODAY
            )
        assert refusal.value.message_dict == {"plan": ["This breach is already acknowledged."]}
        breach.refresh_from_db()
        assert (breach.plan, breach.acknowledged_by) == ("Reallocate", manager)


class TestResolve:
    def test_the_manager_resolves_it_by_hand_with_a_note(self, enrolment, manager):
        breach = resolve_caseload_breach(
            resolved_by=manager,
            breach=over_the_cap(enrolment),
            resolution_note=" The export counted closed cases ",
        )
        breach.refresh_from_db()
        assert breach.status == CaseloadBreach.Status.RESOLVED
        assert (breach.resolved_by, breach.resolution_note) == (
            manager,
            "The export counted closed cases",
        )
        assert breach.ended_on is None  # no figure has yet shown it back within the cap
        assert breach.history.latest().history_change_reason == "Resolved by hand"

    def test_a_note_is_required(self, enrolment, manager):
        breach = over_the_cap(enrolment)
        with pytest.raises(ValidationError) as refusal:
            resolve_caseload_breach(resolved_by=manager, breach=breach, resolution_note=" ")
        assert refusal.value.message_dict == {
            "resolution_note": ["Say how the breach was resolved."]
        }
        breach.refresh_from_db()
        assert breach.status == CaseloadBreach.Status.OPEN

    @pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor", "outsider"])
    def test_nobody_else_may(self, request, enrolment, persona):
        breach = over_the_cap(enrolment)
        with pytest.raises(PermissionDenied):
            resolve_caseload_breach(
                resolved_by=request.getfixturevalue(persona), breach=breach, resolution_note="Done"
            )

    def test_a_resolved_breach_is_not_worked_again(self, enrolment, manager):
        breach = resolve_caseload_breach(
            resolved_by=manager, breach=over_the_cap(enrolment), resolution_note="Wrong figure"
        )
        with pytest.raises(PermissionDenied):
            resolve_caseload_breach(resolved_by=manager, breach=breach, resolution_note="Again")
        with pytest.raises(PermissionDenied):
            acknowledge_caseload_breach(
                acknowledged_by=manager, breach=breach, plan="Late", plan_due_on=TODAY
            )

    def test_a_caseload_still_over_the_cap_opens_a_new_breach_at_the_next_detection(
        self, enrolment, manager
    ):
        first = resolve_caseload_breach(
            resolved_by=manager, breach=over_the_cap(enrolment), resolution_note="Reallocated"
        )
        ingest(row(enrolment, SECOND, 16))
        found = detect_caseload_breaches(on=SECOND)

        (second,) = found.opened
        assert second.pk != first.pk
        assert (second.status, second.snapshot_on, second.open_cases) == ("open", SECOND, 16)
        first.refresh_from_db()
        assert first.status == CaseloadBreach.Status.RESOLVED
        assert CaseloadBreach.objects.unresolved().get() == second

    def test_ending_the_enrolment_closes_its_breach_and_nothing_reopens_it(self, enrolment, lead):
        breach = over_the_cap(enrolment)
        end_enrolment(
            ended_by=lead,
            enrolment=enrolment,
            status=Enrolment.Status.WITHDRAWN,
            ended_on=SECOND,
            reason="Moved to another authority",
        )
        breach.refresh_from_db()
        assert (breach.status, breach.resolved_by, breach.resolution_note) == (
            CaseloadBreach.Status.RESOLVED,
            lead,
            "The programme ended.",
        )
        assert breach.history.latest().history_change_reason == "The programme ended"
        assert not detect_caseload_breaches(on=THIRD).opened
        assert escalate_caseload_breaches(on=TODAY) == 0


class TestProtectedTime:
    @pytest.mark.parametrize("persona", ["worker", "supervisor", "lead"])
    def test_the_worker_their_supervisor_or_a_lead_logs_learning(self, request, enrolment, persona):
        person = request.getfixturevalue(persona)
        entry = record_protected_time(
            recorded_by=person,
            enrolment=enrolment,
            on=TODAY,
            hours=Decimal("3.5"),
            kind=ProtectedTimeEntry.Kind.TRAINING,
            note="  Court skills  ",
        )
        entry.refresh_from_db()
        assert (entry.on, entry.hours, entry.note, entry.recorded_by) == (
            TODAY,
            Decimal("3.5"),
            "Court skills",
            person,
        )
        latest = entry.history.get()
        assert (latest.history_user, latest.history_change_reason) == (person, "Learning logged")

    @pytest.mark.parametrize("persona", ["assessor", "manager", "outsider"])
    def test_nobody_else_may(self, request, enrolment, persona):
        with pytest.raises(PermissionDenied):
            record_protected_time(
                recorded_by=request.getfixturevalue(persona),
                enrolment=enrolment,
                on=TODAY,
                hours=Decimal("1"),
                kind=ProtectedTimeEntry.Kind.STUDY,
            )
        assert not ProtectedTimeEntry.objects.exists()

    def test_not_once_the_enrolment_has_ended(self, enrolment, worker):
        Enrolment.objects.filter(pk=enrolment.pk).update(
            status=Enrolment.Status.COMPLETED, ended_on=TODAY
        )
        enrolment.refresh_from_db()
        with pytest.raises(PermissionDenied):
            record_protected_time(
                recorded_by=worker, enrolment=enrolment, on=TODAY, hours=1, kind="study"
            )

    @pytest.mark.parametrize(
        ("on", "hours", "errors"),
        [
            pytest.param(
                TODAY + timedelta(days=1),
                "2",
                {"on": ["The date must be today or in the past."]},
                id="tomorrow",
            ),
            pytest.param(
                date(2026, 9, 6),
                "2",
                {"on": ["The date must be on or after the programme started (7 September 2026)."]},
                id="before-the-start",
            ),
            pytest.param(TODAY, "0.4", {"hours": ["Log at least half an hour."]}, id="0.4-hours"),
            pytest.param(
                TODAY, "12.5", {"hours": ["Log at most 12 hours for one day."]}, id="12.5-hours"
            ),
        ],
    )
    def test_a_date_or_length_that_cannot_be_right_is_refused(
        self, worker, enrolment, on, hours, errors
    ):
        with pytest.raises(ValidationError) as refusal:
            record_protected_time(
                recorded_by=worker,
                enrolment=enrolment,
                on=on,
                hours=Decimal(hours),
                kind=ProtectedTimeEntry.Kind.STUDY,
            )
        assert refusal.value.message_dict == errors
        assert not ProtectedTimeEntry.objects.exists()
        assert not ProtectedTimeEntry.history.exists()

    @pytest.mark.parametrize("hours", ["0.5", "12"])
    def test_half_an_hour_to_twelve_hours_are_accepted(self, worker, enrolment, hours):
        entry = record_protected_time(
            recorded_by=worker,
            enrolment=enrolment,
            on=enrolment.started_on,
            hours=Decimal(hours),
            kind=ProtectedTimeEntry.Kind.SHADOWING,
        )
        assert entry.hours == Decimal(hours)


class TestImportProfile:
    COLUMNS = {"worker": "Worker email", "as_of": "Snapshot date", "open_cases": "Open"}

    def test_a_lead_names_the_columns_once(self, lead):
        profile = save_import_profile(
            saved_by=lead,
            name=" Mosaic weekly ",
            columns={
                **self.COLUMNS,
                "complex_cases": " Care proceedings ",
                "weighted_complexity": "",
            },
        )
        profile.refresh_from_db()
        assert profile.name == "Mosaic weekly" and profile.created_by == lead
        assert profile.columns == {**self.COLUMNS, "complex_cases": "Care proceedings"}
        latest = profile.history.get()
        assert (latest.history_user, latest.history_change_reason) == (lead, "Import profile saved")

    @pytest.mark.parametrize("persona", ["worker", "supervisor", "manager", "outsider"])
    def test_only_a_lead_may(self, request, enrolment, persona):
        with pytest.raises(PermissionDenied):
            save_import_profile(
                saved_by=request.getfixturevalue(persona), name="Mosaic", columns=self.COLUMNS
            )
        assert not CaseloadImportProfile.objects.exists()

    def test_the_name_and_the_required_columns_must_be_given(self, lead):
        with pytest.raises(ValidationError) as refusal:
            save_import_profile(
                saved_by=lead, name=" ", columns={"as_of": "Date", "open_cases": ""}
            )
        message = "Give the heading of the column that holds this"
        assert refusal.value.message_dict == {
            "name": ["Give the profile a name, for example Mosaic weekly export"],
            "worker": [message],
            "open_cases": [message],
        }
        assert not CaseloadImportProfile.objects.exists()

    def test_a_field_that_is_not_a_caseload_field_is_refused(self, lead):
        with pytest.raises(ValidationError) as refusal:
            save_import_profile(
                saved_by=lead,
                name="Mosaic",
                columns={**self.COLUMNS, "team": "Team", "colour": "RAG"},
            )
        assert refusal.value.message_dict == {
            "columns": ["These are not caseload fields: colour, team"]
        }

    def test_the_same_name_again_replaces_the_columns(self, lead):
        first = save_import_profile(saved_by=lead, name="Mosaic", columns=self.COLUMNS)
        again = save_import_profile(
            saved_by=lead, name="MOSAIC", columns={**self.COLUMNS, "open_cases": "Open cases"}
        )
        assert again.pk == first.pk
        profile = CaseloadImportProfile.objects.get()
        assert (profile.name, profile.columns["open_cases"]) == ("Mosaic", "Open cases")
        assert profile.history.count() == 2
