"""The reporting rows of the permission matrix, one module per part.

Each `matrix_<part>.py` has `ROWS` (route name -> status per persona, as in
tests/test_permission_matrix.py) and `url_for(route, enrolment) -> str | None`, which builds the
URL for its own routes (making whatever objects they name) and returns None for any other route.
"""

from tests.programmes import matrix_figures, matrix_reports

PARTS = (matrix_figures, matrix_reports)

ROWS: dict[str, dict[str, int]] = {}
for part in PARTS:
    overlap = set(ROWS) & set(part.ROWS)
    assert not overlap, f"{part.__name__} repeats {sorted(overlap)}"
    ROWS.update(part.ROWS)


def url_for(route: str, enrolment) -> str | None:
    for part in PARTS:
        url = part.url_for(route, enrolment)
        if url is not None:
            return url
    return None
