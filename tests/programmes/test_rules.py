"""Programme timelines (DOMAIN.md: "ASYE", "NQSW", "SWIP → ECDP", "ECF", "Wales consolidation
programme", "Supervision", "Caseload protection"). Every expected date is worked out by hand from
the 2026 ASYE intake, which starts on Monday 7 September 2026.
"""

from datetime import date
from decimal import Decimal

import pytest

from programmes.rules import (
    CadencePhase,
    CaseloadPhase,
    MilestonePlan,
    Pause,
    ProtectedTimePhase,
    add_months,
    exceeds_maximum_elapsed,
    expected_end_on,
    milestone_schedule,
    next_milestone,
    phase_for_week,
    phases_from_data,
    programme_week,
    scaled_date,
    shift_for_pauses,
)

START = date(2026, 9, 7)
FULL_TIME = Decimal("1.0")
ASYE_CF = MilestonePlan(
    duration_months=12,
    review_points_months=(3, 6, 9, 12),
    learning_agreement_weeks=4,
    critical_reflection_months=(6, 12),
    self_assessment_months=(0, 6, 12),
)
ASYE_CADENCE = (CadencePhase(6, 7), CadencePhase(26, 14), CadencePhase(52, 28))
OCTOBER_FORTNIGHT = Pause(date(2026, 10, 1), date(2026, 10, 14))


def due_dates(milestones):
    return {milestone.key: milestone.due_on for milestone in milestones}


