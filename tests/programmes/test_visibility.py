"""Who sees which enrolments and cohorts: decided once, by visible_to."""

import pytest
from django.contrib.auth.models import AnonymousUser

from programmes.models import Cohort, Enrolment
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_teams(enrolment):
    """The shared persona's enrolment, plus another team's with its own people."""
    return enrolment, EnrolmentFactory()


@pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor", "manager"])
def test_each_role_sees_only_its_own_enrolment(request, two_teams, persona):
    mine, _other = two_teams
    person = request.getfixturevalue(persona)
    assert list(Enrolment.objects.visible_to(person)) == [mine]
    assert list(Cohort.objects.visible_to(person)) == [mine.cohort]


def test_a_lead_sees_every_enrolment_and_cohort(lead, two_teams):
    assert set(Enrolment.objects.visible_to(lead)) == set(two_teams)
    assert Cohort.objects.visible_to(lead).count() == 2


def test_an_outsider_with_every_other_role_sees_none_of_this_team(outsider, two_teams):
    mine, _other = two_teams
    assert mine not in Enrolment.objects.visible_to(outsider)
    assert mine.cohort not in Cohort.objects.visible_to(outsider)


def test_someone_signed_out_sees_nothing(two_teams):
    assert not Enrolment.objects.visible_to(AnonymousUser()).exists()
    assert not Cohort.objects.visible_to(AnonymousUser()).exists()


def test_a_worker_does_not_see_a_colleague_in_the_same_cohort(enrolment):
    colleague = EnrolmentFactory(cohort=enrolment.cohort)
    assert colleague not in Enrolment.objects.visible_to(enrolment.worker)
