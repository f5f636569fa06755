"""Protected caseloads and protected time: figures in, breaches found, breaches worked."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from people.audit import save_audited
from people.models import Role, User
from people.notifications import NotificationRequest, queue_notifications, render_notification
from programmes import rules
from programmes.models import (
    CaseloadBreach,
    CaseloadImportProfile,
    CaseloadSnapshot,
    Enrolment,
    ProtectedTimeEntry,
)
from programmes.selectors import caseloads as selectors

logger = logging.getLogger(__name__)

SNAPSHOT_FIGURES = ("open_cases", "child_protection_cases", "complex_cases", "weighted_complexity")


@dataclass(frozen=True)
class SnapshotRow:
    """One caseload figure to store, already matched to its enrolment."""

    enrolment_id: int
    as_of: date
    open_cases: int
    child_protection_cases: int = 0
    complex_cases: int | None = None
    weighted_complexity: Decimal | None = None


@dataclass
class IngestResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    enrolment_ids: set[int] = field(default_factory=set)


def enrolments_by_worker(keys: Iterable[str], *, within: Iterable[int] | None = None) -> dict:
    """Each worker key (email, or Social Work England number) to that worker's enrolments,
    latest start first, in one query. Keys are matched without regard to case or spaces.
    `within`, when given, limits the answer to those enrolment ids (what a caller may see)."""
    wanted = {key.strip().lower() for key in keys if key and key.strip()}
    enrolments = Enrolment.objects.filter(
        Q(worker__email__in=wanted)
        | Q(worker__swe_registration_number__in=wanted)
        | Q(worker__swe_registration_number__in={key.upper() for key in wanted})
    )
    if within is not None:
        enrolments = enrolments.filter(pk__in=within)
    found: dict[str, list[Enrolment]] = {}
    for enrolment in enrolments.select_related("worker").order_by("-started_on", "-pk"):
        for key in (enrolment.worker.email, enrolment.worker.swe_registration_number):
            if key and key.strip().lower() in wanted:
                found.setdefault(key.strip().lower(), []).append(enrolment)
    return found


def enrolment_on(enrolments: Sequence[Enrolment], day: date) -> Enrolment | None:
    """The enrolment a figure for `day` belongs to: the latest one started by then that had not
    ended before it. A worker has only one at a time (DOMAIN.md), so there is at most one."""
    for enrolment in enrolments:  # latest start first
        if enrolment.started_on <= day and (
            enrolment.ended_on is None or enrolment.ended_on >= day
        ):
            return enrolment
    return None


def _check_figures(row: SnapshotRow) -> dict[str, str]:
    errors = {}
    if row.as_of > timezone.localdate():
        errors["as_of"] = _("The date must be today or in the past.")
    elif not rules.EARLIEST_DAY <= row.as_of <= rules.LATEST_DAY:
        errors["as_of"] = _("Enter a date between 1 January 2000 and 31 December 2099")
    if row.child_protection_cases > row.open_cases:
        errors["child_protection_cases"] = _(
            "Child-protection cases are part of the open cases: they cannot be more."
        )
    if row.complex_cases is not None and row.complex_cases > row.open_cases:
        errors["complex_cases"] = _(
            "Complex cases are part of the open cases: they cannot be more."
        )
    return errors


@transaction.atomic
def ingest_caseload_snapshots(
    *, rows: Sequence[SnapshotRow], source: str, recorded_by: User | None
) -> IngestResult:
    """Store figures all or nothing; the same figure for the same day again changes nothing.

    A different figure for a day already stored replaces it (a correction), and the history
    keeps the old one. Checks happen before anything is written, so one bad row saves none.
    """
    result = IngestResult()
    if not rows:
        return result
    seen: dict[tuple[int, date], SnapshotRow] = {}
    for row in rows:
        seen[(row.enrolment_id, row.as_of)] = row  # a later line for the same day wins
    existing = {
        (snapshot.enrolment_id, snapshot.as_of): snapshot
        for snapshot in CaseloadSnapshot.objects.select_for_update().filter(
            enrolment_id__in={key[0] for key in seen}, as_of__in={key[1] for key in seen}
        )
    }
    to_create, to_update = [], []
    now = timezone.now()
    for key, row in seen.items():
        snapshot = existing.get(key)
        figures = {name: getattr(row, name) for name in SNAPSHOT_FIGURES}
        if snapshot is None:
            to_create.append(
                CaseloadSnapshot(
                    enrolment_id=row.enrolment_id,
                    as_of=row.as_of,
                    source=source,
                    recorded_by=recorded_by,
                    recorded_at=now,
                    **figures,
                )
            )
        elif any(getattr(snapshot, name) != value for name, value in figures.items()):
            for name, value in figures.items():
                setattr(snapshot, name, value)
            snapshot.source, snapshot.recorded_by, snapshot.recorded_at = source, recorded_by, now
            to_update.append(snapshot)
        else:
            result.unchanged += 1
        result.enrolment_ids.add(row.enrolment_id)
    if to_create:
        bulk_create_with_history(
            to_create,
            CaseloadSnapshot,
            default_user=recorded_by,
            default_change_reason=f"Caseload recorded ({source})",
        )
    if to_update:
        bulk_update_with_history(
            to_update,
            CaseloadSnapshot,
            [*SNAPSHOT_FIGURES, "source", "recorded_by", "recorded_at"],
            default_user=recorded_by,
            default_change_reason=f"Caseload corrected ({source})",
        )
    result.created, result.updated = len(to_create), len(to_update)
    if to_create or to_update:
        transaction.on_commit(_queue_detection)
    return result


def _queue_detection() -> None:
    from programmes.tasks import detect_caseload_breaches_task

    detect_caseload_breaches_task.delay()


def record_caseload_snapshot(
    *,
    recorded_by: User,
    enrolment: Enrolment,
    as_of: date,
    open_cases: int,
    child_protection_cases: int = 0,
    complex_cases: int | None = None,
    weighted_complexity: Decimal | None = None,
) -> IngestResult:
    """A supervisor's or manager's figure for one day, checked, then stored like any other."""
    if not selectors.can_record_caseload(recorded_by, enrolment):
        raise PermissionDenied
    row = SnapshotRow(
        enrolment_id=enrolment.pk,
        as_of=as_of,
        open_cases=open_cases,
        child_protection_cases=child_protection_cases or 0,
        complex_cases=complex_cases,
        weighted_complexity=weighted_complexity,
    )
    errors = _check_figures(row)
    if not errors and as_of < enrolment.started_on:
        errors["as_of"] = _("The date must be on or after the programme started (%(day)s).") % {
            "day": f"{enrolment.started_on:%-d %B %Y}"
        }
    if errors:
        raise ValidationError(errors)
    result = ingest_caseload_snapshots(
        rows=[row], source=CaseloadSnapshot.Source.MANUAL, recorded_by=recorded_by
    )
    # The person entering it sees at once whether it breaches the cap; the job runs again later.
    detect_caseload_breaches(on=timezone.localdate(), enrolment_ids=[enrolment.pk])
    return result


@dataclass
class Detection:
    opened: list[CaseloadBreach] = field(default_factory=list)
    ended: list[CaseloadBreach] = field(default_factory=list)


@transaction.atomic
def detect_caseload_breaches(*, on: date, enrolment_ids: Iterable[int] | None = None) -> Detection:
    """Open a breach where the latest figure is over the cap; end one where it is back under.

    A fixed number of queries for any number of enrolments: their unresolved breaches (1), the
    latest figures with what each cap depends on, pauses included, and the programmes' phases
    (2), then one insert and one update, each with its history rows. An enrolment with a breach
    already open gets no second one.
    """
    enrolments = Enrolment.objects.current()
    if enrolment_ids is not None:
        enrolments = enrolments.filter(pk__in=list(enrolment_ids))
    unresolved = {
        breach.enrolment_id: breach
        for breach in CaseloadBreach.objects.select_for_update()
        .unresolved()
        .filter(enrolment__in=enrolments)
    }
    found = Detection()
    now = timezone.now()
    for latest in selectors.latest_caseloads(enrolments, on=on):
        if latest.cap is None:
            continue  # paused on the day of the figure: nothing is protected, nothing breached
        exceeded = latest.exceeded
        breach = unresolved.get(latest.enrolment_id)
        if exceeded and breach is None:
            found.opened.append(
                CaseloadBreach(
                    enrolment_id=latest.enrolment_id,
                    detected_on=on,
                    snapshot_on=latest.as_of,
                    open_cases=latest.open_cases,
                    cap=latest.cap.open_cases,
                    child_protection_cases=latest.child_protection_cases,
                    child_protection_cap=latest.cap.child_protection_lead,
                    complex_cases=latest.complex_cases,
                    complex_cap=latest.cap.complex_lead,
                    limits=list(exceeded),
                )
            )
        elif not exceeded and breach is not None and latest.as_of >= breach.snapshot_on:
            breach.status = CaseloadBreach.Status.RESOLVED
            breach.ended_on = latest.as_of
            breach.resolved_at = now
            breach.resolution_note = _("The caseload came back within the cap.")
            found.ended.append(breach)
    if found.opened:
        bulk_create_with_history(
            found.opened, CaseloadBreach, default_change_reason="Detected over the cap"
        )
        transaction.on_commit(_queue_notifications)
    if found.ended:
        bulk_update_with_history(
            found.ended,
            CaseloadBreach,
            ["status", "ended_on", "resolved_at", "resolution_note"],
            default_change_reason="Back within the cap",
        )
    logger.info(
        "caseload breaches on %s: %d opened, %d ended", on, len(found.opened), len(found.ended)
    )
    return found


def _queue_notifications() -> None:
    from programmes.tasks import notify_caseload_breaches_task

    notify_caseload_breaches_task.delay()


# Kinds of people.Notification written here; the daily and weekly ones are in reminders.py.
CASELOAD_BREACH = "caseload-breach"
CASELOAD_BREACH_ESCALATED = "caseload-breach-escalated"


def _breach_notice(breach: CaseloadBreach, *, kind: str, recipient_id: int) -> NotificationRequest:
    return render_notification(
        recipient_id=recipient_id,
        kind=kind,
        subject_key=f"breach-{breach.pk}",
        context={"breach": breach, "enrolment": breach.enrolment},
        link=reverse("programmes:breach-list"),
    )


def notify_caseload_breaches() -> int:
    """Tell the manager and the supervisor of each new breach, once: the row is the promise.

    The breaches not yet told are claimed with row locks that skip those another worker holds;
    their notifications are queued and the breaches marked in the same transaction, so a crash
    undoes both and the next run does both. Returns how many breaches were told. A fixed
    number of queries for any number of breaches: the claim, `queue_notifications`, one update
    and one insert of history rows.
    """
    with transaction.atomic():
        breaches = list(
            CaseloadBreach.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(notified_at__isnull=True)
            .select_related("enrolment__worker__team", "enrolment__supervisor")
            .order_by("pk")
        )
        requests = []
        for breach in breaches:
            enrolment = breach.enrolment
            team = enrolment.worker.team
            people = {team.manager_id if team else None, enrolment.supervisor_id} - {None}
            requests += [
                _breach_notice(breach, kind=CASELOAD_BREACH, recipient_id=person)
                for person in sorted(people)
            ]
        queue_notifications(requests)
        _stamp(breaches, "notified_at", why="Manager and supervisor told")
    return len(breaches)


def _stamp(breaches: list[CaseloadBreach], field: str, *, why: str) -> None:
    if not breaches:
        return
    now = timezone.now()
    for breach in breaches:
        setattr(breach, field, now)
    bulk_update_with_history(breaches, CaseloadBreach, [field], default_change_reason=why)


def escalate_caseload_breaches(*, on: date) -> int:
    """A breach still unresolved after its plan date goes to every active programme lead, once.

    Claimed, queued and marked in one transaction, as `notify_caseload_breaches` is; a fixed
    number of queries for any number of breaches and leads.
    """
    leads = sorted(
        User.objects.filter(role_memberships__role=Role.LEAD, is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    with transaction.atomic():
        breaches = list(
            CaseloadBreach.objects.select_for_update(skip_locked=True, of=("self",))
            .past_plan(on)
            .filter(escalated_at__isnull=True)
            .select_related("enrolment__worker__team")
            .order_by("pk")
        )
        queue_notifications(
            _breach_notice(breach, kind=CASELOAD_BREACH_ESCALATED, recipient_id=lead)
            for breach in breaches
            for lead in leads
        )
        _stamp(breaches, "escalated_at", why="Escalated: past its plan date")
    return len(breaches)


def acknowledge_caseload_breach(
    *, acknowledged_by: User, breach: CaseloadBreach, plan: str, plan_due_on: date
) -> CaseloadBreach:
    """The manager owns the breach: how the caseload comes down, and by when."""
    if not selectors.can_work_breach(acknowledged_by, breach):
        raise PermissionDenied
    errors = {}
    if breach.status != CaseloadBreach.Status.OPEN:
        errors["plan"] = _("This breach is already acknowledged.")
    if not (plan or "").strip():
        errors["plan"] = _("Say how the caseload will come back within the cap.")
    if plan_due_on < timezone.localdate():
        errors["plan_due_on"] = _("The date must be today or in the future.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        breach.status = CaseloadBreach.Status.ACKNOWLEDGED
        breach.plan, breach.plan_due_on = plan.strip(), plan_due_on
        breach.acknowledged_by, breach.acknowledged_at = acknowledged_by, timezone.now()
        save_audited(breach, by=acknowledged_by, why="Acknowledged with a plan")
    return breach


def resolve_caseload_breach(
    *, resolved_by: User, breach: CaseloadBreach, resolution_note: str
) -> CaseloadBreach:
    """Close a breach by hand, for instance when the figure that opened it was wrong.

    If the caseload is really still over the cap, the next detection opens a new breach.
    """
    if not selectors.can_work_breach(resolved_by, breach):
        raise PermissionDenied
    if not (resolution_note or "").strip():
        raise ValidationError({"resolution_note": _("Say how the breach was resolved.")})
    with transaction.atomic():
        breach.status = CaseloadBreach.Status.RESOLVED
        breach.resolved_by, breach.resolved_at = resolved_by, timezone.now()
        breach.resolution_note = resolution_note.strip()
        save_audited(breach, by=resolved_by, why="Resolved by hand")
    return breach


def record_protected_time(
    *,
    recorded_by: User,
    enrolment: Enrolment,
    on: date,
    hours: Decimal,
    kind: str,
    note: str = "",
) -> ProtectedTimeEntry:
    """Log hours of learning taken in protected development time."""
    if not selectors.can_log_protected_time(recorded_by, enrolment):
        raise PermissionDenied
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date must be today or in the past.")})
    if on < enrolment.started_on:
        raise ValidationError(
            {
                "on": _("The date must be on or after the programme started (%(day)s).")
                % {"day": f"{enrolment.started_on:%-d %B %Y}"}
            }
        )
    entry = ProtectedTimeEntry(
        enrolment=enrolment,
        on=on,
        hours=hours,
        kind=kind,
        note=(note or "").strip(),
        recorded_by=recorded_by,
    )
    with transaction.atomic():
        save_audited(entry, by=recorded_by, why="Learning logged")
    return entry


def save_import_profile(
    *, saved_by: User, name: str, columns: dict[str, str]
) -> CaseloadImportProfile:
    """Name a case-management system's columns once; the same name again replaces them."""
    if not selectors.can_import_caseloads(saved_by):
        raise PermissionDenied
    name = (name or "").strip()
    columns = {
        key: (value or "").strip() for key, value in columns.items() if (value or "").strip()
    }
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the profile a name, for example Mosaic weekly export")
    unknown = set(columns) - set(CaseloadImportProfile.FIELDS)
    if unknown:
        errors["columns"] = _("These are not caseload fields: %s") % ", ".join(sorted(unknown))
    for required in CaseloadImportProfile.REQUIRED:
        if required not in columns:
            errors[required] = _("Give the heading of the column that holds this")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        profile = CaseloadImportProfile.objects.filter(name__iexact=name).first()
        if profile is None:
            profile = CaseloadImportProfile(name=name, created_by=saved_by)
        profile.columns = columns
        save_audited(profile, by=saved_by, why="Import profile saved")
    return profile