@pytest.mark.parametrize(
    ("start", "months", "landed_on"),
    [
        pytest.param(date(2026, 9, 7), 3, date(2026, 12, 7), id="same-year"),
        pytest.param(date(2026, 11, 15), 3, date(2027, 2, 15), id="into-next-year"),
        pytest.param(date(2026, 9, 7), 12, date(2027, 9, 7), id="a-whole-year"),
        pytest.param(date(2026, 12, 1), 1, date(2027, 1, 1), id="december-to-january"),
        pytest.param(date(2027, 1, 31), 1, date(2027, 2, 28), id="31-jan-to-28-feb"),
        pytest.param(date(2028, 1, 31), 1, date(2028, 2, 29), id="31-jan-to-29-feb-leap-year"),
        pytest.param(date(2026, 8, 31), 1, date(2026, 9, 30), id="31-aug-to-30-sep"),
        pytest.param(date(2026, 9, 7), 0, date(2026, 9, 7), id="no-months"),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_day_of_a_shorter_month(
    start, months, landed_on
):
    assert add_months(start, months) == landed_on


@pytest.mark.parametrize(
    ("duration_months", "ends_on"),
    [
        pytest.param(12, date(2027, 9, 7), id="ASYE-CF"),
        pytest.param(12, date(2027, 9, 7), id="ASYE-AD"),
        pytest.param(12, date(2027, 9, 7), id="NQSW"),
        pytest.param(24, date(2028, 9, 7), id="SWIP"),
        pytest.param(60, date(2031, 9, 7), id="ECF"),
        pytest.param(36, date(2029, 9, 7), id="WALES-CP"),
    ],
)
def test_full_time_programme_ends_its_length_in_calendar_months_after_the_start(
    duration_months, ends_on
):
    assert scaled_date(started_on=START, months=duration_months, fte=FULL_TIME) == ends_on
    assert (
        expected_end_on(started_on=START, duration_months=duration_months, fte=FULL_TIME) == ends_on
    )


@pytest.mark.parametrize(
    ("months", "fte", "landed_on"),
    [
        pytest.param(12, Decimal("0.6"), date(2028, 5, 7), id="0.6-fte-12-becomes-20-months"),
        pytest.param(12, Decimal("0.5"), date(2028, 9, 7), id="0.5-fte-12-becomes-24-months"),
        pytest.param(12, Decimal("0.8"), date(2027, 12, 7), id="0.8-fte-12-becomes-15-months"),
        pytest.param(12, Decimal("0.75"), date(2028, 1, 7), id="0.75-fte-12-becomes-16-months"),
        pytest.param(
            12, Decimal("0.7"), date(2028, 2, 11), id="0.7-fte-17-months-and-4-of-29-feb-days"
        ),
        pytest.param(
            12, Decimal("0.9"), date(2027, 10, 17), id="0.9-fte-13-months-and-10-of-31-days"
        ),
        pytest.param(3, Decimal("0.7"), date(2027, 1, 16), id="0.7-fte-4-months-and-9-of-31-days"),
        pytest.param(24, Decimal("0.5"), date(2030, 9, 7), id="0.5-fte-24-becomes-48-months"),
        pytest.param(24, Decimal("0.6"), date(2030, 1, 7), id="0.6-fte-24-becomes-40-months"),
        pytest.param(12, Decimal("0.1"), date(2036, 9, 7), id="0.1-fte-12-becomes-120-months"),
    ],
)
def test_part_time_stretches_the_programme_pro_rata(months, fte, landed_on):
    assert scaled_date(started_on=START, months=months, fte=fte) == landed_on
    assert expected_end_on(started_on=START, duration_months=months, fte=fte) == landed_on


@pytest.mark.parametrize(
    ("first_day", "last_day", "days"),
    [
        pytest.param(date(2026, 10, 1), date(2026, 10, 14), 14, id="1-to-14-october"),
        pytest.param(date(2026, 10, 1), date(2026, 10, 1), 1, id="a-single-day"),
        pytest.param(date(2027, 2, 1), date(2027, 2, 28), 28, id="all-of-february"),
    ],
)
def test_a_pause_lasts_from_its_first_to_its_last_day_inclusive(first_day, last_day, days):
    assert Pause(first_day, last_day).days == days


@pytest.mark.parametrize(
    ("nominal", "pauses", "shifted"),
    [
        pytest.param(date(2026, 12, 7), [], date(2026, 12, 7), id="no-pause"),
        pytest.param(
            date(2026, 12, 7), [OCTOBER_FORTNIGHT], date(2026, 12, 21), id="earlier-pause-moves-it"
        ),
        pytest.param(
            date(2026, 9, 30), [OCTOBER_FORTNIGHT], date(2026, 9, 30), id="later-pause-does-not"
        ),
        pytest.param(
            date(2026, 10, 1),
            [OCTOBER_FORTNIGHT],
            date(2026, 10, 15),
            id="pause-starting-on-the-date-moves-it",
        ),
        pytest.param(
            date(2026, 10, 10),
            [OCTOBER_FORTNIGHT],
            date(2026, 10, 24),
            id="pause-running-over-the-date-moves-it",
        ),
        pytest.param(
            date(2026, 12, 7),
            [Pause(date(2026, 12, 10), date(2026, 12, 20)), OCTOBER_FORTNIGHT],
            date(2027, 1, 1),
            id="pause-reached-only-after-the-first-shift-counts-whatever-the-order",
        ),
        pytest.param(
            date(2026, 12, 7),
            [Pause(date(2026, 12, 22), date(2026, 12, 31)), OCTOBER_FORTNIGHT],
            date(2026, 12, 21),
            id="pause-after-the-shifted-date-does-not",
        ),
    ],
)
def test_a_pause_moves_a_date_only_when_it_starts_on_or_before_it(nominal, pauses, shifted):
    assert shift_for_pauses(nominal, pauses) == shifted


@pytest.mark.parametrize(
    ("fte", "pauses", "extension_days", "ends_on"),
    [
        pytest.param(FULL_TIME, [], 0, date(2027, 9, 7), id="no-pause"),
        pytest.param(FULL_TIME, [OCTOBER_FORTNIGHT], 0, date(2027, 9, 21), id="14-day-pause"),
        pytest.param(
            FULL_TIME,
            [Pause(date(2027, 10, 1), date(2027, 10, 14))],
            0,
            date(2027, 9, 7),
            id="pause-after-the-end-does-not-move-it",
        ),
        pytest.param(
            FULL_TIME,
            [OCTOBER_FORTNIGHT, Pause(date(2027, 2, 1), date(2027, 2, 28))],
            0,
            date(2027, 10, 19),
            id="two-pauses-14-and-28-days",
        ),
        pytest.param(
            FULL_TIME,
            [Pause(date(2027, 9, 10), date(2027, 9, 16)), OCTOBER_FORTNIGHT],
            0,
            date(2027, 9, 28),
            id="pause-after-the-nominal-end-but-before-the-shifted-end-counts",
        ),
        pytest.param(
            FULL_TIME,
            [Pause(date(2027, 9, 7), date(2027, 9, 7))],
            0,
            date(2027, 9, 8),
            id="one-day-pause-on-the-last-day",
        ),
        pytest.param(
            Decimal("0.6"), [OCTOBER_FORTNIGHT], 0, date(2028, 5, 21), id="part-time-and-pause"
        ),
        pytest.param(FULL_TIME, [], 28, date(2027, 10, 5), id="28-day-extension"),
        pytest.param(
            FULL_TIME,
            [Pause(date(2027, 9, 20), date(2027, 9, 26))],
            28,
            date(2027, 10, 12),
            id="pause-during-the-extension-counts",
        ),
    ],
)
def test_expected_end_adds_pauses_and_extensions_to_the_scaled_length(
    fte, pauses, extension_days, ends_on
):
    assert (
        expected_end_on(
            started_on=START,
            duration_months=12,
            fte=fte,
            pauses=pauses,
            extension_days=extension_days,
        )
        == ends_on
    )


@pytest.mark.parametrize(
    ("fte", "schedule"),
    [
        pytest.param(
            FULL_TIME,
            [
                ("self-assessment-0", date(2026, 9, 7)),
                ("learning-agreement", date(2026, 10, 5)),
                ("review-3", date(2026, 12, 7)),
                ("self-assessment-6", date(2027, 3, 7)),
                ("review-6", date(2027, 3, 7)),
                ("critical-reflection-6", date(2027, 3, 7)),
                ("review-9", date(2027, 6, 7)),
                ("self-assessment-12", date(2027, 9, 7)),
                ("review-12", date(2027, 9, 7)),
                ("critical-reflection-12", date(2027, 9, 7)),
            ],
            id="full-time",
        ),
        pytest.param(
            Decimal("0.6"),
            [
                ("self-assessment-0", date(2026, 9, 7)),
                ("learning-agreement", date(2026, 10, 5)),
                ("review-3", date(2027, 2, 7)),
                ("self-assessment-6", date(2027, 7, 7)),
                ("review-6", date(2027, 7, 7)),
                ("critical-reflection-6", date(2027, 7, 7)),
                ("review-9", date(2027, 12, 7)),
                ("self-assessment-12", date(2028, 5, 7)),
                ("review-12", date(2028, 5, 7)),
                ("critical-reflection-12", date(2028, 5, 7)),
            ],
            id="0.6-fte",
        ),
    ],
)
def test_milestones_come_earliest_first_and_same_day_ones_in_kind_order(fte, schedule):
    milestones = milestone_schedule(started_on=START, plan=ASYE_CF, fte=fte)
    assert [(milestone.key, milestone.due_on) for milestone in milestones] == schedule


@pytest.mark.parametrize(
    ("fte", "learning_agreement_on", "three_month_review_on"),
    [
        pytest.param(FULL_TIME, date(2026, 10, 5), date(2026, 12, 7), id="full-time"),
        pytest.param(Decimal("0.6"), date(2026, 10, 5), date(2027, 2, 7), id="0.6-fte"),
        pytest.param(Decimal("0.5"), date(2026, 10, 5), date(2027, 3, 7), id="0.5-fte"),
        pytest.param(Decimal("0.7"), date(2026, 10, 5), date(2027, 1, 16), id="0.7-fte"),
    ],
)
def test_learning_agreement_is_due_in_calendar_weeks_while_reviews_scale_with_fte(
    fte, learning_agreement_on, three_month_review_on
):
    due = due_dates(milestone_schedule(started_on=START, plan=ASYE_CF, fte=fte))
    assert due["learning-agreement"] == learning_agreement_on
    assert due["review-3"] == three_month_review_on


def test_only_milestones_at_the_full_length_are_final():
    milestones = milestone_schedule(started_on=START, plan=ASYE_CF, fte=FULL_TIME)
    assert {milestone.key for milestone in milestones if milestone.is_final} == {
        "self-assessment-12",
        "review-12",
        "critical-reflection-12",
    }


def test_an_extension_moves_only_the_end_and_the_final_milestones():
    due = due_dates(
        milestone_schedule(started_on=START, plan=ASYE_CF, fte=FULL_TIME, extension_days=28)
    )
    assert due == {
        "self-assessment-0": date(2026, 9, 7),
        "learning-agreement": date(2026, 10, 5),
        "review-3": date(2026, 12, 7),
        "self-assessment-6": date(2027, 3, 7),
        "review-6": date(2027, 3, 7),
        "critical-reflection-6": date(2027, 3, 7),
        "review-9": date(2027, 6, 7),
        "self-assessment-12": date(2027, 10, 5),
        "review-12": date(2027, 10, 5),
        "critical-reflection-12": date(2027, 10, 5),
    }


@pytest.mark.parametrize(
    ("pause", "schedule"),
    [
        pytest.param(
            Pause(date(2026, 11, 2), date(2026, 11, 15)),
            {
                "self-assessment-0": date(2026, 9, 7),
                "learning-agreement": date(2026, 10, 5),
                "review-3": date(2026, 12, 21),
                "self-assessment-6": date(2027, 3, 21),
                "review-6": date(2027, 3, 21),
                "critical-reflection-6": date(2027, 3, 21),
                "review-9": date(2027, 6, 21),
                "self-assessment-12": date(2027, 9, 21),
                "review-12": date(2027, 9, 21),
                "critical-reflection-12": date(2027, 9, 21),
            },
            id="14-days-after-the-learning-agreement",
        ),
        pytest.param(
            Pause(date(2026, 9, 21), date(2026, 9, 27)),
            {
                "self-assessment-0": date(2026, 9, 7),
                "learning-agreement": date(2026, 10, 12),
                "review-3": date(2026, 12, 14),
                "self-assessment-6": date(2027, 3, 14),
                "review-6": date(2027, 3, 14),
                "critical-reflection-6": date(2027, 3, 14),
                "review-9": date(2027, 6, 14),
                "self-assessment-12": date(2027, 9, 14),
                "review-12": date(2027, 9, 14),
                "critical-reflection-12": date(2027, 9, 14),
            },
            id="7-days-before-the-learning-agreement",
        ),
        pytest.param(
            Pause(date(2027, 4, 1), date(2027, 4, 30)),
            {
                "self-assessment-0": date(2026, 9, 7),
                "learning-agreement": date(2026, 10, 5),
                "review-3": date(2026, 12, 7),
                "self-assessment-6": date(2027, 3, 7),
                "review-6": date(2027, 3, 7),
                "critical-reflection-6": date(2027, 3, 7),
                "review-9": date(2027, 7, 7),
                "self-assessment-12": date(2027, 10, 7),
                "review-12": date(2027, 10, 7),
                "critical-reflection-12": date(2027, 10, 7),
            },
            id="30-days-after-the-6-month-review",
        ),
    ],
)
def test_a_pause_moves_the_milestones_after_its_start_and_no_others(pause, schedule):
    milestones = milestone_schedule(started_on=START, plan=ASYE_CF, fte=FULL_TIME, pauses=[pause])
    assert due_dates(milestones) == schedule


@pytest.mark.parametrize(
    ("on", "key"),
    [
        pytest.param(date(2026, 9, 1), "self-assessment-0", id="before-the-start"),
        pytest.param(date(2026, 9, 7), "self-assessment-0", id="start-day"),
        pytest.param(date(2026, 9, 8), "learning-agreement", id="day-after-the-start"),
        pytest.param(date(2026, 12, 7), "review-3", id="on-the-due-date"),
        pytest.param(date(2026, 12, 8), "self-assessment-6", id="day-after-a-due-date"),
        pytest.param(date(2027, 9, 7), "self-assessment-12", id="last-day"),
        pytest.param(date(2027, 9, 8), None, id="after-all-milestones"),
    ],
)
def test_next_milestone_is_the_first_due_on_or_after_the_day(on, key):
    milestones = milestone_schedule(started_on=START, plan=ASYE_CF, fte=FULL_TIME)
    upcoming = next_milestone(milestones, on=on)
    assert (upcoming.key if upcoming else None) == key


@pytest.mark.parametrize(
    ("on", "pauses", "week"),
    [
        pytest.param(date(2026, 9, 7), [], 1, id="start-day-is-week-1"),
        pytest.param(date(2026, 9, 13), [], 1, id="sixth-day-after-start-is-week-1"),
        pytest.param(date(2026, 9, 14), [], 2, id="seventh-day-after-start-is-week-2"),
        pytest.param(date(2026, 9, 6), [], 0, id="before-the-start-is-0"),
        pytest.param(date(2027, 9, 5), [], 52, id="363-days-in-is-week-52"),
        pytest.param(date(2026, 11, 2), [], 9, id="56-days-in-is-week-9"),
        pytest.param(date(2026, 11, 2), [OCTOBER_FORTNIGHT], 7, id="14-day-pause-pulls-back-2"),
        pytest.param(
            date(2026, 9, 21), [OCTOBER_FORTNIGHT], 3, id="pause-after-the-day-does-not-count"
        ),
        pytest.param(date(2026, 10, 1), [OCTOBER_FORTNIGHT], 4, id="first-paused-day"),
        pytest.param(date(2026, 10, 8), [OCTOBER_FORTNIGHT], 4, id="week-stands-still-in-pause"),
        pytest.param(date(2026, 10, 15), [OCTOBER_FORTNIGHT], 4, id="day-after-the-pause"),
    ],
)
def test_programme_week_counts_from_1_and_skips_paused_days(on, pauses, week):
    assert programme_week(started_on=START, on=on, pauses=pauses) == week


@pytest.mark.parametrize(
    ("ends_on", "maximum_elapsed_months", "exceeds"),
    [
        pytest.param(date(2027, 9, 7), 24, False, id="ASYE-full-time-12-months"),
        pytest.param(date(2028, 9, 7), 24, False, id="ASYE-0.5-fte-ends-exactly-at-24-months"),
        pytest.param(date(2028, 9, 8), 24, True, id="ASYE-one-day-past-24-months"),
        pytest.param(date(2029, 3, 7), 24, True, id="ASYE-0.4-fte-30-months"),
        pytest.param(date(2029, 9, 7), 36, False, id="WALES-CP-full-time-36-months"),
        pytest.param(date(2029, 3, 7), None, False, id="no-maximum"),
    ],
)
def test_an_end_after_the_maximum_elapsed_length_exceeds_it(
    ends_on, maximum_elapsed_months, exceeds
):
    assert (
        exceeds_maximum_elapsed(
            started_on=START, ends_on=ends_on, maximum_elapsed_months=maximum_elapsed_months
        )
        is exceeds
    )


@pytest.mark.parametrize(
    ("week", "interval_days"),
    [
        pytest.param(1, 7, id="week-1-weekly"),
        pytest.param(6, 7, id="week-6-still-weekly"),
        pytest.param(7, 14, id="week-7-fortnightly"),
        pytest.param(26, 14, id="week-26-still-fortnightly"),
        pytest.param(27, 28, id="week-27-monthly"),
        pytest.param(52, 28, id="week-52-monthly"),
        pytest.param(60, 28, id="extension-keeps-the-last-phase"),
    ],
)
def test_phase_for_week_is_the_first_phase_not_yet_ended(week, interval_days):
    assert phase_for_week(ASYE_CADENCE, week).interval_days == interval_days


@pytest.mark.parametrize(
    ("rows", "phase_class", "phases"),
    [
        pytest.param(
            [
                {"last_week": 6, "interval_days": 7},
                {"last_week": 26, "interval_days": 14},
                {"last_week": 52, "interval_days": 28},
            ],
            CadencePhase,
            ASYE_CADENCE,
            id="ASYE-cadence",
        ),
        pytest.param(
            [
                {
                    "last_week": 52,
                    "cap_percent": 90,
                    "absolute_cap_children": 16,
                    "absolute_cap_adults": 22,
                    "child_protection_lead_max": 4,
                    "complex_lead_max": 1,
                    "complex_needs_manager_approval": True,
                },
                {
                    "last_week": 104,
                    "cap_percent": 95,
                    "absolute_cap_children": 17,
                    "absolute_cap_adults": None,
                    "child_protection_lead_max": None,
                    "complex_lead_max": 2,
                    "complex_needs_manager_approval": False,
                },
            ],
            CaseloadPhase,
            (
                CaseloadPhase(52, 90, 16, 22, 4, 1, True),
                CaseloadPhase(104, 95, 17, None, None, 2, False),
            ),
            id="caseload-with-no-limits-and-a-flag",
        ),
        pytest.param(
            [{"last_week": 52, "cap_percent": 90}],
            CaseloadPhase,
            (CaseloadPhase(52, 90),),
            id="caseload-optional-limits-left-out",
        ),
        pytest.param(
            [{"last_week": 52, "percent": 10}, {"last_week": 104, "percent": 5}],
            ProtectedTimePhase,
            (ProtectedTimePhase(52, 10), ProtectedTimePhase(104, 5)),
            id="protected-time",
        ),
    ],
)
def test_phases_from_data_builds_a_tuple_of_phases_from_valid_rows(rows, phase_class, phases):
    assert phases_from_data(rows, phase_class) == phases


@pytest.mark.parametrize(
    ("rows", "phase_class"),
    [
        pytest.param([], CadencePhase, id="empty-list"),
        pytest.param({"last_week": 6, "interval_days": 7}, CadencePhase, id="not-a-list"),
        pytest.param(None, CadencePhase, id="none"),
        pytest.param([(6, 7)], CadencePhase, id="row-not-a-mapping"),
        pytest.param(
            [{"last_week": 6, "interval_days": 7, "minutes": 90}], CadencePhase, id="unknown-key"
        ),
        pytest.param([{"interval_days": 7}], CadencePhase, id="missing-last-week"),
        pytest.param([{"last_week": 6}], CadencePhase, id="missing-interval-days"),
        pytest.param([{"last_week": 52}], CaseloadPhase, id="missing-cap-percent"),
        pytest.param(
            [{"last_week": 6, "interval_days": 7}, {"last_week": 6, "interval_days": 14}],
            CadencePhase,
            id="last-week-repeated",
        ),
        pytest.param(
            [{"last_week": 26, "interval_days": 14}, {"last_week": 6, "interval_days": 7}],
            CadencePhase,
            id="last-week-going-back",
        ),
        pytest.param([{"last_week": 0, "interval_days": 7}], CadencePhase, id="last-week-0"),
        pytest.param([{"last_week": None, "interval_days": 7}], CadencePhase, id="last-week-none"),
        pytest.param([{"last_week": 6, "interval_days": -7}], CadencePhase, id="negative"),
        pytest.param([{"last_week": 6, "interval_days": True}], CadencePhase, id="bool-days"),
        pytest.param([{"last_week": True, "interval_days": 7}], CadencePhase, id="bool-week"),
        pytest.param(
            [{"last_week": 52, "cap_percent": False}], CaseloadPhase, id="bool-cap-percent"
        ),
        pytest.param([{"last_week": 6, "interval_days": 7.5}], CadencePhase, id="fraction"),
        pytest.param([{"last_week": "6", "interval_days": 7}], CadencePhase, id="text"),
        pytest.param([{"last_week": 6, "interval_days": 0}], CadencePhase, id="interval-days-0"),
        pytest.param(
            [{"last_week": 6, "interval_days": None}], CadencePhase, id="interval-days-none"
        ),
    ],
)
def test_phases_from_data_refuses_invalid_rows_with_a_value_error(rows, phase_class):
    with pytest.raises(ValueError):
        phases_from_data(rows, phase_class)
