"""How far a set of enrolments has changed: what a page worked out from them is keyed on."""

from __future__ import annotations

from typing import NamedTuple

from django.db import connection
from django.db.models import F, QuerySet

from programmes.models import Enrolment
from programmes.models.revisions import SHARED
from programmes.revisions import REVISIONS


class Revision(NamedTuple):
    """Marks only grow and no two changes share one, so a member changing, joining or leaving
    changes the count or a sum, and a shared record changing changes `shared`."""

    count: int
    own: int  # the sum of the enrolments' own rows' marks
    records: int  # the sum of the marks of the enrolments and all their records
    shared: int  # programmes, cohorts, people, teams, roles and frameworks


def revision_of(enrolments: QuerySet[Enrolment]) -> Revision:
    """The revision of these enrolments and of the records they share, in one query."""
    members, params = (
        enrolments.order_by().annotate(member=F("pk")).values("member").query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COALESCE(SUM(r.own), 0), COALESCE(SUM(r.n), 0), "  # noqa: S608
            f"COALESCE((SELECT n FROM {REVISIONS} WHERE enrolment_id = %s), 0) "
            f"FROM ({members}) AS members "
            f"LEFT JOIN {REVISIONS} AS r ON r.enrolment_id = members.member",
            [SHARED, *params],
        )
        return Revision(*(int(value) for value in cursor.fetchone()))
