"""The one part of programmes that reads across apps: supervision and assessments.

Home, the cohort dashboard and the managers' weekly digest show where each enrolment stands;
the rules and the queries stay in supervision and assessments selectors, and programmes reaches
them only through here. Whether an enrolment needs attention is decided once, by
`EnrolmentAttention.reasons`, for the digest and the dashboard alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.db.models import QuerySet
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import Concern
from assessments.selectors.evidence import (
    SIGN_OFF_WORKING_DAYS,
    AwaitingSignOff,
    awaiting_sign_off_for,
)
from assessments.selectors.reviews import ReviewDue, open_concerns, reviews_due_among
from people.models import User
from programmes.models import CaseloadBreach, Enrolment
from programmes.selectors import (
    enrolments_for_judging,
    learning_agreement_overdue_on,
    with_learning_agreement_recorded,
)
from programmes.selectors.caseloads import ProtectedTimeStatus, protected_time_among
from supervision.selectors import (
    SupervisionStatus,
    supervisees,
    supervision_status,
    supervision_status_among,
    with_supervision_figures,
)


def supervision_by_enrolment(
    enrolments: QuerySet[Enrolment], *, on: date
) -> dict[int, SupervisionStatus]:
    return supervision_status(enrolments, on=on)


def supervisees_for(user: User, *, on: date) -> list[SupervisionStatus]:
    """A supervisor's current supervisees with their supervision status, longest overdue first."""
    return supervisees(user, on=on)


def long_date(day: date | None) -> str:
    """A day as `date_format(day, "j F Y")` writes it ("3 November 2026"), at a sixth of the
    cost: the dashboard writes about a hundred a page. Blank for no day."""
    return f"{day.day} {MONTHS[day.month]} {day.year}" if day else ""


@dataclass(frozen=True)
class EnrolmentAttention:
    """Where one enrolment stands this week, and why it needs attention (if it does)."""

    enrolment: Enrolment
    supervision: SupervisionStatus
    breaches: tuple[CaseloadBreach, ...]  # unresolved, oldest first
    protected_time: ProtectedTimeStatus | None  # last full month, only when it was short
    learning_agreement_due_on: date | None  # only when it is overdue
    review: ReviewDue | None  # the next review point owed, due or overdue
    concerns: tuple[Concern, ...]  # open, oldest first
    awaiting_sign_off: AwaitingSignOff | None  # evidence waiting for the assessor, if any

    @property
    def review_overdue(self) -> bool:
        return self.review is not None and self.review.is_overdue

    @property
    def sign_off_overdue(self) -> bool:
        waiting = self.awaiting_sign_off
        return waiting is not None and waiting.is_overdue

    @cached_property  # asked for by the filter, the badge and the list: worked out once
    def reasons(self) -> tuple[str, ...]:
        """Each reason it needs attention, in words; empty when all is well, and once the
        enrolment has ended (completed, withdrawn or not passed), when nothing more is owed."""
        if self.enrolment.status != Enrolment.Status.ACTIVE:
            return ()
        reasons = []
        if self.supervision.is_overdue:
            reasons.append(_("Supervision overdue"))
        if self.breaches:
            reasons.append(_("Caseload over the protected cap"))
        if self.protected_time:
            reasons.append(_("Protected time short"))
        if self.learning_agreement_due_on:
            reasons.append(_("Learning agreement overdue"))
        if self.review_overdue:
            reasons.append(_("Review overdue"))
        if self.concerns:
            reasons.append(_("Open concern"))
        if self.sign_off_overdue:
            reasons.append(
                _("Evidence awaiting sign-off for more than %(days)s working days")
                % {"days": SIGN_OFF_WORKING_DAYS}
            )
        return tuple(reasons)

    @property
    def needs_attention(self) -> bool:
        return bool(self.reasons)

    @property
    def review_state(self) -> str:
        if self.review is None:
            return _("No review due")
        return _("%(review)s due %(day)s (%(state)s)") % {
            "review": self.review.label,
            "day": long_date(self.review.due_on),
            "state": self.review.state,
        }

    @property
    def breach_state(self) -> str:
        if not self.breaches:
            return _("Within the cap")
        oldest = self.breaches[0]
        if oldest.status == CaseloadBreach.Status.OPEN:
            return _("Over the cap since %(day)s, not yet acknowledged") % {
                "day": long_date(oldest.detected_on)
            }
        return _("Over the cap since %(day)s, acknowledged with a plan") % {
            "day": long_date(oldest.detected_on)
        }

    @property
    def protected_time_state(self) -> str:
        if self.protected_time is None:
            return _("Not short")
        return _("%(hours)s hours short in %(month)s") % {
            "hours": f"{self.protected_time.shortfall_hours:.1f}".removesuffix(".0"),
            "month": date_format(self.protected_time.starts_on, "F Y"),
        }

    @property
    def concern_state(self) -> str:
        if not self.concerns:
            return _("None open")
        count = len(self.concerns)
        return ngettext("%(count)d open concern", "%(count)d open concerns", count) % {
            "count": count
        }

    @property
    def sign_off_state(self) -> str:
        waiting = self.awaiting_sign_off
        if waiting is None:
            return _("None waiting")
        return ngettext(
            "%(count)d waiting, the oldest since %(day)s (%(days)d working days)",
            "%(count)d waiting, the oldest since %(day)s (%(days)d working days)",
            waiting.count,
        ) % {
            "count": waiting.count,
            "day": long_date(waiting.oldest_submitted_on),
            "days": waiting.oldest_age_working_days,
        }


