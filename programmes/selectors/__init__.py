"""Reads for programmes: who may do what, and each enrolment's derived timeline."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from people.models import PrivacyEvent, Role, RoleMembership, User
from people.privacy import retention_cutoff
from programmes import rules
from programmes.models import (
    Cohort,
    Enrolment,
    EnrolmentDocument,
    EnrolmentExtension,
    EnrolmentPause,
)


def can_manage_cohorts(user: User) -> bool:
    """Programme leads open cohorts, enrol workers and approve pauses and extensions."""
    return user.is_authenticated and user.has_role(Role.LEAD)


def can_change_enrolment(user: User, enrolment: Enrolment) -> bool:
    return can_manage_cohorts(user) and enrolment.status == Enrolment.Status.ACTIVE


def can_see_cohorts(user: User) -> bool:
    return user.is_authenticated and (user.has_role(Role.LEAD) or user.has_role(Role.MANAGER))


def managed_enrolments(user: User) -> QuerySet[Enrolment]:
    """What a manager's dashboard and figures cover: their teams' enrolments, not those they
    may see because they also supervise or assess someone elsewhere; every one for a lead."""
    visible = Enrolment.objects.visible_to(user)
    if user.has_role(Role.LEAD):
        return visible
    return visible.filter(worker__team__manager=user)


@dataclass(frozen=True)
class Timeline:
    """Where an enrolment stands on a day: all of it derived, none of it stored."""

    expected_end_on: date
    week: int
    total_weeks: int
    milestones: tuple[rules.Milestone, ...]
    next_milestone: rules.Milestone | None
    is_paused: bool
    exceeds_maximum_elapsed: bool
    extension_weeks: int


# Where `enrolments_for_judging` puts each enrolment's pauses and extensions: plain lists, as
# a prefetch into the related managers builds a queryset per enrolment for each (a tenth of
# the dashboard's time at 50 rows).
PAUSES = "pause_list"
EXTENSIONS = "extension_list"


def pause_rules(enrolment: Enrolment, *, on: date) -> tuple[rules.Pause, ...]:
    """Its pauses as the rules take them, from the list `enrolments_for_judging` loaded if any."""
    loaded = getattr(enrolment, PAUSES, None)
    pauses = enrolment.pauses.all() if loaded is None else loaded
    return tuple(pause.as_rule(today=on) for pause in pauses)


def extension_weeks_of(enrolment: Enrolment) -> int:
    loaded = getattr(enrolment, EXTENSIONS, None)
    extensions = enrolment.extensions.all() if loaded is None else loaded
    return sum(extension.weeks for extension in extensions)


def enrolment_timeline(enrolment: Enrolment, *, on: date) -> Timeline:
    """The timeline of one enrolment; `enrolments_for_judging` keeps lists of them flat."""
    programme = enrolment.cohort.programme
    return _timeline(
        started_on=enrolment.started_on,
        fte=enrolment.fte,
        plan=programme.milestone_plan,
        maximum_elapsed_months=programme.maximum_elapsed_months,
        pauses=pause_rules(enrolment, on=on),
        extension_weeks=extension_weeks_of(enrolment),
        on=on,
    )


# A timeline is a pure function of these values; the dashboard asks for the same one from
# several selectors in one request, and a council's enrolments share many of them.
@functools.lru_cache(maxsize=50_000)
def _timeline(
    *,
    started_on: date,
    fte: Decimal,
    plan: rules.MilestonePlan,
    maximum_elapsed_months: int | None,
    pauses: tuple[rules.Pause, ...],
    extension_weeks: int,
    on: date,
) -> Timeline:
    paused_days = sum(pause.days for pause in pauses)
    ends_on = rules.expected_end_on(
        started_on=started_on,
        duration_months=plan.duration_months,
        fte=fte,
        pauses=pauses,
        extension_days=extension_weeks * 7,
    )
    milestones = rules.milestone_schedule(
        started_on=started_on,
        plan=plan,
        fte=fte,
        pauses=pauses,
        extension_days=extension_weeks * 7,
    )
    return Timeline(
        expected_end_on=ends_on,
        week=rules.programme_week(started_on=started_on, on=on, pauses=pauses),
        # A year is 52 weeks and a day: count whole weeks, as people do.
        total_weeks=max(1, ((ends_on - started_on).days - paused_days) // 7),
        milestones=milestones,
        next_milestone=rules.next_milestone(milestones, on=on),
        is_paused=any(p.starts_on <= on <= p.ends_on for p in pauses),
        exceeds_maximum_elapsed=rules.exceeds_maximum_elapsed(
            started_on=started_on,
            ends_on=ends_on,
            maximum_elapsed_months=maximum_elapsed_months,
        ),
        extension_weeks=extension_weeks,
    )


def enrolments_for_judging(queryset: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """What the programme rules need of each enrolment, in four queries whatever their number:
    the enrolments with their cohorts, the programmes, the pauses, the extensions.

    Programmes come in a query of their own so that enrolments on one programme share one
    instance, and its rules (seven JSON columns) are decoded once, not once per row. Nobody is
    loaded: judging thousands needs no names (`enrolments_for_list` adds them).
    """
    return queryset.select_related("cohort").prefetch_related(
        "cohort__programme",
        Prefetch("pauses", queryset=EnrolmentPause.objects.order_by("starts_on"), to_attr=PAUSES),
        Prefetch(
            "extensions", queryset=EnrolmentExtension.objects.order_by("pk"), to_attr=EXTENSIONS
        ),
    )


def enrolments_for_list(queryset: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Everything a list of enrolments shows, in the four queries of `enrolments_for_judging`:
    with the worker, their team, the supervisor and the assessor as well."""
    return enrolments_for_judging(with_people(queryset))


