"""The cohort dashboard: one row per enrolment, every state in words, for a manager or a lead.

A page works out its rows for the enrolments it shows, not for every one the filters leave:
sorted by name, the database pages them. Narrowed to those needing attention, or sorted on a
worked-out column, every enrolment the filters leave is judged first (only what that needs),
so the filter and the sort see all of them, and then the page's rows are completed. The
queries stay fixed whatever the number of enrolments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assessments.selectors import Coverage, coverage_for
from programmes.dashboard import EnrolmentAttention, attention_for, long_date
from programmes.models import Enrolment
from programmes.selectors import Timeline, enrolment_timeline, load_people, with_people

# The columns a reader may sort on: by name in the database, the others by these keys, with
# ties kept in the order by name.
SORTABLE = ("name", "week", "coverage", "supervision")
SORT_KEYS = {
    "week": lambda row: row.week,
    "coverage": lambda row: row.coverage.evidenced_percent,
    # Nothing owed counts as the latest date of all.
    "supervision": lambda row: row.attention.supervision.next_due_on or date.max,
}


@dataclass(frozen=True)
class DashboardRow:
    attention: EnrolmentAttention
    timeline: Timeline
    coverage: Coverage

    @property
    def enrolment(self) -> Enrolment:
        return self.attention.enrolment

    @property
    def week(self) -> int:
        return self.week_of(self.timeline)

    @staticmethod
    def week_of(timeline: Timeline) -> int:
        """Week 0 is before the start; after the expected end the count stops at the last."""
        return max(0, min(timeline.week, timeline.total_weeks))

    @property
    def elapsed_percent(self) -> int:
        return round(100 * self.week / self.timeline.total_weeks)

    @property
    def week_state(self) -> str:
        return _("Week %(week)s of %(weeks)s") % {
            "week": self.week,
            "weeks": self.timeline.total_weeks,
        }

    @property
    def status(self) -> str:
        """The enrolment's status in words; an active one may be paused."""
        if self.enrolment.status == Enrolment.Status.ACTIVE and self.timeline.is_paused:
            return _("Paused")
        # The label by value, not get_status_display(), which rebuilds a dict of every choice.
        return str(Enrolment.Status(self.enrolment.status).label)

    @property
    def time_and_standards_state(self) -> str:
        return _("%(elapsed)s%% of the time; %(evidenced)s%% of the standards evidenced") % {
            "elapsed": self.elapsed_percent,
            "evidenced": self.coverage.evidenced_percent,
        }

    @property
    def supervision_state(self) -> str:
        status = self.attention.supervision
        if not status.is_owed:
            return _("None owed")
        if status.is_overdue:
            return _("Overdue since %(day)s") % {"day": long_date(status.overdue_since)}
        return _("Next due %(day)s") % {"day": long_date(status.next_due_on)}

    @cached_property
    def shown(self) -> dict[str, object]:
        """What the page shows of the row, worked out once, under plain keys: the template
        reads a dozen cells from each of fifty rows, and a key is its cheapest lookup."""
        enrolment, attention = self.enrolment, self.attention
        team = enrolment.worker.team
        return {
            "pk": enrolment.pk,
            "name": enrolment.worker.full_name,
            "team": team.name if team else _("No team"),
            "programme": enrolment.cohort.programme.code,
            "cohort": enrolment.cohort.name,
            "week": self.week_state,
            "time_and_standards": self.time_and_standards_state,
            "supervision_overdue": attention.supervision.is_overdue,
            "supervision_owed": attention.supervision.is_owed,
            "supervision": self.supervision_state,
            "over_cap": bool(attention.breaches),
            "caseload": attention.breach_state,
            "time_short": attention.protected_time is not None,
            "protected_time": attention.protected_time_state,
            "review_overdue": attention.review_overdue,
            "review": attention.review_state,
            "concern_open": bool(attention.concerns),
            "concerns": attention.concern_state,
            "status": self.status,
            "reasons": attention.reasons,
        }

    @property
    def coverage_state(self) -> str:
        return _("%(evidenced)s%% evidenced, %(triangulated)s%% triangulated") % {
            "evidenced": self.coverage.evidenced_percent,
            "triangulated": self.coverage.triangulated_percent,
        }


