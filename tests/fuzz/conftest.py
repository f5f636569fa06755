"""The API under fuzzing: Django's WSGI app in this process, one token per persona.

schemathesis calls the app through its WSGI transport: no socket, no server thread, and the
requests run inside the test's own transaction, which rolls back whatever a lead's fuzzed
POST or PATCH wrote.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig

from people.models import Role, Team, User
from programmes.models import CaseloadBreach, CaseloadSnapshot, Cohort, Enrolment, Programme
from programmes.selectors import enrolment_timeline
from supervision.models import SupervisionAction, SupervisionSession
from tests.factories import (
    EnrolmentFactory,
    SupervisionActionFactory,
    SupervisionSessionFactory,
    UserFactory,
)

PERSONAS = ("worker", "supervisor", "assessor", "manager", "lead")
EXAMPLES_PER_OPERATION = 25

CONFIG = SchemathesisConfig.from_dict(
    {
        # The same cases every run, so a red CI can be reproduced. To explore further, change
        # the seed (or raise max-examples) locally and run tests/fuzz.
        "seed": 20261123,
        "generation": {
            "mode": "all",  # valid input and invalid input alike
            "max-examples": EXAMPLES_PER_OPERATION,
            "database": "none",  # nothing written under .hypothesis/
        },
        "phases": {"stateful": {"enabled": False}},
    }
)


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's own WSGI handler, called in this thread inside the test's transaction.

    A real server closes the database connection when each request starts and finishes;
    inside the test's transaction that would throw the transaction away. Django's test client
    holds the same two signals back in the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass(frozen=True)
class KnownIds:
    """Ids of real objects, by the API resource or request field that names them."""

    by_name: dict[str, list[int]]

    def aim(self, name: str, value: object) -> object:
        """Turn a modest generated id into a known one; leave any other value as generated.

        Random ids almost never exist, so without this nearly every case would stop at 404
        and a lead's PATCH would never reach the service. Huge, negative, fractional and
        non-numeric ids still go through untouched.
        """
        ids = self.by_name.get(name)
        is_digits = isinstance(value, str) and value.isascii() and value.isdigit()
        if not ids or not (type(value) is int or is_digits) or not 0 <= int(value) < 2**16:
            return value
        aimed = ids[int(value) % len(ids)]
        return aimed if type(value) is int else str(aimed)


@pytest.fixture
def known_ids(enrolment: Enrolment) -> KnownIds:
    """The persona's own enrolment, another team's, one that does not exist, and the people
    and teams a lead could name; sessions at each stage, and their actions; caseload figures
    and breaches on both enrolments."""
    other = EnrolmentFactory()
    spare_supervisor = UserFactory(roles=[Role.SUPERVISOR])
    spare_assessor = UserFactory(roles=[Role.ASSESSOR])
    missing = Enrolment.objects.order_by("-pk").values_list("pk", flat=True)[0] + 10_000
    stage = SupervisionSession.Status
    sessions = [
        SupervisionSessionFactory(
            enrolment=enrolment,
            status=stage.DRAFT,
            supervisor_signed_at=None,
            held_on=date(2026, 9, 21),
        ),
        SupervisionSessionFactory(enrolment=enrolment, status=stage.SIGNED),
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 9, 8)),
        SupervisionSessionFactory(enrolment=other),
    ]
    actions = [SupervisionActionFactory(session=session) for session in sessions]
    snapshots = [
        CaseloadSnapshot.objects.create(
            enrolment=owner, as_of=date(2026, 10, 5), open_cases=12, source="manual"
        )
        for owner in (enrolment, other)
    ]
    # Open ones to acknowledge or resolve, and one already resolved (a 403 to work).
    breaches = [
        CaseloadBreach.objects.create(
            enrolment=owner,
            detected_on=date(2026, 10, 6),
            snapshot_on=date(2026, 10, 5),
            open_cases=12,
            cap=9,
            child_protection_cases=0,
            limits=["open-cases"],
            status=state,
        )
        for owner, state in ((enrolment, "open"), (enrolment, "resolved"), (other, "open"))
    ]
    teams = list(Team.objects.order_by("pk").values_list("pk", flat=True))
    return KnownIds(
        {
            "enrolments": [enrolment.pk, other.pk, missing],
            "cohorts": [enrolment.cohort_id, other.cohort_id, missing],
            "programmes": [*Programme.objects.order_by("pk").values_list("pk", flat=True), missing],
            "cohort": [enrolment.cohort_id, other.cohort_id, missing],
            "team": [*teams, missing],
            "supervisor": [spare_supervisor.pk, enrolment.supervisor_id, other.supervisor_id],
            "assessor": [spare_assessor.pk, enrolment.assessor_id, other.assessor_id],
            "supervision-sessions": [*(session.pk for session in sessions), missing],
            "supervision-actions": [*(action.pk for action in actions), missing],
            "caseload-snapshots": [*(snapshot.pk for snapshot in snapshots), missing],
            "caseload-breaches": [*(breach.pk for breach in breaches), missing],
        }
    )


@pytest.fixture(params=PERSONAS)
def api_headers(request: pytest.FixtureRequest, known_ids: KnownIds) -> Iterator[dict[str, str]]:
    """Signed in with a token as one persona, holding their role for their own enrolment.

    After the run, whatever the persona managed to write must still make sense.
    """
    person: User = request.getfixturevalue(request.param)
    yield {"Authorization": f"Token {Token.objects.create(user=person).key}"}
    _assert_the_data_still_makes_sense()


def _assert_the_data_still_makes_sense() -> None:
    today = timezone.localdate()
    for enrolment in Enrolment.objects.select_related("cohort__programme", "worker"):
        enrolment.full_clean()
        enrolment_timeline(enrolment, on=today)  # every page that shows it can compute it
    for cohort in Cohort.objects.all():
        cohort.full_clean()
    for person in User.objects.all():
        person.full_clean()
    for session in SupervisionSession.objects.select_related("enrolment"):
        session.full_clean()
    for action in SupervisionAction.objects.all():
        action.full_clean()
    for snapshot in CaseloadSnapshot.objects.all():
        snapshot.full_clean()
    for breach in CaseloadBreach.objects.all():
        breach.full_clean()


@pytest.fixture
def api_schema(wsgi_app: WSGIHandler, api_headers: dict[str, str]) -> object:
    """The schema as the app serves it to this persona, bound to the app for every call."""
    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", wsgi_app, headers=api_headers, config=CONFIG
    )
