"""Audit rows for the assessment models: the service that changes each, and who it names.

`tests/test_audit_history.py` lists these beside its own; each function returns the record a
service changed and the person whose name its latest history row must carry.
"""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from assessments.models import (
    CompletionRecord,
    Concern,
    Evidence,
    FeedbackRequest,
    FinalAssessment,
    Framework,
    FrameworkPin,
    ModerationDecision,
    Observation,
    ObservationJudgement,
    Review,
    StandardSummary,
)
from assessments.services import evidence as evidence_services
from assessments.services import feedback, framework_files, observations, reviews, sign_offs
from assessments.services.frameworks import move_framework
from programmes.services import end_enrolment
from tests.assessments.factories import EvidenceFactory, statements_of, year_end_enrolment

FRAMEWORK_FILE = Path(__file__).parent.parent / "data" / "frameworks" / "nqsw_outcomes_bom.csv"


def _framework(lead, enrolment):
    loaded = framework_files.load_framework_file(
        content=FRAMEWORK_FILE.read_bytes(),
        file_format="csv",
        header={
            "code": "nqsw-outcomes",
            "version": "2008",
            "name": "NQSW outcome statements",
            "effective_from": "2008-09-01",
            "effective_to": "2012-08-31",
        },
        loaded_by=lead,
    )
    return Framework.objects.get(pk=loaded.framework.pk), lead


def _pin(lead, enrolment):
    later = Framework.objects.get(code="early-career-standards")
    return move_framework(moved_by=lead, enrolment=enrolment, framework=later, reason="Moved"), lead


def _evidence(lead, enrolment):
    draft = evidence_services.create_evidence(
        created_by=enrolment.worker,
        enrolment=enrolment,
        kind=Evidence.Kind.REFLECTION,
        title="First visit",
        occurred_on=enrolment.started_on,
    )
    return Evidence.objects.get(pk=draft.pk), enrolment.worker


def _observed(lead, enrolment) -> Evidence:
    statement = statements_of(enrolment)[0]
    return observations.record_observation(
        recorded_by=lead,
        enrolment=enrolment,
        occurred_on=enrolment.started_on,
        setting="A home visit",
        what_was_observed="A calm, clear visit.",
        judgements={statement.pk: "meets"},
    )


def _observation(lead, enrolment):
    return Observation.objects.get(evidence=_observed(lead, enrolment)), lead


def _judgement(lead, enrolment):
    return ObservationJudgement.objects.get(observation__evidence=_observed(lead, enrolment)), lead


def _feedback_request(lead, enrolment):
    asked = feedback.create_feedback_request(
        requested_by=enrolment.assessor,
        enrolment=enrolment,
        giver="person",
        recipient_name="Parent",
        about="our visits",
    )
    return FeedbackRequest.objects.get(pk=asked.feedback_request.pk), enrolment.assessor


def _review(lead, enrolment):
    review = reviews.record_review(
        recorded_by=lead,
        enrolment=enrolment,
        months=3,
        held_on=timezone.localdate(),
        attendees="The worker and the lead",
        progress="on-track",
        summary="Settling in.",
    )
    return review, lead


def _concern(lead, enrolment):
    concern = reviews.open_concern(
        opened_by=lead,
        enrolment=enrolment,
        reason="Little evidence yet.",
        action_plan="Two reflections this month.",
        review_on=timezone.localdate(),
    )
    return concern, lead


def _final(lead, enrolment) -> FinalAssessment:
    enrolment = year_end_enrolment()
    signed = EvidenceFactory(enrolment=enrolment)
    sign_offs.decide(
        assessor=enrolment.assessor,
        evidence=signed,
        decision="signed-off",
        statements=statements_of(enrolment)[:1],
    )
    framework = enrolment.framework_pin.framework
    return reviews.record_final_assessment(
        recorded_by=enrolment.assessor,
        enrolment=enrolment,
        recommendation="pass",
        summary="Meets the standards.",
        standard_summaries={s.pk: "Met." for s in framework.standards.all()},
    )


def _final_assessment(lead, enrolment):
    final = _final(lead, enrolment)
    return final, final.enrolment.assessor


def _standard_summary(lead, enrolment):
    final = _final(lead, enrolment)
    return StandardSummary.objects.filter(final_assessment=final).first(), final.enrolment.assessor


def _moderation(lead, enrolment):
    final = _final(lead, enrolment)
    reviews.record_moderation(
        decided_by=lead,
        enrolment=final.enrolment,
        panel="The lead and two practice supervisors",
        decided_on=timezone.localdate(),
        decision="agree",
    )
    return ModerationDecision.objects.get(final_assessment=final), lead


def _completion_record(lead, enrolment):
    end_enrolment(
        ended_by=lead,
        enrolment=enrolment,
        status="withdrawn",
        ended_on=timezone.localdate(),
        reason="Left the authority",
    )
    return CompletionRecord.objects.get(enrolment=enrolment), lead


SERVICE_FOR = {
    Framework: _framework,
    FrameworkPin: _pin,
    Evidence: _evidence,
    Observation: _observation,
    ObservationJudgement: _judgement,
    FeedbackRequest: _feedback_request,
    Review: _review,
    Concern: _concern,
    FinalAssessment: _final_assessment,
    StandardSummary: _standard_summary,
    ModerationDecision: _moderation,
    CompletionRecord: _completion_record,
}