def with_people(queryset: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """The people a row of enrolments names, in the same query."""
    return queryset.select_related("worker__team", "supervisor", "assessor")


def load_people(enrolments: Sequence[Enrolment]) -> None:
    """Give enrolments loaded without their people (`enrolments_for_judging`) their worker,
    the worker's team, the supervisor and the assessor, in one query: a page shows a few of
    the thousands judged."""
    found = with_people(Enrolment.objects.filter(pk__in=[e.pk for e in enrolments])).in_bulk()
    for enrolment in enrolments:
        loaded = found.get(enrolment.pk)
        if loaded is not None:
            enrolment.worker = loaded.worker
            enrolment.supervisor = loaded.supervisor
            enrolment.assessor = loaded.assessor


def enrolments_with_timelines(
    queryset: QuerySet[Enrolment], *, on: date
) -> list[tuple[Enrolment, Timeline]]:
    return [(e, enrolment_timeline(e, on=on)) for e in enrolments_for_list(queryset)]


def cohorts_for_list(user: User) -> QuerySet[Cohort]:
    """Cohorts this person may see, with how many of their enrolments they may see."""
    visible = Enrolment.objects.visible_to(user)
    return (
        Cohort.objects.visible_to(user)
        .select_related("programme")
        .annotate(
            enrolment_count=Count("enrolments", filter=Q(enrolments__in=visible), distinct=True),
            active_count=Count(
                "enrolments",
                filter=Q(enrolments__in=visible, enrolments__status=Enrolment.Status.ACTIVE),
                distinct=True,
            ),
        )
    )


# Kinds of evidence counted by `required_evidence` (DOMAIN.md, "Evidence requirements").
EVIDENCE_LABELS = {
    "direct_observations": _lazy("Direct observations of practice"),
    "feedback_from_people_using_services": _lazy("Feedback from people using services"),
    "feedback_from_professionals": _lazy("Feedback from other professionals"),
    "assessed_written_work": _lazy("Assessed written work or case notes"),
    "reflective_portfolio": _lazy("Reflective portfolio"),
}


def milestone_label(milestone: rules.Milestone) -> str:
    """What a person calls this milestone."""
    if milestone.kind == "learning-agreement":
        return _("Learning agreement signed")
    if milestone.kind == "self-assessment":
        if milestone.months == 0:
            return _("Self-assessment at the start")
        return _("Self-assessment at %(months)s months") % {"months": milestone.months}
    if milestone.kind == "critical-reflection":
        return _("Critical reflection at %(months)s months") % {"months": milestone.months}
    if milestone.is_final:
        return _("Final review (%(months)s months)") % {"months": milestone.months}
    return _("%(months)s-month review") % {"months": milestone.months}


def can_add_document(user: User, enrolment: Enrolment) -> bool:
    """The worker and the people around them may file documents on an active enrolment."""
    if not user.is_authenticated or enrolment.status != Enrolment.Status.ACTIVE:
        return False
    involved = user.pk in (enrolment.worker_id, enrolment.supervisor_id, enrolment.assessor_id)
    return involved or user.has_role(Role.LEAD)


def can_remove_document(user: User, document: EnrolmentDocument) -> bool:
    return user.is_authenticated and (
        document.uploaded_by_id == user.pk or user.has_role(Role.LEAD)
    )


def people_past_retention(*, on: date, years: int) -> QuerySet[User]:
    """Former workers whose every enrolment ended more than `years` before `on`.

    Each comes annotated with `last_ended_on`. Never picked: anyone with an enrolment active,
    open-ended or ended since the cutoff; anyone holding a role besides worker, supervising or
    assessing an active enrolment, or using the admin site (current staff); anyone anonymised.
    """
    cutoff = retention_cutoff(on=on, years=years)
    recent = Enrolment.objects.filter(worker=OuterRef("pk")).filter(
        Q(status=Enrolment.Status.ACTIVE) | Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff)
    )
    staff_role = RoleMembership.objects.filter(user=OuterRef("pk")).exclude(role=Role.WORKER)
    working_with = Enrolment.objects.current().filter(
        Q(supervisor=OuterRef("pk")) | Q(assessor=OuterRef("pk"))
    )
    anonymised = PrivacyEvent.objects.filter(
        subject_id=OuterRef("pk"), kind=PrivacyEvent.Kind.RETENTION_ANONYMISED
    )
    return (
        User.objects.filter(is_staff=False, is_superuser=False)
        .exclude(Exists(recent))
        .exclude(Exists(staff_role))
        .exclude(Exists(working_with))
        .exclude(Exists(anonymised))
        .annotate(last_ended_on=Max("enrolments__ended_on"))
        .filter(last_ended_on__isnull=False)  # someone never enrolled is not a former worker
        .order_by("pk")
    )


