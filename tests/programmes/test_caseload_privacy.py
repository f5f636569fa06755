"""Caseloads and privacy: the worker's figures, breaches and protected time in their subject
access export; what was written about them scrubbed from live and history rows alike once their
retention period is over, while the figures and dates stay for the counts."""

import io
import json
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from people.models import Role
from people.privacy import anonymise_person, build_subject_access_export
from programmes.models import CaseloadBreach, CaseloadSnapshot, Enrolment, ProtectedTimeEntry
from programmes.privacy import SCRUBBED
from programmes.services.caseloads import (
    acknowledge_caseload_breach,
    record_caseload_snapshot,
    record_protected_time,
    resolve_caseload_breach,
)
from programmes.services.retention import apply_retention
from tests.factories import EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db

FIRST = date(2026, 11, 2)  # week 9 of the factories' enrolment: the cap is 14 open cases

# What was written about the worker: none of it may survive anonymisation, anywhere.
WRITTEN = [
    "Move the Smith family to the duty team",
    "She asked for fewer court cases after her father died",
    "Shadowed the Smith family's court hearing",
]


def _export(lead, person) -> dict:
    archive = build_subject_access_export(requested_by=lead, person=person)
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        document = json.loads(opened.read("person.json"))
    return document["sections"]["programmes.caseloads"]


def test_the_export_lists_the_workers_figures_breaches_and_protected_time(
    lead, enrolment, worker, supervisor, manager, outsider
):
    record_caseload_snapshot(
        recorded_by=supervisor,
        enrolment=enrolment,
        as_of=FIRST,
        open_cases=15,
        child_protection_cases=1,
    )
    breach = acknowledge_caseload_breach(
        acknowledged_by=manager,
        breach=CaseloadBreach.objects.get(enrolment=enrolment),
        plan="Move two cases to the duty team",
        plan_due_on=timezone.localdate(),
    )
    record_protected_time(
        recorded_by=worker,
        enrolment=enrolment,
        on=FIRST,
        hours=Decimal("3.5"),
        kind=ProtectedTimeEntry.Kind.TRAINING,
        note="Court skills day",
    )
    other = Enrolment.objects.get(supervisor=outsider)
    record_caseload_snapshot(recorded_by=outsider, enrolment=other, as_of=FIRST, open_cases=20)
    record_protected_time(
        recorded_by=outsider, enrolment=other, on=FIRST, hours=Decimal("1"), kind="study"
    )

    section = _export(lead, worker)

    [snapshot] = section["caseload_snapshots"]
    assert snapshot["enrolment_id"] == enrolment.pk
    assert (snapshot["as_of"], snapshot["open_cases"], snapshot["child_protection_cases"]) == (
        "2026-11-02",
        15,
        1,
    )
    assert (snapshot["source"], snapshot["recorded_by"]) == (
        "Entered on a form",
        supervisor.full_name,
    )
    [exported] = section["caseload_breaches"]
    assert (exported["caseload_date"], exported["open_cases"], exported["cap"]) == (
        "2026-11-02",
        15,
        14,
    )
    assert exported["limits_exceeded"] == ["open-cases"]
    assert (exported["status"], exported["plan"], exported["acknowledged_by"]) == (
        "Acknowledged",
        "Move two cases to the duty team",
        manager.full_name,
    )
    assert exported["plan_due_on"] == breach.plan_due_on.isoformat()
    assert exported["resolution_note"] == "" and exported["resolved_by"] is None
    assert section["protected_time"] == [
        {
            "enrolment_id": enrolment.pk,
            "on": "2026-11-02",
            "hours": "3.5",
            "kind": "Training",
            "note": "Court skills day",
            "recorded_by": worker.full_name,
            "recorded_at": section["protected_time"][0]["recorded_at"],
        }
    ]


def test_someone_with_no_caseload_has_empty_lists(lead):
    assert _export(lead, UserFactory(roles=[Role.WORKER])) == {
        "caseload_snapshots": [],
        "caseload_breaches": [],
        "protected_time": [],
    }


