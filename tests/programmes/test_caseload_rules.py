"""Caseload caps and protected time (DOMAIN.md, "Caseload protection" and "ASYE"), as rules.

The phases are the ones the data migration seeds, so these tables also prove the seed says what
DOMAIN.md says. Every expected figure is worked out by hand: a cap is the lower of the phase's
share of a full caseload (pro rata FTE, rounded down) and the absolute cap for the service area.
Dates follow the 2026 intake, which starts on Monday 7 September 2026.
"""

import calendar
import importlib
from datetime import date
from decimal import Decimal

import pytest

from people.working_days import is_working_day
from programmes.rules import (
    CaseloadCap,
    CaseloadPhase,
    Pause,
    ProtectedTimePhase,
    caseload_cap,
    last_full_month,
    limits_exceeded,
    phases_from_data,
    protected_hours_owed,
)

SEED = importlib.import_module("programmes.migrations.0002_seed_programmes")
START = date(2026, 9, 7)


def seeded_caseload_phases(code: str) -> tuple[CaseloadPhase, ...]:
    (values,) = [row for row in SEED.PROGRAMMES if row["code"] == code]
    return phases_from_data(values["caseload_phases"], CaseloadPhase)


def seeded_time_phases(code: str) -> tuple[ProtectedTimePhase, ...]:
    (values,) = [row for row in SEED.PROGRAMMES if row["code"] == code]
    return phases_from_data(values["protected_time_phases"], ProtectedTimePhase)


def working_days(year: int, month: int) -> list[date]:
    """A month's weekdays less England's bank holidays, as the selector passes them."""
    last = calendar.monthrange(year, month)[1]
    days = [date(year, month, day) for day in range(1, last + 1)]
    return [day for day in days if is_working_day(day)]


# CaseloadCap(open cases, child-protection lead, complex lead, complex needs manager approval)
FIRST_PHASE_CHILDREN = CaseloadCap(9, 0, 0, False)
SECOND_PHASE_CHILDREN = CaseloadCap(14, 2, 0, False)
THIRD_PHASE_CHILDREN = CaseloadCap(16, 4, 1, True)


@pytest.mark.parametrize(
    ("code", "week", "cap"),
    [
        pytest.param("ASYE-CF", 0, FIRST_PHASE_CHILDREN, id="before-the-start-is-week-1"),
        pytest.param("ASYE-CF", 1, FIRST_PHASE_CHILDREN, id="week-1-half-no-lead-cases"),
        pytest.param("ASYE-CF", 6, FIRST_PHASE_CHILDREN, id="week-6-still-half"),
        pytest.param("ASYE-CF", 7, SECOND_PHASE_CHILDREN, id="week-7-80-percent"),
        pytest.param("ASYE-CF", 26, SECOND_PHASE_CHILDREN, id="week-26-still-80-percent"),
        pytest.param("ASYE-CF", 27, THIRD_PHASE_CHILDREN, id="week-27-90-percent"),
        pytest.param("ASYE-CF", 52, THIRD_PHASE_CHILDREN, id="week-52-still-90-percent"),
        pytest.param("ASYE-CF", 53, THIRD_PHASE_CHILDREN, id="extension-keeps-the-last-phase"),
        pytest.param("ASYE-CF", 80, THIRD_PHASE_CHILDREN, id="long-extension-too"),
        pytest.param("NQSW", 7, SECOND_PHASE_CHILDREN, id="NQSW-shares-the-first-year"),
        pytest.param("SWIP", 26, SECOND_PHASE_CHILDREN, id="ECDP-week-26"),
        pytest.param("SWIP", 52, THIRD_PHASE_CHILDREN, id="ECDP-week-52"),
        pytest.param("SWIP", 53, CaseloadCap(17, None, 2, False), id="ECDP-week-53-95-percent"),
        pytest.param("SWIP", 104, CaseloadCap(17, None, 2, False), id="ECDP-week-104"),
        pytest.param("SWIP", 105, CaseloadCap(17, None, 2, False), id="ECDP-past-its-end"),
        pytest.param("WALES-CP", 1, CaseloadCap(16, 4, 1, False), id="Wales-week-1-90-percent"),
        pytest.param("WALES-CP", 52, CaseloadCap(16, 4, 1, False), id="Wales-week-52"),
        pytest.param("WALES-CP", 53, CaseloadCap(18, None, None, False), id="Wales-week-53-full"),
    ],
)
def test_a_full_time_child_and_family_worker_is_capped_by_the_phase_of_the_week(code, week, cap):
    assert (
        caseload_cap(
            phases=seeded_caseload_phases(code),
            week=week,
            full_caseload=18,
            fte=Decimal("1.00"),
            service_area="children",
        )
        == cap
    )


