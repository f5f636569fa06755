"""Supervision cadence (DOMAIN.md, "Supervision"). Every expected date is worked out by hand from
the 2026 intake, which starts on Monday 7 September 2026: programme week n starts on the Monday
7 × (n − 1) days later (week 7 on 19 Oct 2026, week 26 on 1 Mar 2027, week 27 on 8 Mar 2027,
week 52 on 30 Aug 2027), until a pause moves it on.
"""

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest

from programmes.rules import CadencePhase, Pause, expected_end_on
from supervision.rules import (
    Compliance,
    DueSession,
    cadence_status,
    clock_days_after,
    compliance,
    counts_towards_cadence,
    next_working_day,
    sessions_owed,
)

ASYE = (CadencePhase(6, 7), CadencePhase(26, 14), CadencePhase(52, 28))
NQSW = (CadencePhase(52, 14),)
WALES_CP = (CadencePhase(26, 14), CadencePhase(156, 28))
START = date(2026, 9, 7)  # a Monday
ENDS = date(2027, 9, 7)  # 12 months full time (ASYE, NQSW)
EXTENDED = date(2027, 12, 7)  # the same programme with an extension
WALES_ENDS = date(2029, 9, 7)  # 36 months
PART_TIME_ENDS = expected_end_on(started_on=START, duration_months=12, fte=Decimal("0.6"))
# England and Wales bank holidays the cases below run into.
CHRISTMAS_2026 = {date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)}  # 28th: Boxing Day
MAY_2027 = {date(2027, 5, 3), date(2027, 5, 31)}
SUMMER_2027 = {date(2027, 8, 30)}


def status(*, last_held_on, on, phases=ASYE, ends_on=ENDS, pauses=(), non_working_days=()):
    return cadence_status(
        started_on=START,
        ends_on=ends_on,
        phases=phases,
        last_held_on=last_held_on,
        on=on,
        pauses=pauses,
        non_working_days=non_working_days,
    )


@pytest.mark.parametrize(
    ("phases", "ends_on", "last_held_on", "due_on"),
    [
        pytest.param(ASYE, ENDS, None, date(2026, 9, 14), id="asye-first-a-week-after-start"),
        pytest.param(ASYE, ENDS, START, date(2026, 9, 14), id="asye-session-on-the-first-day"),
        pytest.param(
            ASYE, ENDS, date(2026, 8, 28), date(2026, 9, 14), id="asye-session-before-start-ignored"
        ),
        pytest.param(ASYE, ENDS, date(2026, 10, 12), date(2026, 10, 19), id="asye-week-6-weekly"),
        pytest.param(
            ASYE, ENDS, date(2026, 10, 18), date(2026, 10, 25), id="asye-last-day-of-week-6-weekly"
        ),
        pytest.param(
            ASYE, ENDS, date(2026, 10, 19), date(2026, 11, 2), id="asye-week-7-fortnightly"
        ),
        pytest.param(
            ASYE, ENDS, date(2027, 3, 5), date(2027, 3, 19), id="asye-week-26-fortnightly"
        ),
        pytest.param(
            ASYE, ENDS, date(2027, 3, 7), date(2027, 3, 21), id="asye-last-day-of-week-26"
        ),
        pytest.param(ASYE, ENDS, date(2027, 3, 8), date(2027, 4, 5), id="asye-week-27-monthly"),
        pytest.param(
            ASYE, EXTENDED, date(2027, 8, 30), date(2027, 9, 27), id="asye-week-52-monthly"
        ),
        pytest.param(
            ASYE, EXTENDED, date(2027, 9, 13), date(2027, 10, 11), id="asye-extension-monthly"
        ),
        pytest.param(NQSW, ENDS, None, date(2026, 9, 21), id="nqsw-first-a-fortnight-after"),
        pytest.param(
            NQSW, ENDS, date(2026, 10, 12), date(2026, 10, 26), id="nqsw-week-6-fortnightly"
        ),
        pytest.param(
            NQSW, ENDS, date(2027, 3, 8), date(2027, 3, 22), id="nqsw-week-27-fortnightly"
        ),
        pytest.param(
            NQSW, EXTENDED, date(2027, 8, 30), date(2027, 9, 13), id="nqsw-week-52-fortnightly"
        ),
        pytest.param(
            NQSW, EXTENDED, date(2027, 9, 13), date(2027, 9, 27), id="nqsw-extension-fortnightly"
        ),
        pytest.param(WALES_CP, WALES_ENDS, None, date(2026, 9, 21), id="wales-first-a-fortnight"),
        pytest.param(
            WALES_CP,
            WALES_ENDS,
            date(2027, 3, 1),
            date(2027, 3, 15),
            id="wales-week-26-fortnightly",
        ),
        pytest.param(
            WALES_CP, WALES_ENDS, date(2027, 3, 8), date(2027, 4, 5), id="wales-week-27-monthly"
        ),
        pytest.param(
            WALES_CP, WALES_ENDS, date(2027, 9, 6), date(2027, 10, 4), id="wales-year-2-monthly"
        ),
    ],
)
def test_next_session_is_due_an_interval_after_the_last_in_the_phase_of_its_week(
    phases, ends_on, last_held_on, due_on
):
    on = max(last_held_on or START, START)
    result = status(last_held_on=last_held_on, on=on, phases=phases, ends_on=ends_on)
    assert result.next_due_on == due_on
    assert result.days_until_due == (due_on - on).days
    assert not result.is_overdue


