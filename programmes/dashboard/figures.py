"""The cohort figures: the dashboard's enrolments counted rather than listed.

Reads across apps, so it lives here: whether someone needs attention is `EnrolmentAttention`'s
to say, supervision on time is `supervision.selectors.compliance_by_month`'s, standards coverage
is `assessments.selectors.coverage_for`'s. The plain programme counts are in
`programmes.selectors.figures`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from assessments.models import Framework, Standard, Statement
from assessments.selectors import Coverage, coverage_for
from programmes.dashboard import attention_for
from programmes.models import Enrolment
from programmes.selectors.figures import (
    CaseloadBands,
    MonthBreaches,
    Outcomes,
    breaches_by_month,
    caseload_bands,
    outcome_counts,
)
from supervision.selectors import MonthCompliance, compliance_by_month

# Shades of the coverage heat map: a cell at or above each threshold (in %) takes that step.
HEAT_STEPS = (0, 1, 25, 50, 75)


def heat_step(percent: int) -> int:
    """0 for none at all, then 1 to 4 by quarters, so a little is told apart from nothing."""
    return max(step for step, threshold in enumerate(HEAT_STEPS) if percent >= threshold)


@dataclass(frozen=True)
class AttentionCounts:
    """Active enrolments on track against those needing attention (`EnrolmentAttention`)."""

    on_track: int
    needing_attention: int

    @property
    def total(self) -> int:
        return self.on_track + self.needing_attention


@dataclass(frozen=True)
class StatementShare:
    """How many of the cohort on one framework have a statement evidenced, and triangulated."""

    statement: Statement
    evidenced: int
    triangulated: int
    of: int

    @property
    def evidenced_percent(self) -> int:
        return round(100 * self.evidenced / self.of) if self.of else 0

    @property
    def triangulated_percent(self) -> int:
        return round(100 * self.triangulated / self.of) if self.of else 0

    @property
    def evidenced_step(self) -> int:
        return heat_step(self.evidenced_percent)

    @property
    def triangulated_step(self) -> int:
        return heat_step(self.triangulated_percent)


@dataclass(frozen=True)
class StandardShares:
    standard: Standard
    statements: tuple[StatementShare, ...]


@dataclass(frozen=True)
class FrameworkCoverage:
    framework: Framework
    enrolments: int
    standards: tuple[StandardShares, ...]


@dataclass(frozen=True)
class CohortFigures:
    enrolments: int  # all those the filters leave, whatever their status
    attention: AttentionCounts
    supervision: list[MonthCompliance]
    coverage: tuple[FrameworkCoverage, ...]
    without_framework: int  # enrolments with no framework in force at their start
    caseloads: CaseloadBands
    breaches: list[MonthBreaches]
    outcomes: Outcomes


def _framework_coverage(coverages: list[Coverage]) -> tuple[FrameworkCoverage, ...]:
    """Per framework in use, each statement's share of its enrolments, in the framework's order."""
    by_framework: dict[int, list[Coverage]] = {}
    frameworks: dict[int, Framework] = {}
    for coverage in coverages:
        if coverage.framework is not None:
            frameworks[coverage.framework.pk] = coverage.framework
            by_framework.setdefault(coverage.framework.pk, []).append(coverage)
    found = []
    for pk, group in by_framework.items():
        evidenced: dict[int, int] = {}
        triangulated: dict[int, int] = {}
        for coverage in group:
            for row in coverage.rows:
                evidenced[row.statement.pk] = evidenced.get(row.statement.pk, 0) + row.evidenced
                triangulated[row.statement.pk] = (
                    triangulated.get(row.statement.pk, 0) + row.triangulated
                )
        # Every enrolment on a framework has the same statements; the first gives their order.
        standards = tuple(
            StandardShares(
                standard=standard,
                statements=tuple(
                    StatementShare(
                        statement=row.statement,
                        evidenced=evidenced[row.statement.pk],
                        triangulated=triangulated[row.statement.pk],
                        of=len(group),
                    )
                    for row in rows
                ),
            )
            for standard, rows in group[0].by_standard()
        )
        found.append(
            FrameworkCoverage(framework=frameworks[pk], enrolments=len(group), standards=standards)
        )
    return tuple(sorted(found, key=lambda item: (item.framework.name, item.framework.pk)))


def cohort_figures(
    enrolments: QuerySet[Enrolment], *, on: date, only_needing_attention: bool = False
) -> CohortFigures:
    """Every figure for the enrolments given, as on `on`.

    With `only_needing_attention` (the dashboard's filter of that name) every figure counts
    only the enrolments that need attention. A fixed number of queries whatever the number of
    enrolments: those of `attention_for`, `compliance_by_month`, `coverage_for`,
    `caseload_bands`, `breaches_by_month` and `outcome_counts`.
    """
    attention = attention_for(enrolments.current(), on=on)
    needing = [pk for pk, row in attention.items() if row.needs_attention]
    if only_needing_attention:
        enrolments = enrolments.filter(pk__in=needing)
    coverages = list(coverage_for(enrolments.select_related("cohort__programme")).values())
    return CohortFigures(
        enrolments=len(coverages),
        attention=AttentionCounts(
            on_track=0 if only_needing_attention else len(attention) - len(needing),
            needing_attention=len(needing),
        ),
        supervision=compliance_by_month(enrolments, on=on),
        coverage=_framework_coverage(coverages),
        without_framework=sum(1 for coverage in coverages if coverage.framework is None),
        caseloads=caseload_bands(enrolments, on=on),
        breaches=breaches_by_month(enrolments, on=on),
        outcomes=outcome_counts(enrolments),
    )
