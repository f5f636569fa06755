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
    shared = f"COALESCE((SELECT n FROM {REVISIONS} WHERE enrolment_id = %s), 0)"  # noqa: S608
    if not enrolments.query.where and not enrolments.query.is_sliced:
        # Every enrolment (a lead's view): the marks alone, without joining 9,000 enrolments to
        # them. Every enrolment has a row from its first write, and deleting one marks it, so
        # the sums move as they do over the join; a row left by a deleted one only adds to both.
        sql, params = (
            f"SELECT COUNT(*), COALESCE(SUM(own), 0), COALESCE(SUM(n), 0), {shared} "  # noqa: S608
            f"FROM {REVISIONS} WHERE enrolment_id > %s",
            [SHARED, SHARED],
        )
    else:
        members, member_params = (
            enrolments.order_by().annotate(member=F("pk")).values("member").query.sql_with_params()
        )
        sql, params = (
            f"SELECT COUNT(*), COALESCE(SUM(r.own), 0), COALESCE(SUM(r.n), 0), {shared} "  # noqa: S608
            f"FROM ({members}) AS members "
            f"LEFT JOIN {REVISIONS} AS r ON r.enrolment_id = members.member",
            [SHARED, *member_params],
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return Revision(*(int(value) for value in cursor.fetchone()))
