"""factory_boy factories: the smallest valid objects, built through the models."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from people.models import Role, RoleMembership, ServiceArea, Team, User
from programmes.models import Cohort, Enrolment, Programme
from supervision.models import SupervisionAction, SupervisionAmendment, SupervisionSession

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@council.example")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))  # MD5 in tests: fast

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        for role in extracted or []:
            RoleMembership.objects.create(user=self, role=role)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    service_area = ServiceArea.CHILDREN
    manager = factory.SubFactory(UserFactory, roles=[Role.MANAGER])
    standard_full_caseload = 18


def programme(code: str = "ASYE-CF") -> Programme:
    """The seeded programme: the data migration made every one in DOMAIN.md."""
    return Programme.objects.get(code=code)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.LazyFunction(programme)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    intake_on = date(2026, 9, 7)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    worker = factory.SubFactory(
        UserFactory, roles=[Role.WORKER], team=factory.SubFactory(TeamFactory)
    )
    cohort = factory.SubFactory(CohortFactory)
    started_on = date(2026, 9, 7)
    fte = Decimal("1.00")
    supervisor = factory.SubFactory(UserFactory, roles=[Role.SUPERVISOR])
    assessor = factory.SubFactory(UserFactory, roles=[Role.ASSESSOR])


class SupervisionSessionFactory(factory.django.DjangoModelFactory):
    """A session both have signed, long enough to count; pass `status` and the rest to vary it."""

    class Meta:
        model = SupervisionSession

    enrolment = factory.SubFactory(EnrolmentFactory)
    supervisor = factory.LazyAttribute(lambda session: session.enrolment.supervisor)
    held_on = date(2026, 9, 14)
    minutes = 90
    kind = SupervisionSession.Kind.ONE_TO_ONE
    notes = "Talked through the first allocations and how the worker is settling in."
    status = SupervisionSession.Status.COUNTERSIGNED
    counts_towards_cadence = True
    supervisor_signed_at = factory.LazyFunction(lambda: timezone.now())
    worker_signed_at = factory.LazyAttribute(
        lambda session: (
            timezone.now() if session.status == SupervisionSession.Status.COUNTERSIGNED else None
        )
    )


class SupervisionActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionAction

    session = factory.SubFactory(SupervisionSessionFactory)
    description = "Read the local threshold document before the next session."
    owner = factory.LazyAttribute(lambda action: action.session.enrolment.worker)
    due_on = date(2026, 9, 28)


class SupervisionAmendmentFactory(factory.django.DjangoModelFactory):
    """A correction to a signed session by its supervisor: the length was entered wrongly."""

    class Meta:
        model = SupervisionAmendment

    session = factory.SubFactory(SupervisionSessionFactory)
    amended_by = factory.LazyAttribute(lambda amendment: amendment.session.supervisor)
    reason = "The length was entered wrongly."
    changes = factory.LazyFunction(lambda: {"length in minutes": ["60", "90"]})
