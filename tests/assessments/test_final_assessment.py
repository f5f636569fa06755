"""The final assessment and the moderation panel: the rules, and what the outcome does."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments.models import (
    FinalAssessment,
    ModerationDecision,
    Recommendation,
    Standard,
    StandardSummary,
)
from assessments.selectors import framework_for
from assessments.services.reviews import record_final_assessment, record_moderation
from programmes.models import Enrolment, EnrolmentExtension
from programmes.selectors import enrolment_timeline
from tests.assessments.factories import year_end_enrolment

pytestmark = pytest.mark.django_db

Decision = ModerationDecision.Decision


@pytest.fixture
def year_end(db):
    return year_end_enrolment()


def _summaries(enrolment):
    standards = Standard.objects.filter(framework=framework_for(enrolment))
    return {standard.pk: f"Met standard {standard.number}." for standard in standards}


def _final(enrolment, **overrides):
    values = {
        "recorded_by": enrolment.assessor,
        "enrolment": enrolment,
        "recommendation": Recommendation.PASS,
        "summary": "Capable and reflective practitioner.",
        "standard_summaries": _summaries(enrolment),
    }
    return record_final_assessment(**{**values, **overrides})


def _moderate(enrolment, lead, **overrides):
    values = {
        "decided_by": lead,
        "enrolment": enrolment,
        "panel": "Chair, two practice leads",
        "decided_on": timezone.localdate(),
        "decision": Decision.AGREE,
    }
    return record_moderation(**{**values, **overrides})


def test_the_assessor_records_a_summary_against_every_standard(year_end):
    final = _final(year_end)
    assert final.standard_summaries.count() == 10
    assert final.history.get().history_user == year_end.assessor


def test_a_missing_standard_summary_is_refused_and_nothing_is_saved(year_end):
    summaries = _summaries(year_end)
    missing = next(iter(summaries))
    summaries[missing] = " "
    with pytest.raises(ValidationError) as refusal:
        _final(year_end, standard_summaries=summaries)
    assert list(refusal.value.message_dict) == [f"standard_{missing}"]
    assert not FinalAssessment.objects.exists()
    assert not StandardSummary.objects.exists()


def test_extend_needs_the_weeks_recommended(year_end):
    with pytest.raises(ValidationError) as refusal:
        _final(year_end, recommendation=Recommendation.EXTEND)
    assert list(refusal.value.message_dict) == ["extension_weeks"]


def test_the_final_assessment_opens_four_weeks_before_the_final_point(enrolment):
    # The shared enrolment started in September 2026: its final point is a year away.
    with pytest.raises(ValidationError) as refusal:
        _final(enrolment)
    assert refusal.value.code == "too_early"
    assert "four weeks before the final review point" in refusal.value.messages[0]


@pytest.mark.parametrize("persona", ["supervisor", "lead", "worker", "manager"])
def test_only_the_assessor_makes_the_recommendation(request, year_end, persona):
    people = {
        "supervisor": year_end.supervisor,
        "worker": year_end.worker,
        "manager": year_end.worker.team.manager,
        "lead": request.getfixturevalue("lead"),
    }
    with pytest.raises(PermissionDenied):
        _final(year_end, recorded_by=people[persona])


def test_a_second_recommendation_waits_for_the_panel(year_end):
    _final(year_end)
    with pytest.raises(ValidationError) as refusal:
        _final(year_end, recommendation=Recommendation.FAIL)
    assert refusal.value.code == "waiting"


def test_the_panel_agreeing_to_a_pass_completes_the_enrolment(year_end, lead):
    _final(year_end)
    decision = _moderate(year_end, lead)
    year_end.refresh_from_db()
    assert decision.outcome == Recommendation.PASS
    assert (year_end.status, year_end.ended_on) == (
        Enrolment.Status.COMPLETED,
        timezone.localdate(),
    )


def test_the_panel_disagreeing_sets_its_own_outcome_with_reasons(year_end, lead):
    _final(year_end)
    _moderate(
        year_end,
        lead,
        decision=Decision.DISAGREE,
        outcome=Recommendation.FAIL,
        reasons="Evidence of standard 4 is thin.",
    )
    year_end.refresh_from_db()
    assert year_end.status == Enrolment.Status.FAILED


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        pytest.param({"outcome": Recommendation.FAIL}, {"reasons"}, id="no-reasons"),
        pytest.param({"reasons": "Because."}, {"outcome"}, id="no-outcome"),
        pytest.param(
            {"outcome": Recommendation.PASS, "reasons": "Because."},
            {"outcome"},
            id="outcome-same-as-recommendation",
        ),
        pytest.param(
            {"outcome": Recommendation.EXTEND, "reasons": "More time."},
            {"extension_weeks"},
            id="extend-without-weeks",
        ),
    ],
)
def test_a_disagreement_needs_reasons_and_a_different_outcome(year_end, lead, overrides, fields):
    _final(year_end)
    with pytest.raises(ValidationError) as refusal:
        _moderate(year_end, lead, decision=Decision.DISAGREE, **overrides)
    assert set(refusal.value.message_dict) == fields
    assert not ModerationDecision.objects.exists()
    year_end.refresh_from_db()
    assert year_end.status == Enrolment.Status.ACTIVE


def test_no_panel_before_a_recommendation_and_one_per_round(year_end, lead):
    with pytest.raises(ValidationError) as refusal:
        _moderate(year_end, lead)
    assert refusal.value.code == "no_final"
    _final(year_end, recommendation=Recommendation.EXTEND, extension_weeks=8)
    _moderate(year_end, lead)
    with pytest.raises(ValidationError):
        _moderate(year_end, lead)


def test_the_panel_date_cannot_be_before_the_recommendation(year_end, lead):
    _final(year_end)
    with pytest.raises(ValidationError) as refusal:
        _moderate(year_end, lead, decided_on=timezone.localdate() - timedelta(days=1))
    assert list(refusal.value.message_dict) == ["decided_on"]


@pytest.mark.parametrize("persona", ["assessor", "supervisor", "manager"])
def test_only_a_lead_records_the_panel(year_end, persona):
    _final(year_end)
    people = {
        "assessor": year_end.assessor,
        "supervisor": year_end.supervisor,
        "manager": year_end.worker.team.manager,
    }
    with pytest.raises(PermissionDenied):
        _moderate(year_end, people[persona])


def test_an_extension_moves_the_final_point_and_opens_a_second_round(year_end, lead):
    on = timezone.localdate()
    before = enrolment_timeline(year_end, on=on).expected_end_on
    _final(year_end, recommendation=Recommendation.EXTEND, extension_weeks=2)
    _moderate(year_end, lead)
    year_end.refresh_from_db()
    assert year_end.status == Enrolment.Status.ACTIVE
    assert EnrolmentExtension.objects.get(enrolment=year_end).weeks == 2
    assert enrolment_timeline(year_end, on=on).expected_end_on == before + timedelta(weeks=2)
    # After the extension the assessor recommends again; the first round stays in the history.
    second = _final(year_end, recommendation=Recommendation.PASS, summary="Now secure.")
    assert FinalAssessment.objects.count() == 1
    assert second.history.count() == 2
    assert second.history.earliest().recommendation == Recommendation.EXTEND
    _moderate(year_end, lead)
    year_end.refresh_from_db()
    assert year_end.status == Enrolment.Status.COMPLETED
    assert ModerationDecision.objects.filter(final_assessment=second).count() == 2


def test_the_panel_extending_against_a_pass_uses_its_own_weeks(year_end, lead):
    _final(year_end)
    _moderate(
        year_end,
        lead,
        decision=Decision.DISAGREE,
        outcome=Recommendation.EXTEND,
        reasons="Needs more direct observations.",
        extension_weeks=6,
    )
    assert EnrolmentExtension.objects.get(enrolment=year_end).weeks == 6