def _worked_then_left(*, ended_on: date) -> Enrolment:
    """Through the services, as it happened; then the enrolment ends."""
    enrolment = EnrolmentFactory(started_on=date(ended_on.year - 1, 8, 1))
    worker, supervisor = enrolment.worker, enrolment.supervisor
    manager = enrolment.worker.team.manager
    as_of = date(ended_on.year - 1, 9, 3)  # week 5: the cap is 9 open cases
    record_caseload_snapshot(
        recorded_by=supervisor, enrolment=enrolment, as_of=as_of, open_cases=12
    )
    breach = acknowledge_caseload_breach(
        acknowledged_by=manager,
        breach=CaseloadBreach.objects.get(enrolment=enrolment),
        plan=WRITTEN[0],
        plan_due_on=timezone.localdate(),
    )
    resolve_caseload_breach(resolved_by=manager, breach=breach, resolution_note=WRITTEN[1])
    record_protected_time(
        recorded_by=worker,
        enrolment=enrolment,
        on=as_of,
        hours=Decimal("6"),
        kind=ProtectedTimeEntry.Kind.SHADOWING,
        note=WRITTEN[2],
    )
    record_protected_time(
        recorded_by=worker, enrolment=enrolment, on=as_of, hours=Decimal("2"), kind="study"
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=Enrolment.Status.COMPLETED, ended_on=ended_on
    )
    return enrolment


def _everything_stored(*models) -> str:
    """Every live and history row of the models, as text, to search for what was written."""
    rows = [row for model in models for row in (*model.objects.values(), *model.history.values())]
    return json.dumps(rows, default=str, ensure_ascii=False)


def test_retention_scrubs_what_was_written_in_live_and_history_rows():
    enrolment = _worked_then_left(ended_on=date(2019, 7, 31))
    models = (CaseloadBreach, ProtectedTimeEntry, CaseloadSnapshot)
    assert all(text in _everything_stored(*models) for text in WRITTEN)  # so the check can fail

    apply_retention(on=date(2032, 9, 1), actor=None, source="test")

    stored = _everything_stored(*models)
    assert not [text for text in WRITTEN if text in stored]
    breach = CaseloadBreach.objects.get()
    assert (breach.plan, breach.resolution_note) == (SCRUBBED, SCRUBBED)
    assert {row.plan for row in breach.history.all()} == {"", SCRUBBED}
    shadowing, study = ProtectedTimeEntry.objects.order_by("-hours")
    assert (shadowing.note, study.note) == (SCRUBBED, "")  # blank stays blank
    assert {row.note for row in ProtectedTimeEntry.history.all()} == {"", SCRUBBED}
    # What the counts need stays: the figures, the caps, the dates, who acted and when.
    assert (breach.open_cases, breach.cap, breach.status) == (12, 9, "resolved")
    assert breach.snapshot_on == date(2018, 9, 3) and breach.plan_due_on is not None
    assert breach.acknowledged_by is not None and breach.resolved_by is not None
    assert (shadowing.on, shadowing.hours, shadowing.kind) == (
        date(2018, 9, 3),
        Decimal("6.0"),
        "shadowing",
    )
    assert CaseloadSnapshot.objects.get(enrolment=enrolment).open_cases == 12
    latest = breach.history.latest()
    assert latest.history_user is None and latest.history_change_reason.startswith("Retention")


def test_a_lead_anonymising_is_named_on_the_history_row_with_the_reason():
    enrolment = _worked_then_left(ended_on=date(2019, 7, 31))
    lead = UserFactory(roles=[Role.LEAD])

    anonymise_person(person=enrolment.worker, reason="Erasure request", actor=lead)

    breach = CaseloadBreach.objects.get()
    entry = ProtectedTimeEntry.objects.get(note=SCRUBBED)
    for record in (breach, entry):
        latest = record.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (lead, "Erasure request")
    # An entry with nothing written about the person gains no history row.
    untouched = ProtectedTimeEntry.objects.get(note="")
    assert untouched.history.count() == 1


def test_other_peoples_caseloads_are_untouched():
    _worked_then_left(ended_on=date(2019, 7, 31))
    kept = _worked_then_left(ended_on=timezone.localdate())  # six years on, still kept

    apply_retention(on=date(2032, 9, 1), actor=None, source="test")

    breach = CaseloadBreach.objects.get(enrolment=kept)
    assert (breach.plan, breach.resolution_note) == (WRITTEN[0], WRITTEN[1])
    assert WRITTEN[0] in {row.plan for row in breach.history.all()}
    assert ProtectedTimeEntry.objects.filter(enrolment=kept, note=WRITTEN[2]).exists()
