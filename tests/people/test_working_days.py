"""Working days counted in closed form agree with walking the calendar a day at a time."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from people.working_days import is_working_day, working_days_between


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
