"""Reads for frameworks: the list and one framework's text, who may move an enrolment to another
version, and what such a move carries across (DOMAIN.md, "Frameworks", "Modelling consequences")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from assessments.models import (
    Evidence,
    EvidenceStatement,
    Framework,
    Standard,
    Statement,
    StatementMapping,
)
from assessments.selectors import framework_for
from people.models import Role, User
from programmes.models import Enrolment


def frameworks_for_list(user: User) -> QuerySet[Framework]:
    """Every framework, with its programmes and how many statements it has, in two queries."""
    return (
        Framework.objects.visible_to(user)
        .prefetch_related("programmes")
        .annotate(statement_count=Count("standards__statements"))
        .order_by("name", "-effective_from", "pk")
    )


def framework_detail(user: User) -> QuerySet[Framework]:
    """A framework with its standards and their statements, in three queries."""
    statements = Statement.objects.order_by("position", "pk")
    standards = Standard.objects.order_by("position", "pk").prefetch_related(
        Prefetch("statements", queryset=statements)
    )
    return (
        Framework.objects.visible_to(user)
        .select_related("replaces")
        .prefetch_related("programmes", Prefetch("standards", queryset=standards))
    )


def frameworks_for_enrolment(enrolment: Enrolment) -> QuerySet[Framework]:
    """The versions an enrolment may be assessed against: those linked to its programme (or to
    the programme a local variant copies)."""
    programme = enrolment.cohort.programme
    ids = [programme.pk] + ([programme.based_on_id] if programme.based_on_id else [])
    return Framework.objects.filter(programmes__in=ids).distinct().order_by("-effective_from", "pk")


def can_move_framework(user: User, enrolment: Enrolment) -> bool:
    """Only a lead moves an enrolment to another version, and only while it is running."""
    return (
        user.is_authenticated
        and user.has_role(Role.LEAD)
        and enrolment.status == Enrolment.Status.ACTIVE
    )


def mapped_targets(statement_ids: Iterable[int], *, framework: Framework) -> dict[int, set[int]]:
    """For each statement id, the statements of `framework` it maps to, following mappings
    across the versions in between (2014 -> 2018 -> 2026), one query per step."""
    start = set(statement_ids)
    in_target = set(
        Statement.objects.filter(standard__framework=framework, pk__in=start).values_list(
            "pk", flat=True
        )
    )
    reached: dict[int, set[int]] = {pk: {pk} for pk in start}
    targets: dict[int, set[int]] = {pk: ({pk} if pk in in_target else set()) for pk in start}
    frontier = start - in_target
    seen = set(start)
    while frontier:
        step = StatementMapping.objects.filter(source__in=frontier).values_list(
            "source_id", "target_id", "target__standard__framework_id"
        )
        next_frontier: set[int] = set()
        for source_id, target_id, framework_id in step:
            for origin, found in reached.items():
                if source_id in found:
                    found.add(target_id)
                    if framework_id == framework.pk:
                        targets[origin].add(target_id)
            if framework_id != framework.pk and target_id not in seen:
                next_frontier.add(target_id)
            seen.add(target_id)
        frontier = next_frontier
    return targets


@dataclass(frozen=True)
class CarriedItem:
    evidence: Evidence
    tags: tuple[Statement, ...]  # what it is tagged with now
    carried: tuple[Statement, ...]  # the statements of the new version it will show


@dataclass(frozen=True)
class MovePlan:
    """What moving an enrolment to `framework` does to its evidence, before anything changes."""

    framework: Framework
    carried: tuple[CarriedItem, ...]  # tags carried across by a mapping (or already there)
    retag: tuple[CarriedItem, ...]  # tagged, but nothing maps: the worker tags them again
    hidden: int  # drafts only their author sees; their tags are carried across all the same


def _tagged_items(enrolment: Enrolment) -> dict[int, tuple[Evidence, list[Statement]]]:
    items: dict[int, tuple[Evidence, list[Statement]]] = {}
    for tag in (
        EvidenceStatement.objects.filter(evidence__enrolment=enrolment)
        .select_related("evidence", "statement")
        .order_by("-evidence__occurred_on", "-evidence_id", "statement__position", "pk")
    ):
        items.setdefault(tag.evidence_id, (tag.evidence, []))[1].append(tag.statement)
    return items


def move_plan(user: User, enrolment: Enrolment, framework: Framework) -> MovePlan:
    """Per tagged item of the enrolment: the new version's statements it will show, if any."""
    items = _tagged_items(enrolment)
    statement_ids = {s.pk for _evidence, tags in items.values() for s in tags}
    targets = mapped_targets(statement_ids, framework=framework)
    names = Statement.objects.in_bulk({pk for found in targets.values() for pk in found})
    visible = set(
        Evidence.objects.visible_to(user).filter(pk__in=items).values_list("pk", flat=True)
    )
    carried: list[CarriedItem] = []
    retag: list[CarriedItem] = []
    for pk, (evidence, tags) in items.items():
        if pk not in visible:
            continue
        shown = sorted(
            {names[t] for s in tags for t in targets.get(s.pk, ())},
            key=lambda s: (s.standard_id, s.position, s.pk),
        )
        item = CarriedItem(evidence, tuple(tags), tuple(shown))
        (carried if shown else retag).append(item)
    return MovePlan(framework, tuple(carried), tuple(retag), len(set(items) - visible))


def retagging_needed(enrolment: Enrolment, *, user: User | None = None) -> list[Evidence]:
    """Items tagged with statements, none of them in the pinned version: tag them again.

    With `user`, only the items that person may see (a draft is its author's alone).
    """
    framework = framework_for(enrolment)
    tagged = Evidence.objects.filter(enrolment=enrolment, statements__isnull=False)
    if framework is not None:
        in_pinned = Q(statements__standard__framework=framework)
        tagged = tagged.exclude(pk__in=Evidence.objects.filter(in_pinned).values("pk"))
    if user is not None:
        tagged = tagged.filter(pk__in=Evidence.objects.visible_to(user).values("pk"))
    return list(tagged.distinct().order_by("-occurred_on", "-pk"))
