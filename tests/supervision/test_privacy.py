"""Supervision and privacy: the worker's sessions in their subject access export, and scrubbed
from live and history rows alike once their retention period is over."""

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.utils import timezone

from people.models import Role
from people.privacy import anonymise_person, build_subject_access_export
from programmes.models import Enrolment
from programmes.privacy import SCRUBBED
from programmes.services.retention import apply_retention
from supervision.models import SupervisionAction, SupervisionAmendment, SupervisionSession
from supervision.services import (
    add_supervision_action,
    amend_supervision_session,
    complete_supervision_action,
    countersign_supervision_session,
    record_supervision_session,
    remove_supervision_action,
    sign_supervision_session,
)
from tests.factories import EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db

# What was written about the worker: none of it may survive anonymisation, anywhere.
WRITTEN = [
    "Her divorce and the move",
    "Worried about the Smith family",
    "Sleeping badly since her father died",
    "I need more help with court work",
    "Ask the GP about sleep",
    "Book the bereavement counselling",
    "She asked me to add the bereavement",
    "Her father died in August",
]


def _export(lead, person) -> list[dict]:
    archive = build_subject_access_export(requested_by=lead, person=person)
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        document = json.loads(opened.read("person.json"))
    return document["sections"]["supervision.sessions"]


def test_the_export_lists_the_workers_sessions_actions_and_amendments(
    lead, enrolment, supervisor, worker, manager, outsider
):
    held_on = timezone.localdate() - timedelta(days=3)
    session = record_supervision_session(
        recorded_by=supervisor,
        enrolment=enrolment,
        held_on=held_on,
        minutes=90,
        kind="one-to-one",
        agenda="Allocations",
        notes="Talked through the Smith family.",
        wellbeing="Tired but coping",
    )
    action = add_supervision_action(
        added_by=supervisor,
        session=session,
        description="Agree a lighter week",
        owner=manager,
        due_on=held_on + timedelta(days=7),
    )
    sign_supervision_session(signed_by=supervisor, session=session)
    countersign_supervision_session(
        signed_by=worker, session=session, worker_reflection="I felt heard."
    )
    action.refresh_from_db()
    complete_supervision_action(completed_by=manager, action=action, done_on=held_on)
    amend_supervision_session(amended_by=lead, session=session, reason="It ran over", minutes=100)
    other = Enrolment.objects.get(supervisor=outsider)
    record_supervision_session(
        recorded_by=outsider, enrolment=other, held_on=held_on, minutes=90, kind="group"
    )

    [record] = _export(lead, worker)

    session.refresh_from_db()
    assert record["held_on"] == held_on.isoformat()
    assert (record["minutes"], record["kind"], record["supervisor"]) == (
        100,
        "One-to-one",
        supervisor.full_name,
    )
    assert (record["agenda"], record["notes"], record["wellbeing"]) == (
        "Allocations",
        "Talked through the Smith family.",
        "Tired but coping",
    )
    assert record["worker_reflection"] == "I felt heard."
    assert record["status"] == "Signed by both"
    assert record["supervisor_signed_at"] and record["worker_signed_at"]
    assert record["actions"] == [
        {
            "description": "Agree a lighter week",
            "owner": manager.full_name,
            "due_on": (held_on + timedelta(days=7)).isoformat(),
            "done_on": held_on.isoformat(),
            "done_by": manager.full_name,
        }
    ]
    [amendment] = record["amendments"]
    assert (amendment["amended_by"], amendment["reason"]) == (lead.full_name, "It ran over")
    assert amendment["changes"] == {"length in minutes": ["90", "100"]}


def test_a_draft_is_in_the_export_too(lead, enrolment, supervisor, worker):
    record_supervision_session(
        recorded_by=supervisor,
        enrolment=enrolment,
        held_on=timezone.localdate(),
        minutes=60,
        kind="reflective",
        agenda="A case that stayed with her",
    )
    [record] = _export(lead, worker)
    assert (record["status"], record["agenda"]) == ("Draft", "A case that stayed with her")
    assert (record["actions"], record["amendments"]) == ([], [])


def test_someone_never_supervised_has_an_empty_section(lead):
    assert _export(lead, UserFactory(roles=[Role.WORKER])) == []


