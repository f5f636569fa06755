"""Recording reviews and concerns: the rules, who may, and what a refusal leaves behind."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments.models import Concern, Progress, Review
from assessments.services.reviews import (
    CONCERN_OPENED,
    close_concern,
    open_concern,
    record_review,
)
from people.models import Notification, Role
from programmes.models import Enrolment
from tests.assessments.factories import ConcernFactory, ReviewFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _review(enrolment, by, **overrides):
    values = {
        "recorded_by": by,
        "enrolment": enrolment,
        "months": 3,
        "held_on": timezone.localdate(),
        "attendees": "Worker, supervisor, assessor",
        "progress": Progress.ON_TRACK,
        "summary": "Good progress against the standards.",
        "actions": "Book the first observation.",
    }
    return record_review(**{**values, **overrides})


@pytest.mark.parametrize("persona", ["assessor", "supervisor", "lead"])
def test_the_assessor_supervisor_or_a_lead_records_a_review(request, enrolment, persona):
    person = request.getfixturevalue(persona)
    review = _review(enrolment, person)
    assert (review.months, review.is_final, review.recorded_by) == (3, False, person)
    assert review.history.get().history_user == person


@pytest.mark.parametrize("persona", ["worker", "manager", "outsider"])
def test_anyone_else_may_not_record_a_review(request, enrolment, persona):
    with pytest.raises(PermissionDenied):
        _review(enrolment, request.getfixturevalue(persona))
    assert not Review.objects.exists()


def test_no_review_is_recorded_on_an_ended_enrolment(enrolment, assessor):
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.COMPLETED)
    enrolment.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _review(enrolment, assessor)


def test_the_last_review_point_is_the_final_review(enrolment, assessor):
    assert _review(enrolment, assessor, months=12).is_final


@pytest.mark.parametrize("months", [1, 4, 24])
def test_a_month_that_is_not_a_review_point_is_refused(enrolment, assessor, months):
    with pytest.raises(ValidationError) as refusal:
        _review(enrolment, assessor, months=months)
    assert refusal.value.message_dict == {
        "months": ["Choose one of the programme's review points."]
    }


def test_a_review_point_is_recorded_once(enrolment, assessor):
    ReviewFactory(enrolment=enrolment)
    with pytest.raises(ValidationError) as refusal:
        _review(enrolment, assessor)
    assert "already recorded" in refusal.value.message_dict["months"][0]
    assert Review.objects.count() == 1


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        pytest.param(
            timedelta(days=1), "The date must be today or in the past.", id="in-the-future"
        ),
        pytest.param(
            None,
            "The date cannot be before the programme started (7 September 2026).",
            id="before-the-start",
        ),
    ],
)
def test_the_date_held_is_neither_future_nor_before_the_start(
    enrolment, assessor, held_on, message
):
    day = timezone.localdate() + held_on if held_on else enrolment.started_on - timedelta(days=1)
    with pytest.raises(ValidationError) as refusal:
        _review(enrolment, assessor, held_on=day)
    assert refusal.value.message_dict == {"held_on": [message]}
    assert not Review.objects.exists()


def test_causing_concern_opens_a_concern_and_tells_the_manager_and_leads(
    enrolment, assessor, manager, lead, worker
):
    review_on = timezone.localdate() + timedelta(days=28)
    review = _review(
        enrolment,
        assessor,
        progress=Progress.CAUSING_CONCERN,
        concern_reason="Assessments are late.",
        action_plan="Weekly check-in on deadlines.",
        review_on=review_on,
    )
    concern = Concern.objects.get()
    assert (concern.review, concern.reason, concern.review_on, concern.status) == (
        review,
        "Assessments are late.",
        review_on,
        Concern.Status.OPEN,
    )
    told = set(
        Notification.objects.filter(kind=CONCERN_OPENED).values_list("recipient_id", flat=True)
    )
    assert told == {manager.pk, lead.pk}
    assert worker.pk not in told
    assert "Assessments are late." in Notification.objects.filter(recipient=manager).get().body


def test_causing_concern_without_a_plan_saves_neither_review_nor_concern(enrolment, assessor):
    with pytest.raises(ValidationError) as refusal:
        _review(enrolment, assessor, progress=Progress.CAUSING_CONCERN)
    assert set(refusal.value.message_dict) == {"action_plan", "review_on"}
    assert not Review.objects.exists()
    assert not Concern.objects.exists()
    assert not Notification.objects.exists()


def test_a_concern_opened_between_reviews(enrolment, supervisor, manager):
    concern = open_concern(
        opened_by=supervisor,
        enrolment=enrolment,
        reason="Missed two supervisions.",
        action_plan="Fixed fortnightly slot.",
        review_on=timezone.localdate() + timedelta(days=14),
    )
    assert concern.review is None
    assert Notification.objects.filter(recipient=manager, kind=CONCERN_OPENED).exists()


def test_the_plan_review_date_cannot_be_before_it_opens(enrolment, supervisor):
    with pytest.raises(ValidationError) as refusal:
        open_concern(
            opened_by=supervisor,
            enrolment=enrolment,
            reason="Missed two supervisions.",
            action_plan="Fixed fortnightly slot.",
            review_on=timezone.localdate() - timedelta(days=1),
        )
    assert list(refusal.value.message_dict) == ["review_on"]
    assert not Concern.objects.exists()


def test_a_lead_who_opens_a_concern_is_not_told_of_their_own(enrolment):
    lead = UserFactory(roles=[Role.LEAD])
    other_lead = UserFactory(roles=[Role.LEAD])
    open_concern(
        opened_by=lead,
        enrolment=enrolment,
        reason="Late recording.",
        action_plan="Plan.",
        review_on=timezone.localdate() + timedelta(days=7),
    )
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert lead.pk not in told and other_lead.pk in told


def test_a_concern_is_closed_with_its_outcome(enrolment, assessor):
    concern = ConcernFactory(enrolment=enrolment)
    close_concern(closed_by=assessor, concern=concern, outcome="Recording is now on time.")
    concern.refresh_from_db()
    assert (concern.status, concern.closed_by, concern.closed_on) == (
        Concern.Status.CLOSED,
        assessor,
        timezone.localdate(),
    )


def test_a_concern_closes_only_with_an_outcome_and_only_once(enrolment, assessor):
    concern = ConcernFactory(enrolment=enrolment)
    with pytest.raises(ValidationError) as refusal:
        close_concern(closed_by=assessor, concern=concern, outcome="  ")
    assert list(refusal.value.message_dict) == ["outcome"]
    close_concern(closed_by=assessor, concern=concern, outcome="Resolved.")
    with pytest.raises(PermissionDenied):
        close_concern(closed_by=assessor, concern=concern, outcome="Again.")


def test_a_concern_cannot_close_before_it_opened(enrolment, assessor):
    concern = ConcernFactory(enrolment=enrolment)
    with pytest.raises(ValidationError) as refusal:
        close_concern(
            closed_by=assessor,
            concern=concern,
            outcome="Resolved.",
            closed_on=concern.opened_on - timedelta(days=1),
        )
    assert list(refusal.value.message_dict) == ["closed_on"]


@pytest.mark.parametrize("persona", ["worker", "manager"])
def test_the_worker_and_manager_may_not_close_a_concern(request, enrolment, persona):
    concern = ConcernFactory(enrolment=enrolment)
    with pytest.raises(PermissionDenied):
        close_concern(closed_by=request.getfixturevalue(persona), concern=concern, outcome="x")
