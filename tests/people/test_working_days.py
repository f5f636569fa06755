"""Working days counted in closed form agree with walking the calendar a day at a time."""

from datetime import date, timedelta

import holidays
from hypothesis import given
from hypothesis import strategies as st

from people.working_days import BANK_HOLIDAYS, is_working_day, working_days_between


def walked(start_on: date, end_on: date) -> int:
    days, day = 0, start_on
    while day < end_on:
        day += timedelta(days=1)
        days += is_working_day(day)
    return days


@given(
    start_on=st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31)),
    span=st.integers(min_value=-10, max_value=1200),
)
def test_counted_working_days_match_walking_the_calendar(start_on, span):
    end_on = start_on + timedelta(days=span)
    assert working_days_between(start_on, end_on) == walked(start_on, end_on)


def test_a_year_of_working_days_leaves_out_weekends_and_the_eight_bank_holidays():
    # 2025: 261 weekdays, all eight bank holidays of England and Wales on weekdays.
    assert working_days_between(date(2024, 12, 31), date(2025, 12, 31)) == 261 - 8


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_the_bank_holidays_kept_by_year_are_the_packages_own(day):
    assert (day in BANK_HOLIDAYS) == (day in holidays.country_holidays("GB", subdiv="ENG"))


def test_the_bank_holidays_of_england_and_wales_in_2026():
    # Boxing Day falls on a Saturday: the day itself is listed, and Monday the 28th in lieu.
    in_2026 = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
    assert [day for day in in_2026 if day in BANK_HOLIDAYS] == [
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2026, 12, 28),
    ]
