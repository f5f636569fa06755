"""Seed every programme in shared/DOMAIN.md as data (marks N/C/D there say which are defaults).

The values are written out here, not imported, so this migration means the same thing forever;
a lead changes them later through a local variant, which keeps its own history.
"""

import datetime

from django.db import migrations


def _phases(*rows):
    names = (
        "last_week",
        "cap_percent",
        "absolute_cap_children",
        "absolute_cap_adults",
        "child_protection_lead_max",
        "complex_lead_max",
        "complex_needs_manager_approval",
    )
    return [dict(zip(names, row, strict=False)) for row in rows]


# DOMAIN.md, "Caseload protection": weeks 1-52 are shared by ASYE, NQSW and ECDP.
FIRST_YEAR_CASELOAD = (
    (6, 50, 9, 12, 0, 0, False),
    (26, 80, 14, 20, 2, 0, False),
    (52, 90, 16, 22, 4, 1, True),
)
ECDP_SECOND_YEAR_CASELOAD = ((104, 95, 17, None, None, 2, False),)
FIRST_YEAR_CADENCE = [
    {"last_week": 6, "interval_days": 7},
    {"last_week": 26, "interval_days": 14},
]
ASYE_EVIDENCE = {
    "direct_observations": 3,
    "feedback_from_people_using_services": 3,
    "feedback_from_professionals": 3,
    "assessed_written_work": 3,
}
ECDP_EVIDENCE = {
    "direct_observations": 4,
    "feedback_from_people_using_services": 4,
    "feedback_from_professionals": 2,
    "assessed_written_work": 4,
}

