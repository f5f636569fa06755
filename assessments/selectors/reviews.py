"""Reads for reviews, concerns and the final decision: who may record what, each enrolment's
review schedule, and the reviews due across many enrolments in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import (
    Concern,
    FinalAssessment,
    ModerationDecision,
    Review,
    StandardSummary,
)
from people.models import Role, User
from programmes import rules as programme_rules
from programmes.models import Enrolment
from programmes.selectors import (
    Timeline,
    enrolment_timeline,
    enrolments_for_list,
    milestone_label,
)

# A review point due within this many days is "due soon": long enough to book the people in.
DUE_SOON_DAYS = 28
# The final assessment is written in the run-up to the final review point, not months before:
# the assessor needs the year's evidence (DOMAIN.md, "ASYE": the final is at 12 months).
FINAL_OPENS_DAYS_BEFORE = 28


def can_record_review(user: User, enrolment: Enrolment) -> bool:
    """The enrolment's assessor or supervisor, or a lead, records reviews while it is active."""
    if not user.is_authenticated or enrolment.status != Enrolment.Status.ACTIVE:
        return False
    if enrolment.worker_id == user.pk:
        return False
    return user.pk in (enrolment.assessor_id, enrolment.supervisor_id) or user.has_role(Role.LEAD)


def can_open_concern(user: User, enrolment: Enrolment) -> bool:
    """Whoever may record a review may open a concern between reviews too."""
    return can_record_review(user, enrolment)


def can_close_concern(user: User, concern: Concern) -> bool:
    return concern.status == Concern.Status.OPEN and can_record_review(user, concern.enrolment)


def can_record_final(user: User, enrolment: Enrolment) -> bool:
    """Only the enrolment's assessor makes the recommendation, and only while it is active."""
    return (
        user.is_authenticated
        and enrolment.status == Enrolment.Status.ACTIVE
        and enrolment.assessor_id == user.pk
        and enrolment.worker_id != user.pk
    )


def can_moderate(user: User, enrolment: Enrolment) -> bool:
    """A programme lead records the moderation panel's decision on an active enrolment."""
    return (
        user.is_authenticated
        and user.has_role(Role.LEAD)
        and enrolment.status == Enrolment.Status.ACTIVE
        and enrolment.worker_id != user.pk
    )


def can_download_portfolio(user: User, enrolment: Enrolment) -> bool:
    """The assessor, the worker's manager and the leads prepare the panel; the worker may keep a
    copy of their own portfolio, since everything in it is already theirs to read."""
    if not user.is_authenticated:
        return False
    team = enrolment.worker.team
    manager_id = team.manager_id if team is not None else None
    involved = (enrolment.assessor_id, manager_id, enrolment.worker_id)
    return user.pk in involved or user.has_role(Role.LEAD)


def can_see_reviews_due(user: User) -> bool:
    return user.is_authenticated and any(
        user.has_role(role) for role in (Role.ASSESSOR, Role.SUPERVISOR, Role.MANAGER, Role.LEAD)
    )


def current_round(final: FinalAssessment | None) -> ModerationDecision | None:
    """The panel's decision on the recommendation as it stands, if the panel has met on it.

    A recommendation to extend closes its round; after the extension the assessor writes a new
    recommendation over the old one (its history keeps the first), and decisions recorded before
    that belong to the earlier round. Needs `moderation_decisions` prefetched or loaded.
    """
    if final is None:
        return None
    decided = [d for d in final.moderation_decisions.all() if d.recorded_at >= final.recommended_at]
    return decided[-1] if decided else None


