"""What programmes hold about a person, for subject access and for retention.

Registered with people.privacy from ProgrammesConfig.ready(): people knows nothing of
programmes, so programmes tells it. The enrolment itself (dates, FTE, status) names the worker by
id only and stays, so reports and counts keep working after anonymisation; the free text typed
about the person (pause notes, extension reasons, the reasons given for changes) and their
uploaded documents go, in the live rows and in their history rows alike. So it is with caseloads:
the figures, the caps and the dates stay, for the moderation counts; the plans, resolution notes
and notes on learning logged go.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.audit import save_audited
from people.models import User
from people.privacy import (
    SubjectFile,
    register_anonymiser,
    register_subject_data,
    register_subject_files,
)
from programmes.models import (
    CaseloadBreach,
    CaseloadSnapshot,
    Enrolment,
    EnrolmentDocument,
    EnrolmentExtension,
    EnrolmentPause,
    ProtectedTimeEntry,
)
from programmes.selectors import enrolment_timeline

# Stored in place of free text about a person once their retention period is over.
SCRUBBED = "Removed under the retention policy"
# The free text written about a worker's caseload and learning, model by model.
CASELOAD_TEXT = {CaseloadBreach: ("plan", "resolution_note"), ProtectedTimeEntry: ("note",)}


def _document_path(document: EnrolmentDocument) -> str:
    return f"documents/{document.pk}{PurePosixPath(document.file.name).suffix}"


def _name(person: User | None) -> str | None:
    return person.full_name if person is not None else None


def enrolment_records(person: User) -> list[dict[str, object]]:
    """Each enrolment of the person's, with its pauses, extensions, documents and changes."""
    enrolments = (
        Enrolment.objects.filter(worker=person)
        .select_related("cohort__programme", "supervisor", "assessor")
        .prefetch_related(
            Prefetch(
                "pauses",
                queryset=EnrolmentPause.objects.select_related("recorded_by").order_by("starts_on"),
            ),
            Prefetch(
                "extensions",
                queryset=EnrolmentExtension.objects.select_related("approved_by").order_by("pk"),
            ),
            Prefetch(
                "documents",
                queryset=EnrolmentDocument.objects.select_related("uploaded_by").order_by("pk"),
            ),
        )
        .order_by("started_on", "pk")
    )
    enrolments = list(enrolments)
    changes: dict[int, list[dict[str, object]]] = {}
    history = Enrolment.history.filter(id__in=[e.pk for e in enrolments])
    for row in history.order_by("history_date", "history_id"):
        changes.setdefault(row.id, []).append(
            {
                "at": row.history_date,
                "change": {"+": "created", "~": "changed", "-": "deleted"}[row.history_type],
                "reason": row.history_change_reason or "",
            }
        )
    on = timezone.localdate()
    return [
        {
            "id": enrolment.pk,
            "programme": enrolment.cohort.programme.name,
            "cohort": enrolment.cohort.name,
            "started_on": enrolment.started_on,
            "fte": enrolment.fte,
            "status": enrolment.get_status_display(),
            "ended_on": enrolment.ended_on,
            "expected_end_on": enrolment_timeline(enrolment, on=on).expected_end_on,
            "supervisor": _name(enrolment.supervisor),
            "assessor": _name(enrolment.assessor),
            "pauses": [
                {
                    "starts_on": pause.starts_on,
                    "ends_on": pause.ends_on,
                    "reason": pause.get_reason_display(),
                    "note": pause.note,
                    "recorded_by": _name(pause.recorded_by),
                }
                for pause in enrolment.pauses.all()
            ],
            "extensions": [
                {
                    "weeks": extension.weeks,
                    "reason": extension.reason,
                    "approved_on": extension.approved_on,
                    "approved_by": _name(extension.approved_by),
                }
                for extension in enrolment.extensions.all()
            ],
            "documents": [
                {
                    "title": document.title,
                    "kind": document.get_kind_display(),
                    "uploaded_at": document.uploaded_at,
                    "uploaded_by": _name(document.uploaded_by),
                    "file": f"files/{_document_path(document)}",
                }
                for document in enrolment.documents.all()
            ],
            "changes": changes.get(enrolment.pk, []),
        }
        for enrolment in enrolments
    ]


def enrolment_files(person: User) -> list[SubjectFile]:
    documents = EnrolmentDocument.objects.filter(enrolment__worker=person).order_by("pk")
    return [SubjectFile(path=_document_path(d), file=d.file) for d in documents]


