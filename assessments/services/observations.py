"""Direct observations: record one (it lands as submitted evidence), correct it, reflect on it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Evidence, EvidenceStatement, Observation, ObservationJudgement
from assessments.selectors import observations as selectors
from people.audit import save_audited
from people.models import User
from people.notifications import queue_notifications, render_notification
from programmes.models import Enrolment

Judgement = ObservationJudgement.Judgement


def _strip(value: str) -> str:
    return (value or "").strip()


def _checked_judgements(enrolment: Enrolment, judgements: Mapping[int, str]) -> dict[int, str]:
    """Judgements keyed by statement id, each of the enrolment's pinned framework.

    Every judgement given is kept, "not seen" included: it records that the observer looked
    for the statement and did not see it, which is different from not judging it at all.
    """
    allowed = {statement.pk for statement in selectors.observable_statements(enrolment)}
    chosen = {int(pk): value for pk, value in judgements.items() if value}
    if not chosen:
        raise ValidationError(
            {"judgements": _("Give a judgement for at least one statement you observed.")}
        )
    if set(chosen) - allowed:
        raise ValidationError(
            {"judgements": _("Judge only the statements of the worker's framework.")}
        )
    if set(chosen.values()) - set(Judgement.values):
        raise ValidationError({"judgements": _("Choose meets, not yet or not seen.")})
    return chosen


def _title(setting: str) -> str:
    return (_("Direct observation: %(setting)s") % {"setting": setting})[:200]


def _save_judgements(
    observation: Observation, evidence: Evidence, chosen: dict[int, str], *, by: User
) -> None:
    """The judgements, and the evidence's statements: those judged "meets"."""
    for row in observation.judgements.all():
        row._history_user = by
        row.delete()
    for statement_id, value in chosen.items():
        judgement = ObservationJudgement(
            observation=observation, statement_id=statement_id, judgement=value
        )
        save_audited(judgement, by=by, why="Judged in a direct observation")
    EvidenceStatement.objects.filter(evidence=evidence).delete()
    EvidenceStatement.objects.bulk_create(
        EvidenceStatement(evidence=evidence, statement_id=statement_id)
        for statement_id, value in chosen.items()
        if value == Judgement.MEETS
    )


def record_observation(
    *,
    recorded_by: User,
    enrolment: Enrolment,
    occurred_on: date,
    setting: str,
    what_was_observed: str,
    feedback: str = "",
    judgements: Mapping[int, str],
) -> Evidence:
    """Save the observation as evidence awaiting the assessor's sign-off, and tell the worker."""
    if not selectors.can_record_observation(recorded_by, enrolment):
        raise PermissionDenied
    chosen = _checked_judgements(enrolment, judgements)
    setting = _strip(setting)
    now = timezone.now()
    evidence = Evidence(
        enrolment=enrolment,
        author=recorded_by,
        kind=Evidence.Kind.OBSERVATION,
        title=_title(setting),
        occurred_on=occurred_on,
        status=Evidence.Status.SUBMITTED,
        submitted_at=now,
        times_submitted=1,
        created_at=now,
        updated_at=now,
    )
    with transaction.atomic():
        Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
        save_audited(evidence, by=recorded_by, why="Direct observation recorded")
        observation = Observation(
            evidence=evidence,
            observer=recorded_by,
            setting=setting,
            what_was_observed=_strip(what_was_observed),
            feedback=_strip(feedback),
        )
        save_audited(observation, by=recorded_by, why="Direct observation recorded")
        _save_judgements(observation, evidence, chosen, by=recorded_by)
        queue_notifications(
            [
                render_notification(
                    recipient_id=enrolment.worker_id,
                    kind="observation-recorded",
                    subject_key=f"observation-{evidence.pk}-recorded",
                    context={"evidence": evidence, "observation": observation},
                    link=reverse("assessments:observation-reflect", args=[evidence.pk]),
                )
            ]
        )
    return evidence


def correct_observation(
    *,
    corrected_by: User,
    evidence: Evidence,
    occurred_on: date,
    setting: str,
    what_was_observed: str,
    feedback: str = "",
    judgements: Mapping[int, str],
) -> Evidence:
    """The observer corrects a returned observation; it goes back for sign-off."""
    if not selectors.can_correct_observation(corrected_by, evidence):
        raise PermissionDenied
    chosen = _checked_judgements(evidence.enrolment, judgements)
    setting = _strip(setting)
    with transaction.atomic():
        locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
        if locked.status != Evidence.Status.RETURNED:
            raise ValidationError(
                _("This observation is no longer returned for changes. Open it again to see it.")
            )
        now = timezone.now()
        locked.title = _title(setting)
        locked.occurred_on = occurred_on
        locked.status = Evidence.Status.SUBMITTED
        locked.submitted_at = now
        locked.times_submitted += 1
        locked.updated_at = now
        save_audited(locked, by=corrected_by, why="Direct observation corrected and resubmitted")
        observation = Observation.objects.select_for_update().get(evidence=locked)
        observation.setting = setting
        observation.what_was_observed = _strip(what_was_observed)
        observation.feedback = _strip(feedback)
        save_audited(observation, by=corrected_by, why="Direct observation corrected")
        _save_judgements(observation, locked, chosen, by=corrected_by)
    evidence.refresh_from_db()
    return evidence


def reflect_on_observation(
    *, reflected_by: User, evidence: Evidence, worker_reflection: str
) -> Observation:
    """The worker's reflection on an observation of them, changeable until it is signed off."""
    if not selectors.can_reflect_on_observation(reflected_by, evidence):
        raise PermissionDenied
    reflection = _strip(worker_reflection)
    if not reflection:
        raise ValidationError({"worker_reflection": _("Write your reflection on the observation.")})
    with transaction.atomic():
        locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
        if locked.status == Evidence.Status.SIGNED_OFF:
            raise ValidationError(
                _("This observation has been signed off, so your reflection can no longer change.")
            )
        observation = Observation.objects.select_for_update().get(evidence=locked)
        observation.worker_reflection = reflection
        observation.worker_reflected_at = timezone.now()
        save_audited(observation, by=reflected_by, why="Reflection added by the worker")
    return observation
