"""Where each enrolment's records last changed, kept by database triggers (programmes/revisions.py).

A page worked out from an enrolment's records may be served again while none of them has
changed. Triggers, not signals or services, mark the change, so no write can miss it: a bulk
update, a data migration, a fix typed into psql or a restore each fire them the same.
"""

from __future__ import annotations

from django.db import models

# The key of the row marked when records shared by many enrolments change: programmes,
# cohorts, people, teams, roles and frameworks.
SHARED = 0


class EnrolmentRevision(models.Model):
    """The marks of an enrolment's last changes. Marks only ever grow, and no two changes share
    one: `n` is the last change to the enrolment or any of its records, `own` the last change to
    the enrolment's own row (its cohort, people, status), which is all its filters read.

    No foreign key: triggers write here while Django deletes an enrolment's parts, after which a
    key to the deleted enrolment would fail the commit. A deleted enrolment leaves its row.
    """

    enrolment_id = models.BigIntegerField(primary_key=True)
    n = models.BigIntegerField()
    own = models.BigIntegerField(default=0)

    class Meta:
        # Written only by triggers; nothing reads a single row but the shared one.
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.n}"
