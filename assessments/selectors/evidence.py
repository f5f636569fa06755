"""Evidence reads: an enrolment's items as one person may see them, the assessor's queue of
items awaiting sign-off (oldest first, aged in working days), and the checks on who may do what.

A draft is its author's alone (Evidence.objects.visible_to): nobody else, a lead included,
finds it in any list here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Min, Prefetch, QuerySet
from django.utils import timezone

from assessments.models import Evidence, SignOff, Statement
from people.models import Role, User
from people.working_days import working_days_between
from programmes.models import Enrolment

# Evidence this many working days in the queue is overdue: the assessor is reminded.
SIGN_OFF_WORKING_DAYS = 10

# Kinds written in the app by the worker. An observation is recorded by its observer (its own
# pages), and feedback from a person arrives through a feedback link; a worker may still write
# down feedback they were given, so both feedback kinds stay here.
WRITTEN_KINDS = (
    Evidence.Kind.REFLECTION,
    Evidence.Kind.FEEDBACK_PERSON,
    Evidence.Kind.FEEDBACK_PROFESSIONAL,
    Evidence.Kind.CASE_NOTE,
    Evidence.Kind.SUPERVISION,
    Evidence.Kind.LEARNING,
)
FEEDBACK_KINDS = (Evidence.Kind.FEEDBACK_PERSON, Evidence.Kind.FEEDBACK_PROFESSIONAL)


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def statements_by_standard(statements: Iterable[Statement]) -> list[tuple[object, list]]:
    """Statements grouped under their standards, in the framework's order (for checkboxes)."""
    groups: list[tuple[object, list]] = []
    for statement in statements:
        if not groups or groups[-1][0].pk != statement.standard_id:
            groups.append((statement.standard, []))
        groups[-1][1].append(statement)
    return groups


def framework_statements(framework_id: int | None) -> QuerySet[Statement]:
    if framework_id is None:
        return Statement.objects.none()
    return (
        Statement.objects.filter(standard__framework_id=framework_id)
        .select_related("standard")
        .order_by("standard__position", "standard_id", "position", "pk")
    )


def evidence_for_enrolment(
    user: User, enrolment: Enrolment, *, status: str = "", kind: str = ""
) -> QuerySet[Evidence]:
    """The enrolment's items this person may see (their own drafts among them), latest first."""
    items = (
        Evidence.objects.visible_to(user)
        .filter(enrolment=enrolment)
        .select_related("author")
        .annotate(statement_count=Count("statements", distinct=True))
        .order_by("-occurred_on", "-pk")
    )
    if status:
        items = items.filter(status=status)
    if kind:
        items = items.filter(kind=kind)
    return items


def evidence_detail(user: User) -> QuerySet[Evidence]:
    """One item with what its page shows: statements, sign-off history, observation."""
    sign_offs = SignOff.objects.select_related("assessor").prefetch_related(
        Prefetch(
            "statements", queryset=Statement.objects.order_by("standard__position", "position")
        )
    )
    return (
        Evidence.objects.visible_to(user)
        .select_related("author", "enrolment__worker", "enrolment__cohort__programme")
        .prefetch_related(
            Prefetch(
                "statements",
                queryset=Statement.objects.select_related("standard").order_by(
                    "standard__position", "position", "pk"
                ),
            ),
            Prefetch("sign_offs", queryset=sign_offs.order_by("decided_at", "pk")),
        )
    )


@dataclass(frozen=True)
class QueueRow:
    evidence: Evidence
    submitted_on: date
    age_working_days: int

    @property
    def is_overdue(self) -> bool:
        return self.age_working_days > SIGN_OFF_WORKING_DAYS


def sign_off_queue(user: User, *, on: date | None = None) -> list[QueueRow]:
    """Items awaiting this person's decision, oldest submitted first; a lead's: everyone's.

    One query whatever the queue's length: the item with its enrolment, worker and programme.
    """
    on = on or timezone.localdate()
    items = Evidence.objects.visible_to(user).awaiting_sign_off()
    if not user.has_role(Role.LEAD):
        items = items.filter(enrolment__assessor=user)
    items = items.select_related(
        "author", "enrolment__worker", "enrolment__cohort__programme"
    ).order_by("submitted_at", "pk")
    rows = []
    for item in items:
        submitted_on = _local_day(item.submitted_at)
        rows.append(QueueRow(item, submitted_on, working_days_between(submitted_on, on)))
    return rows


@dataclass(frozen=True)
class AwaitingSignOff:
    count: int
    oldest_submitted_on: date
    oldest_age_working_days: int

    @property
    def is_overdue(self) -> bool:
        """The oldest has waited past the assessor's turnaround, as a queue row would say."""
        return self.oldest_age_working_days > SIGN_OFF_WORKING_DAYS