def with_learning_agreement_recorded(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Each enrolment annotated `has_learning_agreement`: a learning agreement is on file."""
    filed = EnrolmentDocument.objects.filter(
        enrolment=OuterRef("pk"), kind=EnrolmentDocument.Kind.LEARNING_AGREEMENT
    )
    return enrolments.annotate(has_learning_agreement=Exists(filed))


def learning_agreement_overdue_on(enrolment: Enrolment, *, on: date) -> date | None:
    """The day the learning agreement was due, if that day has passed with none on file.

    None while the programme is paused (the due day moves with the pause), and for a programme
    with no learning agreement. Needs `has_learning_agreement` and the pauses and extensions
    loaded (`with_learning_agreement_recorded`, `enrolments_for_list`).
    """
    if enrolment.has_learning_agreement:
        return None
    timeline = enrolment_timeline(enrolment, on=on)
    due_on = next((m.due_on for m in timeline.milestones if m.kind == "learning-agreement"), None)
    if timeline.is_paused or due_on is None or due_on >= on:
        return None
    return due_on


@dataclass(frozen=True)
class MissingLearningAgreement:
    enrolment: Enrolment
    due_on: date


def missing_learning_agreements(
    enrolments: QuerySet[Enrolment], *, on: date
) -> list[MissingLearningAgreement]:
    """The enrolments whose learning agreement was due before `on` and is not on file.

    Four queries whatever the number of enrolments: the enrolments with whether one is on
    file, their programmes, pauses and extensions (the due day moves with pauses).
    """
    missing = []
    for enrolment in enrolments_for_list(with_learning_agreement_recorded(enrolments)):
        due_on = learning_agreement_overdue_on(enrolment, on=on)
        if due_on is not None:
            missing.append(MissingLearningAgreement(enrolment=enrolment, due_on=due_on))
    return missing
