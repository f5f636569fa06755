"""Objects across boundaries: another team's object is not found, whoever asks for it.

For every route whose URL names an object, each persona (the worker, supervisor, assessor and
manager of their own team's enrolment) asks for another team's object, by every method the
route takes, and gets 404: never 200 (a leak), 403 (which admits the object exists) or 500.
The lead, who sees every team, gets 200 on the same addresses: the objects are real.

A route with arguments that has no row in OTHER_TEAMS and is not in EXEMPT fails
`test_every_route_with_arguments_is_covered_or_exempt`: add a row for it.

Below those, the API's write boundary: which fields a role may set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from people.models import Notification, User
from programmes.models import (
    CaseloadBreach,
    CaseloadSnapshot,
    Enrolment,
    EnrolmentDocument,
    EnrolmentPause,
)
from programmes.services import add_document
from supervision.models import SupervisionAction, SupervisionSession
from tests.assessments import boundaries as assessment_boundaries
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    SupervisionActionFactory,
    SupervisionSessionFactory,
    TeamFactory,
)
from tests.programmes import boundaries as reporting_boundaries

PERSONAS = ("worker", "supervisor", "assessor", "manager")
PDF_BYTES = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


class Elsewhere:
    """Another team's enrolment and what hangs off it, made when a row first asks for it."""

    def __init__(self, lead: User) -> None:
        self.lead = lead

    @cached_property
    def enrolment(self) -> Enrolment:
        return EnrolmentFactory()

    @cached_property
    def pause(self) -> EnrolmentPause:
        return EnrolmentPause.objects.create(
            enrolment=self.enrolment,
            starts_on=date(2026, 10, 1),
            reason=EnrolmentPause.Reason.SICKNESS,
            recorded_by=self.enrolment.supervisor,
        )

    @cached_property
    def document(self) -> EnrolmentDocument:
        return add_document(
            uploaded_by=self.lead,
            enrolment=self.enrolment,
            kind=EnrolmentDocument.Kind.LEARNING_AGREEMENT,
            title="Learning agreement",
            upload=SimpleUploadedFile("agreement.pdf", PDF_BYTES, "application/pdf"),
        )

    @cached_property
    def session(self) -> SupervisionSession:
        """Signed by both; the lead's own draft and a session awaiting the worker beside it."""
        return SupervisionSessionFactory(enrolment=self.enrolment)

    @cached_property
    def signed_session(self) -> SupervisionSession:
        return SupervisionSessionFactory(
            enrolment=self.enrolment,
            status=SupervisionSession.Status.SIGNED,
            held_on=date(2026, 9, 21),
        )

    @cached_property
    def draft(self) -> SupervisionSession:
        # The lead's draft (a lead may record for any enrolment), so the control can open it.
        return SupervisionSessionFactory(
            enrolment=self.enrolment,
            supervisor=self.lead,
            status=SupervisionSession.Status.DRAFT,
            supervisor_signed_at=None,
            held_on=date(2026, 9, 28),
        )

    @cached_property
    def draft_action(self) -> SupervisionAction:
        return SupervisionActionFactory(session=self.draft)

    @cached_property
    def action(self) -> SupervisionAction:
        return SupervisionActionFactory(session=self.session)

    @cached_property
    def notification(self) -> Notification:
        return Notification.objects.create(
            recipient=self.enrolment.worker,
            kind="supervision-due",
            subject_key=f"enrolment-{self.enrolment.pk}-due",
            title="Supervision is due",
            body="Supervision is due on Monday.",
        )

    @cached_property
    def snapshot(self) -> CaseloadSnapshot:
        return CaseloadSnapshot.objects.create(
            enrolment=self.enrolment, as_of=date(2026, 9, 21), open_cases=12, source="manual"
        )

    @cached_property
    def breach(self) -> CaseloadBreach:
        return CaseloadBreach.objects.create(
            enrolment=self.enrolment,
            detected_on=date(2026, 9, 22),
            snapshot_on=self.snapshot.as_of,
            open_cases=12,
            cap=9,
            child_protection_cases=0,
            limits=["open-cases"],
        )