def attention_for(enrolments: QuerySet[Enrolment], *, on: date) -> dict[int, EnrolmentAttention]:
    """Each enrolment given, in the queryset's order, with where it stands on `on`.

    Nine queries whatever the number of enrolments: the enrolments with their supervision
    figures and whether a learning agreement is on file, with their programmes, pauses and
    extensions (4, `enrolments_for_judging`), the hours of protected time logged (1) and the
    review points recorded (1) for those same enrolments, the unresolved breaches (1),
    `open_concerns` (1), `awaiting_sign_off_for` (1); none per row. The enrolments are loaded
    once, for judging: a caller that shows them selects their people (`with_people`).
    """
    loaded = list(
        enrolments_for_judging(
            with_supervision_figures(with_learning_agreement_recorded(enrolments), on=on)
        )
    )
    statuses = supervision_status_among(loaded, on=on)
    times = protected_time_among(loaded, on=on, scope=enrolments)
    breaches: dict[int, list[CaseloadBreach]] = {}
    unresolved = CaseloadBreach.objects.unresolved().filter(enrolment__in=enrolments)
    for breach in unresolved.order_by("detected_on", "pk"):
        breaches.setdefault(breach.enrolment_id, []).append(breach)
    reviews = reviews_due_among(loaded, on=on, scope=enrolments)
    concerns = open_concerns(enrolments)
    waiting = awaiting_sign_off_for(enrolments, on=on)
    found = {}
    for enrolment_id, status in statuses.items():
        time = times.get(enrolment_id)
        found[enrolment_id] = EnrolmentAttention(
            enrolment=status.enrolment,
            supervision=status,
            breaches=tuple(breaches.get(enrolment_id, ())),
            protected_time=time if time is not None and time.has_shortfall else None,
            learning_agreement_due_on=learning_agreement_overdue_on(status.enrolment, on=on),
            review=reviews.get(enrolment_id),
            concerns=tuple(concerns.get(enrolment_id, ())),
            awaiting_sign_off=waiting.get(enrolment_id),
        )
    return found


@dataclass(frozen=True)
class ManagerDigest:
    manager: User
    enrolments: tuple[EnrolmentAttention, ...]  # those needing attention, by team then name


def manager_digests(*, on: date) -> list[ManagerDigest]:
    """For each team manager, their teams' current enrolments that need attention on `on`
    (`EnrolmentAttention.reasons`). Managers with nothing to report are left out.

    The nine queries of `attention_for` whatever the number of enrolments, none per row.
    """
    current = Enrolment.objects.current().filter(worker__team__manager__isnull=False)
    enrolments = current.select_related("worker__team__manager").order_by(
        "worker__team__manager_id", "worker__team__name", "worker__full_name", "pk"
    )
    digests: dict[int, list[EnrolmentAttention]] = {}
    managers: dict[int, User] = {}
    for attention in attention_for(enrolments, on=on).values():
        if attention.needs_attention:
            manager = attention.enrolment.worker.team.manager
            managers[manager.pk] = manager
            digests.setdefault(manager.pk, []).append(attention)
    return [
        ManagerDigest(manager=managers[pk], enrolments=tuple(rows)) for pk, rows in digests.items()
    ]
