"""Reads for a moderation sample: the finished portfolios a lead may draw one from."""

from __future__ import annotations

from django.db.models import QuerySet

from people.models import Role, User
from programmes.models import Cohort, Enrolment, Programme

# A sample pack is read by a panel in one sitting: more portfolios than this is a second sample.
MOST_IN_A_SAMPLE = 20
FINISHED = (Enrolment.Status.COMPLETED, Enrolment.Status.FAILED)


def can_prepare_moderation_sample(user: User) -> bool:
    """A programme lead prepares the samples the moderation panel reads."""
    return user.is_authenticated and user.has_role(Role.LEAD)


def finished_portfolios(
    user: User, *, programme: Programme | None = None, cohort: Cohort | None = None
) -> QuerySet[Enrolment]:
    """Enrolments that passed or did not, with a final assessment on record: one query, with
    the worker, cohort, programme and final assessment joined in."""
    enrolments = Enrolment.objects.visible_to(user).filter(
        status__in=FINISHED, final_assessment__isnull=False
    )
    if programme is not None:
        enrolments = enrolments.filter(cohort__programme=programme)
    if cohort is not None:
        enrolments = enrolments.filter(cohort=cohort)
    return enrolments.select_related("worker", "cohort__programme", "final_assessment").order_by(
        "cohort__programme__code", "cohort__name", "worker__full_name", "pk"
    )