def test_sessions_held_on_each_due_day_go_weekly_then_fortnightly_at_week_7():
    held = [date(2026, 9, 14), date(2026, 9, 21), date(2026, 9, 28)]
    held += [date(2026, 10, 5), date(2026, 10, 12), date(2026, 10, 19)]
    owed = sessions_owed(
        started_on=START, ends_on=ENDS, phases=ASYE, held_on=held, on=date(2026, 10, 19)
    )
    assert owed == [DueSession(day, day, day) for day in held] + [
        DueSession(date(2026, 11, 2), date(2026, 11, 2))
    ]


@pytest.mark.parametrize(
    ("last_held_on", "non_working_days", "due_on", "latest_on"),
    [
        pytest.param(
            date(2026, 10, 24), (), date(2026, 11, 7), date(2026, 11, 9), id="saturday-to-monday"
        ),
        pytest.param(
            date(2026, 10, 25), (), date(2026, 11, 8), date(2026, 11, 9), id="sunday-to-monday"
        ),
        pytest.param(
            date(2026, 12, 11),
            CHRISTMAS_2026,
            date(2026, 12, 25),
            date(2026, 12, 29),
            id="christmas-weekend-and-boxing-day-substitute-to-tuesday",
        ),
        pytest.param(
            date(2027, 8, 2),
            SUMMER_2027,
            date(2027, 8, 30),
            date(2027, 8, 31),
            id="summer-bank-holiday-to-tuesday",
        ),
        pytest.param(
            date(2027, 8, 2), (), date(2027, 8, 30), date(2027, 8, 30), id="working-day-itself"
        ),
    ],
)
def test_a_session_due_on_a_day_off_may_be_held_on_the_next_working_day(
    last_held_on, non_working_days, due_on, latest_on
):
    result = status(last_held_on=last_held_on, on=last_held_on, non_working_days=non_working_days)
    assert (result.next_due_on, result.latest_on) == (due_on, latest_on)


@pytest.mark.parametrize(
    ("last_held_on", "non_working_days", "on", "overdue_since", "days_overdue", "days_until_due"),
    [
        pytest.param(
            date(2026, 12, 11), CHRISTMAS_2026, date(2026, 12, 24), None, 0, 1, id="day-before-due"
        ),
        pytest.param(
            date(2026, 12, 11), CHRISTMAS_2026, date(2026, 12, 25), None, 0, 0, id="due-day"
        ),
        pytest.param(
            date(2026, 12, 11), CHRISTMAS_2026, date(2026, 12, 29), None, 0, -4, id="latest-day"
        ),
        pytest.param(
            date(2026, 12, 11),
            CHRISTMAS_2026,
            date(2026, 12, 30),
            date(2026, 12, 30),
            1,
            -5,
            id="day-after-latest-one-day-overdue",
        ),
        pytest.param(
            date(2026, 12, 11),
            CHRISTMAS_2026,
            date(2027, 1, 5),
            date(2026, 12, 30),
            7,
            -11,
            id="a-week-overdue",
        ),
        pytest.param(
            date(2026, 12, 11),
            (),
            date(2026, 12, 28),
            date(2026, 12, 26),
            3,
            -3,
            id="without-the-holidays-overdue-from-boxing-day",
        ),
        pytest.param(
            date(2026, 10, 24), (), date(2026, 11, 9), None, 0, -2, id="weekend-latest-monday"
        ),
        pytest.param(
            date(2026, 10, 24),
            (),
            date(2026, 11, 10),
            date(2026, 11, 10),
            1,
            -3,
            id="weekend-overdue-tuesday",
        ),
    ],
)
def test_a_session_is_overdue_only_from_the_day_after_its_latest_day(
    last_held_on, non_working_days, on, overdue_since, days_overdue, days_until_due
):
    result = status(last_held_on=last_held_on, on=on, non_working_days=non_working_days)
    assert result.is_overdue == (overdue_since is not None)
    assert result.overdue_since == overdue_since
    assert result.days_overdue == days_overdue
    assert result.days_until_due == days_until_due


