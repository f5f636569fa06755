"""Working days in England and Wales: weekdays that are not bank holidays.

The bank holidays come from the `holidays` package (offline data, every year), never a typed list.
Supervision due dates use it; reminders count working days with it too.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays

# England and Wales share their bank holidays; Scotland and Northern Ireland differ.
BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG")


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