@dataclass(frozen=True)
class Ask:
    """How a route names another team's object, and which methods to try on it."""

    args: Callable[[Elsewhere], list]
    methods: tuple[str, ...] = ("get", "post")
    # What the lead, who sees every team, gets on a GET: 200; 403 where only another person may
    # act (a worker countersigning their own record); 405 for an address that only takes POST.
    lead_sees: int = 200


OTHER_TEAMS: dict[str, tuple[Ask, ...]] = {
    "programmes:cohort-detail": (Ask(lambda e: [e.enrolment.cohort_id]),),
    "programmes:cohort-export": (Ask(lambda e: [e.enrolment.cohort_id]),),
    "programmes:enrolment-create": (Ask(lambda e: [e.enrolment.cohort_id]),),
    "programmes:enrolment-detail": (Ask(lambda e: [e.enrolment.pk]),),
    "programmes:enrolment-update": (Ask(lambda e: [e.enrolment.pk]),),
    "programmes:enrolment-end": (Ask(lambda e: [e.enrolment.pk]),),
    "programmes:pause-create": (Ask(lambda e: [e.enrolment.pk]),),
    "programmes:pause-end": (Ask(lambda e: [e.enrolment.pk, e.pause.pk]),),
    "programmes:extension-create": (Ask(lambda e: [e.enrolment.pk]),),
    "programmes:document-create": (Ask(lambda e: [e.enrolment.pk]),),
    "programmes:document-download": (Ask(lambda e: [e.enrolment.pk, e.document.pk]),),
    "programmes:document-remove": (Ask(lambda e: [e.enrolment.pk, e.document.pk]),),
    "people:subject-access": (
        Ask(lambda e: [e.enrolment.worker_id]),
        Ask(lambda e: [e.enrolment.worker.team.manager_id]),
    ),
    "record-history": (
        Ask(lambda e: ["programmes", "enrolment", e.enrolment.pk]),
        Ask(lambda e: ["programmes", "cohort", e.enrolment.cohort_id]),
        Ask(lambda e: ["programmes", "enrolmentpause", e.pause.pk]),
        Ask(lambda e: ["programmes", "enrolmentdocument", e.document.pk]),
        Ask(lambda e: ["people", "rolemembership", e.enrolment.worker.role_memberships.get().pk]),
        Ask(lambda e: ["supervision", "supervisionsession", e.session.pk]),
        Ask(lambda e: ["supervision", "supervisionaction", e.action.pk]),
        Ask(lambda e: ["programmes", "caseloadsnapshot", e.snapshot.pk]),
        Ask(lambda e: ["programmes", "caseloadbreach", e.breach.pk]),
    ),
    "programmes:caseload": (Ask(lambda e: [e.enrolment.pk]),),
    "programmes:caseload-record": (Ask(lambda e: [e.enrolment.pk]),),
    "programmes:protected-time-create": (Ask(lambda e: [e.enrolment.pk]),),
    "programmes:breach-acknowledge": (Ask(lambda e: [e.breach.pk]),),
    "programmes:breach-resolve": (Ask(lambda e: [e.breach.pk]),),
    "api:caseload-snapshot-detail": (Ask(lambda e: [e.snapshot.pk], methods=("get",)),),
    "api:caseload-breach-detail": (Ask(lambda e: [e.breach.pk], methods=("get",)),),
    "api:caseload-breach-acknowledge": (
        Ask(lambda e: [e.breach.pk], methods=("post",), lead_sees=405),
    ),
    "api:caseload-breach-resolve": (
        Ask(lambda e: [e.breach.pk], methods=("post",), lead_sees=405),
    ),
    "supervision:enrolment-sessions": (Ask(lambda e: [e.enrolment.pk]),),
    "supervision:session-create": (Ask(lambda e: [e.enrolment.pk]),),
    "supervision:session-detail": (Ask(lambda e: [e.session.pk]), Ask(lambda e: [e.draft.pk])),
    "supervision:session-edit": (Ask(lambda e: [e.draft.pk]),),
    "supervision:session-sign": (Ask(lambda e: [e.draft.pk]),),
    "supervision:session-countersign": (Ask(lambda e: [e.signed_session.pk], lead_sees=403),),
    "supervision:session-amend": (Ask(lambda e: [e.session.pk]),),
    "supervision:action-create": (Ask(lambda e: [e.draft.pk]),),
    "supervision:action-remove": (Ask(lambda e: [e.draft_action.pk]),),
    "supervision:action-done": (Ask(lambda e: [e.action.pk]),),
    "api:cohort-detail": (Ask(lambda e: [e.enrolment.cohort_id], methods=("get",)),),
    "api:supervision-session-detail": (
        Ask(lambda e: [e.session.pk], methods=("get", "patch")),
        Ask(lambda e: [e.draft.pk], methods=("get", "patch")),
    ),
    "api:supervision-session-sign": (
        Ask(lambda e: [e.draft.pk], methods=("post",), lead_sees=405),
    ),
    "api:supervision-session-countersign": (
        Ask(lambda e: [e.signed_session.pk], methods=("post",), lead_sees=405),
    ),
    "api:supervision-session-amend": (
        Ask(lambda e: [e.session.pk], methods=("post",), lead_sees=405),
    ),
    "api:supervision-action-detail": (Ask(lambda e: [e.action.pk], methods=("get",)),),
    "api:supervision-action-complete": (
        Ask(lambda e: [e.action.pk], methods=("post",), lead_sees=405),
    ),
    "api:enrolment-detail": (Ask(lambda e: [e.enrolment.pk], methods=("get", "patch")),),
    "people:notification-read": (
        Ask(lambda e: [e.notification.pk], methods=("post",), lead_sees=405),
    ),
    "api:notification-read": (
        Ask(lambda e: [e.notification.pk], methods=("post",), lead_sees=405),
    ),
    **{
        route: tuple(Ask(**ask) for ask in asks)
        for part in (assessment_boundaries, reporting_boundaries)
        for route, asks in part.OTHER_TEAMS.items()
    },
}
EXEMPT: dict[str, str] = {
    **assessment_boundaries.EXEMPT,
    **reporting_boundaries.EXEMPT,
    # Programme rules are no secret: anyone signed in may read them (Programme.visible_to).
    "programmes:programme-detail": "programmes are not any team's",
    "programmes:programme-variant-create": "programmes are not any team's; lead-only (matrix)",
    "api:programme-detail": "programmes are not any team's",
    # Names a one-time token, not an object; a wrong token gets the "link expired" page.
    "people:password-reset-confirm": "a signed token, not an object",
    "people:invitation-accept": "a signed token, not an object",
    # A notification is its recipient's alone: 404 to everyone else, a lead too (matrix).
    "api:notification-detail": "a person's own, not a team's: 404 to all but its recipient",
    # Lead-only whatever the id: 403 to anyone else before any lookup (matrix).
    "people:notification-retry": "lead-only; 403 to everyone else for any id",
    "people:invitation-resend": "lead-only; 403 to everyone else for any id",
}


