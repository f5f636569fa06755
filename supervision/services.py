"""Supervision writes: record, sign, countersign, amend; agree actions and mark them done."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.audit import save_audited
from people.models import User
from programmes.models import Enrolment
from supervision import rules, selectors
from supervision.models import SupervisionAction, SupervisionAmendment, SupervisionSession

# The parts of a record its supervisor writes, and may correct by an amendment once signed.
EDITABLE_FIELDS = ("held_on", "minutes", "kind", "agenda", "notes", "wellbeing")


def _strip(value: str) -> str:
    return (value or "").strip()


def _apply_length_rules(session: SupervisionSession) -> None:
    """Short sessions are kept and shown, but do not count (DOMAIN.md, "Supervision")."""
    programme = session.enrolment.cohort.programme
    minutes = session.minutes or 0
    session.is_short = minutes < programme.minimum_supervision_minutes
    session.counts_towards_cadence = rules.counts_towards_cadence(
        minutes=minutes,
        is_group=session.kind == SupervisionSession.Kind.GROUP,
        minimum_minutes=programme.minimum_supervision_minutes,
        group_sessions_count=programme.group_supervision_counts,
    )


def _check_same_day(session: SupervisionSession, *, confirmed: bool) -> None:
    """A second session on one day is possible but more often a record entered twice."""
    if confirmed or not session.held_on:
        return
    others = SupervisionSession.objects.filter(
        enrolment_id=session.enrolment_id, held_on=session.held_on
    )
    if session.pk:
        others = others.exclude(pk=session.pk)
    if others.exists():
        raise ValidationError(
            {
                "same_day_confirmed": ValidationError(
                    _(
                        "A session is already recorded for %(day)s. If this is a second session "
                        "that day, confirm it and save again."
                    )
                    % {"day": f"{session.held_on:%-d %B %Y}"},
                    code="same_day",
                )
            }
        )


def record_supervision_session(
    *,
    recorded_by: User,
    enrolment: Enrolment,
    held_on: date,
    minutes: int,
    kind: str,
    agenda: str = "",
    notes: str = "",
    wellbeing: str = "",
    same_day_confirmed: bool = False,
) -> SupervisionSession:
    """Save a draft for the supervisor to finish and sign; the worker countersigns later."""
    if not selectors.can_record_supervision(recorded_by, enrolment):
        raise PermissionDenied
    session = SupervisionSession(
        enrolment=enrolment,
        supervisor=recorded_by,
        held_on=held_on,
        minutes=minutes,
        kind=kind,
        agenda=_strip(agenda),
        notes=_strip(notes),
        wellbeing=_strip(wellbeing),
    )
    with transaction.atomic():
        Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
        _check_same_day(session, confirmed=same_day_confirmed)
        _apply_length_rules(session)
        save_audited(session, by=recorded_by, why="Recorded as a draft")
    return session


def update_draft_session(
    *,
    updated_by: User,
    session: SupervisionSession,
    held_on: date,
    minutes: int,
    kind: str,
    agenda: str = "",
    notes: str = "",
    wellbeing: str = "",
    same_day_confirmed: bool = False,
) -> SupervisionSession:
    """Change a draft before it is signed; a signed record changes only by an amendment."""
    if not selectors.can_edit_draft(updated_by, session):
        raise PermissionDenied
    with transaction.atomic():
        Enrolment.objects.select_for_update().filter(pk=session.enrolment_id).first()
        # A second session on a day, once confirmed, is not questioned again at every edit.
        moved = SupervisionSession.objects.get(pk=session.pk).held_on != held_on
        session.held_on, session.minutes, session.kind = held_on, minutes, kind
        session.agenda, session.notes = _strip(agenda), _strip(notes)
        session.wellbeing = _strip(wellbeing)
        _check_same_day(session, confirmed=same_day_confirmed or not moved)
        _apply_length_rules(session)
        save_audited(session, by=updated_by, why="Draft changed")
    return session


def _locked_in(session: SupervisionSession, status: str, *, refusal: str) -> SupervisionSession:
    """The session's row, locked to the end of the transaction, if it is still in `status`.

    Two requests may both have read the record before either signed it; the second then waits
    for the lock and finds it signed already, instead of signing it twice.
    """
    locked = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    if locked.status != status:
        raise ValidationError(refusal, code="already_signed")
    return locked


def sign_supervision_session(*, signed_by: User, session: SupervisionSession) -> SupervisionSession:
    """The supervisor signs the record; it then waits for the worker's reflection."""
    if not selectors.can_edit_draft(signed_by, session):
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked_in(
            session,
            SupervisionSession.Status.DRAFT,
            refusal=_("This record is already signed. Open it again to see where it stands."),
        )
        if not locked.notes.strip():
            raise ValidationError(
                {"notes": _("Write the discussion notes before you sign the record.")}
            )
        locked.status = SupervisionSession.Status.SIGNED
        locked.supervisor_signed_at = timezone.now()
        save_audited(locked, by=signed_by, why="Signed by the supervisor")
    session.refresh_from_db(fields=["status", "supervisor_signed_at"])
    return session


