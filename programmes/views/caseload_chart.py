"""The caseload history as its page shows it: each figure against its cap in words, and the
coordinates of a chart drawn on the server (the template only draws; no script)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programmes import rules
from programmes.selectors import caseloads as selectors


def _over_words(open_cases: int, cap: rules.CaseloadCap | None, exceeded: Sequence[str]) -> str:
    """The state of one day's figures in words: what is over, and by how much."""
    if cap is None:
        return _("Paused: no cap applies")
    if not exceeded:
        return _("Within the cap")
    words = []
    if "open-cases" in exceeded:
        over = open_cases - cap.open_cases
        words.append(
            ngettext("Over the cap by %(count)s case", "Over the cap by %(count)s cases", over)
            % {"count": over}
        )
    if "child-protection" in exceeded:
        words.append(_("over the child-protection limit"))
    if "complex" in exceeded:
        words.append(_("over the complex-case limit"))
    text = "; ".join(words)
    return text[:1].upper() + text[1:]


def latest_state(latest: selectors.LatestCaseload) -> str:
    """The latest figures against the cap of their day, in the words of the caseload table."""
    return _over_words(latest.open_cases, latest.cap, latest.exceeded)


@dataclass(frozen=True)
class CaseloadRow:
    """One line of the caseload table: a day's figures beside the cap in force, in words."""

    as_of: date
    open_cases: int
    cap: int | None
    child_protection_cases: int
    child_protection_limit: int | None
    complex_cases: int | None
    complex_limit: int | None
    is_paused: bool
    is_over: bool
    state: str


def caseload_row(point: selectors.CaseloadPoint) -> CaseloadRow:
    snapshot, cap = point.snapshot, point.cap
    return CaseloadRow(
        as_of=snapshot.as_of,
        open_cases=snapshot.open_cases,
        cap=cap.open_cases if cap else None,
        child_protection_cases=snapshot.child_protection_cases,
        child_protection_limit=cap.child_protection_lead if cap else None,
        complex_cases=snapshot.complex_cases,
        complex_limit=cap.complex_lead if cap else None,
        is_paused=cap is None,
        is_over=point.is_over,
        state=_over_words(snapshot.open_cases, cap, point.exceeded),
    )


# The chart's drawing box, in SVG user units; the plot sits inside the margins.
CHART_WIDTH, CHART_HEIGHT = 640, 320
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 48, 592, 44, 272


def _number(value: float) -> str:
    """A coordinate as SVG reads it, whatever the language's decimal separator."""
    return f"{value:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class Tick:
    position: str
    value: int | date


@dataclass(frozen=True)
class Marker:
    x: str
    y: str
    square_x: str  # over the cap: a square, not a circle, so colour is not the only sign
    square_y: str
    row: CaseloadRow


@dataclass(frozen=True)
class Chart:
    """Coordinates for the caseload chart, worked out here so the template only draws."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    y_label_x: int
    x_label_y: int
    cases_line: str
    cap_path: str
    markers: list[Marker]
    y_ticks: list[Tick]
    x_ticks: list[Tick]


def _tick_step(highest: int) -> int:
    return next((step for step in (1, 2, 5, 10, 20, 50, 100) if highest / step <= 6), 200)


def caseload_chart(rows: Sequence[CaseloadRow]) -> Chart | None:
    """Open cases as a line with a marker per figure, the cap as a step line (broken while
    paused), on axes from 0 that leave room above the higher of the two."""
    if not rows:
        return None
    first, last = rows[0].as_of, rows[-1].as_of
    span_days = (last - first).days
    highest = max(max(row.open_cases for row in rows), max(row.cap or 0 for row in rows), 1)
    step = _tick_step(highest)
    top_value = step * math.ceil((highest + 1) / step)

    def x(day: date) -> float:
        if not span_days:
            return (PLOT_LEFT + PLOT_RIGHT) / 2
        return PLOT_LEFT + (day - first).days / span_days * (PLOT_RIGHT - PLOT_LEFT)

    def y(value: int) -> float:
        return PLOT_BOTTOM - value / top_value * (PLOT_BOTTOM - PLOT_TOP)

    markers = [
        Marker(
            x=_number(x(row.as_of)),
            y=_number(y(row.open_cases)),
            square_x=_number(x(row.as_of) - 6),
            square_y=_number(y(row.open_cases) - 6),
            row=row,
        )
        for row in rows
    ]
    # The cap as runs of figures with a cap; a pause (no cap) ends a run.
    runs: list[list[CaseloadRow]] = [[]]
    for row in rows:
        if row.cap is None:
            runs.append([])
        else:
            runs[-1].append(row)
    cap_path = []
    for run in filter(None, runs):
        start = run[0]
        if not span_days:  # one day's figures: the cap across the whole width
            cap_path.append(f"M {PLOT_LEFT} {_number(y(start.cap))} H {PLOT_RIGHT}")
            continue
        if len(run) == 1:  # a lone figure between pauses: a short stretch of cap, to be seen
            left, right = _number(x(start.as_of) - 8), _number(x(start.as_of) + 8)
            cap_path.append(f"M {left} {_number(y(start.cap))} H {right}")
            continue
        cap_path.append(f"M {_number(x(start.as_of))} {_number(y(start.cap))}")
        for previous, row in pairwise(run):
            # The cap held until this figure, then steps to the one in force on its day.
            step_to = f" V {_number(y(row.cap))}" if row.cap != previous.cap else ""
            cap_path.append(f"H {_number(x(row.as_of))}{step_to}")
    # At most five dates along the bottom, always the first and the last.
    count = min(len(rows), 5)
    picked = sorted({round(i * (len(rows) - 1) / max(count - 1, 1)) for i in range(count)})
    return Chart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        left=PLOT_LEFT,
        right=PLOT_RIGHT,
        top=PLOT_TOP,
        bottom=PLOT_BOTTOM,
        y_label_x=PLOT_LEFT - 8,
        x_label_y=PLOT_BOTTOM + 24,
        cases_line=" ".join(f"{marker.x},{marker.y}" for marker in markers),
        cap_path=" ".join(cap_path),
        markers=markers,
        y_ticks=[Tick(_number(y(value)), value) for value in range(0, top_value + 1, step)],
        x_ticks=[Tick(_number(x(rows[i].as_of)), rows[i].as_of) for i in picked],
    )
