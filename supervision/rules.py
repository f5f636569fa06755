"""Supervision cadence: when an enrolment is next owed a session, and whether it is overdue.

Holds DOMAIN.md, section "Supervision": each programme's cadence phases (weekly, then fortnightly,
then monthly for the ASYE) and minimum session length; part-time workers keep the calendar rhythm
(phases are programme weeks, never stretched by FTE); group sessions count only if the programme
allows. A pause stops the clock, as it does for every programme date. Rules arrive as data;
nothing here touches the database or the clock.

The promise, in one sentence: after each session that counts (or the start), the next is due
`interval_days` later, the interval being the one in force in the programme week of that session;
if that day is not a working day, it may still be held on the next working day; a day later it is
overdue, and until a session is held the worker is owed another every interval after that. A
session held after that latest day is held late, not on time, and the clock restarts from it.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from programmes.rules import CadencePhase, Pause, phase_for_week, programme_week

# DOMAIN.md does not set these; they are what a supervisor would accept as a real session:
# under a quarter of an hour is a conversation in a corridor, over a working day is a slip.
SHORTEST_MINUTES = 15
LONGEST_MINUTES = 8 * 60
ONE_DAY = timedelta(days=1)


def counts_towards_cadence(
    *, minutes: int, is_group: bool, minimum_minutes: int, group_sessions_count: bool
) -> bool:
    """A session counts if it lasts at least the minimum and, if a group, the programme allows."""
    return minutes >= minimum_minutes and (group_sessions_count or not is_group)


def is_working_day(day: date, non_working_days: Container[date] = ()) -> bool:
    return day.weekday() < 5 and day not in non_working_days


def next_working_day(day: date, non_working_days: Container[date] = ()) -> date:
    """`day` itself if people work that day, otherwise the first working day after it."""
    while not is_working_day(day, non_working_days):
        day += ONE_DAY
    return day


def clock_days_after(anchor: date, days: int, pauses: Iterable[Pause]) -> date:
    """The day `days` running days after `anchor`: paused days after the anchor do not count."""
    landed = anchor + timedelta(days=days)
    for pause in sorted(pauses, key=lambda p: p.starts_on):
        stopped_from = max(pause.starts_on, anchor + ONE_DAY)
        if stopped_from <= pause.ends_on and stopped_from <= landed:
            landed += timedelta(days=(pause.ends_on - stopped_from).days + 1)
    return landed


def interval_at(
    anchor: date, *, started_on: date, phases: Sequence[CadencePhase], pauses: Sequence[Pause]
) -> int:
    """The interval in force in the programme week of `anchor` (week 1 for the start)."""
    week = max(1, programme_week(started_on=started_on, on=anchor, pauses=pauses))
    return phase_for_week(phases, week).interval_days


@dataclass(frozen=True)
class DueSession:
    """One session the worker was owed: when, the last day it could be held, and when it was."""

    due_on: date
    latest_on: date
    held_on: date | None = None

    @property
    def overdue_from(self) -> date:
        return self.latest_on + ONE_DAY

    @property
    def held_on_time(self) -> bool:
        """Held by its latest day; a session held after it is held late, and does not meet it."""
        return self.held_on is not None and self.held_on <= self.latest_on


def next_due_after(
    anchor: date,
    *,
    started_on: date,
    ends_on: date,
    phases: Sequence[CadencePhase],
    pauses: Sequence[Pause] = (),
    non_working_days: Container[date] = (),
) -> DueSession | None:
    """The session owed after `anchor`; None when the programme ends before it falls due."""
    interval = interval_at(anchor, started_on=started_on, phases=phases, pauses=pauses)
    due_on = clock_days_after(anchor, interval, pauses)
    if due_on > ends_on:
        return None
    return DueSession(due_on, next_working_day(due_on, non_working_days))


def sessions_owed(
    *,
    started_on: date,
    ends_on: date,
    phases: Sequence[CadencePhase],
    held_on: Iterable[date],
    on: date,
    pauses: Sequence[Pause] = (),
    non_working_days: Container[date] = (),
    anchor: date | None = None,
) -> list[DueSession]:
    """Every session owed from `anchor` (default: the start) up to `on`, and how each was met.

    `held_on` are the days of sessions that count. A session held on or before a due session's
    latest day meets it, however early. A due session not met by its latest day is missed: if a
    session is then held before the next falls due (an interval after the missed one was due),
    it is held late against the missed one, not on time, and the next is not owed. Every
    session restarts the clock, as `cadence_status` has it, so a late one never leaves two
    sessions owed closer than the interval. The list ends with the first session still open
    (its latest day not yet passed), or earlier when the programme ends first.
    """
    anchor = anchor or started_on
    held = sorted({day for day in held_on if anchor < day <= on})
    position = 0
    owed: list[DueSession] = []

    def due_after(day: date) -> DueSession | None:
        return next_due_after(
            day,
            started_on=started_on,
            ends_on=ends_on,
            phases=phases,
            pauses=pauses,
            non_working_days=non_working_days,
        )

    due = due_after(anchor)
    while due is not None:  # None: the programme ends before another session falls due
        next_held = held[position] if position < len(held) else None
        if next_held is None or next_held > due.latest_on:
            if due.latest_on >= on:
                owed.append(due)  # still open
                break
            # Missed. Until a session is held, another is owed an interval after this one was
            # due; a session held before that one falls due is held late, against this one.
            following = due_after(due.due_on)
            if next_held is None or (following is not None and next_held >= following.due_on):
                owed.append(due)
                due = following
                continue
        owed.append(replace(due, held_on=next_held))  # on time, however early, or late
        position += 1
        due = due_after(next_held)  # every session restarts the clock
    return owed


@dataclass(frozen=True)
class CadenceStatus:
    """Where an enrolment stands on a day. `next_due` is None when nothing more is owed."""

    next_due: DueSession | None
    on: date

    @property
    def next_due_on(self) -> date | None:
        return self.next_due.due_on if self.next_due else None

    @property
    def latest_on(self) -> date | None:
        return self.next_due.latest_on if self.next_due else None

    @property
    def is_overdue(self) -> bool:
        return self.next_due is not None and self.on > self.next_due.latest_on

    @property
    def overdue_since(self) -> date | None:
        return self.next_due.overdue_from if self.is_overdue and self.next_due else None

    @property
    def days_overdue(self) -> int:
        since = self.overdue_since
        return (self.on - since).days + 1 if since else 0

    @property
    def days_until_due(self) -> int | None:
        return (self.next_due.due_on - self.on).days if self.next_due else None

    @property
    def is_due_now(self) -> bool:
        """From its due day to its latest day: to be held now, not yet overdue."""
        due = self.next_due
        return due is not None and due.due_on <= self.on <= due.latest_on


def cadence_status(
    *,
    started_on: date,
    ends_on: date,
    phases: Sequence[CadencePhase],
    last_held_on: date | None,
    on: date,
    pauses: Sequence[Pause] = (),
    non_working_days: Container[date] = (),
) -> CadenceStatus:
    """When the next session is due after the last one that counts, and whether it is overdue.

    Only the last session matters: every session restarts the clock. When sessions stop, the
    first one missed is the one overdue, and it stays the one named until a session is held.
    """
    anchor = last_held_on if last_held_on and last_held_on >= started_on else started_on
    # Only the first session owed after the anchor is needed, so no walk to `on`.
    due = next_due_after(
        anchor,
        started_on=started_on,
        ends_on=ends_on,
        phases=phases,
        pauses=pauses,
        non_working_days=non_working_days,
    )
    return CadenceStatus(next_due=due, on=on)


@dataclass(frozen=True)
class Compliance:
    """Over a window: sessions owed whose day has come, and how many were held on time."""

    owed: int
    held_on_time: int
    held: int

    @property
    def missed(self) -> int:
        return self.owed - self.held_on_time


def compliance(
    *,
    started_on: date,
    ends_on: date,
    phases: Sequence[CadencePhase],
    held_on: Sequence[date],
    window_starts_on: date,
    on: date,
    pauses: Sequence[Pause] = (),
    non_working_days: Container[date] = (),
) -> Compliance:
    """Sessions owed with a due day inside the window, counting one still open only once held.

    `held_on` must include the last session before the window, which decides the first due day.
    """
    owed = sessions_owed(
        started_on=started_on,
        ends_on=ends_on,
        phases=phases,
        held_on=held_on,
        on=on,
        pauses=pauses,
        non_working_days=non_working_days,
        anchor=_window_anchor(held_on, started_on=started_on, window_starts_on=window_starts_on),
    )
    return _in_window(owed, held_on=held_on, window_starts_on=window_starts_on, on=on)


def compliance_by_window(
    *,
    started_on: date,
    ends_on: date,
    phases: Sequence[CadencePhase],
    held_on: Sequence[date],
    window_starts_on: Sequence[date],
    on: date,
    pauses: Sequence[Pause] = (),
    non_working_days: Container[date] = (),
) -> list[Compliance]:
    """`compliance` from each of several window starts to `on`, from one walk of the sessions
    owed rather than one walk per window.

    Every session restarts the clock, so the walk from a later window's anchor (the last
    session before that window) is the rest of the walk from an earlier anchor, after the due
    session that one met. `held_on` must include the last session before the earliest window.
    """
    anchors = [
        _window_anchor(held_on, started_on=started_on, window_starts_on=window_start)
        for window_start in window_starts_on
    ]
    if not anchors:
        return []

    def walk(anchor: date) -> list[DueSession]:
        return sessions_owed(
            started_on=started_on,
            ends_on=ends_on,
            phases=phases,
            held_on=held_on,
            on=on,
            pauses=pauses,
            non_working_days=non_working_days,
            anchor=anchor,
        )

    first = min(anchors)
    whole = walk(first)
    met_at = {due.held_on: index for index, due in enumerate(whole) if due.held_on is not None}
    found = []
    for window_start, anchor in zip(window_starts_on, anchors, strict=True):
        if anchor == first:
            owed = whole
        elif anchor in met_at:
            owed = whole[met_at[anchor] + 1 :]
        else:
            owed = walk(anchor)  # the programme ended before the walk reached this session
        found.append(_in_window(owed, held_on=held_on, window_starts_on=window_start, on=on))
    return found


def _window_anchor(held_on: Iterable[date], *, started_on: date, window_starts_on: date) -> date:
    """The last session before the window, which decides its first due day; else the start."""
    earlier = [day for day in held_on if started_on <= day < window_starts_on]
    return max(earlier) if earlier else started_on


def _in_window(
    owed: Sequence[DueSession], *, held_on: Sequence[date], window_starts_on: date, on: date
) -> Compliance:
    in_window = [
        due
        for due in owed
        if window_starts_on <= due.due_on <= on and (due.held_on or due.latest_on < on)
    ]
    return Compliance(
        owed=len(in_window),
        held_on_time=sum(1 for due in in_window if due.held_on_time),
        held=sum(1 for day in held_on if window_starts_on <= day <= on),
    )
