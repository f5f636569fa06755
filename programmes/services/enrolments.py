"""Cohorts, enrolments, pauses and extensions: a programme lead's writes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.audit import save_audited
from people.models import Role, Team, User
from people.services import assign_team, find_or_create_person, grant_role
from programmes.models import (
    CaseloadBreach,
    Cohort,
    Enrolment,
    EnrolmentExtension,
    EnrolmentPause,
    Programme,
)
from programmes.selectors import can_change_enrolment, can_manage_cohorts


def _require_lead(user: User) -> None:
    if not can_manage_cohorts(user):
        raise PermissionDenied


def create_cohort(*, created_by: User, programme: Programme, name: str, intake_on: date) -> Cohort:
    """Open a cohort on a programme."""
    _require_lead(created_by)
    name = name.strip()
    with transaction.atomic():
        if Cohort.objects.filter(programme=programme, name__iexact=name).exists():
            raise ValidationError(
                {"name": _("There is already a cohort with this name on this programme.")}
            )
        cohort = Cohort(programme=programme, name=name, intake_on=intake_on)
        save_audited(cohort, by=created_by, why="Cohort opened")
    return cohort


def _check_people(*, worker: User | None, supervisor: User | None, assessor: User | None) -> None:
    errors = {}
    if supervisor is not None and not supervisor.has_role(Role.SUPERVISOR):
        errors["supervisor"] = _("%(name)s is not a supervisor.") % {"name": supervisor}
    if assessor is not None and not assessor.has_role(Role.ASSESSOR):
        errors["assessor"] = _("%(name)s is not an assessor.") % {"name": assessor}
    if worker is not None and supervisor is not None and worker.pk == supervisor.pk:
        errors["supervisor"] = _("A worker cannot supervise themselves.")
    if worker is not None and assessor is not None and worker.pk == assessor.pk:
        errors["assessor"] = _("A worker cannot assess themselves.")
    if errors:
        raise ValidationError(errors)


def enrol_worker(
    *,
    enrolled_by: User,
    cohort: Cohort,
    email: str,
    full_name: str,
    team: Team,
    started_on: date,
    fte: Decimal,
    supervisor: User | None = None,
    assessor: User | None = None,
    swe_registration_number: str = "",
    employment_type: str = User.EmploymentType.PERMANENT,
    qualified_on: date | None = None,
) -> Enrolment:
    """Enrol a person (found by email, or created) on a cohort; they become a worker."""
    _require_lead(enrolled_by)
    with transaction.atomic():
        worker, _created = find_or_create_person(
            email=email,
            full_name=full_name,
            team=team,
            swe_registration_number=swe_registration_number,
            employment_type=employment_type,
            qualified_on=qualified_on,
        )
        current = Enrolment.objects.current().filter(worker=worker).select_related("cohort")
        if current:
            raise ValidationError(
                {
                    "email": _(
                        "%(name)s is already enrolled on %(cohort)s. Complete or withdraw that "
                        "enrolment first."
                    )
                    % {"name": worker, "cohort": current[0].cohort}
                }
            )
        _check_people(worker=worker, supervisor=supervisor, assessor=assessor)
        assign_team(user=worker, team=team)
        grant_role(user=worker, role=Role.WORKER, granted_by=enrolled_by)
        enrolment = Enrolment(
            worker=worker,
            cohort=cohort,
            started_on=started_on,
            fte=fte,
            supervisor=supervisor,
            assessor=assessor,
        )
        save_audited(enrolment, by=enrolled_by, why="Enrolled")
    return enrolment


def update_enrolment(
    *,
    changed_by: User,
    enrolment: Enrolment,
    started_on: date,
    fte: Decimal,
    supervisor: User | None,
    assessor: User | None,
    reason: str,
) -> Enrolment:
    """Change the start, FTE, supervisor or assessor, saying why; the history keeps both."""
    if not can_change_enrolment(changed_by, enrolment):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the enrolment is changing.")})
    _check_people(worker=enrolment.worker, supervisor=supervisor, assessor=assessor)
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        enrolment.started_on = started_on
        enrolment.fte = fte
        enrolment.supervisor = supervisor
        enrolment.assessor = assessor
        save_audited(enrolment, by=changed_by, why=reason.strip())
    return enrolment


def end_enrolment(
    *, ended_by: User, enrolment: Enrolment, status: str, ended_on: date, reason: str
) -> Enrolment:
    """Mark an enrolment completed or withdrawn; the worker may then be enrolled again."""
    if not can_change_enrolment(ended_by, enrolment):
        raise PermissionDenied
    errors = {}
    if status not in (Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN):
        errors["status"] = _("Choose completed or withdrawn.")
    if ended_on < enrolment.started_on:
        errors["ended_on"] = _("The end date cannot be before the enrolment started.")
    if ended_on > timezone.localdate():
        errors["ended_on"] = _("The end date must be today or in the past.")
    if not reason.strip():
        errors["reason"] = _("Say why the enrolment is ending.")
    if errors:
        raise ValidationError(errors)
    return _close(enrolment, status=status, ended_on=ended_on, by=ended_by, why=reason.strip())


def close_on_outcome(
    *, decided_by: User, enrolment: Enrolment, passed: bool, ended_on: date, reason: str
) -> Enrolment:
    """The moderation panel's outcome ends the programme: completed on a pass, not passed on a
    fail. Only assessments' final decision calls this; a person ends an enrolment above."""
    if not can_change_enrolment(decided_by, enrolment):
        raise PermissionDenied
    status = Enrolment.Status.COMPLETED if passed else Enrolment.Status.FAILED
    return _close(enrolment, status=status, ended_on=ended_on, by=decided_by, why=reason)


