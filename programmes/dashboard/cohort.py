"""The cohort dashboard: one row per enrolment, every state in words, for a manager or a lead.

Rows are worked out for every enrolment the filters leave, then narrowed to those needing
attention and sorted here, so "needs attention" and the sort see all of them, not one page.
At a council's scale (150 to 9,000 enrolments) that is a few seconds at most; the queries stay
fixed whatever the number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.selectors import Coverage, coverage_for
from programmes.dashboard import EnrolmentAttention, attention_for
from programmes.models import Enrolment
from programmes.selectors import Timeline, enrolment_timeline

# The columns a reader may sort on, each with its key; ties keep the order by name.
SORT_KEYS = {
    "name": lambda row: (row.enrolment.worker.full_name, row.enrolment.pk),
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
        """Week 0 is before the start; after the expected end the count stops at the last."""
        return max(0, min(self.timeline.week, self.timeline.total_weeks))

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
        return self.enrolment.get_status_display()

    @property
    def supervision_state(self) -> str:
        status = self.attention.supervision
        if not status.is_owed:
            return _("None owed")
        if status.is_overdue:
            return _("Overdue since %(day)s") % {"day": _day(status.overdue_since)}
        return _("Next due %(day)s") % {"day": _day(status.next_due_on)}

    @property
    def coverage_state(self) -> str:
        return _("%(evidenced)s%% evidenced, %(triangulated)s%% triangulated") % {
            "evidenced": self.coverage.evidenced_percent,
            "triangulated": self.coverage.triangulated_percent,
        }


def _day(day: date | None) -> str:
    return date_format(day, "j F Y") if day else ""


def dashboard_rows(enrolments: QuerySet[Enrolment], *, on: date) -> list[DashboardRow]:
    """Every enrolment given, with its figures on `on`, in the queryset's order.

    At most eighteen queries whatever the number of enrolments: `attention_for` (13) and
    `coverage_for` (4, or 5 when an enrolment is not yet pinned to a framework).
    """
    attention = attention_for(enrolments, on=on)
    people = [item.enrolment for item in attention.values()]
    coverage = coverage_for(people)
    return [
        DashboardRow(
            attention=item,
            timeline=enrolment_timeline(item.enrolment, on=on),
            coverage=coverage[enrolment_id],
        )
        for enrolment_id, item in attention.items()
    ]


def needing_attention(rows: list[DashboardRow]) -> list[DashboardRow]:
    return [row for row in rows if row.attention.needs_attention]


def sorted_rows(rows: list[DashboardRow], *, sort: str, descending: bool) -> list[DashboardRow]:
    """Sorted on one of SORT_KEYS (by name if unknown); Python's sort is stable, so ties stay
    in name order whichever way round."""
    by_name = sorted(rows, key=SORT_KEYS["name"])
    if sort not in SORT_KEYS or sort == "name":
        return list(reversed(by_name)) if descending else by_name
    return sorted(by_name, key=SORT_KEYS[sort], reverse=descending)
