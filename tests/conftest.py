"""Shared personas: one enrolment and the people around it, plus outsiders to it."""

from uuid import uuid4

import pytest

from people.models import Role
from tests.factories import EnrolmentFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path) -> None:
    """Uploaded files land in a folder of the test's own, never in a developer's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _own_cache(settings) -> None:
    """Each test's pages are kept apart: a test's rolled-back writes hand the next test the same
    keys and revision marks again, as a database restore would (see `make restore`)."""
    default = settings.CACHES["default"]
    settings.CACHES = {**settings.CACHES, "default": {**default, "KEY_PREFIX": uuid4().hex}}


@pytest.fixture
def enrolment(db):
    return EnrolmentFactory()


@pytest.fixture
def worker(enrolment):
    return enrolment.worker


@pytest.fixture
def supervisor(enrolment):
    return enrolment.supervisor


@pytest.fixture
def assessor(enrolment):
    return enrolment.assessor


@pytest.fixture
def manager(enrolment):
    return enrolment.worker.team.manager


@pytest.fixture
def lead(db):
    return UserFactory(roles=[Role.LEAD], full_name="Lead Person")


@pytest.fixture
def outsider(db):
    """Holds every role except lead, but for another team's enrolment."""
    other = EnrolmentFactory()
    person = other.supervisor
    for role in (Role.ASSESSOR, Role.MANAGER, Role.WORKER):
        person.role_memberships.create(role=role)
    other.worker.team.manager = person
    other.worker.team.save()
    return person


@pytest.fixture
def anonymous():
    return None
