"""Direct observations: who records them, what they judge, and the worker's reflection."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.models import Evidence, Observation, ObservationJudgement, SignOff, Statement
from assessments.services.observations import (
    correct_observation,
    record_observation,
    reflect_on_observation,
)
from people.models import Notification, Role
from programmes.models import Enrolment
from tests.assessments.factories import sign_off, statements_of
from tests.assessments.matrix_observations import observed, returned
from tests.factories import EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _record(enrolment, by, **changes):
    first = statements_of(enrolment)[0]
    values = {
        "recorded_by": by,
        "enrolment": enrolment,
        "occurred_on": date(2026, 10, 5),
        "setting": "  Core group meeting ",
        "what_was_observed": "Chaired the meeting.",
        "judgements": {first.pk: "meets"},
    } | changes
    return record_observation(**values)


@pytest.mark.parametrize("persona", ["assessor", "supervisor", "lead"])
def test_the_assessor_supervisor_or_a_lead_may_record_an_observation(request, enrolment, persona):
    observer = request.getfixturevalue(persona)
    evidence = _record(enrolment, observer)
    assert evidence.kind == Evidence.Kind.OBSERVATION
    assert evidence.author == observer
    assert evidence.observation.observer == observer


@pytest.mark.parametrize("persona", ["worker", "manager", "outsider"])
def test_anyone_else_may_not_record_an_observation(request, enrolment, persona):
    with pytest.raises(PermissionDenied):
        _record(enrolment, request.getfixturevalue(persona))
    assert not Evidence.objects.exists()


def test_a_worker_who_is_also_a_lead_may_not_observe_themself():
    enrolment = EnrolmentFactory()
    enrolment.worker.role_memberships.create(role=Role.LEAD)
    with pytest.raises(PermissionDenied):
        _record(enrolment, enrolment.worker)


def test_an_ended_enrolment_takes_no_new_observation(enrolment):
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)
    enrolment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _record(enrolment, enrolment.assessor)


def test_an_observation_is_submitted_evidence_showing_the_statements_that_meet(enrolment):
    first, second, third = statements_of(enrolment)[:3]
    evidence = _record(
        enrolment,
        enrolment.assessor,
        judgements={first.pk: "meets", second.pk: "not-yet", third.pk: "not-seen"},
    )
    assert evidence.status == Evidence.Status.SUBMITTED
    assert evidence.submitted_at is not None
    assert evidence.title == "Direct observation: Core group meeting"
    assert evidence.occurred_on == date(2026, 10, 5)
    assert list(evidence.statements.all()) == [first]
    judged = {j.statement_id: j.judgement for j in evidence.observation.judgements.all()}
    # "Not seen" is kept: the observer looked for it, which differs from not judging it.
    assert judged == {first.pk: "meets", second.pk: "not-yet", third.pk: "not-seen"}
    assert evidence.observation.setting == "Core group meeting"


def test_an_observation_needs_at_least_one_judgement_and_saves_nothing_without(enrolment):
    with pytest.raises(ValidationError) as refusal:
        _record(enrolment, enrolment.assessor, judgements={})
    assert refusal.value.message_dict == {
        "judgements": ["Give a judgement for at least one statement you observed."]
    }
    assert not Evidence.objects.exists()
    assert not Observation.objects.exists()


def test_a_statement_from_another_framework_is_refused(enrolment):
    own = {s.pk for s in statements_of(enrolment)}
    foreign = Statement.objects.exclude(pk__in=own).first()
    with pytest.raises(ValidationError) as refusal:
        _record(enrolment, enrolment.assessor, judgements={foreign.pk: "meets"})
    assert refusal.value.message_dict == {
        "judgements": ["Judge only the statements of the worker's framework."]
    }
    assert not Evidence.objects.exists()
    assert not ObservationJudgement.objects.exists()


def test_an_observation_in_the_future_is_refused(enrolment):
    with pytest.raises(ValidationError) as refusal:
        _record(enrolment, enrolment.assessor, occurred_on=date(2099, 1, 1))
    assert "occurred_on" in refusal.value.message_dict
    assert not Observation.objects.exists()


def test_the_worker_is_told_when_an_observation_of_them_is_recorded(enrolment):
    evidence = _record(enrolment, enrolment.assessor)
    notification = Notification.objects.get(recipient=enrolment.worker)
    assert notification.kind == "observation-recorded"
    assert notification.link == f"/assessments/observations/{evidence.pk}/reflection/"
    assert "add your reflection" in notification.title


def test_the_worker_adds_and_changes_a_reflection_until_signed_off(enrolment):
    evidence = observed(enrolment)
    reflect_on_observation(
        reflected_by=enrolment.worker, evidence=evidence, worker_reflection=" First. "
    )
    reflect_on_observation(
        reflected_by=enrolment.worker, evidence=evidence, worker_reflection="Two"
    )
    observation = Observation.objects.get(evidence=evidence)
    assert observation.worker_reflection == "Two"
    assert observation.worker_reflected_at is not None
    assert observation.history.first().history_change_reason == "Reflection added by the worker"


@pytest.mark.parametrize("persona", ["assessor", "supervisor", "manager", "lead", "outsider"])
def test_only_the_worker_may_reflect(request, enrolment, persona):
    evidence = observed(enrolment)
    with pytest.raises(PermissionDenied):
        reflect_on_observation(
            reflected_by=request.getfixturevalue(persona),
            evidence=evidence,
            worker_reflection="Mine",
        )


def test_a_signed_off_observation_takes_no_reflection(enrolment):
    evidence = observed(enrolment)
    sign_off(evidence)
    with pytest.raises(PermissionDenied):
        reflect_on_observation(
            reflected_by=enrolment.worker, evidence=evidence, worker_reflection="Late"
        )


def test_an_empty_reflection_is_refused(enrolment):
    with pytest.raises(ValidationError) as refusal:
        reflect_on_observation(
            reflected_by=enrolment.worker, evidence=observed(enrolment), worker_reflection="  "
        )
    assert refusal.value.message_dict == {
        "worker_reflection": ["Write your reflection on the observation."]
    }


def test_the_observer_corrects_a_returned_observation_and_it_is_submitted_again(enrolment):
    evidence = returned(enrolment)
    third = statements_of(enrolment)[2]
    correct_observation(
        corrected_by=enrolment.assessor,
        evidence=evidence,
        occurred_on=date(2026, 10, 6),
        setting="Child protection conference",
        what_was_observed="Presented the report.",
        judgements={third.pk: "meets"},
    )
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SUBMITTED
    assert evidence.times_submitted == 2
    assert evidence.occurred_on == date(2026, 10, 6)
    assert list(evidence.statements.all()) == [third]
    assert [j.statement_id for j in evidence.observation.judgements.all()] == [third.pk]
    assert evidence.observation.setting == "Child protection conference"


def test_only_a_returned_observation_is_corrected_and_only_by_its_observer(enrolment):
    submitted = observed(enrolment)
    values = {
        "occurred_on": date(2026, 10, 6),
        "setting": "Visit",
        "what_was_observed": "Seen",
        "judgements": {statements_of(enrolment)[0].pk: "meets"},
    }
    with pytest.raises(PermissionDenied):
        correct_observation(corrected_by=enrolment.assessor, evidence=submitted, **values)
    sign_off(submitted, decision=SignOff.Decision.RETURNED)
    for someone in (UserFactory(roles=[Role.LEAD]), enrolment.supervisor, enrolment.worker):
        with pytest.raises(PermissionDenied):
            correct_observation(corrected_by=someone, evidence=submitted, **values)
