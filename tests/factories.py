"""factory_boy factories: the smallest valid objects, built through the models."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password

from people.models import Role, RoleMembership, ServiceArea, Team, User
from programmes.models import Cohort, Enrolment, Programme

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
