"""The assessment rows of tests/test_object_boundaries.py, one module per part.

Each `boundaries_<part>.py` has `OTHER_TEAMS` (route name -> tuple of dicts, each the keyword
arguments of that test's `Ask`: `args` is a function of its `Elsewhere`, whose `enrolment` is
another team's enrolment and whose `lead` is a lead; optional `methods` and `lead_sees`) and
`EXEMPT` (route name -> why no other-team object applies).
"""

from tests.assessments import (
    boundaries_evidence,
    boundaries_frameworks,
    boundaries_observations,
    boundaries_reviews,
    boundaries_samples,
    boundaries_sign_offs,
)

PARTS = (
    boundaries_frameworks,
    boundaries_evidence,
    boundaries_sign_offs,
    boundaries_observations,
    boundaries_reviews,
    boundaries_samples,
)


def merged(parts) -> tuple[dict[str, tuple[dict, ...]], dict[str, str]]:
    """The parts' `OTHER_TEAMS` and `EXEMPT`, each as one table."""
    other_teams: dict[str, tuple[dict, ...]] = {}
    exempt: dict[str, str] = {}
    for part in parts:
        other_teams.update(part.OTHER_TEAMS)
        exempt.update(part.EXEMPT)
    return other_teams, exempt


OTHER_TEAMS, EXEMPT = merged(PARTS)
