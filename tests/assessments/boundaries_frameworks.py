"""Object-boundary rows for this part's routes (see tests/assessments/boundaries.py)."""

OTHER_TEAMS: dict[str, tuple[dict, ...]] = {
    # A POST by anyone but a lead is refused before any change; another team's is not found.
    "assessments:enrolment-framework": ({"args": lambda e: [e.enrolment.pk]},),
    "assessments:coverage": ({"args": lambda e: [e.enrolment.pk], "methods": ("get",)},),
}
EXEMPT: dict[str, str] = {
    "assessments:framework-detail": "the standards are public texts, not any team's",
}