def _close(enrolment: Enrolment, *, status: str, ended_on: date, by: User, why: str) -> Enrolment:
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status != Enrolment.Status.ACTIVE:
            raise ValidationError(_("This enrolment has already ended."), code="ended")
        enrolment.status = status
        enrolment.ended_on = ended_on
        save_audited(enrolment, by=by, why=why)
        # Nothing is protected once the programme ends: a breach left open would stay on the
        # manager's list, and be escalated, for a worker no longer on it.
        for breach in (
            CaseloadBreach.objects.select_for_update().unresolved().filter(enrolment=enrolment)
        ):
            breach.status = CaseloadBreach.Status.RESOLVED
            breach.resolved_by, breach.resolved_at = by, timezone.now()
            breach.resolution_note = _("The programme ended.")
            save_audited(breach, by=by, why="The programme ended")
    return enrolment


def record_pause(
    *,
    recorded_by: User,
    enrolment: Enrolment,
    starts_on: date,
    ends_on: date | None,
    reason: str,
    note: str = "",
) -> EnrolmentPause:
    """Stop the programme clock; every later date moves on by the pause's length."""
    if not can_change_enrolment(recorded_by, enrolment):
        raise PermissionDenied
    with transaction.atomic():
        Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if starts_on < enrolment.started_on:
            raise ValidationError(
                {"starts_on": _("A pause cannot start before the enrolment does.")}
            )
        for other in enrolment.pauses.all():
            if other.ends_on is None:
                raise ValidationError(
                    {"starts_on": _("A pause is already open. Record its last day first.")}
                )
            if starts_on <= other.ends_on and (ends_on is None or ends_on >= other.starts_on):
                raise ValidationError(
                    {
                        "starts_on": _("This pause overlaps one from %(start)s to %(end)s.")
                        % {
                            "start": other.starts_on.strftime("%-d %B %Y"),
                            "end": other.ends_on.strftime("%-d %B %Y"),
                        }
                    }
                )
        pause = EnrolmentPause(
            enrolment=enrolment,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            note=note.strip(),
            recorded_by=recorded_by,
        )
        if ends_on is not None and ends_on < starts_on:
            raise ValidationError({"ends_on": _("The last day cannot be before the first.")})
        save_audited(pause, by=recorded_by, why="Pause recorded")
    return pause


def end_pause(*, recorded_by: User, pause: EnrolmentPause, ends_on: date) -> EnrolmentPause:
    """Record the last day of an open pause."""
    if not can_change_enrolment(recorded_by, pause.enrolment):
        raise PermissionDenied
    if pause.ends_on is not None:
        raise ValidationError({"ends_on": _("This pause already has a last day.")})
    if ends_on < pause.starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first.")})
    with transaction.atomic():
        pause.ends_on = ends_on
        save_audited(pause, by=recorded_by, why="Pause ended")
    return pause


def grant_extension(
    *, approved_by: User, enrolment: Enrolment, weeks: int, reason: str
) -> EnrolmentExtension:
    """Extend the programme; the end date and the final milestones move, nothing else."""
    if not can_change_enrolment(approved_by, enrolment):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the programme is being extended.")})
    extension = EnrolmentExtension(
        enrolment=enrolment, weeks=weeks, reason=reason.strip(), approved_by=approved_by
    )
    with transaction.atomic():
        save_audited(extension, by=approved_by, why="Extension approved")
    return extension