def awaiting_sign_off_for(
    enrolments: Iterable[Enrolment] | QuerySet[Enrolment], *, on: date | None = None
) -> dict[int, AwaitingSignOff]:
    """For many enrolments in one query: how many items await sign-off, and the oldest's age.

    Enrolments with nothing waiting are left out. The caller scopes the enrolments; no draft
    is ever counted, so nobody's draft shows through the numbers.
    """
    on = on or timezone.localdate()
    if not isinstance(enrolments, QuerySet):
        enrolments = [e.pk for e in enrolments]
    rows = (
        Evidence.objects.awaiting_sign_off()
        .filter(enrolment__in=enrolments)
        .values("enrolment")
        .annotate(count=Count("pk"), oldest=Min("submitted_at"))
        .order_by()
    )
    found = {}
    for row in rows:
        oldest_on = _local_day(row["oldest"])
        found[row["enrolment"]] = AwaitingSignOff(
            count=row["count"],
            oldest_submitted_on=oldest_on,
            oldest_age_working_days=working_days_between(oldest_on, on),
        )
    return found


def overdue_for_sign_off(*, on: date) -> list[QueueRow]:
    """Every item awaiting sign-off more than SIGN_OFF_WORKING_DAYS working days, oldest first."""
    # More than ten working days is at least ten calendar days: that bound keeps the scan
    # small, and working days then decide exactly.
    cutoff_on = on - timedelta(days=SIGN_OFF_WORKING_DAYS - 1)
    cutoff = timezone.make_aware(datetime.combine(cutoff_on, datetime.min.time()))
    items = (
        Evidence.objects.awaiting_sign_off()
        .filter(submitted_at__lt=cutoff, enrolment__assessor__isnull=False)
        .select_related("enrolment__worker", "enrolment__assessor")
        .order_by("submitted_at", "pk")
    )
    rows = []
    for item in items:
        submitted_on = _local_day(item.submitted_at)
        row = QueueRow(item, submitted_on, working_days_between(submitted_on, on))
        if row.is_overdue:
            rows.append(row)
    return rows


def _is_assessor_of(user: User, evidence: Evidence) -> bool:
    return user.is_authenticated and (
        evidence.enrolment.assessor_id == user.pk or user.has_role(Role.LEAD)
    )


def can_create_evidence(user: User, enrolment: Enrolment) -> bool:
    """The portfolio is the worker's: they write its items, in their own name.

    An assessor or supervisor adding items would be judging their own writing; what they
    contribute arrives as observations, supervision records and feedback instead.
    """
    return (
        user.is_authenticated
        and enrolment.worker_id == user.pk
        and enrolment.status == Enrolment.Status.ACTIVE
    )


def can_edit(user: User, evidence: Evidence) -> bool:
    """Its author, while a draft or returned; never while it waits or once signed off."""
    return (
        user.is_authenticated
        and evidence.author_id == user.pk
        and evidence.is_editable
        and evidence.kind != Evidence.Kind.OBSERVATION
    )


def can_submit(user: User, evidence: Evidence) -> bool:
    """Its author, while a draft or returned; a returned observation is resubmitted by
    correcting it (the observation's own page), which checks what it needs."""
    return (
        user.is_authenticated
        and evidence.author_id == user.pk
        and evidence.is_editable
        and evidence.kind != Evidence.Kind.OBSERVATION
    )


def can_delete(user: User, evidence: Evidence) -> bool:
    """A draft only: once submitted, an item is part of the record."""
    return (
        user.is_authenticated
        and evidence.author_id == user.pk
        and evidence.status == Evidence.Status.DRAFT
        and evidence.kind != Evidence.Kind.OBSERVATION
    )


def can_decide(user: User, evidence: Evidence) -> bool:
    """The enrolment's assessor (or a lead) on a submitted item not of their own writing.

    A direct observation is the exception: the observer's record is the assessor's own
    judgement of practice they saw, so an assessor who observed signs it off too.
    """
    own_writing = evidence.author_id == user.pk and evidence.kind != Evidence.Kind.OBSERVATION
    return (
        evidence.status == Evidence.Status.SUBMITTED
        and _is_assessor_of(user, evidence)
        and not own_writing
    )


def can_reverse(user: User, evidence: Evidence) -> bool:
    return evidence.status == Evidence.Status.SIGNED_OFF and _is_assessor_of(user, evidence)


def can_see_queue(user: User) -> bool:
    return user.is_authenticated and (user.has_role(Role.ASSESSOR) or user.has_role(Role.LEAD))
