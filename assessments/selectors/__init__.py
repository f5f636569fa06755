"""Reads for assessments that every part shares: the framework an enrolment is assessed against,
and its coverage of the standards, for one enrolment or many in a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db.models import Count, Q

from assessments import rules
from assessments.models import Evidence, EvidenceStatement, Framework, FrameworkPin, Statement
from programmes.models import Enrolment, Programme


def default_framework(programme: Programme, *, on: date) -> Framework | None:
    """The framework the programme (or the programme a local variant copies) uses on a day.

    Of those in force that day, the latest to come in: a cohort starting on 1 April 2027 is
    assessed against the early career standards, one starting the day before against the PQS.
    """
    programme_ids = [programme.pk] + ([programme.based_on_id] if programme.based_on_id else [])
    return (
        Framework.objects.filter(programmes__in=programme_ids)
        .in_force_on(on)
        .order_by("-effective_from", "-pk")
        .first()
    )


def framework_for(enrolment: Enrolment) -> Framework | None:
    """The pinned version; an enrolment not yet pinned gets its programme's on the start date."""
    pin = FrameworkPin.objects.filter(enrolment=enrolment).select_related("framework").first()
    if pin is not None:
        return pin.framework
    return default_framework(enrolment.cohort.programme, on=enrolment.started_on)


def frameworks_for(enrolments: Sequence[Enrolment]) -> dict[int, Framework | None]:
    """framework_for of many enrolments in three queries at most: the pins, and for those not
    yet pinned the frameworks with their programmes (enrolments with cohort__programme)."""
    pins = {
        pin.enrolment_id: pin.framework
        for pin in FrameworkPin.objects.filter(
            enrolment__in=[e.pk for e in enrolments]
        ).select_related("framework")
    }
    unpinned = [e for e in enrolments if e.pk not in pins]
    candidates: list[tuple[Framework, set[int]]] = []
    if unpinned:
        for framework in (
            Framework.objects.filter(programmes__isnull=False)
            .prefetch_related("programmes")
            .distinct()
        ):
            candidates.append((framework, {p.pk for p in framework.programmes.all()}))
    found: dict[int, Framework | None] = dict(pins)
    for enrolment in unpinned:
        programme = enrolment.cohort.programme
        ids = {programme.pk, programme.based_on_id} - {None}
        day = enrolment.started_on
        in_force = [
            f
            for f, used_by in candidates
            if used_by & ids
            and f.effective_from <= day
            and (f.effective_to is None or day <= f.effective_to)
        ]
        in_force.sort(key=lambda f: (f.effective_from, f.pk), reverse=True)
        found[enrolment.pk] = in_force[0] if in_force else None
    return found


@dataclass(frozen=True)
class StatementRow:
    statement: Statement
    coverage: rules.StatementCoverage | None  # None: no signed-off evidence shows it

    @property
    def evidenced(self) -> bool:
        return self.coverage is not None and self.coverage.evidenced

    @property
    def triangulated(self) -> bool:
        return self.coverage is not None and self.coverage.triangulated


@dataclass(frozen=True)
class Coverage:
    """One enrolment's coverage of its framework's statements by signed-off evidence.

    The counts come from the cells alone; a row per statement is made only when a page lists
    them, as the dashboard shows fifty enrolments' counts and no statement.
    """

    enrolment: Enrolment
    framework: Framework | None
    framework_statements: tuple[Statement, ...]  # in the framework's order
    cells: dict[int, rules.StatementCoverage]  # by statement id: those signed-off items show
    requirements: tuple[rules.RequirementCount, ...]
    required_kinds: int

    @cached_property
    def rows(self) -> tuple[StatementRow, ...]:
        return tuple(StatementRow(s, self.cells.get(s.pk)) for s in self.framework_statements)

    @property
    def statements(self) -> int:
        return len(self.framework_statements)

    @cached_property
    def _own_cells(self) -> tuple[rules.StatementCoverage, ...]:
        """The framework's statements that signed-off evidence shows; tags on statements of
        another version (kept when a lead moves an enrolment) are left out."""
        return tuple(self.cells[s.pk] for s in self.framework_statements if s.pk in self.cells)

    @property
    def evidenced(self) -> int:
        return sum(cell.evidenced for cell in self._own_cells)

    @property
    def triangulated(self) -> int:
        return sum(cell.triangulated for cell in self._own_cells)

    @property
    def evidenced_percent(self) -> int:
        return round(100 * self.evidenced / self.statements) if self.statements else 0

    @property
    def triangulated_percent(self) -> int:
        return round(100 * self.triangulated / self.statements) if self.statements else 0

    def by_standard(self) -> list[tuple[object, list[StatementRow]]]:
        """The rows grouped under their standard (heading), in the framework's order."""
        groups: dict[int, tuple[object, list[StatementRow]]] = {}
        for row in self.rows:
            standard = row.statement.standard
            groups.setdefault(standard.pk, (standard, []))[1].append(row)
        return list(groups.values())


def coverage_for(enrolments: Iterable[Enrolment]) -> dict[int, Coverage]:
    """Coverage of many enrolments in four queries whatever their number (six when some are
    not yet pinned to a framework: the frameworks and their programmes).

    Pass enrolments with `cohort__programme` loaded (programmes.selectors.enrolments_for_judging).
    Only signed-off evidence counts, and only its tags on statements of the pinned framework.
    """
    enrolments = list(enrolments)
    frameworks = frameworks_for(enrolments)
    framework_ids = {f.pk for f in frameworks.values() if f is not None}
    statements: dict[int, list[Statement]] = {}
    for statement in (
        Statement.objects.filter(standard__framework__in=framework_ids)
        .select_related("standard")
        .order_by("standard__position", "standard_id", "position", "pk")
    ):
        statements.setdefault(statement.standard.framework_id, []).append(statement)
    enrolment_ids = [e.pk for e in enrolments]
    signed_off = Q(evidence__status=Evidence.Status.SIGNED_OFF) & Q(
        evidence__enrolment__in=enrolment_ids
    )
    pairs: dict[int, list[tuple[int, str]]] = {}
    for enrolment_id, statement_id, kind in EvidenceStatement.objects.filter(
        signed_off
    ).values_list("evidence__enrolment_id", "statement_id", "evidence__kind"):
        pairs.setdefault(enrolment_id, []).append((statement_id, kind))
    kinds: dict[int, Counter[str]] = {}
    for row in (
        Evidence.objects.signed_off()
        .filter(enrolment__in=enrolment_ids)
        .values("enrolment_id", "kind")
        .annotate(n=Count("pk"))
    ):
        kinds.setdefault(row["enrolment_id"], Counter())[row["kind"]] = row["n"]
    result: dict[int, Coverage] = {}
    for enrolment in enrolments:
        programme = enrolment.cohort.programme
        framework = frameworks[enrolment.pk]
        result[enrolment.pk] = Coverage(
            enrolment=enrolment,
            framework=framework,
            framework_statements=tuple(statements.get(framework.pk, ()) if framework else ()),
            cells=rules.statement_coverage(
                items=pairs.get(enrolment.pk, []), required_kinds=programme.triangulation_kinds
            ),
            requirements=rules.requirement_counts(
                required=programme.required_evidence,
                signed_off_by_kind=kinds.get(enrolment.pk, Counter()),
            ),
            required_kinds=programme.triangulation_kinds,
        )
    return result


def coverage_of(enrolment: Enrolment) -> Coverage:
    return coverage_for([enrolment])[enrolment.pk]
