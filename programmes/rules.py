"""Programme timelines: when an enrolment ends and when each milestone falls due.

Holds DOMAIN.md, sections "ASYE", "NQSW", "SWIP → ECDP", "ECF", "Wales consolidation programme"
and "Supervision" / "Caseload protection" (the phase shapes): a programme's length and review
points scale pro rata to FTE (0.6 FTE turns 12 months into 20); a pause stops the clock, so it
moves every date after its start; an extension moves the end (and the final review) only.
Rules arrive as data; nothing here touches the database or the clock.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import MISSING, dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

MINIMUM_FTE = Decimal("0.1")
MAXIMUM_FTE = Decimal("1.0")
# The dates people type into a programme (a start, a pause) fall within these years. Outside
# them is a slip of the keyboard (2062 for 2026), and every date derived from them, decades on
# at 0.1 FTE, must still be a real calendar date: the calendar ends in the year 9999.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)


@dataclass(frozen=True)
class CadencePhase:
    """Up to and including `last_week`, a supervision session is owed every `interval_days`."""

    last_week: int
    interval_days: int


@dataclass(frozen=True)
class CaseloadPhase:
    """Up to `last_week`: the lower of `cap_percent` of a full caseload and the absolute cap.

    A limit of None means no limit beyond the overall cap.
    """

    last_week: int
    cap_percent: int
    absolute_cap_children: int | None = None
    absolute_cap_adults: int | None = None
    child_protection_lead_max: int | None = None
    complex_lead_max: int | None = None
    complex_needs_manager_approval: bool = False


@dataclass(frozen=True)
class ProtectedTimePhase:
    """Up to `last_week`, this share of contracted hours is ring-fenced for learning."""

    last_week: int
    percent: int


@dataclass(frozen=True)
class Pause:
    """The programme clock stops from `starts_on` to `ends_on`, both days included."""

    starts_on: date
    ends_on: date

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


@dataclass(frozen=True)
class MilestonePlan:
    """The programme's points in time, as data: months are programme months (scaled by FTE)."""

    duration_months: int
    review_points_months: tuple[int, ...] = ()
    learning_agreement_weeks: int | None = None
    critical_reflection_months: tuple[int, ...] = ()
    self_assessment_months: tuple[int, ...] = ()


@dataclass(frozen=True)
class Milestone:
    kind: str  # one of MILESTONE_KINDS
    months: int | None
    due_on: date
    is_final: bool = False

    @property
    def key(self) -> str:
        return self.kind if self.months is None else f"{self.kind}-{self.months}"


MILESTONE_KINDS = ("learning-agreement", "self-assessment", "review", "critical-reflection")


