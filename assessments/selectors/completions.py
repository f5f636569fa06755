"""Reads for completion records: looking one up by Social Work England number."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.models import CompletionRecord
from people.models import Role, User


def normalise_registration_number(number: str) -> str:
    """As people copy it from a letter or a screen: spaces anywhere, either case."""
    return "".join(number.split()).upper()


def can_look_up_completions(user: User) -> bool:
    """The completion lookup answers employers' reference checks: a lead's job."""
    return user.is_authenticated and user.has_role(Role.LEAD)


def completions_for_number(user: User, number: str) -> QuerySet[CompletionRecord]:
    """The records this person may see for one registration number, latest outcome first."""
    wanted = normalise_registration_number(number)
    if not wanted:
        return CompletionRecord.objects.none()
    return CompletionRecord.objects.visible_to(user).filter(swe_registration_number=wanted)


def completion_records_of(person: User) -> list[dict[str, object]]:
    """The person's completion records, for their subject access export."""
    records = CompletionRecord.objects.filter(worker=person).order_by("started_on", "pk")
    return [
        {
            "enrolment_id": record.enrolment_id,
            "name_recorded": record.worker_name,
            "social_work_england_registration_number": record.swe_registration_number,
            "programme": record.programme_name,
            "cohort": record.cohort_name,
            "started_on": record.started_on,
            "outcome": record.get_outcome_display(),
            "outcome_on": record.outcome_on,
            "framework": record.framework_name,
            "framework_version": record.framework_version,
            "recorded_at": record.recorded_at,
        }
        for record in records
    ]
