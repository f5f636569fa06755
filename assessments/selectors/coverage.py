"""Reads for the coverage pages: which signed-off items show each statement of one enrolment, and
the coverage of the enrolments an assessor (or a lead) assesses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from assessments.models import Evidence, EvidenceStatement
from assessments.selectors import Coverage, StatementRow, coverage_for, coverage_of
from people.models import Role, User
from programmes.models import Enrolment
from programmes.selectors import Timeline, enrolment_timeline, enrolments_for_list


@dataclass(frozen=True)
class MatrixRow:
    row: StatementRow  # the statement and its evidenced / triangulated flags
    items: tuple[Evidence, ...]  # the signed-off items that show it


@dataclass(frozen=True)
class Matrix:
    coverage: Coverage
    groups: tuple[tuple[object, tuple[MatrixRow, ...]], ...]  # (standard, its rows)

    @property
    def requirements_met(self) -> int:
        return sum(requirement.met for requirement in self.coverage.requirements)


def signed_off_items_by_statement(enrolment: Enrolment, coverage: Coverage) -> dict[int, list]:
    """The signed-off items tagged with each statement of the pinned version, in one query."""
    if coverage.framework is None:
        return {}
    items: dict[int, list[Evidence]] = {}
    for tag in (
        EvidenceStatement.objects.filter(
            evidence__enrolment=enrolment,
            evidence__status=Evidence.Status.SIGNED_OFF,
            statement__standard__framework=coverage.framework,
        )
        .select_related("evidence")
        .order_by("evidence__occurred_on", "evidence_id")
    ):
        items.setdefault(tag.statement_id, []).append(tag.evidence)
    return items


def coverage_matrix(enrolment: Enrolment) -> Matrix:
    """One enrolment's statements × signed-off evidence; the flags are coverage_of's."""
    coverage = coverage_of(enrolment)
    items = signed_off_items_by_statement(enrolment, coverage)
    groups = tuple(
        (
            standard,
            tuple(MatrixRow(row, tuple(items.get(row.statement.pk, ()))) for row in rows),
        )
        for standard, rows in coverage.by_standard()
    )
    return Matrix(coverage, groups)


def can_see_assessees(user: User) -> bool:
    return user.is_authenticated and (user.has_role(Role.ASSESSOR) or user.has_role(Role.LEAD))


def assessee_enrolments(user: User) -> QuerySet[Enrolment]:
    """The active enrolments a person assesses; a lead's are every active enrolment."""
    enrolments = Enrolment.objects.visible_to(user).current()
    if not user.has_role(Role.LEAD):
        enrolments = enrolments.filter(assessor=user)
    return enrolments_for_list(enrolments).order_by("worker__full_name", "pk")


@dataclass(frozen=True)
class AssesseeRow:
    enrolment: Enrolment
    timeline: Timeline
    coverage: Coverage

    @property
    def requirements_met(self) -> int:
        return sum(requirement.met for requirement in self.coverage.requirements)


def assessee_rows(user: User, *, on: date) -> list[AssesseeRow]:
    """One row per active enrolment the person assesses, in a fixed number of queries."""
    enrolments = list(assessee_enrolments(user))
    coverage = coverage_for(enrolments)
    return [
        AssesseeRow(enrolment, enrolment_timeline(enrolment, on=on), coverage[enrolment.pk])
        for enrolment in enrolments
    ]