PROGRAMMES = [
    {
        "code": "ASYE-CF",
        "name": "ASYE – child and family",
        "description": (
            "Assessed and Supported Year in Employment for child and family social workers. "
            "Replaced in local authorities by the Early Career Development Programme from "
            "September 2027."
        ),
        "service_area": "children",
        "status": "active",
        "in_force_from": datetime.date(2012, 9, 1),
        "in_force_to": datetime.date(2027, 8, 31),
        "assessed_against": "PQS (KSS) for child and family practitioners, and the PCF",
        "duration_months": 12,
        "maximum_elapsed_months": 24,
        "review_points_months": [3, 6, 9, 12],
        "learning_agreement_weeks": 4,
        "critical_reflection_months": [6, 12],
        "self_assessment_months": [0, 6, 12],
        "supervision_phases": [*FIRST_YEAR_CADENCE, {"last_week": 52, "interval_days": 28}],
        "minimum_supervision_minutes": 90,
        "caseload_phases": _phases(*FIRST_YEAR_CASELOAD),
        "protected_time_phases": [{"last_week": 52, "percent": 10}],
        "required_evidence": ASYE_EVIDENCE,
    },
    {
        "code": "ASYE-AD",
        "name": "ASYE – adult services and mental health",
        "description": "Assessed and Supported Year in Employment for adult social workers.",
        "service_area": "adults",
        "status": "active",
        "in_force_from": datetime.date(2012, 9, 1),
        "in_force_to": None,
        "assessed_against": "KSS for social workers in adult services, and the PCF",
        "duration_months": 12,
        "maximum_elapsed_months": 24,
        "review_points_months": [3, 6, 12],
        "learning_agreement_weeks": 4,
        "critical_reflection_months": [6, 12],
        "self_assessment_months": [],
        "supervision_phases": [*FIRST_YEAR_CADENCE, {"last_week": 52, "interval_days": 28}],
        "minimum_supervision_minutes": 90,
        "caseload_phases": _phases(*FIRST_YEAR_CASELOAD),
        "protected_time_phases": [{"last_week": 52, "percent": 10}],
        "required_evidence": ASYE_EVIDENCE,
    },
    {
        "code": "NQSW",
        "name": "Newly Qualified Social Worker programme (CWDC)",
        "description": "The CWDC programme for children's services, September 2008 to 2012.",
        "service_area": "children",
        "status": "archived",
        "in_force_from": datetime.date(2008, 9, 1),
        "in_force_to": datetime.date(2012, 8, 31),
        "assessed_against": "The 11 NQSW outcome statements",
        "duration_months": 12,
        "maximum_elapsed_months": None,
        "review_points_months": [3, 6, 12],
        "learning_agreement_weeks": 4,
        "critical_reflection_months": [3, 6, 12],
        "self_assessment_months": [],
        "supervision_phases": [{"last_week": 52, "interval_days": 14}],
        "minimum_supervision_minutes": 90,
        "caseload_phases": _phases(*FIRST_YEAR_CASELOAD),
        "protected_time_phases": [{"last_week": 52, "percent": 10}],
        "required_evidence": {
            "direct_observations": 2,
            "feedback_from_people_using_services": 2,
        },
    },
    {
        "code": "SWIP",
        "name": "Early Career Development Programme (SWIP)",
        "description": (
            "Consulted on as the Social Work Induction Programme (SWIP); published as the Early "
            "Career Development Programme. Two years, from September 2027."
        ),
        "service_area": "children",
        "status": "active",
        "in_force_from": datetime.date(2027, 9, 1),
        "in_force_to": None,
        "assessed_against": "Child and family social worker early career standards",
        "duration_months": 24,
        "maximum_elapsed_months": None,
        "review_points_months": [3, 6, 9, 12, 18, 24],
        "learning_agreement_weeks": 4,
        "critical_reflection_months": [12, 24],
        "self_assessment_months": [0, 12, 24],
        "supervision_phases": [*FIRST_YEAR_CADENCE, {"last_week": 104, "interval_days": 28}],
        "minimum_supervision_minutes": 90,
        "caseload_phases": _phases(*FIRST_YEAR_CASELOAD, *ECDP_SECOND_YEAR_CASELOAD),
        "protected_time_phases": [
            {"last_week": 52, "percent": 10},
            {"last_week": 104, "percent": 5},
        ],
        "required_evidence": ECDP_EVIDENCE,
    },
    {
        "code": "ECF",
        "name": "Early Career Framework (archived)",
        "description": (
            "Proposed in 2023 as two years of induction and three to expert practitioner; "
            "dropped in March 2025. Years 1–2 follow the ECDP; years 3–5 owe monthly "
            "supervision only."
        ),
        "service_area": "children",
        "status": "archived",
        "in_force_from": None,
        "in_force_to": None,
        "assessed_against": "Not published",
        "duration_months": 60,
        "maximum_elapsed_months": None,
        "review_points_months": [3, 6, 9, 12, 18, 24, 36, 48, 60],
        "learning_agreement_weeks": 4,
        "critical_reflection_months": [12, 24, 60],
        "self_assessment_months": [0, 12, 24],
        "supervision_phases": [
            *FIRST_YEAR_CADENCE,
            {"last_week": 104, "interval_days": 28},
            {"last_week": 260, "interval_days": 28},
        ],
        "minimum_supervision_minutes": 90,
        "caseload_phases": _phases(
            *FIRST_YEAR_CASELOAD,
            *ECDP_SECOND_YEAR_CASELOAD,
            (260, 100, None, None, None, None, False),
        ),
        "protected_time_phases": [
            {"last_week": 52, "percent": 10},
            {"last_week": 104, "percent": 5},
            {"last_week": 260, "percent": 0},
        ],
        "required_evidence": ECDP_EVIDENCE,
    },
    {
        "code": "WALES-CP",
        "name": "Consolidation programme (Wales)",
        "description": (
            "For social workers who qualified in Wales on or after 1 April 2016, completed "
            "within the first three-year registration period."
        ),
        "service_area": "",
        "status": "active",
        "in_force_from": None,
        "in_force_to": None,
        "assessed_against": "Outcomes of the approved consolidation courses",
        "duration_months": 36,
        "maximum_elapsed_months": 36,
        "review_points_months": [6, 12, 24, 36],
        "learning_agreement_weeks": 4,
        "critical_reflection_months": [36],
        "self_assessment_months": [],
        "supervision_phases": [
            {"last_week": 26, "interval_days": 14},
            {"last_week": 156, "interval_days": 28},
        ],
        "minimum_supervision_minutes": 90,
        "caseload_phases": _phases(
            (52, 90, 16, 22, 4, 1, False),
            (156, 100, None, None, None, None, False),
        ),
        # One development day a month in the first year, about 5% of contracted days (D).
        "protected_time_phases": [
            {"last_week": 52, "percent": 5},
            {"last_week": 156, "percent": 0},
        ],
        "required_evidence": {
            "direct_observations": 2,
            "feedback_from_people_using_services": 2,
            "reflective_portfolio": 1,
        },
    },
]


def seed(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    for values in PROGRAMMES:
        Programme.objects.update_or_create(code=values["code"], defaults=values)


def unseed(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    Programme.objects.filter(code__in=[p["code"] for p in PROGRAMMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
