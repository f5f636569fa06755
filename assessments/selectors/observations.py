"""Reads for direct observations: who may record, correct and reflect on one, and the pages."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from assessments.models import Evidence, ObservationJudgement, Statement
from assessments.selectors import framework_for
from people.models import Role, User
from programmes.models import Enrolment


def can_record_observation(user: User, enrolment: Enrolment) -> bool:
    """The enrolment's assessor, its supervisor (the practice educator), or a lead observes.

    Never the worker themself, and only while the enrolment is active.
    """
    if not user.is_authenticated or enrolment.status != Enrolment.Status.ACTIVE:
        return False
    if enrolment.worker_id == user.pk:
        return False
    observers = (enrolment.assessor_id, enrolment.supervisor_id)
    return user.pk in observers or user.has_role(Role.LEAD)


def can_correct_observation(user: User, evidence: Evidence) -> bool:
    """A returned observation is its observer's to correct and send again."""
    observation = getattr(evidence, "observation", None)
    return (
        user.is_authenticated
        and observation is not None
        and evidence.status == Evidence.Status.RETURNED
        and observation.observer_id == user.pk
    )


def can_reflect_on_observation(user: User, evidence: Evidence) -> bool:
    """The observed worker writes (and may change) their reflection until it is signed off."""
    return (
        user.is_authenticated
        and evidence.kind == Evidence.Kind.OBSERVATION
        and hasattr(evidence, "observation")
        and evidence.enrolment.worker_id == user.pk
        and evidence.status != Evidence.Status.SIGNED_OFF
    )


def observable_statements(enrolment: Enrolment) -> list[Statement]:
    """The statements of the enrolment's pinned framework, in the framework's order."""
    framework = framework_for(enrolment)
    if framework is None:
        return []
    return list(
        Statement.objects.filter(standard__framework=framework)
        .select_related("standard")
        .order_by("standard__position", "standard_id", "position", "pk")
    )


def observation_evidence(user: User) -> QuerySet[Evidence]:
    """Observations this person may see, with their observer and judgements loaded."""
    judgements = ObservationJudgement.objects.select_related("statement__standard")
    return (
        Evidence.objects.visible_to(user)
        .filter(kind=Evidence.Kind.OBSERVATION, observation__isnull=False)
        .select_related(
            "enrolment__worker", "enrolment__cohort__programme", "observation__observer"
        )
        .prefetch_related(Prefetch("observation__judgements", queryset=judgements))
    )
