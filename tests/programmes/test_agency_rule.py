"""The agency rule: agency workers in children's posts qualified on or after 1 April 2024."""

from datetime import date

import pytest

from programmes.rules import (
    NO_COMPLETED_ASYE,
    QUALIFICATION_DATE_NOT_RECORDED,
    UNDER_FIVE_YEARS_PQE,
    agency_rule_applies,
    agency_rule_reasons,
)

ON = date(2026, 12, 4)


def _reasons(**overrides):
    values = {
        "employment_type": "agency",
        "service_area": "children",
        "qualified_on": date(2024, 4, 1),
        "on": ON,
        "has_completed_asye": True,
        **overrides,
    }
    return agency_rule_reasons(**values), agency_rule_applies(**values)


@pytest.mark.parametrize(
    ("overrides", "reasons", "applies"),
    [
        pytest.param(
            {"qualified_on": date(2024, 3, 31), "has_completed_asye": False},
            (),
            False,
            id="qualified-31-march-2024-out-of-scope",
        ),
        pytest.param(
            {"qualified_on": date(2024, 4, 1)},
            (UNDER_FIVE_YEARS_PQE,),
            True,
            id="qualified-1-april-2024-under-five-years",
        ),
        pytest.param(
            {"qualified_on": date(2024, 4, 1), "on": date(2029, 3, 31)},
            (UNDER_FIVE_YEARS_PQE,),
            True,
            id="a-day-short-of-five-years",
        ),
        pytest.param(
            {"qualified_on": date(2024, 4, 1), "on": date(2029, 4, 1)},
            (),
            False,
            id="exactly-five-years-with-asye-not-flagged",
        ),
        pytest.param(
            {"qualified_on": date(2024, 4, 1), "on": date(2029, 4, 1), "has_completed_asye": False},
            (NO_COMPLETED_ASYE,),
            True,
            id="exactly-five-years-without-asye-flagged",
        ),
        pytest.param(
            {"has_completed_asye": False},
            (UNDER_FIVE_YEARS_PQE, NO_COMPLETED_ASYE),
            True,
            id="both-reasons",
        ),
        pytest.param(
            {"employment_type": "permanent", "has_completed_asye": False},
            (),
            False,
            id="permanent-never-flagged",
        ),
        pytest.param(
            {"service_area": "adults", "has_completed_asye": False},
            (),
            False,
            id="adults-never-flagged",
        ),
        pytest.param(
            {"service_area": None, "has_completed_asye": False},
            (),
            False,
            id="no-team-not-a-childrens-post",
        ),
        pytest.param(
            {"qualified_on": None},
            (QUALIFICATION_DATE_NOT_RECORDED,),
            False,
            id="unknown-date-said-not-guessed",
        ),
        pytest.param(
            {"qualified_on": None, "employment_type": "permanent"},
            (),
            False,
            id="unknown-date-of-a-permanent-worker-not-asked",
        ),
    ],
)
def test_the_agency_rule_flags_only_recent_qualifiers_in_childrens_agency_posts(
    overrides, reasons, applies
):
    assert _reasons(**overrides) == (reasons, applies)
