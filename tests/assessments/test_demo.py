"""The demo council's assessment stories: a spread of progress a person can walk in the browser."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments import selectors
from assessments.models import (
    Concern,
    Evidence,
    FeedbackRequest,
    FinalAssessment,
    Observation,
    Review,
    SignOff,
)
from assessments.selectors import reviews as review_selectors
from programmes.models import Enrolment
from programmes.selectors import enrolments_for_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", "--force", stdout=StringIO())


def _enrolment(login: str) -> Enrolment:
    return enrolments_for_list(Enrolment.objects.filter(worker__email=f"{login}@demo.example"))[0]


def test_some_workers_are_ahead_and_some_behind(demo):
    ahead = selectors.coverage_of(_enrolment("worker2"))
    behind = selectors.coverage_of(_enrolment("worker5"))
    typical = selectors.coverage_of(_enrolment("worker4"))

    assert ahead.evidenced > typical.evidenced >= behind.evidenced == 0
    assert Evidence.objects.filter(enrolment=_enrolment("worker5"), status="draft").count() == 1


def test_one_worker_has_an_open_concern_with_a_plan(demo):
    concerns = Concern.objects.filter(status=Concern.Status.OPEN)
    assert [c.enrolment.worker.full_name for c in concerns] == ["Kwame Asante"]
    assert concerns[0].action_plan and concerns[0].review_on > timezone.localdate()


def test_one_worker_awaits_her_final_assessment_with_every_statement_triangulated(demo):
    maya = _enrolment("final1")
    coverage = selectors.coverage_of(maya)
    schedule = review_selectors.review_schedule(maya, on=timezone.localdate())

    assert coverage.statements and coverage.triangulated == coverage.statements
    assert all(requirement.met for requirement in coverage.requirements)
    assert sorted(Review.objects.filter(enrolment=maya).values_list("months", flat=True)) == [
        3,
        6,
        9,
    ]
    assert not FinalAssessment.objects.filter(enrolment=maya).exists()
    assert review_selectors.final_opens_on(schedule) <= timezone.localdate()


def test_the_journey_worker_has_a_little_of_everything(demo):
    alex = _enrolment("worker")
    statuses = sorted(Evidence.objects.filter(enrolment=alex).values_list("status", flat=True))

    assert statuses.count("signed-off") == 2
    assert {"draft", "submitted", "returned"} <= set(statuses)
    observation = Observation.objects.get(evidence__enrolment=alex)
    assert observation.worker_reflection == ""  # for Alex to write
    assert FeedbackRequest.objects.usable().filter(enrolment=alex).count() == 1


def test_running_the_demo_again_adds_no_assessment_records(demo):
    counts = [model.objects.count() for model in (Evidence, SignOff, Review, Concern)]
    call_command("seed_demo", "--force", stdout=StringIO())
    assert [model.objects.count() for model in (Evidence, SignOff, Review, Concern)] == counts
