"""Working days in England and Wales: weekdays that are not bank holidays.

The bank holidays come from the `holidays` package (offline data, every year), never a typed list.
Supervision due dates use it; reminders count working days with it too.
"""

from __future__ import annotations

import bisect
import functools
from datetime import date, timedelta

import holidays

# England and Wales share their bank holidays; Scotland and Northern Ireland differ.
_ENGLAND_AND_WALES = holidays.country_holidays("GB", subdiv="ENG")


class _BankHolidays:
    """The bank holidays of England and Wales as a container of days, each year's kept as a
    set once asked for: the package's own lookup costs more than a set's by far, and cadence
    rules ask it of every due day of every enrolment."""

    def __init__(self) -> None:
        self._years: dict[int, frozenset[date]] = {}

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        days = self._years.get(day.year)
        if days is None:
            days = self._years[day.year] = _year(day.year)
        return day in days


def _year(year: int) -> frozenset[date]:
    date(year, 1, 1) in _ENGLAND_AND_WALES  # noqa: B015 (asking for a day fills in its whole year)
    return frozenset(day for day in _ENGLAND_AND_WALES if day.year == year)


BANK_HOLIDAYS = _BankHolidays()


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS


def add_working_days(day: date, count: int) -> date:
    """The working day `count` working days after `day` (before it, for a negative count)."""
    step = timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


@functools.lru_cache(maxsize=64)
def _weekday_holidays(year: int) -> tuple[date, ...]:
    """That year's bank holidays that fall on a weekday, in order."""
    return tuple(sorted(d for d in _year(year) if d.weekday() < 5))


def working_days_between(start_on: date, end_on: date) -> int:
    """Working days after `start_on` up to and including `end_on`; 0 if end is not later.

    Counted, not walked: weekdays by whole weeks, less the weekday bank holidays in between,
    so a year-old item on a dashboard of thousands costs what a day-old one does.
    """
    if end_on <= start_on:
        return 0
    weeks, rest = divmod((end_on - start_on).days, 7)
    weekdays = weeks * 5 + sum(
        (start_on + timedelta(days=i)).weekday() < 5 for i in range(1, rest + 1)
    )
    holidays_between = 0
    for year in range(start_on.year, end_on.year + 1):
        days = _weekday_holidays(year)
        holidays_between += bisect.bisect_right(days, end_on) - bisect.bisect_right(days, start_on)
    return weekdays - holidays_between
