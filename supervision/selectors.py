"""Reads for supervision: who may do what, and where each enrolment stands on its cadence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from people.models import Role, User
from people.working_days import BANK_HOLIDAYS
from programmes import selectors as programme_selectors
from programmes.models import Enrolment
from programmes.rules import add_months
from programmes.selectors.figures import month_windows
from supervision import rules
from supervision.models import SupervisionAction, SupervisionSession

# The compliance page looks back this far: long enough to see a pattern, short enough to act on.
COMPLIANCE_MONTHS = 3
# A session due within this many days is shown as due soon, so it can be booked in time.
DUE_SOON_DAYS = 7


def can_record_supervision(user: User, enrolment: Enrolment) -> bool:
    """The enrolment's supervisor, or a programme lead, records sessions on an active enrolment."""
    if not user.is_authenticated or enrolment.status != Enrolment.Status.ACTIVE:
        return False
    if enrolment.worker_id == user.pk:
        return False
    return enrolment.supervisor_id == user.pk or user.has_role(Role.LEAD)


def can_edit_draft(user: User, session: SupervisionSession) -> bool:
    """A draft is its supervisor's to finish, add actions to, and sign."""
    return (
        user.is_authenticated
        and session.status == SupervisionSession.Status.DRAFT
        and session.supervisor_id == user.pk
    )


def can_countersign(user: User, session: SupervisionSession) -> bool:
    return (
        user.is_authenticated
        and session.status == SupervisionSession.Status.SIGNED
        and session.enrolment.worker_id == user.pk
    )


def can_amend(user: User, session: SupervisionSession) -> bool:
    """Once signed, the supervisor who signed it (or a lead) corrects it by an amendment."""
    if not user.is_authenticated or session.status == SupervisionSession.Status.DRAFT:
        return False
    return session.supervisor_id == user.pk or user.has_role(Role.LEAD)


def can_complete_action(user: User, action: SupervisionAction) -> bool:
    """Whoever owns the action, the worker, the supervisor, or a lead marks it done."""
    session = action.session
    if not user.is_authenticated or action.done_on is not None:
        return False
    if session.status == SupervisionSession.Status.DRAFT:
        return False
    involved = (action.owner_id, session.supervisor_id, session.enrolment.worker_id)
    return user.pk in involved or user.has_role(Role.LEAD)


def action_owner_choices(session: SupervisionSession) -> list[User]:
    """Who an action can be agreed for: the worker, the supervisor, the worker's manager."""
    enrolment = session.enrolment
    people = [enrolment.worker, session.supervisor]
    team = enrolment.worker.team
    if team is not None and team.manager is not None:
        people.append(team.manager)
    unique: dict[int, User] = {person.pk: person for person in people}
    return list(unique.values())


@dataclass(frozen=True)
class SupervisionStatus:
    """One enrolment's supervision on a day: all derived from the sessions recorded."""

    enrolment: Enrolment
    cadence: rules.CadenceStatus
    last_held_on: date | None  # the last session that counts
    last_session_on: date | None  # the last signed session, counting or not
    last_session_is_short: bool | None  # whether that one was shorter than the minimum
    open_actions: int
    drafts: int
    is_paused: bool
    is_active: bool
    ends_on: date  # the programme's expected end, which moves with pauses and extensions

    @property
    def is_owed(self) -> bool:
        return self.is_active and not self.is_paused and self.cadence.next_due is not None

    @property
    def is_overdue(self) -> bool:
        return self.is_owed and self.cadence.is_overdue

    @property
    def next_due_on(self) -> date | None:
        return self.cadence.next_due_on if self.is_owed else None

    @property
    def latest_on(self) -> date | None:
        return self.cadence.latest_on if self.is_owed else None

    @property
    def overdue_since(self) -> date | None:
        return self.cadence.overdue_since if self.is_overdue else None

    @property
    def days_overdue(self) -> int:
        return self.cadence.days_overdue if self.is_overdue else 0

    @property
    def days_until_due(self) -> int | None:
        return self.cadence.days_until_due if self.is_owed else None

    @property
    def is_due_now(self) -> bool:
        return self.is_owed and self.cadence.is_due_now

    @property
    def is_due_soon(self) -> bool:
        days = self.days_until_due
        return not self.is_overdue and days is not None and days <= DUE_SOON_DAYS

    @property
    def uncounted_session_note(self) -> str:
        """Why the last signed session did not count, when it came after the last that did."""
        if self.last_session_on is None or self.last_session_on == self.last_held_on:
            return ""
        day = date_format(self.last_session_on, "j F Y")
        if self.last_session_is_short:
            return _("A shorter session on %(day)s did not count") % {"day": day}
        # Long enough yet not counted: a group session, which this programme does not count.
        return _("A group session on %(day)s did not count on this programme") % {"day": day}


