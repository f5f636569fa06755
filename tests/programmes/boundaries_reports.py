"""Object-boundary rows for this part's routes (see tests/programmes/boundaries.py)."""

OTHER_TEAMS: dict[str, tuple[dict, ...]] = {}
EXEMPT: dict[str, str] = {
    # Figures over the reader's own teams, whichever programme: the code names no team's object.
    "programmes:workforce-export": "programmes are not any team's; the counts are the reader's",
    # Lead-only whatever the id: 403 to anyone else before any lookup (matrix).
    "programmes:funding-claim": "lead-only; 403 to everyone else for any id",
    "assessments:completion-detail": "lead-only; 403 to everyone else for any id",
}
