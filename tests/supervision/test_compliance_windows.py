"""One walk for many windows agrees with working each window out on its own (`compliance`)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from programmes.rules import CadencePhase, Pause
from supervision.rules import Compliance, compliance, compliance_by_window

START = date(2026, 9, 7)
ASYE = (CadencePhase(6, 7), CadencePhase(26, 14), CadencePhase(52, 28))
HOLIDAYS = {date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1), date(2027, 5, 3)}

phase_lists = st.lists(
    st.tuples(st.integers(min_value=1, max_value=20), st.integers(min_value=1, max_value=35)),
    min_size=1,
    max_size=3,
).map(
    # Each phase ends later than the one before; intervals may shrink as well as grow.
    lambda rows: tuple(
        CadencePhase(sum(length for length, _ in rows[: n + 1]), interval)
        for n, (_, interval) in enumerate(rows)
    )
)


@st.composite
def cases(draw):
    phases = draw(st.one_of(st.just(ASYE), phase_lists))
    ends_on = START + timedelta(days=draw(st.integers(min_value=20, max_value=500)))
    on = START + timedelta(days=draw(st.integers(min_value=0, max_value=560)))
    held_on = sorted(
        {START + timedelta(days=d) for d in draw(st.lists(st.integers(-10, 560), max_size=40))}
    )
    pauses = []
    for offset, length in draw(
        st.lists(st.tuples(st.integers(0, 400), st.integers(0, 40)), max_size=2)
    ):
        starts_on = START + timedelta(days=offset)
        pauses.append(Pause(starts_on, starts_on + timedelta(days=length)))
    window_starts_on = sorted(
        {START + timedelta(days=d) for d in draw(st.lists(st.integers(-40, 560), max_size=13))}
    )
    pauses.sort(key=lambda pause: pause.starts_on)
    return phases, ends_on, on, held_on, tuple(pauses), window_starts_on


@settings(max_examples=400, deadline=None)
@given(cases())
def test_one_walk_gives_each_windows_compliance(case):
    phases, ends_on, on, held_on, pauses, window_starts_on = case
    terms = {
        "started_on": START,
        "ends_on": ends_on,
        "phases": phases,
        "held_on": held_on,
        "on": on,
        "pauses": pauses,
        "non_working_days": HOLIDAYS,
    }
    expected = [compliance(window_starts_on=start, **terms) for start in window_starts_on]
    assert compliance_by_window(window_starts_on=window_starts_on, **terms) == expected


def test_a_session_held_early_for_a_due_day_in_the_next_window_counts_in_neither():
    # Fortnightly from 7 September: due on Monday 19 October; held early on Friday 16 October,
    # the last session before the window that starts on the 17th, so the window's first due
    # day is two weeks after it (30 October).
    held_on = [date(2026, 10, 16), date(2026, 10, 30)]
    fortnightly = (CadencePhase(52, 14),)
    terms = {
        "started_on": START,
        "ends_on": date(2027, 9, 7),
        "phases": fortnightly,
        "held_on": held_on,
        "on": date(2026, 11, 2),
    }
    found = compliance_by_window(window_starts_on=[date(2026, 10, 1), date(2026, 10, 17)], **terms)
    assert found == [
        compliance(window_starts_on=date(2026, 10, 1), **terms),
        compliance(window_starts_on=date(2026, 10, 17), **terms),
    ]
    assert found[1] == Compliance(owed=1, held_on_time=1, held=1)