@pytest.mark.parametrize(
    ("on", "due_now"),
    [
        pytest.param(date(2026, 12, 24), False, id="day-before-due"),
        pytest.param(date(2026, 12, 25), True, id="due-day"),
        pytest.param(date(2026, 12, 28), True, id="between-due-and-latest"),
        pytest.param(date(2026, 12, 29), True, id="latest-day"),
        pytest.param(date(2026, 12, 30), False, id="overdue-not-due-now"),
    ],
)
def test_a_session_is_due_now_from_its_due_day_to_its_latest_day(on, due_now):
    result = status(last_held_on=date(2026, 12, 11), on=on, non_working_days=CHRISTMAS_2026)
    assert result.is_due_now is due_now


def test_nothing_owed_is_never_due_now():
    assert not status(last_held_on=date(2027, 8, 11), on=date(2027, 9, 7)).is_due_now


@pytest.mark.parametrize(
    ("last_held_on", "pauses", "due_on"),
    [
        pytest.param(date(2026, 10, 19), [], date(2026, 11, 2), id="no-pause"),
        pytest.param(
            date(2026, 10, 19),
            [Pause(date(2026, 10, 26), date(2026, 11, 1))],
            date(2026, 11, 9),
            id="a-week-paused-before-due-moves-it-a-week",
        ),
        pytest.param(
            date(2026, 10, 19),
            [Pause(date(2026, 10, 26), date(2026, 10, 28))],
            date(2026, 11, 5),
            id="three-days-paused-move-it-three-days",
        ),
        pytest.param(
            date(2026, 10, 19),
            [Pause(date(2026, 11, 2), date(2026, 11, 4))],
            date(2026, 11, 5),
            id="pause-from-the-due-day-moves-it",
        ),
        pytest.param(
            date(2026, 10, 19),
            [Pause(date(2026, 11, 3), date(2026, 11, 10))],
            date(2026, 11, 2),
            id="pause-after-the-due-day-moves-nothing",
        ),
        pytest.param(
            date(2026, 10, 19),
            [
                Pause(date(2026, 10, 26), date(2026, 10, 30)),
                Pause(date(2026, 11, 4), date(2026, 11, 5)),
            ],
            date(2026, 11, 9),
            id="second-pause-reached-only-after-the-first",
        ),
        pytest.param(
            None, [Pause(date(2026, 9, 8), date(2026, 9, 10))], date(2026, 9, 17), id="first-week"
        ),
        pytest.param(
            date(2026, 10, 19),
            [Pause(date(2026, 9, 28), date(2026, 10, 4))],
            date(2026, 10, 26),
            id="a-paused-week-earlier-keeps-19-oct-in-week-6-weekly",
        ),
        pytest.param(
            date(2026, 10, 21),
            [Pause(date(2026, 10, 15), date(2026, 10, 17))],
            date(2026, 10, 28),
            id="three-paused-days-keep-wednesday-in-week-6",
        ),
        pytest.param(
            date(2026, 10, 22),
            [Pause(date(2026, 10, 15), date(2026, 10, 17))],
            date(2026, 11, 5),
            id="three-paused-days-start-week-7-on-thursday",
        ),
        pytest.param(
            date(2027, 3, 8),
            [Pause(date(2027, 1, 4), date(2027, 1, 10))],
            date(2027, 3, 22),
            id="a-paused-week-keeps-8-mar-in-week-26-fortnightly",
        ),
    ],
)
def test_a_pause_stops_the_clock_for_the_due_day_and_for_programme_weeks(
    last_held_on, pauses, due_on
):
    on = last_held_on or START
    assert status(last_held_on=last_held_on, on=on, pauses=pauses).next_due_on == due_on


