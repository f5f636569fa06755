"""The reporting rows of tests/test_object_boundaries.py, one module per part.

Each `boundaries_<part>.py` has `OTHER_TEAMS` and `EXEMPT`, as tests/assessments/boundaries.py
describes.
"""

from tests.programmes import boundaries_figures, boundaries_reports

PARTS = (boundaries_figures, boundaries_reports)

OTHER_TEAMS: dict[str, tuple[dict, ...]] = {}
EXEMPT: dict[str, str] = {}
for part in PARTS:
    OTHER_TEAMS.update(part.OTHER_TEAMS)
    EXEMPT.update(part.EXEMPT)
