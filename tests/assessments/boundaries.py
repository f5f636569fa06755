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

OTHER_TEAMS: dict[str, tuple[dict, ...]] = {}
EXEMPT: dict[str, str] = {}
for part in PARTS:
    OTHER_TEAMS.update(part.OTHER_TEAMS)
    EXEMPT.update(part.EXEMPT)
