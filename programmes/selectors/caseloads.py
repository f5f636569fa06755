"""Reads for protected caseloads and protected time: caps, histories, breaches, shortfalls."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from people.models import DEFAULT_FULL_CASELOAD, Role, User
from people.working_days import is_working_day
from programmes import rules
from programmes.models import (
    CaseloadBreach,
    CaseloadSnapshot,
    Enrolment,
    EnrolmentPause,
    Programme,
    ProtectedTimeEntry,
)
from programmes.selectors import (
    enrolment_timeline,
    enrolments_for_judging,
    managed_enrolments,
    pause_rules,
)

LATEST_FIELDS = ("as_of", "open_cases", "child_protection_cases", "complex_cases")


def can_record_caseload(user: User, enrolment: Enrolment) -> bool:
    """The supervisor, the worker's manager, or a lead records caseload figures."""
    if not user.is_authenticated or enrolment.status != Enrolment.Status.ACTIVE:
        return False
    if user.has_role(Role.LEAD) or enrolment.supervisor_id == user.pk:
        return True
    team = enrolment.worker.team
    return team is not None and team.manager_id == user.pk


def can_import_caseloads(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.LEAD)


def can_work_breach(user: User, breach: CaseloadBreach) -> bool:
    """The worker's manager (or a lead) acknowledges and resolves a breach."""
    if not user.is_authenticated or breach.status == CaseloadBreach.Status.RESOLVED:
        return False
    if user.has_role(Role.LEAD):
        return True
    team = breach.enrolment.worker.team
    return team is not None and team.manager_id == user.pk


def can_log_protected_time(user: User, enrolment: Enrolment) -> bool:
    """The worker logs their own learning; their supervisor or a lead may log it for them."""
    if not user.is_authenticated or enrolment.status != Enrolment.Status.ACTIVE:
        return False
    return user.pk in (enrolment.worker_id, enrolment.supervisor_id) or user.has_role(Role.LEAD)


class _Phases:
    """Each programme's parsed phases, once per call rather than once per enrolment."""

    def __init__(self) -> None:
        self._caseload: dict[int, tuple[rules.CaseloadPhase, ...]] = {}
        self._time: dict[int, tuple[rules.ProtectedTimePhase, ...]] = {}

    def caseload(self, programme: Programme) -> tuple[rules.CaseloadPhase, ...]:
        if programme.pk not in self._caseload:
            self._caseload[programme.pk] = programme.caseload_protection_phases
        return self._caseload[programme.pk]

    def protected_time(self, programme: Programme) -> tuple[rules.ProtectedTimePhase, ...]:
        if programme.pk not in self._time:
            self._time[programme.pk] = programme.protected_time
        return self._time[programme.pk]


def cap_for(
    enrolment: Enrolment, *, on: date, phases: _Phases | None = None
) -> rules.CaseloadCap | None:
    """The cap in force on `on`; None while the programme is paused (nothing is protected then,
    nor breached). Needs `worker__team`, `cohort__programme` and the pauses loaded."""
    programme = enrolment.cohort.programme
    team = enrolment.worker.team
    return _cap_on(
        on,
        started_on=enrolment.started_on,
        fte=enrolment.fte,
        pauses=pause_rules(enrolment, on=on),
        phases=(phases or _Phases()).caseload(programme),
        team_service_area=team.service_area if team else None,
        team_full_caseload=team.standard_full_caseload if team else None,
        programme_service_area=programme.service_area,
    )


def _cap_on(
    on: date,
    *,
    started_on: date,
    fte: Decimal,
    pauses: Sequence[rules.Pause],
    phases: tuple[rules.CaseloadPhase, ...],
    team_service_area: str | None,
    team_full_caseload: int | None,
    programme_service_area: str,
    caps: dict[tuple, rules.CaseloadCap] | None = None,
) -> rules.CaseloadCap | None:
    """cap_for from plain values. Without a team, the programme's service area and the national
    full caseload apply. `caps` remembers caps already worked out: thousands of enrolments
    share a few dozen sets of terms (the phase in force, full caseload, FTE, service area)."""
    if rules.is_paused_on(pauses, on):
        return None
    service_area = programme_service_area if team_service_area is None else team_service_area
    full_caseload = (
        DEFAULT_FULL_CASELOAD.get(service_area, 18)
        if team_full_caseload is None
        else team_full_caseload
    )
    week = rules.programme_week(started_on=started_on, on=on, pauses=pauses)
    caps = {} if caps is None else caps
    terms = (id(rules.phase_for_week(phases, week)), full_caseload, fte, service_area)
    if terms not in caps:
        caps[terms] = rules.caseload_cap(
            phases=phases,
            week=week,
            full_caseload=full_caseload,
            fte=fte,
            service_area=service_area,
        )
    return caps[terms]