@pytest.mark.parametrize(
    ("code", "week", "cap"),
    [
        pytest.param("ASYE-AD", 1, CaseloadCap(12, 0, 0, False), id="week-1-12-and-a-half-is-12"),
        pytest.param("ASYE-AD", 6, CaseloadCap(12, 0, 0, False), id="week-6"),
        pytest.param("ASYE-AD", 7, CaseloadCap(20, 2, 0, False), id="week-7"),
        pytest.param("ASYE-AD", 26, CaseloadCap(20, 2, 0, False), id="week-26"),
        pytest.param("ASYE-AD", 27, CaseloadCap(22, 4, 1, True), id="week-27-22-and-a-half-is-22"),
        pytest.param("ASYE-AD", 52, CaseloadCap(22, 4, 1, True), id="week-52"),
        pytest.param("ASYE-AD", 53, CaseloadCap(22, 4, 1, True), id="extension"),
        # No absolute cap for adults in the ECDP's second year: 95% of 25 is 23.75.
        pytest.param("SWIP", 53, CaseloadCap(23, None, 2, False), id="ECDP-year-2-share-only"),
        pytest.param("WALES-CP", 52, CaseloadCap(22, 4, 1, False), id="Wales-week-52"),
        pytest.param("WALES-CP", 53, CaseloadCap(25, None, None, False), id="Wales-week-53-full"),
    ],
)
def test_an_adult_services_worker_has_a_full_caseload_of_25_and_the_adult_caps(code, week, cap):
    assert (
        caseload_cap(
            phases=seeded_caseload_phases(code),
            week=week,
            full_caseload=25,
            fte=Decimal("1.00"),
            service_area="adults",
        )
        == cap
    )


@pytest.mark.parametrize(
    ("service_area", "full_caseload", "fte", "week", "open_cases"),
    [
        # 50% × 18 × 0.6 = 5.4; 80% × 18 × 0.6 = 8.64; 90% × 18 × 0.6 = 9.72.
        pytest.param("children", 18, "0.6", 1, 5, id="0.6-FTE-week-1"),
        pytest.param("children", 18, "0.6", 7, 8, id="0.6-FTE-week-7-rounds-down"),
        pytest.param("children", 18, "0.6", 27, 9, id="0.6-FTE-week-27-rounds-down"),
        # 4.5 cases protects only if it means 4.
        pytest.param("children", 18, "0.5", 1, 4, id="0.5-FTE-week-1-four-and-a-half-is-4"),
        pytest.param("children", 18, "0.5", 7, 7, id="0.5-FTE-week-7"),
        pytest.param("children", 18, "0.5", 27, 8, id="0.5-FTE-week-27"),
        pytest.param("adults", 25, "0.6", 1, 7, id="adults-0.6-FTE-week-1"),
        pytest.param("adults", 25, "0.6", 7, 12, id="adults-0.6-FTE-week-7-exact"),
        pytest.param("adults", 25, "0.6", 27, 13, id="adults-0.6-FTE-week-27"),
        # A busy team's full caseload is higher: the absolute cap binds, not the share.
        pytest.param("children", 25, "1.00", 1, 9, id="absolute-cap-binds-week-1"),
        pytest.param("children", 25, "1.00", 7, 14, id="absolute-cap-binds-week-7"),
        pytest.param("children", 25, "1.00", 27, 16, id="absolute-cap-binds-week-27"),
        pytest.param("adults", 30, "1.00", 7, 20, id="adults-absolute-cap-binds"),
        # A team with lighter caseloads: the share binds, below the absolute cap.
        pytest.param("children", 15, "1.00", 7, 12, id="share-binds-week-7"),
        pytest.param("children", 15, "1.00", 27, 13, id="share-binds-week-27"),
        pytest.param("children", 25, "0.5", 1, 6, id="part-time-share-under-absolute-cap"),
    ],
)
def test_the_cap_is_the_lower_of_the_share_pro_rata_and_the_absolute_cap(
    service_area, full_caseload, fte, week, open_cases
):
    cap = caseload_cap(
        phases=seeded_caseload_phases("ASYE-CF"),
        week=week,
        full_caseload=full_caseload,
        fte=Decimal(fte),
        service_area=service_area,
    )
    assert cap.open_cases == open_cases


def test_lead_case_limits_are_whole_cases_and_not_scaled_by_fte():
    cap = caseload_cap(
        phases=seeded_caseload_phases("ASYE-CF"),
        week=27,
        full_caseload=18,
        fte=Decimal("0.5"),
        service_area="children",
    )
    assert cap == CaseloadCap(8, 4, 1, True)


SECOND_PHASE = CaseloadCap(open_cases=14, child_protection_lead=2, complex_lead=0)
ECDP_SECOND_YEAR = CaseloadCap(open_cases=17, child_protection_lead=None, complex_lead=2)