def _count(queryset: QuerySet, *, per: str) -> Coalesce:
    """A correlated count per enrolment, so several counts never multiply each other's rows."""
    counted = queryset.order_by().values(per).annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_supervision_figures(enrolments: QuerySet[Enrolment], *, on: date) -> QuerySet[Enrolment]:
    """Each enrolment annotated with what its supervision status is worked out from on `on`:
    its last sessions, open actions and drafts (`supervision_status_among` reads them)."""
    sessions = SupervisionSession.objects.filter(enrolment=OuterRef("pk"), held_on__lte=on)
    signed = sessions.exclude(status=SupervisionSession.Status.DRAFT)
    counting = sessions.counting()
    open_actions = (
        SupervisionAction.objects.open()
        .filter(session__enrolment=OuterRef("pk"))
        .exclude(session__status=SupervisionSession.Status.DRAFT)
    )
    drafts = SupervisionSession.objects.filter(
        enrolment=OuterRef("pk"), status=SupervisionSession.Status.DRAFT
    )
    return enrolments.annotate(
        last_held_on=Subquery(counting.order_by("-held_on").values("held_on")[:1]),
        last_session_on=Subquery(signed.order_by("-held_on").values("held_on")[:1]),
        last_session_is_short=Subquery(signed.order_by("-held_on", "-pk").values("is_short")[:1]),
        open_action_count=_count(open_actions, per="session__enrolment"),
        draft_count=_count(drafts, per="enrolment"),
    )


def supervision_status(
    enrolments: QuerySet[Enrolment], *, on: date
) -> dict[int, SupervisionStatus]:
    """Each enrolment's supervision status on `on`, in the queryset's order, with the people a
    list shows.

    The four queries of `enrolments_for_list` whatever the number of enrolments: the
    enrolments with their last sessions and counts annotated, their programmes, pauses and
    extensions (the programme's end moves with pauses and extensions).
    """
    loaded = programme_selectors.enrolments_for_list(with_supervision_figures(enrolments, on=on))
    return supervision_status_among(loaded, on=on)


def supervision_status_among(
    enrolments: Iterable[Enrolment], *, on: date
) -> dict[int, SupervisionStatus]:
    """`supervision_status` of enrolments already loaded `with_supervision_figures`, with their
    programme, pauses and extensions (`enrolments_for_judging`), in their order; no queries."""
    statuses: dict[int, SupervisionStatus] = {}
    for enrolment in enrolments:
        timeline = programme_selectors.enrolment_timeline(enrolment, on=on)
        pauses = programme_selectors.pause_rules(enrolment, on=on)
        cadence = rules.cadence_status(
            started_on=enrolment.started_on,
            ends_on=timeline.expected_end_on,
            phases=enrolment.cohort.programme.cadence_phases,
            last_held_on=enrolment.last_held_on,
            on=on,
            pauses=pauses,
            non_working_days=BANK_HOLIDAYS,
        )
        statuses[enrolment.pk] = SupervisionStatus(
            enrolment=enrolment,
            cadence=cadence,
            last_held_on=enrolment.last_held_on,
            last_session_on=enrolment.last_session_on,
            last_session_is_short=enrolment.last_session_is_short,
            open_actions=enrolment.open_action_count,
            drafts=enrolment.draft_count,
            is_paused=timeline.is_paused,
            is_active=enrolment.status == Enrolment.Status.ACTIVE,
            ends_on=timeline.expected_end_on,
        )
    return statuses