class LatestCaseload(NamedTuple):
    """An enrolment's latest figures on or before a day, beside the cap in force on their date.

    A named tuple rather than a frozen dataclass: there is one per enrolment, 10,000 at a time,
    and a tuple is quicker to build."""

    enrolment_id: int
    as_of: date
    open_cases: int
    child_protection_cases: int
    complex_cases: int | None
    cap: rules.CaseloadCap | None  # None: paused that day, so nothing is protected or breached

    @property
    def exceeded(self) -> tuple[str, ...]:
        if self.cap is None:
            return ()
        return rules.limits_exceeded(
            self.cap,
            open_cases=self.open_cases,
            child_protection_cases=self.child_protection_cases,
            complex_cases=self.complex_cases,
        )


def latest_caseloads(enrolments: QuerySet[Enrolment], *, on: date) -> list[LatestCaseload]:
    """Each enrolment's latest figures on or before `on` beside the cap of their date; those with
    no figure yet are left out. Two queries whatever the number of enrolments.

    Plain values, not model instances: at national scale (10,000 enrolments) building the
    enrolment, worker, team, cohort and programme of each row, and prefetching pauses one
    queryset per enrolment, took seconds (benchmarks/README.md).
    """
    latest = CaseloadSnapshot.objects.filter(enrolment=OuterRef("pk"), as_of__lte=on).order_by(
        "-as_of"
    )
    figures = {f"latest_{field}": Subquery(latest.values(field)[:1]) for field in LATEST_FIELDS}
    rows = (
        enrolments.order_by()
        .annotate(
            **figures,
            programme_id=F("cohort__programme_id"),
            programme_service_area=F("cohort__programme__service_area"),
            team_service_area=F("worker__team__service_area"),
            team_full_caseload=F("worker__team__standard_full_caseload"),
            # One row per pause, or one without: pauses are few, and come in the same query.
            pause_starts_on=F("pauses__starts_on"),
            pause_ends_on=F("pauses__ends_on"),
        )
        .values_list(
            "pk",
            *figures,
            "started_on",
            "fte",
            "programme_id",
            "programme_service_area",
            "team_service_area",
            "team_full_caseload",
            "pause_starts_on",
            "pause_ends_on",
            named=True,
        )
    )
    latest_rows = {}
    pauses: dict[int, list[rules.Pause]] = {}
    for row in rows:
        if row.latest_as_of is None:
            continue  # no figure yet (filtering in SQL would look the figure up twice)
        latest_rows[row.pk] = row
        if row.pause_starts_on is not None:
            pause = EnrolmentPause(starts_on=row.pause_starts_on, ends_on=row.pause_ends_on)
            pauses.setdefault(row.pk, []).append(pause.as_rule(today=row.latest_as_of))
    phases = _Phases()
    programmes = {
        programme.pk: phases.caseload(programme)
        for programme in Programme.objects.filter(
            pk__in={row.programme_id for row in latest_rows.values()}
        ).only("caseload_phases")
    }
    caps: dict[tuple, rules.CaseloadCap] = {}
    return [
        LatestCaseload(
            enrolment_id=row.pk,
            as_of=row.latest_as_of,
            open_cases=row.latest_open_cases,
            child_protection_cases=row.latest_child_protection_cases,
            complex_cases=row.latest_complex_cases,
            cap=_cap_on(
                row.latest_as_of,
                started_on=row.started_on,
                fte=row.fte,
                pauses=pauses.get(row.pk, []),
                phases=programmes[row.programme_id],
                team_service_area=row.team_service_area,
                team_full_caseload=row.team_full_caseload,
                programme_service_area=row.programme_service_area,
                caps=caps,
            ),
        )
        for row in latest_rows.values()
    ]


@dataclass(frozen=True)
class CaseloadPoint:
    """One snapshot beside the cap in force that day."""

    snapshot: CaseloadSnapshot
    cap: rules.CaseloadCap | None
    exceeded: tuple[str, ...]

    @property
    def is_over(self) -> bool:
        return bool(self.exceeded)


def caseload_history(user: User, enrolment: Enrolment) -> list[CaseloadPoint]:
    """Every snapshot of the enrolment this person may see, oldest first, against its cap.

    `enrolment` comes with its team, programme and pauses loaded (`enrolments_for_list`).
    """
    phases = _Phases()
    points = []
    snapshots = CaseloadSnapshot.objects.visible_to(user).filter(enrolment=enrolment)
    for snapshot in snapshots.order_by("as_of"):
        cap = cap_for(enrolment, on=snapshot.as_of, phases=phases)
        exceeded = (
            rules.limits_exceeded(
                cap,
                open_cases=snapshot.open_cases,
                child_protection_cases=snapshot.child_protection_cases,
                complex_cases=snapshot.complex_cases,
            )
            if cap
            else ()
        )
        points.append(CaseloadPoint(snapshot=snapshot, cap=cap, exceeded=exceeded))
    return points


def breaches_for(user: User) -> QuerySet[CaseloadBreach]:
    """Breaches this person may see: a manager's teams', a lead's all; oldest first."""
    breaches = CaseloadBreach.objects.visible_to(user)
    if not user.has_role(Role.LEAD):
        breaches = breaches.filter(enrolment__in=managed_enrolments(user))
    return breaches.select_related(
        "enrolment__worker__team", "enrolment__supervisor", "acknowledged_by", "resolved_by"
    ).order_by("detected_on", "pk")