@pytest.mark.parametrize(
    ("cap", "figures", "exceeded"),
    [
        pytest.param(SECOND_PHASE, (14, 2, 0), (), id="at-every-limit-is-within"),
        pytest.param(SECOND_PHASE, (3, 0, None), (), id="well-within"),
        pytest.param(SECOND_PHASE, (15, 2, 0), ("open-cases",), id="open-cases-over"),
        pytest.param(SECOND_PHASE, (14, 3, 0), ("child-protection",), id="child-protection-over"),
        pytest.param(SECOND_PHASE, (14, 2, 1), ("complex",), id="complex-over"),
        pytest.param(SECOND_PHASE, (9, 9, None), ("child-protection",), id="complex-not-given"),
        pytest.param(
            SECOND_PHASE,
            (20, 5, 3),
            ("open-cases", "child-protection", "complex"),
            id="all-three-in-order",
        ),
        pytest.param(ECDP_SECOND_YEAR, (17, 17, 2), (), id="no-child-protection-limit"),
        pytest.param(ECDP_SECOND_YEAR, (17, 0, 3), ("complex",), id="ECDP-complex-over-2"),
    ],
)
def test_limits_exceeded_names_each_limit_gone_over(cap, figures, exceeded):
    open_cases, child_protection_cases, complex_cases = figures
    assert (
        limits_exceeded(
            cap,
            open_cases=open_cases,
            child_protection_cases=child_protection_cases,
            complex_cases=complex_cases,
        )
        == exceeded
    )


def test_complex_cases_are_not_judged_when_there_is_no_complex_limit():
    wales_second_phase = CaseloadCap(open_cases=18, child_protection_lead=None, complex_lead=None)
    assert limits_exceeded(wales_second_phase, open_cases=18, complex_cases=12) == ()


# Protected development time: 10% of 37 hours a week is 0.74 hours each working day at full time.
OCTOBER_FORTNIGHT = Pause(date(2026, 10, 1), date(2026, 10, 14))


@pytest.mark.parametrize(
    ("code", "fte", "month", "pauses", "ends_on", "owed"),
    [
        # October 2026: 22 working days × 0.74 = 16.28.
        pytest.param("ASYE-CF", "1.00", (2026, 10), (), None, "16.3", id="full-month"),
        pytest.param("ASYE-CF", "0.6", (2026, 10), (), None, "9.8", id="part-time-0.6"),
        pytest.param("ASYE-CF", "0.5", (2026, 10), (), None, "8.1", id="part-time-0.5"),
        # 1–14 October take 10 working days out of 22: 12 × 0.74 = 8.88.
        pytest.param(
            "ASYE-CF", "1.00", (2026, 10), (OCTOBER_FORTNIGHT,), None, "8.9", id="a-pause"
        ),
        # Starts Monday 7 September: 1–4 September are owed nothing; 18 × 0.74 = 13.32.
        pytest.param("ASYE-CF", "1.00", (2026, 9), (), None, "13.3", id="starts-mid-month"),
        pytest.param("ASYE-CF", "1.00", (2026, 8), (), None, "0.0", id="before-the-start"),
        # Ends Tuesday 7 September 2027: 1, 2, 3, 6 and 7 September are owed; 5 × 0.74.
        pytest.param("ASYE-CF", "1.00", (2027, 9), (), date(2027, 9, 7), "3.7", id="after-the-end"),
        # December 2026: 23 weekdays, but 25 and 28 December are bank holidays; 21 × 0.74.
        pytest.param("ASYE-CF", "1.00", (2026, 12), (), None, "15.5", id="bank-holidays-out"),
        # ECDP year 2 owes 5%: October 2027, 21 working days × 0.37 = 7.77.
        pytest.param("SWIP", "1.00", (2027, 10), (), None, "7.8", id="ECDP-second-year-5"),
        # Week 53 starts 6 September 2027: 3 days × 0.37 + 19 days × 0.185 = 4.625.
        pytest.param("SWIP", "0.5", (2027, 9), (), None, "4.6", id="the-phase-changes-mid-month"),
        # One development day a month in Wales, about 5%: 22 × 0.37 = 8.14.
        pytest.param("WALES-CP", "1.00", (2026, 10), (), None, "8.1", id="Wales-5-percent"),
    ],
)
def test_protected_hours_owed_are_the_phases_share_of_each_working_day_on_the_programme(
    code, fte, month, pauses, ends_on, owed
):
    assert protected_hours_owed(
        phases=seeded_time_phases(code),
        started_on=START,
        fte=Decimal(fte),
        days=working_days(*month),
        pauses=pauses,
        ends_on=ends_on,
    ) == Decimal(owed)


@pytest.mark.parametrize(
    ("on", "month"),
    [
        pytest.param(date(2026, 11, 23), (date(2026, 10, 1), date(2026, 10, 31)), id="mid-month"),
        pytest.param(date(2026, 11, 1), (date(2026, 10, 1), date(2026, 10, 31)), id="on-the-1st"),
        pytest.param(date(2026, 11, 30), (date(2026, 10, 1), date(2026, 10, 31)), id="on-the-30th"),
        pytest.param(
            date(2027, 1, 15), (date(2026, 12, 1), date(2026, 12, 31)), id="january-to-december"
        ),
        pytest.param(date(2027, 1, 1), (date(2026, 12, 1), date(2026, 12, 31)), id="new-years-day"),
        pytest.param(date(2027, 3, 1), (date(2027, 2, 1), date(2027, 2, 28)), id="february"),
        pytest.param(date(2028, 3, 31), (date(2028, 2, 1), date(2028, 2, 29)), id="leap-february"),
    ],
)
def test_the_last_full_month_is_the_calendar_month_before(on, month):
    assert last_full_month(on) == month
