"""Exports for programmes: what goes in each file. Writing the CSV is people.csv_export's job."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from programmes.models import Cohort, Enrolment, EnrolmentPause, Programme
from programmes.selectors import enrolments_with_timelines
from programmes.selectors.workforce import AGENCY_RULE_REASON_LABELS, ProgrammeWorkforce

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
    return f"cohort-{cohort.pk}-{_stem(cohort.name, 'cohort')}-{on.isoformat()}.csv"


def _stem(name: str, fallback: str) -> str:
    """ASCII letters, digits and hyphens only: safe in any header and on any disk."""
    return slugify(name)[:60].strip("-") or fallback


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


def workforce_export_header() -> list[str]:
    return [_("Measure"), _("Group"), _("Count")]


def workforce_export_rows(workforce: ProgrammeWorkforce) -> Iterator[list[object]]:
    """The summary's table for one programme, long format; no queries of its own."""
    outcomes, status = workforce.outcomes, _("Status")
    yield [status, _("Active"), outcomes.active]
    yield [status, _("Completed"), outcomes.completed]
    yield [status, _("Not passed"), outcomes.failed]
    yield [status, _("Withdrawn"), outcomes.withdrawn]
    yield [status, _("Extended"), outcomes.extended]
    yield [_("Employment"), _("Permanent"), workforce.permanent]
    yield [_("Employment"), _("Agency"), workforce.agency]
    for band in workforce.caseloads.bands:
        yield [_("Caseload"), band.label, band.count]
    yield [_("Caseload"), _("Not recorded"), workforce.caseloads.not_recorded]
    yield [_("Leavers"), _("All"), outcomes.withdrawn]
    yield [_("Leavers"), _("Within the first year"), outcomes.withdrawn_in_first_year]
    rule = _("Agency rule")
    yield [rule, _("Flagged"), len(workforce.flagged)]
    for reason, label in AGENCY_RULE_REASON_LABELS.items():
        yield [rule, label, workforce.flagged_for(reason)]


def workforce_export_filename(programme: Programme, *, on: date) -> str:
    return f"workforce-{_stem(programme.code, 'programme')}-{on.isoformat()}.csv"


def funding_claim_header() -> list[str]:
    return [
        _("Worker"),
        _("Social Work England number"),
        _("Programme"),
        _("Start date"),
        _("FTE"),
        _("Status"),
        _("Pauses"),
    ]


def _pause_in_words(pause: EnrolmentPause) -> str:
    ends = pause.ends_on.strftime("%d/%m/%Y") if pause.ends_on else _("ongoing")
    starts = pause.starts_on.strftime("%d/%m/%Y")
    return f"{starts} – {ends} ({pause.get_reason_display()})"


def funding_claim_rows(enrolments: QuerySet[Enrolment]) -> Iterator[list[object]]:
    """One row per enrolment given, pauses in words; two queries whatever the number."""
    rows = enrolments.select_related("worker", "cohort__programme").prefetch_related(
        Prefetch("pauses", queryset=EnrolmentPause.objects.order_by("starts_on", "pk"))
    )
    for enrolment in rows:
        yield [
            enrolment.worker.full_name,
            enrolment.worker.swe_registration_number,
            enrolment.cohort.programme.code,
            enrolment.started_on.strftime("%d/%m/%Y"),
            enrolment.fte,
            enrolment.get_status_display(),
            "; ".join(_pause_in_words(pause) for pause in enrolment.pauses.all()),
        ]


def funding_claim_filename(cohort: Cohort, *, on: date) -> str:
    return f"funding-claim-{cohort.pk}-{_stem(cohort.name, 'cohort')}-{on.isoformat()}.csv"
