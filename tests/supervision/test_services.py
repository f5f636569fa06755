"""Supervision services on the real database: each change audited, each refusal leaves nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from programmes.models import Enrolment
from supervision.models import SupervisionAction, SupervisionAmendment, SupervisionSession
from supervision.services import (
    add_supervision_action,
    amend_supervision_session,
    complete_supervision_action,
    countersign_supervision_session,
    record_supervision_session,
    remove_supervision_action,
    sign_supervision_session,
    update_draft_session,
)
from tests.factories import programme

pytestmark = pytest.mark.django_db

NOTES = "Talked through the first allocations."


def today() -> date:
    return timezone.localdate()


def record(recorded_by, enrolment, **fields) -> SupervisionSession:
    values = {
        "held_on": today() - timedelta(days=7),
        "minutes": 90,
        "kind": SupervisionSession.Kind.ONE_TO_ONE,
        **fields,
    }
    return record_supervision_session(recorded_by=recorded_by, enrolment=enrolment, **values)


def signed(supervisor, enrolment, **fields) -> SupervisionSession:
    session = record(supervisor, enrolment, notes=NOTES, **fields)
    return sign_supervision_session(signed_by=supervisor, session=session)


def countersigned(supervisor, worker, enrolment, **fields) -> SupervisionSession:
    return countersign_supervision_session(
        signed_by=worker,
        session=signed(supervisor, enrolment, **fields),
        worker_reflection="I will bring the chronology next time.",
    )


def assert_nothing_saved() -> None:
    assert not SupervisionSession.objects.exists()
    assert not SupervisionSession.history.exists()


class TestRecording:
    def test_a_draft_is_saved_with_history_naming_who_and_why(self, supervisor, enrolment):
        session = record(supervisor, enrolment, agenda="  Allocations  ", notes=NOTES)

        session.refresh_from_db()
        assert session.status == SupervisionSession.Status.DRAFT
        assert (session.supervisor, session.agenda, session.notes) == (
            supervisor,
            "Allocations",
            NOTES,
        )
        assert session.supervisor_signed_at is None and session.worker_signed_at is None
        row = session.history.get()
        assert (row.history_type, row.history_user, row.history_change_reason) == (
            "+",
            supervisor,
            "Recorded as a draft",
        )

    def test_a_session_dated_tomorrow_is_refused_and_nothing_is_saved(self, supervisor, enrolment):
        with pytest.raises(ValidationError) as refusal:
            record(supervisor, enrolment, held_on=today() + timedelta(days=1))
        assert refusal.value.message_dict == {"held_on": ["The date must be today or in the past."]}
        assert_nothing_saved()

    def test_a_session_held_today_is_accepted(self, supervisor, enrolment):
        assert record(supervisor, enrolment, held_on=today()).held_on == today()

    def test_a_session_before_the_programme_started_is_refused(self, supervisor, enrolment):
        with pytest.raises(ValidationError) as refusal:
            record(supervisor, enrolment, held_on=enrolment.started_on - timedelta(days=1))
        assert refusal.value.message_dict == {
            "held_on": ["The date must be on or after the programme started (7 September 2026)."]
        }
        assert_nothing_saved()

    def test_a_session_on_the_day_the_programme_started_is_accepted(self, supervisor, enrolment):
        assert record(supervisor, enrolment, held_on=enrolment.started_on).pk

    @pytest.mark.parametrize(
        ("minutes", "message"),
        [
            pytest.param(14, "A session must last at least 15 minutes.", id="14-minutes"),
            pytest.param(481, "A session can last at most 8 hours (480 minutes).", id="481"),
        ],
    )
    def test_a_length_out_of_range_is_refused(self, supervisor, enrolment, minutes, message):
        with pytest.raises(ValidationError) as refusal:
            record(supervisor, enrolment, minutes=minutes)
        assert refusal.value.message_dict == {"minutes": [message]}
        assert_nothing_saved()

    @pytest.mark.parametrize(
        ("minutes", "is_short", "counts"),
        [
            pytest.param(15, True, False, id="15-shortest-accepted"),
            pytest.param(89, True, False, id="89-a-minute-short"),
            pytest.param(90, False, True, id="90-the-minimum"),
            pytest.param(480, False, True, id="480-longest-accepted"),
        ],
    )
    def test_a_session_shorter_than_the_minimum_is_kept_but_does_not_count(
        self, supervisor, enrolment, minutes, is_short, counts
    ):
        assert programme("ASYE-CF").minimum_supervision_minutes == 90
        session = record(supervisor, enrolment, minutes=minutes)
        session.refresh_from_db()
        assert (session.minutes, session.is_short, session.counts_towards_cadence) == (
            minutes,
            is_short,
            counts,
        )

    @pytest.mark.parametrize(
        ("kind", "group_sessions_count", "counts"),
        [
            pytest.param(SupervisionSession.Kind.GROUP, False, False, id="group-not-allowed"),
            pytest.param(SupervisionSession.Kind.GROUP, True, True, id="group-allowed"),
            pytest.param(SupervisionSession.Kind.REFLECTIVE, False, True, id="reflective"),
            pytest.param(SupervisionSession.Kind.ONE_TO_ONE, False, True, id="one-to-one"),
        ],
    )
    def test_a_group_session_counts_only_if_the_programme_allows(
        self, supervisor, enrolment, kind, group_sessions_count, counts
    ):
        rules = enrolment.cohort.programme
        rules.group_supervision_counts = group_sessions_count
        rules.save()
        session = record(supervisor, enrolment, kind=kind)
        assert not session.is_short
        assert session.counts_towards_cadence is counts

    @pytest.mark.parametrize("persona", ["supervisor", "lead"])
    def test_the_supervisor_or_a_lead_may_record(self, request, enrolment, persona):
        person = request.getfixturevalue(persona)
        session = record(person, enrolment)
        assert session.supervisor == person
        assert session.history.get().history_user == person

    @pytest.mark.parametrize("persona", ["worker", "assessor", "manager", "outsider"])
    def test_nobody_else_may_record(self, request, enrolment, persona):
        with pytest.raises(PermissionDenied):
            record(request.getfixturevalue(persona), enrolment)
        assert_nothing_saved()

    @pytest.mark.parametrize("status", [Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN])
    @pytest.mark.parametrize("persona", ["supervisor", "lead"])
    def test_nobody_records_on_an_enrolment_that_has_ended(
        self, request, enrolment, persona, status
    ):
        enrolment.status, enrolment.ended_on = status, today() - timedelta(days=1)
        enrolment.save()
        with pytest.raises(PermissionDenied):
            record(request.getfixturevalue(persona), enrolment)
        assert_nothing_saved()

    def test_a_second_session_on_the_same_day_needs_confirming(self, supervisor, enrolment):
        first = record(supervisor, enrolment)
        with pytest.raises(ValidationError) as refusal:
            record(supervisor, enrolment, held_on=first.held_on)
        assert set(refusal.value.message_dict) == {"same_day_confirmed"}
        assert "confirm it and save again" in refusal.value.message_dict["same_day_confirmed"][0]
        assert SupervisionSession.objects.count() == 1
        assert SupervisionSession.history.count() == 1

        second = record(supervisor, enrolment, held_on=first.held_on, same_day_confirmed=True)
        assert second.pk != first.pk
        assert enrolment.supervision_sessions.filter(held_on=first.held_on).count() == 2

    def test_a_session_on_another_enrolment_that_day_needs_no_confirming(
        self, supervisor, enrolment, lead, outsider
    ):
        first = record(supervisor, enrolment)
        other = Enrolment.objects.get(supervisor=outsider)
        assert record(lead, other, held_on=first.held_on).pk


class TestDraftsAndSigning:
    def test_a_confirmed_second_session_is_not_questioned_again_when_its_draft_changes(
        self, supervisor, enrolment
    ):
        first = record(supervisor, enrolment)
        second = record(supervisor, enrolment, held_on=first.held_on, same_day_confirmed=True)
        update_draft_session(
            updated_by=supervisor,
            session=second,
            held_on=second.held_on,
            minutes=120,
            kind=SupervisionSession.Kind.ONE_TO_ONE,
            notes=NOTES,
        )
        second.refresh_from_db()
        assert second.minutes == 120

    def test_moving_a_draft_onto_a_day_with_another_session_needs_confirming(
        self, supervisor, enrolment
    ):
        first = record(supervisor, enrolment)
        second = record(supervisor, enrolment, held_on=first.held_on - timedelta(days=1))
        with pytest.raises(ValidationError) as refusal:
            update_draft_session(
                updated_by=supervisor,
                session=second,
                held_on=first.held_on,
                minutes=90,
                kind=SupervisionSession.Kind.ONE_TO_ONE,
            )
        assert set(refusal.value.message_dict) == {"same_day_confirmed"}

    def test_a_draft_changes_with_history_until_it_is_signed(self, supervisor, enrolment):
        session = record(supervisor, enrolment)
        update_draft_session(
            updated_by=supervisor,
            session=session,
            held_on=session.held_on,
            minutes=60,
            kind=SupervisionSession.Kind.ONE_TO_ONE,
            notes=NOTES,
        )
        session.refresh_from_db()
        assert (session.minutes, session.is_short, session.counts_towards_cadence) == (
            60,
            True,
            False,
        )
        latest = session.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (supervisor, "Draft changed")

    def test_signing_needs_notes(self, supervisor, enrolment):
        session = record(supervisor, enrolment, notes="   ")
        with pytest.raises(ValidationError) as refusal:
            sign_supervision_session(signed_by=supervisor, session=session)
        assert refusal.value.message_dict == {
            "notes": ["Write the discussion notes before you sign the record."]
        }
        session.refresh_from_db()
        assert session.status == SupervisionSession.Status.DRAFT
        assert session.history.count() == 1

    def test_the_supervisor_signs_and_the_record_waits_for_the_worker(self, supervisor, enrolment):
        session = signed(supervisor, enrolment)
        session.refresh_from_db()
        assert session.status == SupervisionSession.Status.SIGNED
        assert session.supervisor_signed_at is not None and not session.is_locked
        latest = session.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (
            supervisor,
            "Signed by the supervisor",
        )

    def test_signing_twice_is_refused_the_second_time_and_writes_one_history_row(
        self, supervisor, enrolment
    ):
        session = record(supervisor, enrolment, notes=NOTES)
        # Two requests that both read the draft before either signed it.
        first, second = (SupervisionSession.objects.get(pk=session.pk) for _ in range(2))
        sign_supervision_session(signed_by=supervisor, session=first)
        signed_at = first.supervisor_signed_at

        with pytest.raises(ValidationError) as refusal:
            sign_supervision_session(signed_by=supervisor, session=second)

        assert refusal.value.messages == [
            "This record is already signed. Open it again to see where it stands."
        ]
        session.refresh_from_db()
        assert (session.status, session.supervisor_signed_at) == (
            SupervisionSession.Status.SIGNED,
            signed_at,
        )
        reasons = list(session.history.values_list("history_change_reason", flat=True))
        assert sorted(reasons) == ["Recorded as a draft", "Signed by the supervisor"]

    def test_countersigning_twice_is_refused_the_second_time_and_writes_one_history_row(
        self, supervisor, worker, enrolment
    ):
        session = signed(supervisor, enrolment)
        first, second = (SupervisionSession.objects.get(pk=session.pk) for _ in range(2))
        countersign_supervision_session(
            signed_by=worker, session=first, worker_reflection="I felt listened to."
        )

        with pytest.raises(ValidationError) as refusal:
            countersign_supervision_session(
                signed_by=worker, session=second, worker_reflection="Written a second time."
            )

        assert refusal.value.messages == [
            "You have already countersigned this record. Open it again to read it."
        ]
        session.refresh_from_db()
        assert session.worker_reflection == "I felt listened to."
        countersigned = session.history.filter(history_change_reason="Countersigned by the worker")
        assert countersigned.count() == 1
        assert session.history.count() == 3  # recorded, signed, countersigned

    @pytest.mark.parametrize("persona", ["lead", "worker", "manager", "outsider"])
    def test_only_the_sessions_supervisor_signs_a_draft(
        self, request, supervisor, enrolment, persona
    ):
        session = record(supervisor, enrolment, notes=NOTES)
        with pytest.raises(PermissionDenied):
            sign_supervision_session(signed_by=request.getfixturevalue(persona), session=session)
        session.refresh_from_db()
        assert session.status == SupervisionSession.Status.DRAFT

    def test_the_worker_countersigns_with_a_reflection_and_the_record_locks(
        self, supervisor, worker, enrolment
    ):
        session = signed(supervisor, enrolment)
        with pytest.raises(ValidationError) as refusal:
            countersign_supervision_session(
                signed_by=worker, session=session, worker_reflection=" "
            )
        assert refusal.value.message_dict == {
            "worker_reflection": ["Write your reflection on the session before you sign."]
        }
        session.refresh_from_db()
        assert session.status == SupervisionSession.Status.SIGNED

        countersign_supervision_session(
            signed_by=worker, session=session, worker_reflection="  I felt listened to.  "
        )
        session.refresh_from_db()
        assert session.status == SupervisionSession.Status.COUNTERSIGNED and session.is_locked
        assert session.worker_reflection == "I felt listened to."
        assert session.worker_signed_at is not None
        latest = session.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (
            worker,
            "Countersigned by the worker",
        )

    @pytest.mark.parametrize("persona", ["supervisor", "lead", "manager", "outsider"])
    def test_nobody_but_the_worker_countersigns(self, request, supervisor, enrolment, persona):
        session = signed(supervisor, enrolment)
        with pytest.raises(PermissionDenied):
            countersign_supervision_session(
                signed_by=request.getfixturevalue(persona),
                session=session,
                worker_reflection="Not mine to write.",
            )

    def test_a_draft_cannot_be_countersigned(self, supervisor, worker, enrolment):
        session = record(supervisor, enrolment, notes=NOTES)
        with pytest.raises(PermissionDenied):
            countersign_supervision_session(
                signed_by=worker, session=session, worker_reflection="Too early."
            )

    @pytest.mark.parametrize("countersign", [False, True], ids=["signed", "countersigned"])
    def test_a_signed_record_is_no_longer_a_draft_to_change(
        self, supervisor, worker, enrolment, countersign
    ):
        if countersign:
            session = countersigned(supervisor, worker, enrolment)
        else:
            session = signed(supervisor, enrolment)
        rows = session.history.count()
        with pytest.raises(PermissionDenied):
            update_draft_session(
                updated_by=supervisor,
                session=session,
                held_on=session.held_on,
                minutes=30,
                kind=session.kind,
                notes="Rewritten after signing",
            )
        session.refresh_from_db()
        assert (session.minutes, session.notes) == (90, NOTES)
        assert session.history.count() == rows


class TestAmendments:
    def test_an_amendment_needs_a_reason(self, supervisor, worker, enrolment):
        session = countersigned(supervisor, worker, enrolment)
        with pytest.raises(ValidationError) as refusal:
            amend_supervision_session(
                amended_by=supervisor, session=session, reason="  ", minutes=60
            )
        assert refusal.value.message_dict == {"reason": ["Say why the record needs correcting."]}
        assert not SupervisionAmendment.objects.exists()

    def test_an_amendment_that_changes_nothing_is_refused(self, supervisor, worker, enrolment):
        session = countersigned(supervisor, worker, enrolment)
        rows = session.history.count()
        with pytest.raises(ValidationError) as refusal:
            amend_supervision_session(
                amended_by=supervisor, session=session, reason="Typo", minutes=90, notes=NOTES
            )
        assert refusal.value.messages == [
            "Nothing has changed. Change the part of the record that is wrong."
        ]
        assert not SupervisionAmendment.objects.exists()
        assert session.history.count() == rows

    def test_the_worker_reflection_cannot_be_amended(self, supervisor, worker, enrolment):
        session = countersigned(supervisor, worker, enrolment)
        with pytest.raises(ValidationError, match="worker_reflection"):
            amend_supervision_session(
                amended_by=supervisor, session=session, reason="Tidy", worker_reflection="Mine"
            )

    def test_an_amendment_keeps_before_and_after_and_both_versions_in_history(
        self, supervisor, worker, enrolment, lead
    ):
        session = countersigned(supervisor, worker, enrolment)
        rows = session.history.count()

        amendment = amend_supervision_session(
            amended_by=lead,
            session=session,
            reason="Notes were for another worker",
            notes="Discussed the court timetable.",
        )

        assert amendment.amended_by == lead
        assert amendment.reason == "Notes were for another worker"
        assert amendment.changes == {"discussion notes": [NOTES, "Discussed the court timetable."]}
        session.refresh_from_db()
        assert session.notes == "Discussed the court timetable."
        assert session.status == SupervisionSession.Status.COUNTERSIGNED
        assert session.history.count() == rows + 1
        latest, earlier = session.history.order_by("-history_date", "-history_id")[:2]
        assert (latest.notes, earlier.notes) == ("Discussed the court timetable.", NOTES)
        assert (latest.history_user, latest.history_change_reason) == (
            lead,
            "Amended: Notes were for another worker",
        )
        assert amendment.history.get().history_user == lead

    def test_changing_the_minutes_recomputes_whether_the_session_counts(
        self, supervisor, worker, enrolment
    ):
        session = countersigned(supervisor, worker, enrolment)
        amendment = amend_supervision_session(
            amended_by=supervisor, session=session, reason="It was cut short", minutes=45
        )
        assert amendment.changes == {"length in minutes": ["90", "45"]}
        session.refresh_from_db()
        assert (session.is_short, session.counts_towards_cadence) == (True, False)

        amend_supervision_session(
            amended_by=supervisor, session=session, reason="It was not cut short", minutes=95
        )
        session.refresh_from_db()
        assert (session.is_short, session.counts_towards_cadence) == (False, True)
        assert session.amendments.count() == 2

    def test_an_amendment_refused_by_the_rules_leaves_nothing(self, supervisor, worker, enrolment):
        session = countersigned(supervisor, worker, enrolment)
        rows = session.history.count()
        with pytest.raises(ValidationError) as refusal:
            amend_supervision_session(
                amended_by=supervisor,
                session=session,
                reason="Wrong day",
                held_on=today() + timedelta(days=1),
            )
        assert refusal.value.message_dict == {"held_on": ["The date must be today or in the past."]}
        session.refresh_from_db()
        assert session.held_on == today() - timedelta(days=7)
        assert session.history.count() == rows
        assert not SupervisionAmendment.objects.exists()

    def test_moving_onto_a_day_with_another_session_needs_confirming(
        self, supervisor, worker, enrolment
    ):
        other = record(supervisor, enrolment, held_on=today() - timedelta(days=1))
        session = countersigned(supervisor, worker, enrolment)
        with pytest.raises(ValidationError) as refusal:
            amend_supervision_session(
                amended_by=supervisor, session=session, reason="Wrong day", held_on=other.held_on
            )
        assert set(refusal.value.message_dict) == {"same_day_confirmed"}
        amend_supervision_session(
            amended_by=supervisor,
            session=session,
            reason="Wrong day",
            held_on=other.held_on,
            same_day_confirmed=True,
        )
        session.refresh_from_db()
        assert session.held_on == other.held_on

    def test_a_draft_is_changed_not_amended(self, supervisor, enrolment):
        session = record(supervisor, enrolment, notes=NOTES)
        with pytest.raises(PermissionDenied):
            amend_supervision_session(
                amended_by=supervisor, session=session, reason="Typo", minutes=60
            )

    @pytest.mark.parametrize("persona", ["worker", "assessor", "manager", "outsider"])
    def test_only_the_supervisor_or_a_lead_amends(
        self, request, supervisor, worker, enrolment, persona
    ):
        session = countersigned(supervisor, worker, enrolment)
        with pytest.raises(PermissionDenied):
            amend_supervision_session(
                amended_by=request.getfixturevalue(persona),
                session=session,
                reason="I disagree",
                notes="Something else",
            )
        session.refresh_from_db()
        assert session.notes == NOTES


class TestActions:
    @pytest.mark.parametrize("owner", ["worker", "supervisor", "manager"])
    def test_an_action_is_agreed_for_the_worker_supervisor_or_manager(
        self, request, supervisor, enrolment, owner
    ):
        session = record(supervisor, enrolment)
        person = request.getfixturevalue(owner)
        action = add_supervision_action(
            added_by=supervisor,
            session=session,
            description="  Read the threshold document  ",
            owner=person,
            due_on=session.held_on,
        )
        action.refresh_from_db()
        assert (action.owner, action.description, action.done_on) == (
            person,
            "Read the threshold document",
            None,
        )
        row = action.history.get()
        assert (row.history_user, row.history_change_reason) == (supervisor, "Action agreed")

    @pytest.mark.parametrize("owner", ["assessor", "outsider", "lead"])
    def test_an_action_for_anyone_else_is_refused(self, request, supervisor, enrolment, owner):
        session = record(supervisor, enrolment)
        with pytest.raises(ValidationError) as refusal:
            add_supervision_action(
                added_by=supervisor,
                session=session,
                description="Read the threshold document",
                owner=request.getfixturevalue(owner),
                due_on=session.held_on,
            )
        assert refusal.value.message_dict == {
            "owner": ["Choose the worker, the supervisor or the worker's manager."]
        }
        assert not SupervisionAction.objects.exists()
        assert not SupervisionAction.history.exists()

    def test_an_action_due_before_the_session_is_refused(self, supervisor, worker, enrolment):
        session = record(supervisor, enrolment)
        with pytest.raises(ValidationError) as refusal:
            add_supervision_action(
                added_by=supervisor,
                session=session,
                description="Read the threshold document",
                owner=worker,
                due_on=session.held_on - timedelta(days=1),
            )
        day = f"{session.held_on:%-d %B %Y}"
        assert refusal.value.message_dict == {
            "due_on": [f"The date must be on or after the session ({day})."]
        }
        assert not SupervisionAction.objects.exists()

    def test_an_action_needs_a_description(self, supervisor, worker, enrolment):
        session = record(supervisor, enrolment)
        with pytest.raises(ValidationError) as refusal:
            add_supervision_action(
                added_by=supervisor, session=session, description=" ", owner=worker, due_on=today()
            )
        assert set(refusal.value.message_dict) == {"description"}
        assert not SupervisionAction.objects.exists()

    @pytest.mark.parametrize("countersign", [False, True], ids=["signed", "countersigned"])
    def test_actions_are_agreed_only_on_a_draft(self, supervisor, worker, enrolment, countersign):
        if countersign:
            session = countersigned(supervisor, worker, enrolment)
        else:
            session = signed(supervisor, enrolment)
        with pytest.raises(PermissionDenied):
            add_supervision_action(
                added_by=supervisor,
                session=session,
                description="Too late to agree",
                owner=worker,
                due_on=today(),
            )
        assert not SupervisionAction.objects.exists()

    def test_only_the_drafts_supervisor_adds_actions(self, supervisor, worker, enrolment, lead):
        session = record(supervisor, enrolment)
        with pytest.raises(PermissionDenied):
            add_supervision_action(
                added_by=lead, session=session, description="Mine", owner=worker, due_on=today()
            )

    def _action(self, session, *, by, owner) -> SupervisionAction:
        return add_supervision_action(
            added_by=by,
            session=session,
            description="Book the safeguarding course",
            owner=owner,
            due_on=today(),
        )

    def test_an_action_is_removed_from_a_draft_with_history(self, supervisor, worker, enrolment):
        session = record(supervisor, enrolment)
        action = self._action(session, by=supervisor, owner=worker)
        action_id = action.pk
        remove_supervision_action(removed_by=supervisor, action=action)
        assert not SupervisionAction.objects.exists()
        row = SupervisionAction.history.filter(id=action_id).latest()
        assert (row.history_type, row.history_user, row.history_change_reason) == (
            "-",
            supervisor,
            "Action removed from the draft",
        )

    def test_an_action_stays_on_a_signed_record(self, supervisor, worker, enrolment):
        session = record(supervisor, enrolment, notes=NOTES)
        action = self._action(session, by=supervisor, owner=worker)
        sign_supervision_session(signed_by=supervisor, session=session)
        action.refresh_from_db()
        with pytest.raises(PermissionDenied):
            remove_supervision_action(removed_by=supervisor, action=action)
        assert SupervisionAction.objects.filter(pk=action.pk).exists()

    def _open_action(self, supervisor, worker, enrolment, *, owner) -> SupervisionAction:
        session = record(supervisor, enrolment, notes=NOTES)
        action = self._action(session, by=supervisor, owner=owner)
        sign_supervision_session(signed_by=supervisor, session=session)
        action.refresh_from_db()
        return action

    @pytest.mark.parametrize("persona", ["manager", "worker", "supervisor", "lead"])
    def test_the_owner_worker_supervisor_or_a_lead_marks_an_action_done(
        self, request, supervisor, worker, manager, enrolment, persona
    ):
        action = self._open_action(supervisor, worker, enrolment, owner=manager)
        person = request.getfixturevalue(persona)
        complete_supervision_action(completed_by=person, action=action)
        action.refresh_from_db()
        assert (action.done_on, action.done_by) == (today(), person)
        latest = action.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (person, "Marked done")

    @pytest.mark.parametrize("persona", ["outsider", "assessor"])
    def test_nobody_else_marks_an_action_done(
        self, request, supervisor, worker, enrolment, persona
    ):
        action = self._open_action(supervisor, worker, enrolment, owner=worker)
        with pytest.raises(PermissionDenied):
            complete_supervision_action(
                completed_by=request.getfixturevalue(persona), action=action
            )
        action.refresh_from_db()
        assert action.done_on is None

    def test_an_action_can_be_marked_done_on_an_earlier_day(self, supervisor, worker, enrolment):
        action = self._open_action(supervisor, worker, enrolment, owner=worker)
        earlier = today() - timedelta(days=2)
        complete_supervision_action(completed_by=worker, action=action, done_on=earlier)
        action.refresh_from_db()
        assert action.done_on == earlier

    def test_an_action_cannot_be_done_in_the_future(self, supervisor, worker, enrolment):
        action = self._open_action(supervisor, worker, enrolment, owner=worker)
        rows = action.history.count()
        with pytest.raises(ValidationError) as refusal:
            complete_supervision_action(
                completed_by=worker, action=action, done_on=today() + timedelta(days=1)
            )
        assert refusal.value.message_dict == {"done_on": ["The date must be today or in the past."]}
        action.refresh_from_db()
        assert action.done_on is None and action.history.count() == rows

    def test_an_action_cannot_be_done_before_the_session_it_was_agreed_in(
        self, supervisor, worker, enrolment
    ):
        action = self._open_action(supervisor, worker, enrolment, owner=worker)
        held_on = action.session.held_on
        with pytest.raises(ValidationError) as refusal:
            complete_supervision_action(
                completed_by=worker, action=action, done_on=held_on - timedelta(days=1)
            )
        assert refusal.value.message_dict == {
            "done_on": [f"The date must be on or after the session ({held_on:%-d %B %Y})."]
        }
        action.refresh_from_db()
        assert action.done_on is None

    def test_an_action_in_a_draft_is_not_yet_marked_done(self, supervisor, worker, enrolment):
        action = self._action(record(supervisor, enrolment), by=supervisor, owner=worker)
        with pytest.raises(PermissionDenied):
            complete_supervision_action(completed_by=worker, action=action)

    def test_an_action_done_already_is_not_marked_again(self, supervisor, worker, enrolment):
        action = self._open_action(supervisor, worker, enrolment, owner=worker)
        complete_supervision_action(completed_by=worker, action=action)
        with pytest.raises(PermissionDenied):
            complete_supervision_action(completed_by=supervisor, action=action)
        action.refresh_from_db()
        assert action.done_by == worker