@dataclass(frozen=True)
class ReviewPoint:
    """One review point of an enrolment's schedule, and where it stands on a day."""

    months: int
    due_on: date
    is_final: bool
    label: str
    review: Review | None
    on: date

    @property
    def is_recorded(self) -> bool:
        return self.review is not None

    @property
    def is_overdue(self) -> bool:
        return self.review is None and self.due_on < self.on

    @property
    def is_due_soon(self) -> bool:
        return self.review is None and self.on <= self.due_on <= self.on + timedelta(
            days=DUE_SOON_DAYS
        )

    @property
    def state(self) -> str:
        """Where the point stands, in words."""
        if self.review is not None:
            return _("Recorded")
        days = (self.due_on - self.on).days
        if days < 0:
            return ngettext("Overdue by %(days)d day", "Overdue by %(days)d days", -days) % {
                "days": -days
            }
        if days == 0:
            return _("Due today")
        if days <= DUE_SOON_DAYS:
            return ngettext("Due in %(days)d day", "Due in %(days)d days", days) % {"days": days}
        return _("Not yet due")


def _points(timeline: Timeline, *, reviews: list[Review], on: date) -> list[ReviewPoint]:
    by_months = {review.months: review for review in reviews}
    return [
        ReviewPoint(
            months=milestone.months,
            due_on=milestone.due_on,
            is_final=milestone.is_final,
            label=milestone_label(milestone),
            review=by_months.get(milestone.months),
            on=on,
        )
        for milestone in timeline.milestones
        if milestone.kind == "review"
    ]


@dataclass(frozen=True)
class ReviewSchedule:
    enrolment: Enrolment
    points: list[ReviewPoint]
    learning_agreement_due_on: date | None
    is_paused: bool

    @property
    def unrecorded(self) -> list[ReviewPoint]:
        return [point for point in self.points if point.review is None]

    @property
    def final_point(self) -> ReviewPoint | None:
        return next((point for point in self.points if point.is_final), None)


def review_schedule(enrolment: Enrolment, *, on: date) -> ReviewSchedule:
    """Each review point of one enrolment: its due date (moved by FTE, pauses, extensions),
    the review recorded at it if any, and whether it is due soon or overdue."""
    reviews = list(enrolment.reviews.select_related("recorded_by").order_by("months"))
    timeline = enrolment_timeline(enrolment, on=on)
    return ReviewSchedule(
        enrolment=enrolment,
        points=_points(timeline, reviews=reviews, on=on),
        learning_agreement_due_on=next(
            (m.due_on for m in timeline.milestones if m.kind == "learning-agreement"), None
        ),
        is_paused=timeline.is_paused,
    )


def final_opens_on(schedule: ReviewSchedule) -> date | None:
    """The first day the final assessment may be recorded: four weeks before the final point."""
    final = schedule.final_point
    return None if final is None else final.due_on - timedelta(days=FINAL_OPENS_DAYS_BEFORE)


@dataclass(frozen=True)
class ReviewDue:
    """The next review point an enrolment owes: the earliest not yet recorded."""

    enrolment: Enrolment
    months: int
    due_on: date
    is_final: bool
    label: str
    is_overdue: bool
    days: int  # until it is due; negative once overdue

    @property
    def state(self) -> str:
        if self.days < 0:
            return ngettext("Overdue by %(days)d day", "Overdue by %(days)d days", -self.days) % {
                "days": -self.days
            }
        if self.days == 0:
            return _("Due today")
        return ngettext("Due in %(days)d day", "Due in %(days)d days", self.days) % {
            "days": self.days
        }


def reviews_due(enrolments: QuerySet[Enrolment], *, on: date) -> dict[int, ReviewDue]:
    """The next unrecorded review point of each active, unpaused enrolment given.

    Five queries whatever the number of enrolments: the enrolments (with worker, team, cohort),
    their programmes, pauses and extensions, and the review points already recorded.
    """
    return reviews_due_among(
        list(enrolments_for_list(enrolments.filter(status=Enrolment.Status.ACTIVE))), on=on
    )


