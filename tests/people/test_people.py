import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError
from django.test import RequestFactory

from people.models import Role, RoleMembership, Team, User
from people.services import create_team, find_or_create_person, grant_role, revoke_role
from tests.factories import PASSWORD, EnrolmentFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_people_sign_in_with_their_email_in_any_case():
    person = UserFactory(email="helen.carter@council.example")
    request = RequestFactory().post("/accounts/login/")  # django-axes counts per request
    assert authenticate(request, email="Helen.Carter@Council.example", password=PASSWORD) == person


def test_two_accounts_cannot_share_an_email_in_different_cases():
    UserFactory(email="sam@council.example")
    with pytest.raises(IntegrityError):
        UserFactory(email="SAM@council.example")


def test_one_person_may_hold_several_roles():
    person = UserFactory(roles=[Role.SUPERVISOR, Role.ASSESSOR])
    assert person.roles == {Role.SUPERVISOR, Role.ASSESSOR}
    assert person.has_role(Role.ASSESSOR) and not person.has_role(Role.LEAD)


def test_granting_a_role_twice_keeps_one_membership_and_one_history_row():
    person, lead = UserFactory(), UserFactory(roles=[Role.LEAD])
    grant_role(user=person, role=Role.SUPERVISOR, granted_by=lead)
    grant_role(user=person, role=Role.SUPERVISOR, granted_by=lead)
    assert RoleMembership.objects.filter(user=person).count() == 1
    history = RoleMembership.history.filter(user=person)
    assert [(h.history_type, h.history_user) for h in history] == [("+", lead)]
    assert person.has_role(Role.SUPERVISOR)


def test_revoking_a_role_leaves_a_history_row_naming_who():
    lead = UserFactory(roles=[Role.LEAD])
    person = UserFactory(roles=[Role.ASSESSOR])
    revoke_role(user=person, role=Role.ASSESSOR, revoked_by=lead)
    assert not person.has_role(Role.ASSESSOR)
    assert RoleMembership.history.filter(history_type="-").get().history_user == lead


def test_a_team_gets_the_service_area_default_full_caseload():
    children = create_team(name="Front Door")
    adults = create_team(name="Hospital Discharge", service_area="adults")
    assert (children.standard_full_caseload, adults.standard_full_caseload) == (18, 25)


def test_a_team_manager_holds_the_manager_role():
    manager = UserFactory()
    create_team(name="Fostering", manager=manager)
    assert manager.has_role(Role.MANAGER)


def test_find_or_create_person_reuses_an_account_whatever_the_case():
    existing = UserFactory(email="ana@council.example")
    found, created = find_or_create_person(email=" ANA@Council.Example ", full_name="Ana")
    assert (found, created) == (existing, False)
    new, created = find_or_create_person(email="new@council.example", full_name="New Person")
    assert created and not new.has_usable_password()


class TestVisibility:
    def test_a_lead_sees_every_team_and_person(self):
        lead = UserFactory(roles=[Role.LEAD])
        TeamFactory.create_batch(2)
        assert Team.objects.visible_to(lead).count() == Team.objects.count()
        assert User.objects.visible_to(lead).count() == User.objects.count()

    def test_a_manager_sees_their_teams_and_members_only(self):
        mine, other = EnrolmentFactory(), EnrolmentFactory()
        manager = mine.worker.team.manager
        assert list(Team.objects.visible_to(manager)) == [mine.worker.team]
        visible_people = set(User.objects.visible_to(manager))
        assert mine.worker in visible_people and other.worker not in visible_people

    def test_a_worker_sees_only_themselves_and_their_own_team(self):
        enrolment = EnrolmentFactory()
        worker = enrolment.worker
        assert list(User.objects.visible_to(worker)) == [worker]
        assert list(Team.objects.visible_to(worker)) == [worker.team]
        assert set(RoleMembership.objects.visible_to(worker)) == set(worker.role_memberships.all())