def dashboard_rows(enrolments: QuerySet[Enrolment], *, on: date) -> list[DashboardRow]:
    """Every enrolment given, with its people and its figures on `on`, in the queryset's order.

    At most fifteen queries whatever the number of enrolments: `attention_for` (9) and
    `coverage_for` (4, or 6 when an enrolment is not yet pinned to a framework).
    """
    return completed_rows(list(attention_for(with_people(enrolments), on=on).values()), on=on)


def completed_rows(items: list[EnrolmentAttention], *, on: date) -> list[DashboardRow]:
    """Rows for enrolments already judged, in their order: their coverage in four or six
    queries, their timelines from what was loaded."""
    coverage = coverage_for([item.enrolment for item in items])
    return [
        DashboardRow(
            attention=item,
            timeline=enrolment_timeline(item.enrolment, on=on),
            coverage=coverage[item.enrolment.pk],
        )
        for item in items
    ]


def needing_attention(rows: list[DashboardRow]) -> list[DashboardRow]:
    return [row for row in rows if row.attention.needs_attention]


def sorted_rows(rows: list[DashboardRow], *, sort: str, descending: bool) -> list[DashboardRow]:
    """Rows given in the database's order by name, sorted on one of SORT_KEYS (or by name);
    Python's sort is stable, so ties stay in name order whichever way round."""
    if sort not in SORT_KEYS:
        return list(reversed(rows)) if descending else list(rows)
    return sorted(rows, key=SORT_KEYS[sort], reverse=descending)


# The database's order by name, both ways; Python keeps it when it sorts or filters further.
BY_NAME = ("worker__full_name", "pk")
BY_NAME_DESCENDING = ("-worker__full_name", "-pk")


def dashboard_page(
    enrolments: QuerySet[Enrolment],
    *,
    on: date,
    needs_attention: bool,
    sort: str,
    descending: bool,
    number: object,
    per_page: int,
) -> Page:
    """One page of the dashboard: its rows, and the count of every row the filters leave.

    By name with no "needs attention", the database pages the enrolments and only the page's
    rows are worked out (`dashboard_rows`): its queries plus the count and the page's keys.
    Otherwise every enrolment is judged first, without its people (`attention_for`; sorted on
    coverage, its coverage is worked out too), and the page's rows are completed with their
    people (one query) and coverage. A fixed number of queries either way.
    """
    sort = sort if sort in SORTABLE else "name"
    by_name_descending = descending and sort == "name"
    ordered = enrolments.order_by(*(BY_NAME_DESCENDING if by_name_descending else BY_NAME))
    if sort == "name" and not needs_attention:
        page = Paginator(ordered.values_list("pk", flat=True), per_page).get_page(number)
        keys = list(page.object_list)
        by_key = {
            row.enrolment.pk: row for row in dashboard_rows(ordered.filter(pk__in=keys), on=on)
        }
        page.object_list = [by_key[pk] for pk in keys]
        return page
    judged = [
        item
        for item in attention_for(ordered, on=on).values()
        if item.needs_attention or not needs_attention
    ]
    page = Paginator(
        _sorted_attention(judged, sort=sort, on=on, descending=descending), per_page
    ).get_page(number)
    shown = list(page.object_list)
    load_people([item.enrolment for item in shown])
    page.object_list = completed_rows(shown, on=on)
    return page


def _sorted_attention(
    items: list[EnrolmentAttention], *, sort: str, on: date, descending: bool
) -> list[EnrolmentAttention]:
    """Sorted on a worked-out column, ties kept in name order; by name, as they come (the
    database put them in name order, whichever way round)."""
    if sort == "week":
        weeks = {
            item.enrolment.pk: DashboardRow.week_of(enrolment_timeline(item.enrolment, on=on))
            for item in items
        }
        return sorted(items, key=lambda item: weeks[item.enrolment.pk], reverse=descending)
    if sort == "coverage":
        coverage = coverage_for([item.enrolment for item in items])
        return sorted(
            items,
            key=lambda item: coverage[item.enrolment.pk].evidenced_percent,
            reverse=descending,
        )
    if sort == "supervision":
        return sorted(
            items,
            key=lambda item: item.supervision.next_due_on or date.max,
            reverse=descending,
        )
    return items
