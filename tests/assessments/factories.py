"""Factories for assessment records. Frameworks come from the seed migration: an ASYE-CF
enrolment starting in September 2026 is pinned to the PQS for child and family practitioners."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone

from assessments.models import (
    Concern,
    Evidence,
    EvidenceStatement,
    Progress,
    Review,
    SignOff,
    Statement,
)
from tests.factories import EnrolmentFactory


def statements_of(enrolment) -> list[Statement]:
    """The statements of the enrolment's pinned framework, in the framework's order."""
    pin = enrolment.framework_pin
    return list(
        Statement.objects.filter(standard__framework=pin.framework).order_by(
            "standard__position", "position"
        )
    )


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A submitted reflection by the enrolment's worker (pass status=... for others)."""

    class Meta:
        model = Evidence
        skip_postgeneration_save = True

    enrolment = factory.SubFactory(EnrolmentFactory)
    author = factory.LazyAttribute(lambda o: o.enrolment.worker)
    kind = Evidence.Kind.REFLECTION
    title = factory.Sequence(lambda n: f"Home visit {n}")
    occurred_on = date(2026, 10, 5)
    what_happened = "I visited the family with my supervisor."
    what_i_learned = "How to explain a plan in plain words."
    what_i_will_do = "Write the plan with the family next time."
    status = Evidence.Status.SUBMITTED
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == Evidence.Status.DRAFT else timezone.now()
    )
    times_submitted = factory.LazyAttribute(lambda o: 0 if o.status == Evidence.Status.DRAFT else 1)

    @factory.post_generation
    def statements(self, create: bool, extracted: list[Statement] | None, **kwargs: object) -> None:
        """statements=[...] tags those; by default the first statement of the framework."""
        if not create:
            return
        chosen = extracted if extracted is not None else statements_of(self.enrolment)[:1]
        EvidenceStatement.objects.bulk_create(
            EvidenceStatement(evidence=self, statement=s) for s in chosen
        )


def sign_off(
    evidence: Evidence, *, by=None, decision: str = SignOff.Decision.SIGNED_OFF
) -> SignOff:
    """Record a decision directly (tests of reads); the services are tested on their own."""
    record = SignOff.objects.create(
        evidence=evidence, assessor=by or evidence.enrolment.assessor, decision=decision
    )
    status = {
        SignOff.Decision.SIGNED_OFF: Evidence.Status.SIGNED_OFF,
        SignOff.Decision.RETURNED: Evidence.Status.RETURNED,
        SignOff.Decision.REVERSED: Evidence.Status.RETURNED,
    }[decision]
    Evidence.objects.filter(pk=evidence.pk).update(status=status)
    evidence.status = status
    return record


def year_end_enrolment(**kwargs):
    """An enrolment whose final review point is a week away: its final assessment is open."""
    from programmes.rules import add_months

    started_on = add_months(timezone.localdate(), -12) + timedelta(days=7)
    return EnrolmentFactory(started_on=started_on, cohort__intake_on=started_on, **kwargs)


class ReviewFactory(factory.django.DjangoModelFactory):
    """A 3-month review, on track, recorded by the enrolment's assessor."""

    class Meta:
        model = Review

    enrolment = factory.SubFactory(EnrolmentFactory)
    months = 3
    held_on = factory.LazyAttribute(lambda o: o.enrolment.started_on + timedelta(days=7))
    attendees = "The worker, their supervisor and assessor."
    progress = Progress.ON_TRACK
    summary = "Settling in well; first assessments written with support."
    recorded_by = factory.LazyAttribute(lambda o: o.enrolment.assessor)


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    enrolment = factory.SubFactory(EnrolmentFactory)
    opened_by = factory.LazyAttribute(lambda o: o.enrolment.assessor)
    opened_on = factory.LazyFunction(timezone.localdate)
    reason = "Recording is late on most cases."
    action_plan = "Weekly case-note check with the supervisor."
    review_on = factory.LazyAttribute(lambda o: o.opened_on + timedelta(days=28))