def _supervised_then_left(*, ended_on: date) -> tuple[Enrolment, SupervisionSession]:
    """Through the services, as it happened; then the enrolment ends."""
    enrolment = EnrolmentFactory(started_on=ended_on - timedelta(days=365))
    supervisor, worker = enrolment.supervisor, enrolment.worker
    lead = UserFactory(roles=[Role.LEAD])
    held_on = enrolment.started_on + timedelta(days=14)
    session = record_supervision_session(
        recorded_by=supervisor,
        enrolment=enrolment,
        held_on=held_on,
        minutes=90,
        kind="one-to-one",
        agenda=WRITTEN[0],
        notes=WRITTEN[1],
        wellbeing=WRITTEN[2],
    )
    add_supervision_action(
        added_by=supervisor, session=session, description=WRITTEN[4], owner=worker, due_on=held_on
    )
    removed = add_supervision_action(
        added_by=supervisor, session=session, description=WRITTEN[5], owner=worker, due_on=held_on
    )
    remove_supervision_action(removed_by=supervisor, action=removed)
    sign_supervision_session(signed_by=supervisor, session=session)
    countersign_supervision_session(signed_by=worker, session=session, worker_reflection=WRITTEN[3])
    amend_supervision_session(
        amended_by=lead, session=session, reason=WRITTEN[6], wellbeing=WRITTEN[7]
    )
    enrolment.status, enrolment.ended_on = Enrolment.Status.COMPLETED, ended_on
    enrolment.save()
    session.refresh_from_db()
    return enrolment, session


def _everything_stored(model) -> str:
    """Every live and history row of a model, as text, to search for what was written."""
    rows = [*model.objects.values(), *model.history.values()]
    return json.dumps(rows, default=str, ensure_ascii=False)


def test_retention_scrubs_what_was_written_in_live_and_history_rows():
    enrolment, session = _supervised_then_left(ended_on=date(2019, 7, 31))
    stored = "".join(
        _everything_stored(model)
        for model in (SupervisionSession, SupervisionAction, SupervisionAmendment)
    )
    assert all(text in stored for text in WRITTEN)  # so the check below could fail

    apply_retention(on=date(2032, 9, 1), actor=None, source="test")

    for model in (SupervisionSession, SupervisionAction, SupervisionAmendment):
        stored = _everything_stored(model)
        assert not [text for text in WRITTEN if text in stored], model.__name__
    session.refresh_from_db()
    assert (session.agenda, session.notes, session.wellbeing, session.worker_reflection) == (
        SCRUBBED,
        SCRUBBED,
        SCRUBBED,
        SCRUBBED,
    )
    assert SupervisionAction.objects.get().description == SCRUBBED
    assert {row.description for row in SupervisionAction.history.all()} == {SCRUBBED}
    amendment = SupervisionAmendment.objects.get()
    assert amendment.reason == SCRUBBED
    assert amendment.changes == {"wellbeing check": [SCRUBBED, SCRUBBED]}
    for row in SupervisionAmendment.history.all():
        assert row.reason == SCRUBBED and row.changes == amendment.changes
    # What the counts need stays: the day, the length, the kind, who signed and when.
    assert (session.held_on, session.minutes, session.kind) == (
        enrolment.started_on + timedelta(days=14),
        90,
        "one-to-one",
    )
    assert session.status == SupervisionSession.Status.COUNTERSIGNED
    assert session.counts_towards_cadence and session.worker_signed_at is not None
    latest = session.history.latest()
    assert latest.history_user is None and latest.history_change_reason


def test_free_text_left_blank_stays_blank():
    enrolment = EnrolmentFactory(started_on=date(2018, 8, 1))
    session = record_supervision_session(
        recorded_by=enrolment.supervisor,
        enrolment=enrolment,
        held_on=date(2018, 8, 20),
        minutes=90,
        kind="one-to-one",
        notes="Caseload and court dates",
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=Enrolment.Status.WITHDRAWN, ended_on=date(2019, 1, 31)
    )
    apply_retention(on=date(2032, 9, 1), actor=None, source="test")
    session.refresh_from_db()
    assert (session.agenda, session.notes, session.wellbeing) == ("", SCRUBBED, "")
    assert {row.agenda for row in session.history.all()} == {""}


def test_a_lead_anonymising_is_named_on_the_history_row_with_the_reason():
    enrolment, session = _supervised_then_left(ended_on=date(2019, 7, 31))
    lead = UserFactory(roles=[Role.LEAD])

    anonymise_person(person=enrolment.worker, reason="Erasure request", actor=lead)

    for record in (session, session.actions.get(), session.amendments.get()):
        latest = record.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (lead, "Erasure request")


def test_other_peoples_supervision_is_untouched():
    _supervised_then_left(ended_on=date(2019, 7, 31))
    # Ended after 1 September 2026: six years on, still kept.
    recent, kept = _supervised_then_left(ended_on=timezone.localdate() - timedelta(days=1))
    before = _everything_stored(SupervisionSession)
    assert WRITTEN[1] in before

    apply_retention(on=date(2032, 9, 1), actor=None, source="test")

    kept.refresh_from_db()
    assert (kept.notes, kept.worker_reflection, kept.wellbeing) == (
        WRITTEN[1],
        WRITTEN[3],
        WRITTEN[7],
    )
    assert kept.actions.get().description == WRITTEN[4]
    assert kept.amendments.get().reason == WRITTEN[6]
    kept_history = SupervisionSession.history.filter(id=kept.pk)
    assert WRITTEN[0] in {row.agenda for row in kept_history}
    assert f"Amended: {WRITTEN[6]}" in {row.history_change_reason for row in kept_history}
    recent.worker.refresh_from_db()
    assert recent.worker.is_active