def countersign_supervision_session(
    *, signed_by: User, session: SupervisionSession, worker_reflection: str
) -> SupervisionSession:
    """The worker adds their reflection and countersigns; the record is then locked."""
    if not selectors.can_countersign(signed_by, session):
        raise PermissionDenied
    reflection = _strip(worker_reflection)
    if not reflection:
        raise ValidationError(
            {"worker_reflection": _("Write your reflection on the session before you sign.")}
        )
    with transaction.atomic():
        locked = _locked_in(
            session,
            SupervisionSession.Status.SIGNED,
            refusal=_("You have already countersigned this record. Open it again to read it."),
        )
        locked.worker_reflection = reflection
        locked.status = SupervisionSession.Status.COUNTERSIGNED
        locked.worker_signed_at = timezone.now()
        save_audited(locked, by=signed_by, why="Countersigned by the worker")
    session.refresh_from_db(fields=["worker_reflection", "status", "worker_signed_at"])
    return session


def _shown(session: SupervisionSession, field: str) -> str:
    value = getattr(session, field)
    if field == "kind":
        return str(session.get_kind_display())
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    return str(value)


def amend_supervision_session(
    *,
    amended_by: User,
    session: SupervisionSession,
    reason: str,
    same_day_confirmed: bool = False,
    **changes: object,
) -> SupervisionAmendment:
    """Correct a signed record: the amendment keeps what changed and why, the history both."""
    if not selectors.can_amend(amended_by, session):
        raise PermissionDenied
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These cannot be amended: %s.") % ", ".join(sorted(unknown)))
    reason = _strip(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the record needs correcting.")})
    with transaction.atomic():
        Enrolment.objects.select_for_update().filter(pk=session.enrolment_id).first()
        locked = SupervisionSession.objects.select_for_update().get(pk=session.pk)
        before = {field: _shown(locked, field) for field in EDITABLE_FIELDS}
        for field, value in changes.items():
            setattr(locked, field, _strip(value) if isinstance(value, str) else value)
        after = {field: _shown(locked, field) for field in EDITABLE_FIELDS}
        changed = {
            str(SupervisionSession._meta.get_field(field).verbose_name): [
                before[field],
                after[field],
            ]
            for field in EDITABLE_FIELDS
            if before[field] != after[field]
        }
        if not changed:
            raise ValidationError(
                _("Nothing has changed. Change the part of the record that is wrong.")
            )
        if before["held_on"] != after["held_on"]:
            _check_same_day(locked, confirmed=same_day_confirmed)
        _apply_length_rules(locked)
        save_audited(locked, by=amended_by, why=f"Amended: {reason}")
        amendment = SupervisionAmendment(
            session=locked, amended_by=amended_by, reason=reason, changes=changed
        )
        save_audited(amendment, by=amended_by, why="Amendment recorded")
    session.refresh_from_db()
    return amendment


def add_supervision_action(
    *, added_by: User, session: SupervisionSession, description: str, owner: User, due_on: date
) -> SupervisionAction:
    """Agree an action in a draft record: who will do it, and by when."""
    if not selectors.can_edit_draft(added_by, session):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if owner.pk not in {person.pk for person in selectors.action_owner_choices(session)}:
        errors["owner"] = _("Choose the worker, the supervisor or the worker's manager.")
    if due_on and session.held_on and due_on < session.held_on:
        errors["due_on"] = _("The date must be on or after the session (%(day)s).") % {
            "day": f"{session.held_on:%-d %B %Y}"
        }
    if errors:
        raise ValidationError(errors)
    action = SupervisionAction(
        session=session, description=_strip(description), owner=owner, due_on=due_on
    )
    with transaction.atomic():
        save_audited(action, by=added_by, why="Action agreed")
    return action


def remove_supervision_action(*, removed_by: User, action: SupervisionAction) -> None:
    """Take an action out of a draft; once signed, actions stay on the record."""
    if not selectors.can_edit_draft(removed_by, action.session):
        raise PermissionDenied
    with transaction.atomic():
        action._history_user = removed_by
        action._change_reason = "Action removed from the draft"
        action.delete()


def complete_supervision_action(
    *, completed_by: User, action: SupervisionAction, done_on: date | None = None
) -> SupervisionAction:
    """Mark an action done, today unless another day is given."""
    if not selectors.can_complete_action(completed_by, action):
        raise PermissionDenied
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date must be today or in the past.")})
    if done_on < action.session.held_on:
        raise ValidationError(
            {
                "done_on": _("The date must be on or after the session (%(day)s).")
                % {"day": f"{action.session.held_on:%-d %B %Y}"}
            }
        )
    with transaction.atomic():
        action.done_on = done_on
        action.done_by = completed_by
        save_audited(action, by=completed_by, why="Marked done")
    return action