def supervisees(user: User, *, on: date) -> list[SupervisionStatus]:
    """The people this supervisor supervises now, the longest overdue first."""
    enrolments = (
        Enrolment.objects.visible_to(user)
        .current()
        .filter(supervisor=user)
        .order_by("worker__full_name", "pk")
    )
    statuses = list(supervision_status(enrolments, on=on).values())
    return sorted(statuses, key=lambda status: -status.days_overdue)


@dataclass(frozen=True)
class ComplianceRow:
    status: SupervisionStatus
    compliance: rules.Compliance


def _counting_days(
    enrolments: QuerySet[Enrolment],
    statuses: dict[int, SupervisionStatus],
    *,
    since: date,
    on: date,
) -> dict[int, list[date]]:
    """Per enrolment, the days of its counting sessions from `since` to `on`, and of the last
    one before `since` (compliance anchors the first due date on it). Two queries."""
    before = (
        SupervisionSession.objects.counting()
        .filter(enrolment=OuterRef("pk"), held_on__lt=since)
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    held: dict[int, list[date]] = {pk: [] for pk in statuses}
    inside = (
        SupervisionSession.objects.counting()
        .filter(enrolment__in=enrolments, held_on__gte=since, held_on__lte=on)
        .values_list("enrolment_id", "held_on")
    )
    for enrolment_id, held_on in inside:
        if enrolment_id in held:
            held[enrolment_id].append(held_on)
    for pk, earlier in enrolments.annotate(before=Subquery(before)).values_list("pk", "before"):
        if earlier and pk in held:
            held[pk].append(earlier)
    return held


def supervision_compliance(
    enrolments: QuerySet[Enrolment], *, on: date, months: int = COMPLIANCE_MONTHS
) -> list[ComplianceRow]:
    """Per enrolment: sessions owed over the last `months` against those held on time.

    Six queries whatever the number of enrolments: the four of `supervision_status`, the last
    counting session before the window, and the days of those inside it.
    """
    window_starts_on = add_months(on, -months)
    statuses = supervision_status(enrolments, on=on)
    held = _counting_days(enrolments, statuses, since=window_starts_on, on=on)
    rows = []
    for pk, status in statuses.items():
        enrolment = status.enrolment
        days = held[pk]
        result = rules.compliance(
            started_on=enrolment.started_on,
            ends_on=status.ends_on,
            phases=enrolment.cohort.programme.cadence_phases,
            held_on=days,
            window_starts_on=window_starts_on,
            on=on,
            pauses=programme_selectors.pause_rules(enrolment, on=on),
            non_working_days=BANK_HOLIDAYS,
        )
        rows.append(ComplianceRow(status=status, compliance=result))
    return rows


def can_see_compliance(user: User) -> bool:
    return user.is_authenticated and (user.has_role(Role.MANAGER) or user.has_role(Role.LEAD))


def compliance_enrolments(user: User) -> QuerySet[Enrolment]:
    """A manager's teams' active enrolments; a lead's, everyone's."""
    enrolments = programme_selectors.managed_enrolments(user).current()
    return enrolments.order_by("worker__team__name", "worker__full_name", "pk")


def sessions_for_enrolment(user: User, enrolment: Enrolment) -> QuerySet[SupervisionSession]:
    return (
        SupervisionSession.objects.visible_to(user)
        .filter(enrolment=enrolment)
        .select_related("supervisor")
        .annotate(action_count=Count("actions"))
        .order_by("-held_on", "-pk")
    )


def open_actions_for_enrolment(user: User, enrolment: Enrolment) -> QuerySet[SupervisionAction]:
    return (
        SupervisionAction.objects.visible_to(user)
        .open()
        .filter(session__enrolment=enrolment)
        .select_related("owner", "session__enrolment", "session__supervisor")
        .order_by("due_on", "pk")
    )


def session_detail(user: User) -> QuerySet[SupervisionSession]:
    """Sessions this person may open, with what the page shows beside them."""
    return (
        SupervisionSession.objects.visible_to(user)
        .select_related(
            "supervisor",
            "enrolment__worker__team__manager",
            "enrolment__cohort__programme",
            "enrolment__supervisor",
        )
        .prefetch_related(
            Prefetch("actions", queryset=SupervisionAction.objects.select_related("owner")),
            "amendments__amended_by",
        )
    )


@dataclass(frozen=True)
class MonthCompliance:
    """Over one calendar month (or this month to date): sessions owed against held on time."""

    starts_on: date
    ends_on: date
    is_to_date: bool
    owed: int
    held_on_time: int

    @property
    def percent(self) -> int | None:
        """None when nothing was owed: neither a 0% nor a 100% month."""
        return round(100 * self.held_on_time / self.owed) if self.owed else None


def compliance_by_month(
    enrolments: QuerySet[Enrolment], *, on: date, months: int = 12
) -> list[MonthCompliance]:
    """The cohort's supervision by month: the `months` full months before `on`, then this one.

    A session is counted in the month it fell due (one held early, before that month began, in
    the month it was held, as `compliance` anchors on it). Each month is the compliance from its
    first day to `on` less that from the next month's first day: `compliance` decides what was
    owed and met, and later sessions cannot change an earlier month. An enrolment that has
    ended is owed nothing after its end. The six queries of `supervision_compliance`, whatever
    the number of enrolments.
    """
    windows = month_windows(on=on, months=months)
    window_starts_on = windows[0].starts_on
    # Figures name nobody: the enrolments are loaded for judging alone.
    statuses = supervision_status_among(
        programme_selectors.enrolments_for_judging(with_supervision_figures(enrolments, on=on)),
        on=on,
    )
    held = _counting_days(enrolments, statuses, since=window_starts_on, on=on)
    owed = [0] * len(windows)
    on_time = [0] * len(windows)
    for pk, status in statuses.items():
        enrolment = status.enrolment
        days = held[pk]
        ends_on = min(status.ends_on, enrolment.ended_on or status.ends_on)
        # Every window from before the start owes the same, and one after the end nothing:
        # each start is worked out once, all of them from one walk of the sessions owed.
        starts = [max(month.starts_on, enrolment.started_on) for month in windows]
        owed_from = sorted({starts_on for starts_on in starts if starts_on <= ends_on})
        worked_out = dict(
            zip(
                owed_from,
                rules.compliance_by_window(
                    started_on=enrolment.started_on,
                    ends_on=ends_on,
                    phases=enrolment.cohort.programme.cadence_phases,
                    held_on=days,
                    window_starts_on=owed_from,
                    on=on,
                    pauses=programme_selectors.pause_rules(enrolment, on=on),
                    non_working_days=BANK_HOLIDAYS,
                ),
                strict=True,
            )
        )
        nothing = rules.Compliance(owed=0, held_on_time=0, held=0)
        since = [worked_out.get(starts_on, nothing) for starts_on in starts]
        for index, result in enumerate(since):
            later = since[index + 1] if index + 1 < len(since) else None
            owed[index] += result.owed - (later.owed if later else 0)
            on_time[index] += result.held_on_time - (later.held_on_time if later else 0)
    return [
        MonthCompliance(
            starts_on=month.starts_on,
            ends_on=month.ends_on,
            is_to_date=month.is_to_date,
            owed=owed[index],
            held_on_time=on_time[index],
        )
        for index, month in enumerate(windows)
    ]
