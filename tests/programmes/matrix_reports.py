"""Permission-matrix rows for this part's routes (see tests/programmes/matrix.py)."""

ROWS: dict[str, dict[str, int]] = {}


def url_for(route: str, enrolment) -> str | None:
    return None