def _routes(patterns: list, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            full = f"{namespace}:{inner}" if namespace and inner else namespace or inner
            yield from _routes(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}:{pattern.name}" if namespace else str(pattern.name)), pattern


def _routes_with_arguments() -> set[str]:
    return {
        name
        for name, pattern in _routes(get_resolver().url_patterns)
        if pattern.pattern.regex.groups and not name.startswith("admin:")
    }


def test_every_route_with_arguments_is_covered_or_exempt():
    routes = _routes_with_arguments()
    assert not set(OTHER_TEAMS) & set(EXEMPT)
    assert routes - set(OTHER_TEAMS) - set(EXEMPT) == set(), "add a row to OTHER_TEAMS or EXEMPT"
    assert set(OTHER_TEAMS) | set(EXEMPT) <= routes, "a row names a route that is gone"


def _asks() -> list:
    return [
        pytest.param(route, index, id=f"{route}-{index}" if len(asks) > 1 else route)
        for route, asks in sorted(OTHER_TEAMS.items())
        for index in range(len(asks))
    ]


def _call(client, method: str, url: str) -> int:
    if method == "patch":
        return client.patch(url, {"fte": "0.5", "reason": "x"}, "application/json").status_code
    return getattr(client, method)(url).status_code


@pytest.mark.parametrize(("route", "index"), _asks())
def test_another_teams_object_is_not_found_by_any_role(client, request, lead, route, index):
    ask = OTHER_TEAMS[route][index]
    elsewhere = Elsewhere(lead)
    url = reverse(route, args=ask.args(elsewhere))
    before = Enrolment.objects.get(pk=elsewhere.enrolment.pk)
    seen = {}
    for persona in PERSONAS:
        client.force_login(request.getfixturevalue(persona))
        for method in ask.methods:
            seen[persona, method] = _call(client, method, url)
    assert seen == {key: 404 for key in seen}
    after = Enrolment.objects.get(pk=elsewhere.enrolment.pk)
    assert (after.status, after.fte, after.started_on) == (
        before.status,
        before.fte,
        before.started_on,
    )
    client.force_login(lead)  # the positive control: the object is there, for those who may
    assert client.get(url).status_code == ask.lead_sees


# --- The API's write boundary: refused, not ignored, and nothing changes.


@pytest.fixture
def api(client):
    return client  # session sign-in; the test client does not enforce CSRF


def _patch(api, enrolment: Enrolment, body: dict):
    url = reverse("api:enrolment-detail", args=[enrolment.pk])
    return api.patch(url, body, "application/json")


def _snapshot(enrolment: Enrolment) -> tuple:
    enrolment.refresh_from_db()
    return (
        enrolment.worker_id,
        enrolment.cohort_id,
        enrolment.status,
        enrolment.started_on,
        enrolment.fte,
        enrolment.supervisor_id,
        enrolment.assessor_id,
        enrolment.ended_on,
        enrolment.history.count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_a_lead_may_change_an_enrolment_even_one_they_can_see(api, request, persona):
    person = request.getfixturevalue(persona)
    enrolment = request.getfixturevalue("enrolment")
    before = _snapshot(enrolment)
    api.force_login(person)
    assert api.get(reverse("api:enrolment-detail", args=[enrolment.pk])).status_code == 200
    response = _patch(api, enrolment, {"fte": "0.5", "reason": "Phased return"})
    assert response.status_code == 403
    assert _snapshot(enrolment) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "completed"),
        ("worker", 1),
        ("cohort", 1),
        ("id", 999),
        ("expected_end_on", "2030-01-01"),
        ("ended_on", "2027-01-01"),
        ("milestones", []),
        ("team", "Front Door"),
    ],
)
def test_a_lead_cannot_set_a_field_that_is_not_theirs_to_change(api, lead, enrolment, field, value):
    before = _snapshot(enrolment)
    api.force_login(lead)
    response = _patch(api, enrolment, {"fte": "0.5", "reason": "Phased return", field: value})
    assert response.status_code == 400
    assert response.json() == {field: ["This field cannot be changed here."]}
    assert _snapshot(enrolment) == before


