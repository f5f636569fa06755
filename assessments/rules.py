"""Assessment rules with no ORM and no I/O: coverage of the standards and evidence counts.

A statement is *evidenced* by one signed-off item, and *triangulated* when signed-off items of at
least the programme's number of kinds show it, one of them a direct observation (issue: "several
sources"; DOMAIN.md, "Evidence requirements").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

OBSERVATION = "observation"

# Which kinds of evidence count towards each of a programme's `required_evidence` minimums.
REQUIREMENT_KINDS: dict[str, tuple[str, ...]] = {
    "direct_observations": ("observation",),
    "feedback_from_people_using_services": ("feedback-person",),
    "feedback_from_professionals": ("feedback-professional",),
    "assessed_written_work": ("case-note",),
    "reflective_portfolio": ("reflection",),
}


@dataclass(frozen=True)
class StatementCoverage:
    kinds: frozenset[str]  # the kinds of signed-off evidence that show the statement
    items: int  # how many signed-off items show it
    required_kinds: int

    @property
    def evidenced(self) -> bool:
        return self.items > 0

    @property
    def triangulated(self) -> bool:
        return len(self.kinds) >= self.required_kinds and OBSERVATION in self.kinds


def statement_coverage(
    *, items: Iterable[tuple[int, str]], required_kinds: int
) -> dict[int, StatementCoverage]:
    """Coverage per statement id from (statement id, kind) pairs, one per signed-off item."""
    kinds: dict[int, set[str]] = {}
    counts: dict[int, int] = {}
    for statement_id, kind in items:
        kinds.setdefault(statement_id, set()).add(kind)
        counts[statement_id] = counts.get(statement_id, 0) + 1
    return {
        statement_id: StatementCoverage(frozenset(found), counts[statement_id], required_kinds)
        for statement_id, found in kinds.items()
    }


@dataclass(frozen=True)
class RequirementCount:
    key: str
    required: int
    signed_off: int

    @property
    def met(self) -> bool:
        return self.signed_off >= self.required

    @property
    def still_needed(self) -> int:
        return max(0, self.required - self.signed_off)


def requirement_counts(
    *, required: Mapping[str, int], signed_off_by_kind: Mapping[str, int]
) -> tuple[RequirementCount, ...]:
    """Each of the programme's minimums against the signed-off items of the kinds it counts."""
    return tuple(
        RequirementCount(
            key=key,
            required=minimum,
            signed_off=sum(signed_off_by_kind.get(kind, 0) for kind in REQUIREMENT_KINDS[key]),
        )
        for key, minimum in required.items()
        if key in REQUIREMENT_KINDS
    )
