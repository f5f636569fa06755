"""Object-boundary rows for this part's routes (see tests/programmes/boundaries.py).

`programmes:dashboard-figures` names no object, so it has no row here: EXEMPT may only name
routes with arguments (test_every_route_with_arguments_is_covered_or_exempt). That a manager's
figures count only their own teams is proven in tests/programmes/test_dashboard_figures.py.
"""

OTHER_TEAMS: dict[str, tuple[dict, ...]] = {}
EXEMPT: dict[str, str] = {}