@pytest.mark.parametrize(
    ("pause", "on", "due_on", "overdue_since"),
    [
        pytest.param(
            Pause(date(2026, 11, 1), date(2026, 11, 10)),
            date(2026, 11, 10),
            date(2026, 11, 12),
            None,
            id="open-pause-ending-today",
        ),
        pytest.param(
            Pause(date(2026, 11, 1), date(2026, 11, 25)),
            date(2026, 11, 25),
            date(2026, 11, 27),
            None,
            id="still-open-two-weeks-later",
        ),
        pytest.param(
            Pause(date(2026, 11, 1), date(2026, 11, 10)),
            date(2026, 11, 13),
            date(2026, 11, 12),
            date(2026, 11, 13),
            id="closed-pause-then-overdue-after-the-moved-day",
        ),
    ],
)
def test_a_pause_running_on_the_day_means_the_session_is_not_overdue(
    pause, on, due_on, overdue_since
):
    # Without the pause the session from 19 Oct was due on 2 Nov, overdue from 3 Nov.
    assert status(last_held_on=date(2026, 10, 19), on=on).is_overdue
    result = status(last_held_on=date(2026, 10, 19), on=on, pauses=[pause])
    assert result.next_due_on == due_on
    assert result.overdue_since == overdue_since


def test_a_part_time_programme_at_0_6_fte_ends_after_20_months():
    assert date(2028, 5, 7) == PART_TIME_ENDS


@pytest.mark.parametrize(
    ("last_held_on", "due_on"),
    [
        pytest.param(date(2026, 10, 12), date(2026, 10, 19), id="week-6-weekly"),
        pytest.param(date(2026, 10, 19), date(2026, 11, 2), id="week-7-fortnightly-not-stretched"),
        pytest.param(date(2027, 3, 8), date(2027, 4, 5), id="week-27-monthly-not-stretched"),
        pytest.param(date(2027, 8, 30), date(2027, 9, 27), id="after-the-full-time-end"),
        pytest.param(date(2027, 9, 13), date(2027, 10, 11), id="month-13-monthly"),
        pytest.param(date(2028, 4, 3), date(2028, 5, 1), id="month-19-monthly"),
        pytest.param(date(2028, 4, 10), None, id="nothing-after-the-part-time-end"),
    ],
)
def test_part_time_worker_keeps_the_calendar_rhythm_until_their_later_end(last_held_on, due_on):
    result = status(last_held_on=last_held_on, on=last_held_on, ends_on=PART_TIME_ENDS)
    assert result.next_due_on == due_on


@pytest.mark.parametrize(
    ("ends_on", "expected"),
    [
        pytest.param(PART_TIME_ENDS, Compliance(owed=3, held_on_time=3, held=3), id="part-time"),
        pytest.param(ENDS, Compliance(owed=0, held_on_time=0, held=3), id="full-time-has-ended"),
    ],
)
def test_part_time_worker_is_still_owed_monthly_sessions_after_month_12(ends_on, expected):
    held = [date(2027, 9, 6), date(2027, 10, 4), date(2027, 11, 1), date(2027, 11, 29)]
    result = compliance(
        started_on=START,
        ends_on=ends_on,
        phases=ASYE,
        held_on=held,
        window_starts_on=date(2027, 9, 7),
        on=date(2027, 12, 7),
    )
    assert result == expected


@pytest.mark.parametrize(
    ("last_held_on", "held_on", "met", "next_due"),
    [
        pytest.param(
            date(2026, 10, 19),
            date(2026, 11, 2),
            DueSession(date(2026, 11, 2), date(2026, 11, 2), date(2026, 11, 2)),
            DueSession(date(2026, 11, 16), date(2026, 11, 16)),
            id="on-the-due-day",
        ),
        pytest.param(
            date(2026, 10, 19),
            date(2026, 10, 30),
            DueSession(date(2026, 11, 2), date(2026, 11, 2), date(2026, 10, 30)),
            DueSession(date(2026, 11, 13), date(2026, 11, 13)),
            id="three-days-early-next-three-days-earlier",
        ),
        pytest.param(
            date(2026, 10, 19),
            date(2026, 10, 20),
            DueSession(date(2026, 11, 2), date(2026, 11, 2), date(2026, 10, 20)),
            DueSession(date(2026, 11, 3), date(2026, 11, 3)),
            id="the-next-day-however-early",
        ),
        pytest.param(
            date(2026, 10, 12),
            date(2026, 10, 16),
            DueSession(date(2026, 10, 19), date(2026, 10, 19), date(2026, 10, 16)),
            DueSession(date(2026, 10, 23), date(2026, 10, 23)),
            id="early-in-week-6-stays-weekly",
        ),
    ],
)
def test_a_session_held_early_meets_the_due_one_and_restarts_the_clock(
    last_held_on, held_on, met, next_due
):
    owed = sessions_owed(
        started_on=START,
        ends_on=ENDS,
        phases=ASYE,
        held_on=[held_on],
        on=held_on,
        anchor=last_held_on,
    )
    assert owed == [met, next_due]
    assert status(last_held_on=held_on, on=held_on).next_due == next_due


