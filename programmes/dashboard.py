"""The one module of programmes that reads across apps: supervision, for programme pages.

Home and (later) the cohort dashboards show where each enrolment stands on supervision; the rules
and the queries stay in supervision.selectors, and programmes reaches them only through here.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from people.models import User
from programmes.models import Enrolment
from supervision.selectors import SupervisionStatus, supervisees, supervision_status


def supervision_by_enrolment(
    enrolments: QuerySet[Enrolment], *, on: date
) -> dict[int, SupervisionStatus]:
    return supervision_status(enrolments, on=on)


def supervisees_for(user: User, *, on: date) -> list[SupervisionStatus]:
    """A supervisor's current supervisees with their supervision status, longest overdue first."""
    return supervisees(user, on=on)
