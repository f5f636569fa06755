from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from people.models import Role, RoleMembership, Team, User
from programmes.models import (
    CaseloadBreach,
    CaseloadSnapshot,
    Cohort,
    Enrolment,
    ProtectedTimeEntry,
)
from supervision.models import SupervisionAction, SupervisionSession

pytestmark = pytest.mark.django_db

AUDITED = (
    SupervisionSession,
    SupervisionAction,
    CaseloadSnapshot,
    CaseloadBreach,
    ProtectedTimeEntry,
)


def _counts() -> tuple[int, ...]:
    models = (User, Team, RoleMembership, Cohort, Enrolment, *AUDITED)
    history = tuple(model.history.model for model in AUDITED)
    return tuple(model.objects.count() for model in (*models, *history))


def test_the_demo_council_has_teams_cohorts_and_a_person_in_every_role():
    call_command("seed_demo", "--force", stdout=StringIO())
    assert Team.objects.count() == 3
    asye = Cohort.objects.get(name="ASYE September 2026")
    assert (asye.programme.code, asye.intake_on.isoformat()) == ("ASYE-CF", "2026-09-07")
    assert asye.enrolments.count() == 12
    assert Cohort.objects.filter(programme__code="SWIP").exists()
    for login, role in [
        ("lead", Role.LEAD),
        ("manager", Role.MANAGER),
        ("supervisor", Role.SUPERVISOR),
        ("assessor", Role.ASSESSOR),
        ("worker", Role.WORKER),
    ]:
        request = RequestFactory().post("/accounts/login/")  # django-axes counts per request
        email = f"{login}@demo.example"
        person = authenticate(request, email=email, password=settings.DEMO_PASSWORD)
        assert person is not None and person.has_role(role), login


def test_running_the_demo_twice_adds_nothing():
    call_command("seed_demo", "--force", stdout=StringIO())
    first = _counts()
    # The supervision and caseload histories are there, and not added twice.
    assert all(first[5 : 5 + len(AUDITED)])
    call_command("seed_demo", "--force", stdout=StringIO())
    assert _counts() == first


def test_the_demo_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_the_demo_workers_carry_registrations_and_two_are_flagged_under_the_agency_rule():
    from django.utils import timezone

    from programmes.selectors.workforce import agency_rule_flags

    call_command("seed_demo", "--force", stdout=StringIO())

    workers = User.objects.filter(enrolments__isnull=False)
    assert not workers.filter(qualified_on__isnull=True).exists()
    assert not workers.filter(swe_registration_number="").exists()
    flagged = agency_rule_flags(Enrolment.objects.all(), on=timezone.localdate())
    assert sorted(flag.enrolment.worker.full_name for flag in flagged) == [
        "Isaac Ward",
        "Kwame Asante",
    ]