@pytest.mark.parametrize(
    ("last_held_on", "due_on"),
    [
        pytest.param(date(2027, 8, 9), date(2027, 9, 6), id="due-the-day-before-the-end"),
        pytest.param(date(2027, 8, 10), date(2027, 9, 7), id="due-on-the-last-day"),
        pytest.param(date(2027, 8, 11), None, id="would-fall-a-day-after-the-end"),
        pytest.param(date(2027, 8, 30), None, id="week-52-session-is-the-last"),
    ],
)
def test_in_the_last_weeks_a_session_is_owed_only_if_due_by_the_end(last_held_on, due_on):
    result = status(last_held_on=last_held_on, on=last_held_on)
    assert result.next_due_on == due_on


def test_nothing_owed_after_the_end_is_never_overdue():
    result = status(last_held_on=date(2027, 8, 11), on=date(2027, 12, 1))
    assert result.next_due is None
    assert (result.latest_on, result.overdue_since, result.days_until_due) == (None, None, None)
    assert not result.is_overdue
    assert result.days_overdue == 0


def test_sessions_owed_stop_when_the_programme_ends():
    owed = sessions_owed(
        started_on=START,
        ends_on=ENDS,
        phases=ASYE,
        held_on=[date(2027, 9, 6)],
        on=date(2027, 12, 1),
        anchor=date(2027, 8, 9),
    )
    assert owed == [DueSession(date(2027, 9, 6), date(2027, 9, 6), date(2027, 9, 6))]


@pytest.mark.parametrize(
    ("anchor", "held_on", "on", "non_working_days", "owed"),
    [
        pytest.param(
            None,
            [date(2026, 10, 1)],
            date(2026, 10, 6),
            (),
            [
                DueSession(date(2026, 9, 14), date(2026, 9, 14)),
                DueSession(date(2026, 9, 21), date(2026, 9, 21)),
                DueSession(date(2026, 9, 28), date(2026, 9, 28), date(2026, 10, 1)),
                DueSession(date(2026, 10, 8), date(2026, 10, 8)),
            ],
            id="three-weeks-missed-the-third-held-late-then-a-week-after-it",
        ),
        pytest.param(
            None,
            [],
            date(2026, 10, 6),
            (),
            [
                DueSession(date(2026, 9, 14), date(2026, 9, 14)),
                DueSession(date(2026, 9, 21), date(2026, 9, 21)),
                DueSession(date(2026, 9, 28), date(2026, 9, 28)),
                DueSession(date(2026, 10, 5), date(2026, 10, 5)),
                DueSession(date(2026, 10, 12), date(2026, 10, 12)),
            ],
            id="four-weeks-missed-none-held-the-fifth-still-open",
        ),
        pytest.param(
            date(2027, 3, 8),
            [date(2027, 5, 12)],
            date(2027, 5, 12),
            (),
            [
                DueSession(date(2027, 4, 5), date(2027, 4, 5)),
                DueSession(date(2027, 5, 3), date(2027, 5, 3), date(2027, 5, 12)),
                DueSession(date(2027, 6, 9), date(2027, 6, 9)),
            ],
            id="two-months-missed-the-second-held-late-then-a-month-after-it",
        ),
        pytest.param(
            date(2027, 3, 8),
            [],
            date(2027, 6, 1),
            MAY_2027,
            [
                DueSession(date(2027, 4, 5), date(2027, 4, 5)),
                DueSession(date(2027, 5, 3), date(2027, 5, 4)),
                DueSession(date(2027, 5, 31), date(2027, 6, 1)),
            ],
            id="monthly-rhythm-keeps-due-days-not-bank-holiday-latest-days",
        ),
        pytest.param(
            date(2026, 12, 11),
            [],
            date(2027, 1, 12),
            CHRISTMAS_2026,
            [
                DueSession(date(2026, 12, 25), date(2026, 12, 29)),
                DueSession(date(2027, 1, 8), date(2027, 1, 8)),
                DueSession(date(2027, 1, 22), date(2027, 1, 22)),
            ],
            id="fortnight-after-christmas-day-not-after-its-latest-day",
        ),
    ],
)
def test_missed_sessions_are_owed_an_interval_apart_until_one_is_held(
    anchor, held_on, on, non_working_days, owed
):
    result = sessions_owed(
        started_on=START,
        ends_on=ENDS,
        phases=ASYE,
        held_on=held_on,
        on=on,
        non_working_days=non_working_days,
        anchor=anchor,
    )
    assert result == owed


