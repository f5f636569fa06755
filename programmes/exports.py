"""Exports for programmes: what goes in each file. Writing the CSV is people.csv_export's job."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from programmes.models import Cohort, Enrolment
from programmes.selectors import enrolments_with_timelines


def cohort_export_header() -> list[str]:
    return [
        _("Worker"),
        _("Email"),
        _("Team"),
        _("Programme"),
        _("Start date"),
        _("FTE"),
        _("Expected end date"),
        _("Status"),
        _("Supervisor"),
        _("Assessor"),
    ]


def cohort_export_rows(enrolments: QuerySet[Enrolment], *, on: date) -> Iterator[list[object]]:
    """One row per enrolment given (already scoped to the reader), in a fixed number of queries."""
    for enrolment, timeline in enrolments_with_timelines(enrolments, on=on):
        yield [
            enrolment.worker.full_name,
            enrolment.worker.email,
            enrolment.worker.team.name if enrolment.worker.team else "",
            enrolment.cohort.programme.code,
            enrolment.started_on.isoformat(),
            enrolment.fte,
            timeline.expected_end_on.isoformat(),
            enrolment.get_status_display(),
            enrolment.supervisor.full_name if enrolment.supervisor else "",
            enrolment.assessor.full_name if enrolment.assessor else "",
        ]


def cohort_export_filename(cohort: Cohort, *, on: date) -> str:
    """ASCII letters, digits and hyphens only: safe in any header and on any disk."""
    stem = slugify(cohort.name)[:60].strip("-") or "cohort"
    return f"cohort-{cohort.pk}-{stem}-{on.isoformat()}.csv"
