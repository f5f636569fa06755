"""The assessment rows of the permission matrix, one module per part.

Each `matrix_<part>.py` has `ROWS` (route name -> status per persona, as in
tests/test_permission_matrix.py) and `url_for(route, enrolment) -> str | None`, which builds the
URL for its own routes (making whatever objects they name) and returns None for any other route.
"""

from tests.assessments import (
    matrix_evidence,
    matrix_frameworks,
    matrix_observations,
    matrix_reviews,
    matrix_samples,
    matrix_sign_offs,
)

PARTS = (
    matrix_frameworks,
    matrix_evidence,
    matrix_sign_offs,
    matrix_observations,
    matrix_reviews,
    matrix_samples,
)


def merged_rows(parts) -> dict[str, dict[str, int]]:
    """The parts' rows as one table; a route in two parts is a mistake, said at import."""
    rows: dict[str, dict[str, int]] = {}
    for part in parts:
        overlap = set(rows) & set(part.ROWS)
        assert not overlap, f"{part.__name__} repeats {sorted(overlap)}"
        rows.update(part.ROWS)
    return rows


def first_url(parts, route: str, enrolment) -> str | None:
    """The URL the first part that knows `route` builds for it, else None."""
    for part in parts:
        url = part.url_for(route, enrolment)
        if url is not None:
            return url
    return None


ROWS = merged_rows(PARTS)


def url_for(route: str, enrolment) -> str | None:
    return first_url(PARTS, route, enrolment)