@pytest.mark.parametrize(
    ("on", "overdue_since", "days_overdue", "late_session_next_due_on"),
    [
        pytest.param(
            date(2027, 4, 6), date(2027, 4, 6), 1, date(2027, 5, 4), id="day-after-the-first"
        ),
        pytest.param(
            date(2027, 5, 4), date(2027, 4, 6), 29, date(2027, 6, 1), id="second-also-missed"
        ),
        pytest.param(
            date(2027, 6, 1), date(2027, 4, 6), 57, date(2027, 6, 29), id="third-also-missed"
        ),
    ],
)
def test_while_no_session_is_held_the_first_missed_one_stays_overdue(
    on, overdue_since, days_overdue, late_session_next_due_on
):
    result = status(last_held_on=date(2027, 3, 8), on=on)
    assert result.next_due_on == date(2027, 4, 5)
    assert (result.overdue_since, result.days_overdue) == (overdue_since, days_overdue)
    late = status(last_held_on=on, on=on)
    assert late.next_due_on == late_session_next_due_on
    assert not late.is_overdue


@pytest.mark.parametrize(
    ("held_on", "window_starts_on", "on", "pauses", "expected"),
    [
        pytest.param(
            [],
            START,
            date(2026, 10, 6),
            (),
            Compliance(owed=4, held_on_time=0, held=0),
            id="none-held-four-owed-four-missed",
        ),
        pytest.param(
            [date(2026, 10, 1)],
            START,
            date(2026, 10, 6),
            (),
            Compliance(owed=3, held_on_time=0, held=1),
            id="one-late-session-is-held-but-not-on-time",
        ),
        pytest.param(
            [date(2026, 9, 14), date(2026, 9, 21), date(2026, 9, 28), date(2026, 10, 5)],
            START,
            date(2026, 10, 6),
            (),
            Compliance(owed=4, held_on_time=4, held=4),
            id="all-on-time",
        ),
        pytest.param(
            [date(2026, 9, 14), date(2026, 9, 21), date(2026, 9, 28)],
            START,
            date(2026, 10, 5),
            (),
            Compliance(owed=3, held_on_time=3, held=3),
            id="due-today-and-not-held-is-not-yet-owed",
        ),
        pytest.param(
            [date(2026, 9, 14), date(2026, 9, 21), date(2026, 9, 28), date(2026, 10, 5)],
            START,
            date(2026, 10, 5),
            (),
            Compliance(owed=4, held_on_time=4, held=4),
            id="due-today-and-held-counts",
        ),
        pytest.param(
            [],
            date(2026, 10, 1),
            date(2026, 10, 6),
            (),
            Compliance(owed=1, held_on_time=0, held=0),
            id="dues-before-the-window-not-counted",
        ),
        pytest.param(
            [date(2026, 10, 19), date(2026, 10, 30), date(2026, 11, 13), date(2026, 11, 27)],
            date(2026, 11, 1),
            date(2026, 11, 30),
            (),
            Compliance(owed=2, held_on_time=2, held=2),
            id="session-before-the-window-decides-the-first-due-day",
        ),
        # 2 November is missed; 13 November is held late against it, so 16 November is not owed.
        pytest.param(
            [date(2026, 10, 19), date(2026, 11, 13), date(2026, 11, 27)],
            date(2026, 11, 1),
            date(2026, 11, 30),
            (),
            Compliance(owed=2, held_on_time=1, held=2),
            id="without-it-2-nov-is-owed-and-held-late-on-13-nov",
        ),
        # Fortnightly: due 2 November (held), 16 November (held on the 17th, a day late), then
        # 1 December, a fortnight after the late session (held); 15 December is not yet owed.
        pytest.param(
            [date(2026, 11, 2), date(2026, 11, 17), date(2026, 12, 1)],
            date(2026, 11, 1),
            date(2026, 12, 10),
            (),
            Compliance(owed=3, held_on_time=2, held=3),
            id="a-late-session-is-held-not-on-time-and-the-clock-restarts-from-it",
        ),
        # Due 2 November (held on the 3rd), 17 November (held on the 18th), 2 December (held).
        pytest.param(
            [date(2026, 10, 19), date(2026, 11, 3), date(2026, 11, 18), date(2026, 12, 2)],
            date(2026, 11, 1),
            date(2026, 12, 10),
            (),
            Compliance(owed=3, held_on_time=1, held=3),
            id="two-late-in-a-row",
        ),
        # Due 2 November (missed), 16 November and 30 November (both held on the day).
        pytest.param(
            [date(2026, 10, 19), date(2026, 11, 16), date(2026, 11, 30)],
            date(2026, 11, 1),
            date(2026, 12, 10),
            (),
            Compliance(owed=3, held_on_time=2, held=2),
            id="a-missed-session-then-the-next-on-time",
        ),
        # A week paused moves the session due 16 November to the 23rd: all three on time.
        pytest.param(
            [date(2026, 10, 19), date(2026, 11, 2), date(2026, 11, 23), date(2026, 12, 7)],
            date(2026, 11, 1),
            date(2026, 12, 10),
            (Pause(date(2026, 11, 9), date(2026, 11, 15)),),
            Compliance(owed=3, held_on_time=3, held=3),
            id="a-pause-inside-the-window-moves-the-due-day",
        ),
        # The same sessions without the pause: 16 November missed, held late on the 23rd.
        pytest.param(
            [date(2026, 10, 19), date(2026, 11, 2), date(2026, 11, 23), date(2026, 12, 7)],
            date(2026, 11, 1),
            date(2026, 12, 10),
            (),
            Compliance(owed=3, held_on_time=2, held=3),
            id="without-the-pause-the-23rd-is-late",
        ),
    ],
)
def test_compliance_counts_sessions_owed_in_the_window_and_those_held_on_time(
    held_on, window_starts_on, on, pauses, expected
):
    result = compliance(
        started_on=START,
        ends_on=ENDS,
        phases=ASYE,
        held_on=held_on,
        window_starts_on=window_starts_on,
        on=on,
        pauses=pauses,
    )
    assert result == expected
    assert result.missed == expected.owed - expected.held_on_time


