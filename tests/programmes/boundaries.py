"""The reporting rows of tests/test_object_boundaries.py, one module per part.

Each `boundaries_<part>.py` has `OTHER_TEAMS` and `EXEMPT`, as tests/assessments/boundaries.py
describes.
"""

from tests.assessments.boundaries import merged
from tests.programmes import boundaries_figures, boundaries_reports

PARTS = (boundaries_figures, boundaries_reports)

OTHER_TEAMS, EXEMPT = merged(PARTS)