def can_see_breaches(user: User) -> bool:
    return user.is_authenticated and (user.has_role(Role.MANAGER) or user.has_role(Role.LEAD))


@dataclass(frozen=True)
class ProtectedTimeStatus:
    """Learning logged against the protected time owed over a period (the last full month)."""

    starts_on: date
    ends_on: date
    owed_hours: Decimal
    logged_hours: Decimal

    @property
    def shortfall_hours(self) -> Decimal:
        return max(Decimal(0), self.owed_hours - self.logged_hours)

    @property
    def has_shortfall(self) -> bool:
        return self.shortfall_hours > 0


def _days(starts_on: date, ends_on: date) -> Iterable[date]:
    day = starts_on
    while day <= ends_on:
        if is_working_day(day):
            yield day
        day += timedelta(days=1)


def protected_time_status(
    enrolments: QuerySet[Enrolment], *, on: date
) -> dict[int, ProtectedTimeStatus]:
    """For each enrolment, the last full month before `on`: hours owed against hours logged.

    Four queries whatever the number of enrolments: the enrolments with the hours logged in
    the month, their programmes, pauses and extensions (the end moves with pauses and
    extensions), and nothing per row.
    """
    starts_on, ends_on = rules.last_full_month(on)
    logged = (
        ProtectedTimeEntry.objects.filter(
            enrolment=OuterRef("pk"), on__gte=starts_on, on__lte=ends_on
        )
        .order_by()
        .values("enrolment")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    rows = list(
        enrolments_for_judging(
            enrolments.annotate(
                logged_hours=Coalesce(
                    Subquery(logged, output_field=DecimalField(max_digits=8, decimal_places=1)),
                    Decimal(0),
                    output_field=DecimalField(max_digits=8, decimal_places=1),
                )
            )
        )
    )
    return _protected_time(rows, logged={row.pk: row.logged_hours for row in rows}, on=on)


def protected_time_among(
    enrolments: Sequence[Enrolment], *, on: date, scope: QuerySet[Enrolment] | None = None
) -> dict[int, ProtectedTimeStatus]:
    """`protected_time_status` of enrolments already loaded with their programme, pauses and
    extensions (`enrolments_for_judging`): one query, the hours logged in the month.

    `scope`, the query they were loaded by, picks their entries by a subquery: thousands of
    keys written into the statement cost more than the sums themselves.
    """
    starts_on, ends_on = rules.last_full_month(on)
    among = scope if scope is not None else [enrolment.pk for enrolment in enrolments]
    logged = dict(
        ProtectedTimeEntry.objects.filter(
            enrolment__in=among,
            on__gte=starts_on,
            on__lte=ends_on,
        )
        .order_by()
        .values("enrolment")
        .annotate(total=Sum("hours"))
        .values_list("enrolment", "total")
    )
    return _protected_time(enrolments, logged=logged, on=on)


def _protected_time(
    enrolments: Iterable[Enrolment], *, logged: dict[int, Decimal], on: date
) -> dict[int, ProtectedTimeStatus]:
    starts_on, ends_on = rules.last_full_month(on)
    days = list(_days(starts_on, ends_on))
    phases = _Phases()
    statuses = {}
    for enrolment in enrolments:
        timeline = enrolment_timeline(enrolment, on=on)
        owed = rules.protected_hours_owed(
            phases=phases.protected_time(enrolment.cohort.programme),
            started_on=enrolment.started_on,
            fte=enrolment.fte,
            days=days,
            pauses=pause_rules(enrolment, on=on),
            ends_on=timeline.expected_end_on,
        )
        statuses[enrolment.pk] = ProtectedTimeStatus(
            starts_on=starts_on,
            ends_on=ends_on,
            owed_hours=owed,
            logged_hours=Decimal(logged.get(enrolment.pk) or 0),
        )
    return statuses


@dataclass(frozen=True)
class CaseloadSummary:
    """Where one enrolment stands on its protected caseload and its protected time."""

    latest: LatestCaseload | None  # None: no figures recorded yet
    protected_time: ProtectedTimeStatus

    @property
    def is_over_cap(self) -> bool:
        return self.latest is not None and bool(self.latest.exceeded)


def caseload_summaries(enrolments: QuerySet[Enrolment], *, on: date) -> dict[int, CaseloadSummary]:
    """Each enrolment's latest figures against their cap and last month's protected time.

    Six queries whatever the number of enrolments: `latest_caseloads` (2) and
    `protected_time_status` (4).
    """
    latest = {row.enrolment_id: row for row in latest_caseloads(enrolments, on=on)}
    return {
        enrolment_id: CaseloadSummary(latest=latest.get(enrolment_id), protected_time=time)
        for enrolment_id, time in protected_time_status(enrolments, on=on).items()
    }