@pytest.mark.parametrize(
    ("anchor", "held_on", "on", "owed"),
    [
        pytest.param(
            date(2026, 10, 19),
            [date(2026, 11, 2), date(2026, 11, 17)],
            date(2026, 11, 17),
            [
                DueSession(date(2026, 11, 2), date(2026, 11, 2), date(2026, 11, 2)),
                DueSession(date(2026, 11, 16), date(2026, 11, 16), date(2026, 11, 17)),
                DueSession(date(2026, 12, 1), date(2026, 12, 1)),
            ],
            id="a-day-late",
        ),
        pytest.param(
            date(2026, 10, 19),
            [date(2026, 11, 3), date(2026, 11, 18)],
            date(2026, 11, 18),
            [
                DueSession(date(2026, 11, 2), date(2026, 11, 2), date(2026, 11, 3)),
                DueSession(date(2026, 11, 17), date(2026, 11, 17), date(2026, 11, 18)),
                DueSession(date(2026, 12, 2), date(2026, 12, 2)),
            ],
            id="two-late-in-a-row",
        ),
        pytest.param(
            date(2026, 10, 24),
            [date(2026, 11, 10)],
            date(2026, 11, 10),
            [
                DueSession(date(2026, 11, 7), date(2026, 11, 9), date(2026, 11, 10)),
                DueSession(date(2026, 11, 24), date(2026, 11, 24)),
            ],
            id="late-after-the-monday-a-saturday-due-day-allows",
        ),
        pytest.param(
            date(2026, 10, 19),
            [date(2026, 11, 20)],
            date(2026, 11, 20),
            [
                DueSession(date(2026, 11, 2), date(2026, 11, 2)),
                DueSession(date(2026, 11, 16), date(2026, 11, 16), date(2026, 11, 20)),
                DueSession(date(2026, 12, 4), date(2026, 12, 4)),
            ],
            id="two-missed-the-second-held-late",
        ),
    ],
)
def test_a_late_session_is_held_not_on_time_and_the_next_is_the_one_the_cadence_names(
    anchor, held_on, on, owed
):
    result = sessions_owed(
        started_on=START, ends_on=ENDS, phases=ASYE, held_on=held_on, on=on, anchor=anchor
    )
    assert result == owed
    late = result[-2]
    assert late.held_on is not None and not late.held_on_time
    assert result[-1] == status(last_held_on=held_on[-1], on=on).next_due
    # Nothing was held early, so no two sessions are owed closer than a fortnight.
    gaps = [(later.due_on - earlier.due_on).days for earlier, later in pairwise(result)]
    assert min(gaps) >= 14