def _new_enrolment(**extra: object) -> dict:
    return {
        "cohort": CohortFactory().pk,
        "email": "kai@council.example",
        "full_name": "Kai Reed",
        "team": TeamFactory().pk,
        "started_on": "2026-09-07",
        "fte": "0.60",
        **extra,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "completed"),
        ("worker", 1),
        ("id", 999),
        ("expected_end_on", "2030-01-01"),
        ("ended_on", "2027-01-01"),
        ("is_staff", True),
    ],
)
def test_a_lead_enrolling_cannot_set_fields_the_service_decides(api, lead, field, value):
    api.force_login(lead)
    body = _new_enrolment(**{field: value})
    before = (Enrolment.objects.count(), User.objects.count())
    response = api.post(reverse("api:enrolment-list"), body, "application/json")
    assert response.status_code == 400
    assert response.json() == {field: ["This field cannot be set here."]}
    assert (Enrolment.objects.count(), User.objects.count()) == before


def test_the_same_enrolment_without_the_extra_field_is_accepted(api, lead):
    api.force_login(lead)
    response = api.post(reverse("api:enrolment-list"), _new_enrolment(), "application/json")
    assert response.status_code == 201
    created = Enrolment.objects.get(pk=response.json()["id"])
    assert (created.status, created.fte) == (Enrolment.Status.ACTIVE, Decimal("0.60"))
