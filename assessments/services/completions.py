"""Writes for completion records: one per ended enrolment, copied from it as it ended."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import CompletionRecord
from assessments.selectors import framework_for
from assessments.selectors.completions import normalise_registration_number
from people.audit import save_audited
from people.models import User
from people.privacy import placeholder_name
from programmes.models import Enrolment


def record_completion(enrolment: Enrolment, *, by: User | None = None) -> CompletionRecord:
    """The enrolment's completion record, written once its outcome is known; safe to repeat.

    A repeat with the same outcome and date keeps the record as it was (its copies of names and
    numbers are the point of it); a corrected outcome or date writes a fresh copy.
    """
    if enrolment.status == Enrolment.Status.ACTIVE:
        raise ValidationError(_("An active enrolment has no outcome to record yet."))
    with transaction.atomic():
        record = CompletionRecord.objects.select_for_update().filter(enrolment=enrolment).first()
        if record is not None and (record.outcome, record.outcome_on) == (
            enrolment.status,
            enrolment.ended_on,
        ):
            return record
        record = record or CompletionRecord(enrolment=enrolment)
        worker, cohort = enrolment.worker, enrolment.cohort
        framework = framework_for(enrolment)
        record.worker = worker
        record.worker_name = worker.full_name
        record.swe_registration_number = normalise_registration_number(
            worker.swe_registration_number
        )
        record.programme_code = cohort.programme.code
        record.programme_name = cohort.programme.name
        record.cohort_name = cohort.name
        record.outcome = enrolment.status
        record.outcome_on = enrolment.ended_on
        record.framework_code = framework.code if framework else ""
        record.framework_version = framework.version if framework else ""
        record.framework_name = framework.name if framework else ""
        record.started_on = enrolment.started_on
        record.recorded_at = timezone.now()
        save_audited(record, by=by, why="Recorded as the enrolment ended")
    return record


def anonymise_completion_records(person: User, *, actor: User | None, reason: str) -> None:
    """Once a former worker's retention period is over, their records keep the outcome, the
    programme and the dates, and lose the copied name and number, in the history rows too."""
    name = placeholder_name(person.pk)
    # History first: the rows saved below then record the anonymisation itself, and why.
    CompletionRecord.history.filter(worker_id=person.pk).update(
        worker_name=name, swe_registration_number=""
    )
    for record in CompletionRecord.objects.filter(worker=person):
        record.worker_name = name
        record.swe_registration_number = ""
        save_audited(record, by=actor, why=reason, validate=False)