def add_months(start: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the last day of a shorter month."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def scaled_date(*, started_on: date, months: int, fte: Decimal) -> date:
    """The day `months` programme months after the start for someone working `fte`.

    Part-time stretches the programme pro rata (DOMAIN.md: 0.6 FTE turns 12 months into 20).
    A fraction of a month is that fraction of the next calendar month's days, rounded.
    """
    if fte == 1:  # most people: whole months, no fraction to work out
        return add_months(started_on, months)
    total = Fraction(months) / Fraction(fte)
    whole = int(total)
    landed = add_months(started_on, whole)
    remainder = total - whole
    if remainder:
        following = add_months(started_on, whole + 1)
        landed += timedelta(days=round(remainder * (following - landed).days))
    return landed


def shift_for_pauses(nominal: date, pauses: Iterable[Pause]) -> date:
    """Move a date on by every pause that began on or before it, in order.

    A pause that began before the (already moved) date stopped the clock for its whole length.
    """
    shifted = nominal
    for pause in sorted(pauses, key=lambda p: p.starts_on):
        if pause.starts_on <= shifted:
            shifted += timedelta(days=pause.days)
    return shifted


def expected_end_on(
    *,
    started_on: date,
    duration_months: int,
    fte: Decimal,
    pauses: Sequence[Pause] = (),
    extension_days: int = 0,
) -> date:
    """The day the programme is complete: its length pro rata, plus extensions, plus pauses."""
    nominal = scaled_date(started_on=started_on, months=duration_months, fte=fte)
    return shift_for_pauses(nominal + timedelta(days=extension_days), pauses)


def milestone_schedule(
    *,
    started_on: date,
    plan: MilestonePlan,
    fte: Decimal,
    pauses: Sequence[Pause] = (),
    extension_days: int = 0,
) -> tuple[Milestone, ...]:
    """Every milestone with its due date, earliest first.

    Week-based points (the learning agreement) are calendar weeks; month-based points scale
    with FTE. A point at the programme's full length is the final one and moves with extensions.
    """
    milestones: list[Milestone] = []
    if plan.learning_agreement_weeks:
        nominal = started_on + timedelta(weeks=plan.learning_agreement_weeks)
        milestones.append(Milestone("learning-agreement", None, shift_for_pauses(nominal, pauses)))
    points = (
        [("self-assessment", months) for months in plan.self_assessment_months]
        + [("review", months) for months in plan.review_points_months]
        + [("critical-reflection", months) for months in plan.critical_reflection_months]
    )
    for kind, months in points:
        is_final = months >= plan.duration_months
        nominal = scaled_date(started_on=started_on, months=months, fte=fte)
        if is_final:
            nominal += timedelta(days=extension_days)
        milestones.append(Milestone(kind, months, shift_for_pauses(nominal, pauses), is_final))
    order = {kind: index for index, kind in enumerate(MILESTONE_KINDS)}
    return tuple(sorted(milestones, key=lambda m: (m.due_on, order[m.kind])))


def next_milestone(milestones: Sequence[Milestone], *, on: date) -> Milestone | None:
    """The first milestone due on or after `on`; None once all have passed."""
    return next((m for m in milestones if m.due_on >= on), None)


def paused_days_before(pauses: Iterable[Pause], *, on: date) -> int:
    """Days the clock has stood still before `on` (a pause running on `on` counts to yesterday)."""
    total = 0
    for pause in pauses:
        if pause.starts_on < on:
            total += (min(pause.ends_on, on - timedelta(days=1)) - pause.starts_on).days + 1
    return total


def programme_week(*, started_on: date, on: date, pauses: Sequence[Pause] = ()) -> int:
    """Week of the programme on `on`, counting from 1 and not counting paused days.

    Part-time workers keep the calendar rhythm (DOMAIN.md, "Supervision"), so weeks are not
    stretched by FTE. Before the start this is 0.
    """
    if on < started_on:
        return 0
    running_days = (on - started_on).days - paused_days_before(pauses, on=on)
    return running_days // 7 + 1


def exceeds_maximum_elapsed(
    *, started_on: date, ends_on: date, maximum_elapsed_months: int | None
) -> bool:
    """True when the expected end falls after the programme's maximum elapsed length."""
    if maximum_elapsed_months is None:
        return False
    return ends_on > add_months(started_on, maximum_elapsed_months)


PhaseT = TypeVar("PhaseT", CadencePhase, CaseloadPhase, ProtectedTimePhase)


def phase_for_week(phases: Sequence[PhaseT], week: int) -> PhaseT:
    """The phase in force in `week`; past the last one, the last carries on (extensions)."""
    return next((phase for phase in phases if week <= phase.last_week), phases[-1])


def phases_from_data(rows: object, phase_class: type[PhaseT]) -> tuple[PhaseT, ...]:
    """Phases from a programme's stored rules, or ValueError saying what is wrong with them.

    Each phase ends at a later week than the one before; numbers are whole and not negative.
    """
    if not isinstance(rows, list) or not rows:
        raise ValueError("Give at least one phase.")
    fields = set(phase_class.__dataclass_fields__)
    phases: list[PhaseT] = []
    previous_week = 0
    for position, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not set(row) <= fields or "last_week" not in row:
            raise ValueError(
                f"Phase {position} must name its last_week and only these: {sorted(fields)}."
            )
        required = {
            name
            for name, field in phase_class.__dataclass_fields__.items()
            if field.default is MISSING
        }
        if required - set(row):
            raise ValueError(f"Phase {position} must give {sorted(required - set(row))}.")
        for name, value in row.items():
            valid_flag = isinstance(value, bool) and name == "complex_needs_manager_approval"
            valid_number = isinstance(value, int) and not isinstance(value, bool) and value >= 0
            if not (valid_flag or valid_number or value is None):
                raise ValueError(f"Phase {position}: {name} must be a whole number.")
        if row["last_week"] is None or row["last_week"] <= previous_week:
            raise ValueError(f"Phase {position} must end after week {previous_week}.")
        phase = phase_class(**row)
        if getattr(phase, "interval_days", 1) is None or getattr(phase, "interval_days", 1) < 1:
            raise ValueError(f"Phase {position}: interval_days must be at least 1.")
        previous_week = row["last_week"]
        phases.append(phase)
    return tuple(phases)


# --- Protected caseloads (DOMAIN.md, "Caseload protection") and protected time.


@dataclass(frozen=True)
class CaseloadCap:
    """The most a worker may hold in a programme week. None means no limit of that kind."""

    open_cases: int
    child_protection_lead: int | None
    complex_lead: int | None
    complex_needs_manager_approval: bool = False


def caseload_cap(
    *,
    phases: Sequence[CaseloadPhase],
    week: int,
    full_caseload: int,
    fte: Decimal,
    service_area: str,
) -> CaseloadCap:
    """The lower of the phase's share of a full caseload (pro rata FTE) and its absolute cap.

    The share is rounded down: a cap of 4.5 cases protects only if it means 4. The absolute cap
    is for the team's service area ("children" or "adults"); the lead-case limits are whole
    cases and are not scaled.
    """
    phase = phase_for_week(phases, max(week, 1))
    share = Fraction(phase.cap_percent, 100) * full_caseload * Fraction(str(fte))
    absolute = (
        phase.absolute_cap_children if service_area == "children" else phase.absolute_cap_adults
    )
    cap = int(share) if absolute is None else min(int(share), absolute)
    return CaseloadCap(
        open_cases=cap,
        child_protection_lead=phase.child_protection_lead_max,
        complex_lead=phase.complex_lead_max,
        complex_needs_manager_approval=phase.complex_needs_manager_approval,
    )


CASELOAD_LIMITS = ("open-cases", "child-protection", "complex")


def limits_exceeded(
    cap: CaseloadCap,
    *,
    open_cases: int,
    child_protection_cases: int = 0,
    complex_cases: int | None = None,
) -> tuple[str, ...]:
    """Which of the cap's limits a caseload goes over, in CASELOAD_LIMITS order; () if none."""
    exceeded = []
    if open_cases > cap.open_cases:
        exceeded.append("open-cases")
    if cap.child_protection_lead is not None and child_protection_cases > cap.child_protection_lead:
        exceeded.append("child-protection")
    complex_limit = cap.complex_lead
    if complex_limit is not None and complex_cases is not None and complex_cases > complex_limit:
        exceeded.append("complex")
    return tuple(exceeded)


def is_paused_on(pauses: Iterable[Pause], on: date) -> bool:
    return any(pause.starts_on <= on <= pause.ends_on for pause in pauses)


# DOMAIN.md, "ASYE": protected development time is a share of contracted hours (3.7 h of 37 h).
FULL_TIME_HOURS_PER_WEEK = Decimal("37")
WORKING_DAYS_PER_WEEK = 5


def protected_hours_owed(
    *,
    phases: Sequence[ProtectedTimePhase],
    started_on: date,
    fte: Decimal,
    days: Iterable[date],
    pauses: Sequence[Pause] = (),
    ends_on: date | None = None,
) -> Decimal:
    """Hours of learning owed over `days` (the working days of a period, bank holidays out).

    Each working day on the programme, not paused, is owed its phase's share of a full-time
    day, pro rata FTE; days before the start or after the end are owed nothing.
    """
    per_day = FULL_TIME_HOURS_PER_WEEK / WORKING_DAYS_PER_WEEK * fte
    owed = Decimal(0)
    for day in days:
        if day < started_on or (ends_on is not None and day > ends_on):
            continue
        if is_paused_on(pauses, day):
            continue
        week = programme_week(started_on=started_on, on=day, pauses=pauses)
        owed += per_day * phase_for_week(phases, week).percent / 100
    return owed.quantize(Decimal("0.1"))


def last_full_month(on: date) -> tuple[date, date]:
    """The first and last day of the calendar month before the one `on` falls in."""
    last = on.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


# --- The agency rule: agency social workers in children's posts.

# The rule concerns only those qualified on or after this day; earlier qualifiers are not flagged.
AGENCY_RULE_QUALIFIED_FROM = date(2024, 4, 1)
AGENCY_RULE_MINIMUM_PQE_MONTHS = 60
# A completed ASYE, either sector's, or the ECDP (consulted on as SWIP), which replaces the child
# and family ASYE from September 2027 (DOMAIN.md, "SWIP → ECDP"). The NQSW and ECF programmes do
# not count: nobody qualified since April 2024 could finish the one, the other never ran.
ASYE_PROGRAMME_CODES = frozenset({"ASYE-CF", "ASYE-AD", "SWIP"})

UNDER_FIVE_YEARS_PQE = "under-five-years-pqe"
NO_COMPLETED_ASYE = "no-completed-asye"
QUALIFICATION_DATE_NOT_RECORDED = "qualification-date-not-recorded"


def agency_rule_reasons(
    *,
    employment_type: str,
    service_area: str | None,
    qualified_on: date | None,
    on: date,
    has_completed_asye: bool,
) -> tuple[str, ...]:
    """Why an agency worker in a children's post is flagged on `on`; () if they are not.

    Only people qualified on or after 1 April 2024 are in scope: for them, under five years'
    post-qualifying experience or no completed ASYE is enough. An unknown qualification date is
    its own reason, never a guess either way.
    """
    # The stored values of User.EmploymentType.AGENCY and ServiceArea.CHILDREN: rules take data.
    if employment_type != "agency" or service_area != "children":
        return ()
    if qualified_on is None:
        return (QUALIFICATION_DATE_NOT_RECORDED,)
    if qualified_on < AGENCY_RULE_QUALIFIED_FROM:
        return ()
    reasons = []
    if on < add_months(qualified_on, AGENCY_RULE_MINIMUM_PQE_MONTHS):
        reasons.append(UNDER_FIVE_YEARS_PQE)
    if not has_completed_asye:
        reasons.append(NO_COMPLETED_ASYE)
    return tuple(reasons)


def agency_rule_applies(
    *,
    employment_type: str,
    service_area: str | None,
    qualified_on: date | None,
    on: date,
    has_completed_asye: bool,
) -> bool:
    """True when the agency rule flags this worker; an unknown qualification date does not."""
    reasons = agency_rule_reasons(
        employment_type=employment_type,
        service_area=service_area,
        qualified_on=qualified_on,
        on=on,
        has_completed_asye=has_completed_asye,
    )
    return bool(set(reasons) - {QUALIFICATION_DATE_NOT_RECORDED})
