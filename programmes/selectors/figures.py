"""Reads for the cohort figures: caseload bands, outcomes and caseload breaches by month.

Plain counts over the enrolments a reader may see, already filtered; each a fixed number of
queries whatever the number of enrolments. The figures that read across apps (attention,
supervision, standards) are put together in `programmes.dashboard.figures`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from programmes.models import CaseloadBreach, Enrolment, EnrolmentExtension
from programmes.rules import add_months
from programmes.selectors.caseloads import latest_caseloads

# Inclusive bounds of open cases; None: no upper bound.
CASELOAD_BANDS: tuple[tuple[int, int | None], ...] = ((0, 10), (11, 20), (21, 30), (31, None))

# A leaver is counted as leaving in the first year when they went before this many months.
FIRST_YEAR_MONTHS = 12


@dataclass(frozen=True)
class Month:
    """A calendar month, or the current one up to the day asked about."""

    starts_on: date
    ends_on: date
    is_to_date: bool  # the current month, so far

    def __contains__(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def month_windows(*, on: date, months: int = 12) -> list[Month]:
    """The `months` full calendar months before `on`, oldest first, then this month to `on`."""
    this_month = on.replace(day=1)
    windows = []
    for back in range(months, 0, -1):
        starts_on = add_months(this_month, -back)
        ends_on = add_months(starts_on, 1) - timedelta(days=1)
        windows.append(Month(starts_on=starts_on, ends_on=ends_on, is_to_date=False))
    windows.append(Month(starts_on=this_month, ends_on=on, is_to_date=True))
    return windows


@dataclass(frozen=True)
class BandCount:
    label: str  # e.g. "0–10", "31+"
    low: int
    high: int | None
    count: int


@dataclass(frozen=True)
class CaseloadBands:
    bands: tuple[BandCount, ...]
    not_recorded: int  # active enrolments with no caseload figure yet

    @property
    def total(self) -> int:
        return sum(band.count for band in self.bands) + self.not_recorded


def band_label(low: int, high: int | None) -> str:
    return f"{low}+" if high is None else f"{low}–{high}"


def caseload_bands(enrolments: QuerySet[Enrolment], *, on: date) -> CaseloadBands:
    """Active enrolments by their latest open-case figure on or before `on`.

    Three queries whatever the number of enrolments: `latest_caseloads` (2) and how many are
    active, since those with no figure yet are left out of the latest figures.
    """
    active = enrolments.current()
    figures = [latest.open_cases for latest in latest_caseloads(active, on=on)]
    bands = tuple(
        BandCount(
            label=band_label(low, high),
            low=low,
            high=high,
            count=sum(1 for cases in figures if low <= cases and (high is None or cases <= high)),
        )
        for low, high in CASELOAD_BANDS
    )
    return CaseloadBands(bands=bands, not_recorded=active.order_by().count() - len(figures))


@dataclass(frozen=True)
class Outcomes:
    active: int
    completed: int
    extended: int  # with at least one extension, whatever their status
    failed: int  # shown as "Not passed"
    withdrawn: int
    withdrawn_in_first_year: int

    @property
    def total(self) -> int:
        return self.active + self.completed + self.failed + self.withdrawn


def outcome_counts(enrolments: QuerySet[Enrolment]) -> Outcomes:
    """How the enrolments given stand: two queries, the counts and the leavers' dates.

    A first-year leaver went less than twelve calendar months after starting; calendar months
    are added in Python (`add_months`) because SQLite and PostgreSQL add them differently.
    """
    status = Enrolment.Status
    extended = EnrolmentExtension.objects.filter(enrolment=OuterRef("pk"))
    counts = (
        enrolments.order_by()
        .annotate(is_extended=Exists(extended))
        .aggregate(
            active=Count("pk", filter=Q(status=status.ACTIVE)),
            completed=Count("pk", filter=Q(status=status.COMPLETED)),
            failed=Count("pk", filter=Q(status=status.FAILED)),
            withdrawn=Count("pk", filter=Q(status=status.WITHDRAWN)),
            extended=Count("pk", filter=Q(is_extended=True)),
        )
    )
    leavers = enrolments.filter(status=status.WITHDRAWN, ended_on__isnull=False).order_by()
    in_first_year = sum(
        1
        for started_on, ended_on in leavers.values_list("started_on", "ended_on")
        if ended_on < add_months(started_on, FIRST_YEAR_MONTHS)
    )
    return Outcomes(**counts, withdrawn_in_first_year=in_first_year)


@dataclass(frozen=True)
class MonthBreaches:
    month: Month
    opened: int  # detected in the month
    closed: int  # back within the cap, or resolved, in the month


def breaches_by_month(
    enrolments: QuerySet[Enrolment], *, on: date, months: int = 12
) -> list[MonthBreaches]:
    """Caseload breaches opened and closed in each month of `month_windows`, oldest first.

    A breach closes on the day the figures came back within the cap (`ended_on`); one resolved
    by hand, or by the programme ending, without that day closes on the day it was resolved.
    One query whatever the number of enrolments or breaches.
    """
    windows = month_windows(on=on, months=months)
    first_day = windows[0].starts_on
    # Resolved by hand before the window cannot close inside it: resolved_at is never early.
    rows = (
        CaseloadBreach.objects.filter(enrolment__in=enrolments)
        .filter(
            Q(detected_on__gte=first_day)
            | Q(ended_on__gte=first_day)
            | Q(ended_on__isnull=True, resolved_at__date__gte=first_day - timedelta(days=1))
        )
        .order_by()
        .values_list("detected_on", "ended_on", "resolved_at", "status")
    )
    opened: Counter[int] = Counter()
    closed: Counter[int] = Counter()
    for detected_on, ended_on, resolved_at, status in rows:
        closed_on = ended_on
        if closed_on is None and status == CaseloadBreach.Status.RESOLVED and resolved_at:
            closed_on = timezone.localdate(resolved_at)
        for index, month in enumerate(windows):
            if detected_on in month:
                opened[index] += 1
            if closed_on is not None and closed_on in month:
                closed[index] += 1
    return [
        MonthBreaches(month=month, opened=opened[index], closed=closed[index])
        for index, month in enumerate(windows)
    ]
