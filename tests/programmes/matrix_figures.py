"""Permission-matrix rows for this part's routes (see tests/programmes/matrix.py)."""

from django.urls import reverse

# A manager's teams, or every team for a lead (the outsider manages another team, so sees
# their own team's figures); the other roles are refused.
ROWS: dict[str, dict[str, int]] = {
    "programmes:dashboard-figures": {
        "anonymous": 302,
        "worker": 403,
        "supervisor": 403,
        "assessor": 403,
        "manager": 200,
        "lead": 200,
        "outsider": 200,
    },
}


def url_for(route: str, enrolment) -> str | None:
    if route == "programmes:dashboard-figures":
        return reverse(route)
    return None
