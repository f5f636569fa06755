"""The one module of programmes that reads across apps: supervision, for programme pages.

Home, the cohort dashboards and the managers' weekly digest show where each enrolment stands on
supervision; the rules and the queries stay in supervision.selectors, and programmes reaches
them only through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from people.models import User
from programmes.models import CaseloadBreach, Enrolment
from programmes.selectors import learning_agreement_overdue_on, with_learning_agreement_recorded
from programmes.selectors.caseloads import ProtectedTimeStatus, protected_time_status
from supervision.selectors import SupervisionStatus, supervisees, supervision_status


def supervision_by_enrolment(
    enrolments: QuerySet[Enrolment], *, on: date
) -> dict[int, SupervisionStatus]:
    return supervision_status(enrolments, on=on)


def supervisees_for(user: User, *, on: date) -> list[SupervisionStatus]:
    """A supervisor's current supervisees with their supervision status, longest overdue first."""
    return supervisees(user, on=on)


@dataclass(frozen=True)
class EnrolmentAttention:
    """What a manager should know of one enrolment this week; empty when all is well."""

    enrolment: Enrolment
    supervision: SupervisionStatus
    breaches: tuple[CaseloadBreach, ...]  # unresolved, oldest first
    protected_time: ProtectedTimeStatus | None  # last full month, only when it was short
    learning_agreement_due_on: date | None  # only when it is overdue

    @property
    def needs_attention(self) -> bool:
        return bool(
            self.supervision.is_overdue
            or self.breaches
            or self.protected_time
            or self.learning_agreement_due_on
        )


@dataclass(frozen=True)
class ManagerDigest:
    manager: User
    enrolments: tuple[EnrolmentAttention, ...]  # those needing attention, by team then name


def manager_digests(*, on: date) -> list[ManagerDigest]:
    """For each team manager, their teams' current enrolments that need attention on `on`:
    supervision overdue, caseload breaches unresolved, protected time short last month, the
    learning agreement overdue. Managers with nothing to report are left out.

    Eight queries whatever the number of enrolments: `supervision_status` (3, with whether a
    learning agreement is on file), `protected_time_status` (3), the unresolved breaches (1),
    and none per row.
    """
    current = Enrolment.objects.current().filter(worker__team__manager__isnull=False)
    enrolments = with_learning_agreement_recorded(
        current.select_related("worker__team__manager")
    ).order_by("worker__team__manager_id", "worker__team__name", "worker__full_name", "pk")
    statuses = supervision_status(enrolments, on=on)
    times = protected_time_status(current, on=on)
    breaches: dict[int, list[CaseloadBreach]] = {}
    unresolved = CaseloadBreach.objects.unresolved().filter(enrolment__in=current)
    for breach in unresolved.order_by("detected_on", "pk"):
        breaches.setdefault(breach.enrolment_id, []).append(breach)
    digests: dict[int, list[EnrolmentAttention]] = {}
    managers: dict[int, User] = {}
    for enrolment_id, status in statuses.items():
        enrolment = status.enrolment
        time = times.get(enrolment_id)
        attention = EnrolmentAttention(
            enrolment=enrolment,
            supervision=status,
            breaches=tuple(breaches.get(enrolment_id, ())),
            protected_time=time if time is not None and time.has_shortfall else None,
            learning_agreement_due_on=learning_agreement_overdue_on(enrolment, on=on),
        )
        if attention.needs_attention:
            manager = enrolment.worker.team.manager
            managers[manager.pk] = manager
            digests.setdefault(manager.pk, []).append(attention)
    return [
        ManagerDigest(manager=managers[pk], enrolments=tuple(rows)) for pk, rows in digests.items()
    ]
