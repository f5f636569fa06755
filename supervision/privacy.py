"""What supervision holds about a person, for subject access and for retention.

Registered with people.privacy from SupervisionConfig.ready(), as programmes does. A session's
dates, length, kind and status name the worker by their enrolment only and stay, so cadence and
compliance figures keep working after anonymisation; what was written about the person (agenda,
notes, wellbeing, their reflection, the actions agreed, the amendments and their reasons, and the
reasons given for each change) goes, in the live rows and in their history rows alike.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from people.audit import save_audited
from people.models import User
from people.privacy import register_anonymiser, register_subject_data
from programmes.models import Enrolment
from programmes.privacy import SCRUBBED
from supervision.models import SupervisionAction, SupervisionAmendment, SupervisionSession

# The free text of a session: what the supervisor wrote, and the worker's reflection.
SESSION_TEXT = ("agenda", "notes", "wellbeing", "worker_reflection")


def _name(person: User | None) -> str | None:
    return person.full_name if person is not None else None


def supervision_records(person: User) -> list[dict[str, object]]:
    """Each supervision session held with the person as the worker, drafts included."""
    sessions = (
        SupervisionSession.objects.filter(enrolment__worker=person)
        .select_related("supervisor")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=SupervisionAction.objects.select_related("owner", "done_by").order_by(
                    "due_on", "pk"
                ),
            ),
            Prefetch(
                "amendments",
                queryset=SupervisionAmendment.objects.select_related("amended_by").order_by(
                    "amended_at", "pk"
                ),
            ),
        )
        .order_by("held_on", "pk")
    )
    return [
        {
            "id": session.pk,
            "enrolment_id": session.enrolment_id,
            "held_on": session.held_on,
            "minutes": session.minutes,
            "kind": session.get_kind_display(),
            "supervisor": _name(session.supervisor),
            "agenda": session.agenda,
            "notes": session.notes,
            "wellbeing": session.wellbeing,
            "worker_reflection": session.worker_reflection,
            "status": session.get_status_display(),
            "counts_towards_cadence": session.counts_towards_cadence,
            "supervisor_signed_at": session.supervisor_signed_at,
            "worker_signed_at": session.worker_signed_at,
            "actions": [
                {
                    "description": action.description,
                    "owner": _name(action.owner),
                    "due_on": action.due_on,
                    "done_on": action.done_on,
                    "done_by": _name(action.done_by),
                }
                for action in session.actions.all()
            ],
            "amendments": [
                {
                    "amended_at": amendment.amended_at,
                    "amended_by": _name(amendment.amended_by),
                    "reason": amendment.reason,
                    "changes": amendment.changes,
                }
                for amendment in session.amendments.all()
            ],
        }
        for session in sessions
    ]


def _scrubbed_changes(changes: dict[str, object]) -> dict[str, list[str]]:
    """Which parts were amended stays; what they said, before and after, goes."""
    return {label: [SCRUBBED, SCRUBBED] for label in changes}


def scrub_supervision_records(person: User, *, actor: User | None, reason: str) -> None:
    """Remove what was written in a former worker's supervision; its dates and lengths stay."""
    enrolment_ids = list(Enrolment.objects.filter(worker=person).values_list("pk", flat=True))
    # From history, so sessions deleted since (and the actions removed from drafts) are found too.
    session_ids = set(
        SupervisionSession.history.filter(enrolment_id__in=enrolment_ids).values_list(
            "id", flat=True
        )
    )
    # History first: the rows saved below then record the scrub itself, and why.
    session_history = SupervisionSession.history.filter(id__in=session_ids)
    action_history = SupervisionAction.history.filter(session_id__in=session_ids)
    amendment_history = SupervisionAmendment.history.filter(session_id__in=session_ids)
    for history in (session_history, action_history, amendment_history):
        # The reasons name what changed and why ("Amended: …"): free text like the rest.
        history.exclude(history_change_reason__isnull=True).update(history_change_reason=SCRUBBED)
    for field in SESSION_TEXT:
        session_history.exclude(**{field: ""}).update(**{field: SCRUBBED})
    action_history.update(description=SCRUBBED)
    rows = list(amendment_history)
    for row in rows:
        row.reason, row.changes = SCRUBBED, _scrubbed_changes(row.changes)
    SupervisionAmendment.history.model.objects.bulk_update(rows, ["reason", "changes"])

    for session in SupervisionSession.objects.filter(pk__in=session_ids):
        written = [field for field in SESSION_TEXT if getattr(session, field) not in ("", SCRUBBED)]
        if not written:
            continue
        for field in written:
            setattr(session, field, SCRUBBED)
        save_audited(session, by=actor, why=reason, validate=False)
    actions = SupervisionAction.objects.filter(session_id__in=session_ids)
    for action in actions.exclude(description=SCRUBBED):
        action.description = SCRUBBED
        save_audited(action, by=actor, why=reason, validate=False)
    amendments = SupervisionAmendment.objects.filter(session_id__in=session_ids)
    for amendment in amendments.exclude(reason=SCRUBBED):
        amendment.reason = SCRUBBED
        amendment.changes = _scrubbed_changes(amendment.changes)
        save_audited(amendment, by=actor, why=reason, validate=False)


def register_supervision_sections() -> None:
    """Called by SupervisionConfig.ready()."""
    register_subject_data(
        "supervision.sessions",
        supervision_records,
        label=_("Supervision: sessions, agreed actions and amendments"),
    )
    register_anonymiser("supervision", scrub_supervision_records)
