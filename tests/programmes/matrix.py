"""The reporting rows of the permission matrix, one module per part.

Each `matrix_<part>.py` has `ROWS` (route name -> status per persona, as in
tests/test_permission_matrix.py) and `url_for(route, enrolment) -> str | None`, which builds the
URL for its own routes (making whatever objects they name) and returns None for any other route.
"""

from tests.assessments.matrix import first_url, merged_rows
from tests.programmes import matrix_figures, matrix_reports

PARTS = (matrix_figures, matrix_reports)

ROWS = merged_rows(PARTS)


def url_for(route: str, enrolment) -> str | None:
    return first_url(PARTS, route, enrolment)