def scrub_programme_records(person: User, *, actor: User | None, reason: str) -> None:
    """Remove the free text and documents about a former worker; their dates stay."""
    enrolment_ids = list(Enrolment.objects.filter(worker=person).values_list("pk", flat=True))
    # History first: the rows saved below then record the scrub itself, and why.
    for model in (Enrolment, EnrolmentPause, EnrolmentExtension, EnrolmentDocument):
        key = "id__in" if model is Enrolment else "enrolment_id__in"
        model.history.filter(**{key: enrolment_ids}).exclude(
            history_change_reason__isnull=True
        ).update(history_change_reason=SCRUBBED)
    EnrolmentPause.history.filter(enrolment_id__in=enrolment_ids).update(note="")
    EnrolmentExtension.history.filter(enrolment_id__in=enrolment_ids).update(reason=SCRUBBED)
    EnrolmentDocument.history.filter(enrolment_id__in=enrolment_ids).update(title=SCRUBBED, file="")
    for pause in EnrolmentPause.objects.filter(enrolment_id__in=enrolment_ids).exclude(note=""):
        pause.note = ""
        save_audited(pause, by=actor, why=reason, validate=False)
    extensions = EnrolmentExtension.objects.filter(enrolment_id__in=enrolment_ids)
    for extension in extensions.exclude(reason=SCRUBBED):
        extension.reason = SCRUBBED
        save_audited(extension, by=actor, why=reason, validate=False)
    for document in EnrolmentDocument.objects.filter(enrolment_id__in=enrolment_ids):
        storage, stored = document.file.storage, document.file.name
        # The deletion's own history row copies these values: scrub them before it is written.
        document.title, document.file = SCRUBBED, ""
        document._history_user = actor
        document._change_reason = reason
        document.delete()
        # The file goes only once the records are gone for good.
        transaction.on_commit(lambda storage=storage, stored=stored: storage.delete(stored))


def caseload_records(person: User) -> dict[str, list[dict[str, object]]]:
    """The person's caseload figures, the breaches of their cap, and the learning they logged."""
    snapshots = (
        CaseloadSnapshot.objects.filter(enrolment__worker=person)
        .select_related("recorded_by")
        .order_by("as_of", "pk")
    )
    breaches = (
        CaseloadBreach.objects.filter(enrolment__worker=person)
        .select_related("acknowledged_by", "resolved_by")
        .order_by("detected_on", "pk")
    )
    entries = (
        ProtectedTimeEntry.objects.filter(enrolment__worker=person)
        .select_related("recorded_by")
        .order_by("on", "pk")
    )
    return {
        "caseload_snapshots": [
            {
                "enrolment_id": snapshot.enrolment_id,
                "as_of": snapshot.as_of,
                "open_cases": snapshot.open_cases,
                "child_protection_cases": snapshot.child_protection_cases,
                "complex_cases": snapshot.complex_cases,
                "weighted_complexity": snapshot.weighted_complexity,
                "source": snapshot.get_source_display(),
                "recorded_by": _name(snapshot.recorded_by),
                "recorded_at": snapshot.recorded_at,
            }
            for snapshot in snapshots
        ],
        "caseload_breaches": [
            {
                "enrolment_id": breach.enrolment_id,
                "detected_on": breach.detected_on,
                "caseload_date": breach.snapshot_on,
                "open_cases": breach.open_cases,
                "cap": breach.cap,
                "child_protection_cases": breach.child_protection_cases,
                "child_protection_cap": breach.child_protection_cap,
                "complex_cases": breach.complex_cases,
                "complex_cap": breach.complex_cap,
                "limits_exceeded": breach.limits,
                "status": breach.get_status_display(),
                "plan": breach.plan,
                "plan_due_on": breach.plan_due_on,
                "acknowledged_by": _name(breach.acknowledged_by),
                "acknowledged_at": breach.acknowledged_at,
                "ended_on": breach.ended_on,
                "resolved_by": _name(breach.resolved_by),
                "resolved_at": breach.resolved_at,
                "resolution_note": breach.resolution_note,
                "manager_and_supervisor_told_at": breach.notified_at,
                "escalated_at": breach.escalated_at,
            }
            for breach in breaches
        ],
        "protected_time": [
            {
                "enrolment_id": entry.enrolment_id,
                "on": entry.on,
                "hours": entry.hours,
                "kind": entry.get_kind_display(),
                "note": entry.note,
                "recorded_by": _name(entry.recorded_by),
                "recorded_at": entry.recorded_at,
            }
            for entry in entries
        ],
    }


def scrub_caseload_records(person: User, *, actor: User | None, reason: str) -> None:
    """Remove what was written about a former worker's caseload and learning; figures stay."""
    enrolment_ids = list(Enrolment.objects.filter(worker=person).values_list("pk", flat=True))
    for model, fields in CASELOAD_TEXT.items():
        # History first: the rows saved below then record the scrub itself, and why.
        history = model.history.filter(enrolment_id__in=enrolment_ids)
        for field in fields:
            history.exclude(**{field: ""}).update(**{field: SCRUBBED})
        for record in model.objects.filter(enrolment_id__in=enrolment_ids):
            written = [field for field in fields if getattr(record, field) not in ("", SCRUBBED)]
            if not written:
                continue
            for field in written:
                setattr(record, field, SCRUBBED)
            save_audited(record, by=actor, why=reason, validate=False)


def register_programme_sections() -> None:
    """Called by ProgrammesConfig.ready()."""
    register_subject_data(
        "programmes.enrolments",
        enrolment_records,
        label=_("Programmes: enrolments, pauses, extensions and documents"),
    )
    register_subject_data(
        "programmes.caseloads",
        caseload_records,
        label=_("Programmes: caseload figures, breaches of the cap and protected time"),
    )
    register_subject_files("programmes.documents", enrolment_files)
    register_anonymiser("programmes", scrub_programme_records)
    register_anonymiser("programmes.caseloads", scrub_caseload_records)
