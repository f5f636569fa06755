"""Exports for programmes: what goes in each file. Writing the CSV is people.csv_export's job."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from programmes.models import Cohort, Enrolment
from programmes.selectors import enrolments_with_timelines

if TYPE_CHECKING:
    from programmes.dashboard.cohort import DashboardRow


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


def dashboard_export_header() -> list[str]:
    return [
        _("Worker"),
        _("Team"),
        _("Programme"),
        _("Cohort"),
        _("Supervisor"),
        _("Assessor"),
        _("Programme week"),
        _("Time elapsed (%)"),
        _("Standards evidenced (%)"),
        _("Standards triangulated (%)"),
        _("Supervision"),
        _("Caseload"),
        _("Protected time last month"),
        _("Next review"),
        _("Concerns"),
        _("Evidence awaiting sign-off"),
        _("Status"),
        _("Needs attention"),
    ]


def dashboard_export_rows(rows: Iterable[DashboardRow]) -> Iterator[list[object]]:
    """The dashboard's rows as they are shown, every state in words; no queries of its own."""
    for row in rows:
        enrolment, attention = row.enrolment, row.attention
        yield [
            enrolment.worker.full_name,
            enrolment.worker.team.name if enrolment.worker.team else "",
            enrolment.cohort.programme.code,
            enrolment.cohort.name,
            enrolment.supervisor.full_name if enrolment.supervisor else "",
            enrolment.assessor.full_name if enrolment.assessor else "",
            row.week_state,
            row.elapsed_percent,
            row.coverage.evidenced_percent,
            row.coverage.triangulated_percent,
            row.supervision_state,
            attention.breach_state,
            attention.protected_time_state,
            attention.review_state,
            attention.concern_state,
            attention.sign_off_state,
            row.status,
            "; ".join(attention.reasons) or _("No"),
        ]


def dashboard_export_filename(*, on: date) -> str:
    return f"cohort-dashboard-{on.isoformat()}.csv"