@pytest.mark.parametrize(
    ("minutes", "is_group", "group_sessions_count", "counts"),
    [
        pytest.param(90, False, False, True, id="exactly-the-minimum"),
        pytest.param(89, False, False, False, id="a-minute-short"),
        pytest.param(120, False, False, True, id="longer"),
        pytest.param(90, True, False, False, id="group-not-allowed"),
        pytest.param(90, True, True, True, id="group-allowed"),
        pytest.param(89, True, True, False, id="group-allowed-but-short"),
        pytest.param(90, False, True, True, id="one-to-one-where-groups-allowed"),
    ],
)
def test_a_session_counts_if_long_enough_and_group_only_where_allowed(
    minutes, is_group, group_sessions_count, counts
):
    result = counts_towards_cadence(
        minutes=minutes,
        is_group=is_group,
        minimum_minutes=90,
        group_sessions_count=group_sessions_count,
    )
    assert result is counts


@pytest.mark.parametrize(
    ("anchor", "days", "pauses", "landed"),
    [
        pytest.param(date(2026, 10, 19), 14, [], date(2026, 11, 2), id="no-pause"),
        pytest.param(
            date(2026, 10, 19),
            14,
            [Pause(date(2026, 10, 1), date(2026, 10, 18))],
            date(2026, 11, 2),
            id="pause-ending-before-the-anchor",
        ),
        pytest.param(
            date(2026, 10, 19),
            14,
            [Pause(date(2026, 10, 10), date(2026, 10, 21))],
            date(2026, 11, 4),
            id="only-days-after-the-anchor-count",
        ),
        pytest.param(
            date(2026, 10, 19),
            14,
            [Pause(date(2026, 11, 2), date(2026, 11, 2))],
            date(2026, 11, 3),
            id="paused-on-the-landing-day",
        ),
        pytest.param(
            date(2026, 10, 19),
            14,
            [Pause(date(2026, 11, 3), date(2026, 11, 30))],
            date(2026, 11, 2),
            id="pause-after-landing",
        ),
        pytest.param(
            date(2026, 10, 19),
            14,
            [
                Pause(date(2026, 11, 4), date(2026, 11, 5)),
                Pause(date(2026, 10, 26), date(2026, 10, 30)),
            ],
            date(2026, 11, 9),
            id="pauses-in-any-order",
        ),
    ],
)
def test_clock_days_after_skips_days_paused_after_the_anchor(anchor, days, pauses, landed):
    assert clock_days_after(anchor, days, pauses) == landed


@pytest.mark.parametrize(
    ("day", "non_working_days", "working_day"),
    [
        pytest.param(date(2026, 11, 6), (), date(2026, 11, 6), id="friday-itself"),
        pytest.param(date(2026, 11, 7), (), date(2026, 11, 9), id="saturday-to-monday"),
        pytest.param(date(2026, 11, 8), (), date(2026, 11, 9), id="sunday-to-monday"),
        pytest.param(
            date(2026, 12, 25), CHRISTMAS_2026, date(2026, 12, 29), id="christmas-to-tuesday"
        ),
        pytest.param(date(2027, 1, 1), CHRISTMAS_2026, date(2027, 1, 4), id="new-year-to-monday"),
        pytest.param(date(2027, 8, 30), SUMMER_2027, date(2027, 8, 31), id="bank-holiday-monday"),
    ],
)
def test_next_working_day_skips_weekends_and_bank_holidays(day, non_working_days, working_day):
    assert next_working_day(day, non_working_days) == working_day
