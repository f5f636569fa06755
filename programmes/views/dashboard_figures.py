"""The cohort figures page: the dashboard's filters, its enrolments counted, each figure as a
chart drawn on the server (no script) with the same numbers in a table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from people.models import Role
from programmes.dashboard.figures import CohortFigures, cohort_figures
from programmes.forms_dashboard import DashboardFilterForm
from programmes.models import Enrolment
from programmes.selectors.figures import Month
from programmes.views.cached import kept_page, render_body

# The drawing box of every bar chart, in SVG user units: labels on the left, bars to the right.
CHART_WIDTH = 640
BARS_LEFT, BARS_RIGHT = 180, 540
LEGEND_HEIGHT = 32  # above the bars, when there is more than one series
BAR_HEIGHT, ROW_GAP = 18, 10


def _number(value: float) -> str:
    """A coordinate as SVG reads it, whatever the language's decimal separator."""
    return f"{value:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class Series:
    name: str
    solid: bool  # the second series is outlined, so colour is not the only difference
    legend_x: int


@dataclass(frozen=True)
class Bar:
    y: str
    width: str
    text_x: str
    text_y: str
    text: str  # the value in words, drawn at the end of the bar
    solid: bool


@dataclass(frozen=True)
class BarRow:
    label: str
    label_y: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one group per row, worked out here so the template only draws."""

    key: str  # ids of the title and description
    title: str
    description: str
    width: int
    height: int
    top: int
    left: int
    label_x: int
    series: tuple[Series, ...]
    rows: tuple[BarRow, ...]


def bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    series: Sequence[str],
    rows: Sequence[tuple[str, Sequence[tuple[float | None, str]]]],
    highest: float | None = None,
) -> BarChart:
    """`rows` are (label, one (value, value in words) per series); a None value draws no bar
    but still its words, such as "nothing owed". Bars scale to `highest`, else the largest."""
    values = [value for _label, cells in rows for value, _text in cells if value is not None]
    scale_to = highest or max([*values, 1])
    group_height = BAR_HEIGHT * len(series) + ROW_GAP
    chart_top = LEGEND_HEIGHT if len(series) > 1 else 4
    built = []
    for index, (label, cells) in enumerate(rows):
        group_top = chart_top + index * group_height
        bars = []
        for position, (value, text) in enumerate(cells):
            y = group_top + position * BAR_HEIGHT
            width = (value or 0) / scale_to * (BARS_RIGHT - BARS_LEFT)
            bars.append(
                Bar(
                    y=_number(y + 2),
                    width=_number(width),
                    text_x=_number(BARS_LEFT + width + 6),
                    text_y=_number(y + BAR_HEIGHT - 4),
                    text=text,
                    solid=position == 0,
                )
            )
        middle = group_top + (group_height - ROW_GAP) / 2 + 5
        built.append(BarRow(label=label, label_y=_number(middle), bars=tuple(bars)))
    return BarChart(
        key=key,
        title=title,
        description=description,
        width=CHART_WIDTH,
        height=chart_top + len(rows) * group_height + 4,
        top=chart_top,
        left=BARS_LEFT,
        label_x=BARS_LEFT - 8,
        series=tuple(
            Series(name=name, solid=position == 0, legend_x=BARS_LEFT + position * 200)
            for position, name in enumerate(series)
        ),
        rows=tuple(built),
    )


def month_label(month: Month) -> str:
    if month.is_to_date:
        return _("%(month)s to date") % {"month": date_format(month.starts_on, "M Y")}
    return date_format(month.starts_on, "M Y")


def outcome_rows(figures: CohortFigures) -> list[tuple[str, int]]:
    outcomes = figures.outcomes
    return [
        (_("Still on the programme"), outcomes.active),
        (_("Completed"), outcomes.completed),
        (_("Extended at least once"), outcomes.extended),
        (_("Not passed"), outcomes.failed),
        (_("Left (withdrawn)"), outcomes.withdrawn),
        (_("Left within the first year"), outcomes.withdrawn_in_first_year),
    ]


def _charts(figures: CohortFigures) -> dict[str, BarChart]:
    attention = figures.attention
    supervision = bar_chart(
        key="supervision-chart",
        title=_("Supervision held on time, by month"),
        description=_(
            "Sessions held on time as a share of those owed each month. The table below gives "
            "every figure."
        ),
        series=[_("Held on time")],
        rows=[
            (
                month_label(month),
                [
                    (month.percent, f"{month.percent}%")
                    if month.percent is not None
                    else (None, _("nothing owed"))
                ],
            )
            for month in figures.supervision
        ],
        highest=100,
    )
    bands = figures.caseloads
    caseloads = bar_chart(
        key="caseload-chart",
        title=_("Active enrolments by open cases"),
        description=_("The latest open-case figure of each active enrolment, in bands."),
        series=[_("Enrolments")],
        rows=[
            *((band.label, [(band.count, str(band.count))]) for band in bands.bands),
            (_("No figure yet"), [(bands.not_recorded, str(bands.not_recorded))]),
        ],
    )
    return {
        "attention": bar_chart(
            key="attention-chart",
            title=_("Active enrolments on track and needing attention"),
            description=_("%(on_track)s on track, %(needing)s needing attention.")
            % {"on_track": attention.on_track, "needing": attention.needing_attention},
            series=[_("Enrolments")],
            rows=[
                (_("On track"), [(attention.on_track, str(attention.on_track))]),
                (
                    _("Needing attention"),
                    [(attention.needing_attention, str(attention.needing_attention))],
                ),
            ],
        ),
        "supervision": supervision,
        "caseloads": caseloads,
        "outcomes": bar_chart(
            key="outcome-chart",
            title=_("Outcomes"),
            description=_("How these enrolments stand. The table below gives every figure."),
            series=[_("Enrolments")],
            rows=[(label, [(count, str(count))]) for label, count in outcome_rows(figures)],
        ),
        "breaches": bar_chart(
            key="breach-chart",
            title=_("Caseload breaches opened and closed, by month"),
            description=_(
                "Solid bars: breaches opened; outlined bars: breaches closed. The table below "
                "gives every figure."
            ),
            series=[_("Opened"), _("Closed")],
            rows=[
                (
                    month_label(row.month),
                    [
                        (row.opened, _("%(count)s opened") % {"count": row.opened}),
                        (row.closed, _("%(count)s closed") % {"count": row.closed}),
                    ],
                )
                for row in figures.breaches
            ],
        ),
    }


def dashboard_figures(request: HttpRequest) -> HttpResponse:
    return kept_page(
        request,
        "figures",
        "programmes/dashboard_figures.html",
        lambda form, visible: _work_out(request, form, visible),
    )


def _work_out(
    request: HttpRequest, form: DashboardFilterForm, visible: QuerySet[Enrolment]
) -> dict[str, object]:
    figures = cohort_figures(
        form.filtered(visible),
        on=timezone.localdate(),
        only_needing_attention=form.needs_attention,
    )
    context = {
        "form": form,
        "figures": figures,
        "charts": _charts(figures),
        "outcomes": outcome_rows(figures),
        "is_lead": request.user.has_role(Role.LEAD),
    }
    return {
        "body": render_body(request, "programmes/_dashboard_figures_body.html", context),
        "errors": bool(form.errors),
    }
