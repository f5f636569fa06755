"""Object-boundary rows for this part's routes (see tests/assessments/boundaries.py)."""

OTHER_TEAMS: dict[str, tuple[dict, ...]] = {}
EXEMPT: dict[str, str] = {}