def reviews_due_among(
    enrolments: Sequence[Enrolment], *, on: date, scope: QuerySet[Enrolment] | None = None
) -> dict[int, ReviewDue]:
    """`reviews_due` of enrolments already loaded with their programme, pauses and extensions
    (`enrolments_for_judging`): one query, the review points recorded. Only active ones count.

    `scope`, the query they were loaded by, picks their reviews by a subquery: thousands of
    keys written into the statement cost more than the reviews themselves.
    """
    rows = [enrolment for enrolment in enrolments if enrolment.status == Enrolment.Status.ACTIVE]
    among = scope if scope is not None else [e.pk for e in rows]
    recorded: dict[int, set[int]] = {}
    for enrolment_id, months in Review.objects.filter(enrolment__in=among).values_list(
        "enrolment_id", "months"
    ):
        recorded.setdefault(enrolment_id, set()).add(months)
    due: dict[int, ReviewDue] = {}
    for enrolment in rows:
        timeline = enrolment_timeline(enrolment, on=on)
        if timeline.is_paused:
            continue  # the clock has stopped: nothing falls due until it starts again
        done = recorded.get(enrolment.pk, set())
        milestone = next(
            (m for m in timeline.milestones if m.kind == "review" and m.months not in done),
            None,
        )
        if milestone is None:
            continue
        days = (milestone.due_on - on).days
        due[enrolment.pk] = ReviewDue(
            enrolment=enrolment,
            months=milestone.months,
            due_on=milestone.due_on,
            is_final=milestone.is_final,
            label=milestone_label(milestone),
            is_overdue=days < 0,
            days=days,
        )
    return due


def reviews_due_for(user: User, *, on: date, within_days: int = DUE_SOON_DAYS) -> list[ReviewDue]:
    """The reviews due within `within_days` or overdue, across the enrolments this person may
    see (a worker's own excepted), the longest overdue first."""
    enrolments = Enrolment.objects.visible_to(user).exclude(worker=user)
    due = reviews_due(enrolments, on=on)
    shown = [item for item in due.values() if item.days <= within_days]
    return sorted(shown, key=lambda item: (item.due_on, item.enrolment.pk))


def open_concerns(enrolments: QuerySet[Enrolment]) -> dict[int, list[Concern]]:
    """The open concerns of each enrolment given, in one query, the oldest first."""
    found: dict[int, list[Concern]] = {}
    for concern in (
        Concern.objects.filter(enrolment__in=enrolments, status=Concern.Status.OPEN)
        .select_related("opened_by")
        .order_by("opened_on", "pk")
    ):
        found.setdefault(concern.enrolment_id, []).append(concern)
    return found


def concerns_for_enrolment(enrolment: Enrolment) -> list[Concern]:
    return list(
        enrolment.concerns.select_related("opened_by", "closed_by", "review").order_by(
            "status", "-opened_on", "-pk"
        )
    )


def final_assessment_of(enrolment: Enrolment) -> FinalAssessment | None:
    """The final assessment with its summaries and the panel's decisions, in three queries."""
    return (
        FinalAssessment.objects.filter(enrolment=enrolment)
        .select_related("assessor")
        .prefetch_related(
            Prefetch(
                "standard_summaries",
                queryset=StandardSummary.objects.select_related("standard"),
            ),
            Prefetch(
                "moderation_decisions",
                queryset=ModerationDecision.objects.select_related("decided_by").order_by(
                    "recorded_at", "pk"
                ),
            ),
        )
        .first()
    )


def review_detail(user: User) -> QuerySet[Review]:
    return Review.objects.visible_to(user).select_related(
        "enrolment__worker__team", "enrolment__cohort__programme", "recorded_by"
    )


def concern_detail(user: User) -> QuerySet[Concern]:
    return Concern.objects.visible_to(user).select_related(
        "enrolment__worker__team", "enrolment__cohort__programme", "opened_by"
    )


def review_milestones(enrolment: Enrolment, *, on: date) -> list[programme_rules.Milestone]:
    """The programme's review milestones for this enrolment, in order."""
    timeline = enrolment_timeline(enrolment, on=on)
    return [m for m in timeline.milestones if m.kind == "review"]
