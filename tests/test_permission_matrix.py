"""Every route, every role: allowed or refused, decided in one table.

A route added without a row here fails `test_every_route_has_a_row_in_the_matrix`.
"""

from collections.abc import Iterator
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from people.models import AssessorInvitation, Notification
from programmes.models import CaseloadBreach, CaseloadSnapshot, EnrolmentDocument, EnrolmentPause
from supervision.models import SupervisionSession
from tests.assessments import matrix as assessment_matrix
from tests.factories import SupervisionActionFactory, SupervisionSessionFactory
from tests.programmes import matrix as reporting_matrix

PERSONAS = ("anonymous", "worker", "supervisor", "assessor", "manager", "lead", "outsider")
SIGNED_IN = {p: 200 for p in PERSONAS if p != "anonymous"}
LEAD_ONLY = {
    "anonymous": 302,
    "worker": 403,
    "supervisor": 403,
    "assessor": 403,
    "manager": 403,
    "lead": 200,
}
# The enrolment's own people may see it; the outsider (every role, another team) gets 404.
ENROLMENT_CHANGE = {**LEAD_ONLY, "outsider": 404}
API_SIGNED_IN = {"anonymous": 401, **SIGNED_IN}
API_POST_ONLY = {"anonymous": 401, **{p: 405 for p in SIGNED_IN}}
# The supervisor's own draft: theirs to finish; a lead may read it but not write in their name.
DRAFT_ONLY = {
    "anonymous": 302,
    "worker": 404,
    "supervisor": 200,
    "assessor": 404,
    "manager": 404,
    "lead": 403,
    "outsider": 404,
}

MATRIX: dict[str, dict[str, int]] = {
    "programmes:home": {"anonymous": 302, **SIGNED_IN},
    "programmes:cohort-list": {**LEAD_ONLY, "manager": 200, "outsider": 200},
    "programmes:cohort-create": {**LEAD_ONLY, "outsider": 403},
    "programmes:cohort-import": {**LEAD_ONLY, "outsider": 403},
    "programmes:cohort-detail": {**LEAD_ONLY, "manager": 200, "outsider": 404},
    # A manager's teams, or every team for a lead (the outsider manages another team).
    "programmes:dashboard": {**LEAD_ONLY, "manager": 200, "outsider": 200},
    "programmes:dashboard-export": {**LEAD_ONLY, "manager": 200, "outsider": 200},
    "programmes:enrolment-create": ENROLMENT_CHANGE,
    "programmes:enrolment-detail": {"anonymous": 302, **SIGNED_IN, "outsider": 404},
    "programmes:enrolment-update": ENROLMENT_CHANGE,
    "programmes:enrolment-end": ENROLMENT_CHANGE,
    "programmes:pause-create": ENROLMENT_CHANGE,
    "programmes:pause-end": ENROLMENT_CHANGE,
    "programmes:extension-create": ENROLMENT_CHANGE,
    "programmes:programme-list": {"anonymous": 302, **SIGNED_IN},
    "programmes:programme-detail": {"anonymous": 302, **SIGNED_IN},
    "people:login": {"anonymous": 200, **{p: 302 for p in SIGNED_IN}},
    "people:logout": {"anonymous": 302, **{p: 405 for p in SIGNED_IN}},
    # Password reset is public; a signed-in person may use it too.
    "people:password-reset": {p: 200 for p in PERSONAS},
    "people:password-reset-done": {p: 200 for p in PERSONAS},
    "people:password-reset-confirm": {p: 200 for p in PERSONAS},  # an expired link's page
    "people:password-reset-complete": {p: 200 for p in PERSONAS},
    # Assessors from outside the authority: a lead invites them; the link is public, like a
    # password reset's (an unknown token gets the "no longer works" page).
    "people:assessor-list": {**LEAD_ONLY, "outsider": 403},
    "people:assessor-invite": {**LEAD_ONLY, "outsider": 403},
    "people:invitation-resend": {"anonymous": 302, **{p: 405 for p in SIGNED_IN}},
    "people:invitation-accept": {p: 200 for p in PERSONAS},
    "people:two-factor": {"anonymous": 302, **SIGNED_IN},
    "people:two-factor-setup": {"anonymous": 302, **SIGNED_IN},
    # Only half-way through signing in; anyone else is sent to sign in (or home).
    "people:two-factor-verify": {p: 302 for p in PERSONAS},
    # Nobody here has an authenticator app: there is nothing to turn off.
    "people:two-factor-turn-off": {p: 302 for p in PERSONAS},
    "healthz": {p: 200 for p in PERSONAS},
    "api:api-root": API_SIGNED_IN,
    "api:programme-list": API_SIGNED_IN,
    "api:programme-detail": API_SIGNED_IN,
    "api:cohort-list": API_SIGNED_IN,
    "api:cohort-detail": {**API_SIGNED_IN, "outsider": 404},
    "api:enrolment-list": API_SIGNED_IN,
    "api:enrolment-detail": {**API_SIGNED_IN, "outsider": 404},
    "api-schema": API_SIGNED_IN,
    "api-docs": {"anonymous": 302, **SIGNED_IN},
    "record-history": {**ENROLMENT_CHANGE},
    "programmes:programme-variant-create": {**LEAD_ONLY, "outsider": 403},
    "programmes:document-create": {
        **ENROLMENT_CHANGE,
        "worker": 200,
        "supervisor": 200,
        "assessor": 200,
    },
    "programmes:document-download": {"anonymous": 302, **SIGNED_IN, "outsider": 404},
    # The supervisor filed the document: they and a lead may remove it.
    "programmes:document-remove": {**ENROLMENT_CHANGE, "supervisor": 200},
    "programmes:cohort-export": {**LEAD_ONLY, "manager": 200, "outsider": 404},
    "people:person-list": {**LEAD_ONLY, "outsider": 403},
    # About the worker: they and their manager may see the person (403), the rest may not (404).
    "people:subject-access": {
        **LEAD_ONLY,
        "supervisor": 404,
        "assessor": 404,
        "outsider": 404,
    },
    # Supervision. Drafts are their supervisor's alone (and a lead's to read): 404 to the rest.
    "supervision:supervisee-list": {**LEAD_ONLY, "supervisor": 200, "lead": 403, "outsider": 200},
    "supervision:compliance": {**LEAD_ONLY, "manager": 200, "outsider": 200},
    "supervision:enrolment-sessions": {"anonymous": 302, **SIGNED_IN, "outsider": 404},
    "supervision:session-create": {**ENROLMENT_CHANGE, "supervisor": 200},
    "supervision:session-detail": {"anonymous": 302, **SIGNED_IN, "outsider": 404},
    "supervision:session-edit": DRAFT_ONLY,
    "supervision:session-sign": DRAFT_ONLY,
    "supervision:action-create": DRAFT_ONLY,
    "supervision:action-remove": DRAFT_ONLY,
    "supervision:session-countersign": {**ENROLMENT_CHANGE, "worker": 200, "lead": 403},
    "supervision:session-amend": {**ENROLMENT_CHANGE, "supervisor": 200},
    "supervision:action-done": {
        **ENROLMENT_CHANGE,
        "worker": 200,
        "supervisor": 200,
    },
    "api:supervision-session-list": API_SIGNED_IN,
    "api:supervision-session-detail": {**API_SIGNED_IN, "outsider": 404},
    "api:supervision-action-list": API_SIGNED_IN,
    "api:supervision-action-detail": {**API_SIGNED_IN, "outsider": 404},
    # POST only: a GET is refused by method before any object is looked up.
    "api:supervision-session-sign": API_POST_ONLY,
    "api:supervision-session-countersign": API_POST_ONLY,
    "api:supervision-session-amend": API_POST_ONLY,
    "api:supervision-action-complete": API_POST_ONLY,
    # Caseloads: seen with the enrolment; figures from its supervisor, its manager or a lead;
    # learning logged by the worker, their supervisor or a lead; breaches worked by the manager.
    "programmes:caseload": {"anonymous": 302, **SIGNED_IN, "outsider": 404},
    "programmes:caseload-record": {**ENROLMENT_CHANGE, "supervisor": 200, "manager": 200},
    "programmes:protected-time-create": {**ENROLMENT_CHANGE, "worker": 200, "supervisor": 200},
    "programmes:breach-list": {**LEAD_ONLY, "manager": 200, "outsider": 200},
    "programmes:breach-acknowledge": {**ENROLMENT_CHANGE, "manager": 200},
    "programmes:breach-resolve": {**ENROLMENT_CHANGE, "manager": 200},
    "programmes:caseload-import": {**LEAD_ONLY, "outsider": 403},
    "programmes:import-profile-list": {**LEAD_ONLY, "outsider": 403},
    "programmes:import-profile-create": {**LEAD_ONLY, "outsider": 403},
    "api:caseload-snapshot-list": API_SIGNED_IN,
    "api:caseload-snapshot-detail": {**API_SIGNED_IN, "outsider": 404},
    # Breaches are read as on the web's list: the worker's manager's, and a lead's.
    "api:caseload-breach-list": API_SIGNED_IN,
    "api:caseload-breach-detail": {
        **API_SIGNED_IN,
        "worker": 404,
        "supervisor": 404,
        "assessor": 404,
        "outsider": 404,
    },
    "api:caseload-breach-acknowledge": API_POST_ONLY,
    "api:caseload-breach-resolve": API_POST_ONLY,
    # Notifications: each person's own inbox; a lead's page of emails that could not be sent.
    "people:inbox": {"anonymous": 302, **SIGNED_IN},
    "people:notification-settings": {"anonymous": 302, **SIGNED_IN},
    "people:notification-failed": {**LEAD_ONLY, "outsider": 403},
    # POST only: a GET is refused by method.
    "people:inbox-all-read": {"anonymous": 302, **{p: 405 for p in SIGNED_IN}},
    "people:notification-read": {"anonymous": 302, **{p: 405 for p in SIGNED_IN}},
    "people:notification-retry": {"anonymous": 302, **{p: 405 for p in SIGNED_IN}},
    "api:notification-list": API_SIGNED_IN,
    # The worker's own notification: nobody else's to read, not even a lead's.
    "api:notification-detail": {**API_SIGNED_IN, **{p: 404 for p in SIGNED_IN}, "worker": 200},
    "api:notification-read": API_POST_ONLY,
    "privacy-notice": {p: 200 for p in PERSONAS},
    "accessibility-statement": {p: 200 for p in PERSONAS},
    **assessment_matrix.ROWS,
    **reporting_matrix.ROWS,
}


def _route_names(patterns: list, namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            full = f"{namespace}:{inner}" if namespace and inner else namespace or inner
            yield from _route_names(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else str(pattern.name)


def test_every_route_has_a_row_in_the_matrix():
    routes = {name for name in _route_names(get_resolver().url_patterns)}
    routes = {name for name in routes if not name.startswith("admin:")}
    assert routes == set(MATRIX)


def _supervision_url(route: str, enrolment) -> str:
    """A countersigned session with an action, a signed one, and the supervisor's draft."""
    name = route.removeprefix("supervision:").removeprefix("api:supervision-")
    if name in ("enrolment-sessions", "session-create"):
        return reverse(route, args=[enrolment.pk])
    if name in ("supervisee-list", "compliance"):
        return reverse(route)
    if name in ("session-edit", "session-sign", "action-create", "action-remove"):
        draft = SupervisionSessionFactory(
            enrolment=enrolment,
            status=SupervisionSession.Status.DRAFT,
            supervisor_signed_at=None,
            held_on=date(2026, 9, 28),
        )
        if name == "action-remove":
            return reverse(route, args=[SupervisionActionFactory(session=draft).pk])
        return reverse(route, args=[draft.pk])
    if name == "session-countersign":
        signed = SupervisionSessionFactory(
            enrolment=enrolment, status=SupervisionSession.Status.SIGNED, held_on=date(2026, 9, 21)
        )
        return reverse(route, args=[signed.pk])
    countersigned = SupervisionSessionFactory(enrolment=enrolment)
    if name in ("action-done", "action-detail", "action-complete"):
        return reverse(route, args=[SupervisionActionFactory(session=countersigned).pk])
    return reverse(route, args=[countersigned.pk])


def _caseload_url(route: str, enrolment) -> str:
    """An open breach over a day's figure, for the routes that name one."""
    snapshot = CaseloadSnapshot.objects.create(
        enrolment=enrolment, as_of=date(2026, 9, 21), open_cases=12, source="manual"
    )
    if route == "api:caseload-snapshot-detail":
        return reverse(route, args=[snapshot.pk])
    breach = CaseloadBreach.objects.create(
        enrolment=enrolment,
        detected_on=date(2026, 9, 22),
        snapshot_on=snapshot.as_of,
        open_cases=12,
        cap=9,
        child_protection_cases=0,
        limits=["open-cases"],
    )
    return reverse(route, args=[breach.pk])


CASELOAD_OBJECT_ROUTES = (
    "programmes:breach-acknowledge",
    "programmes:breach-resolve",
    "api:caseload-snapshot-detail",
    "api:caseload-breach-detail",
    "api:caseload-breach-acknowledge",
    "api:caseload-breach-resolve",
)


NOTIFICATION_ROUTES = (
    "people:notification-read",
    "people:notification-retry",
    "api:notification-detail",
    "api:notification-read",
)


def _url(route: str, enrolment, pause) -> str:
    for part in (assessment_matrix, reporting_matrix):
        part_url = part.url_for(route, enrolment)
        if part_url is not None:
            return part_url
    if route.startswith(("supervision:", "api:supervision-")) and not route.endswith("-list"):
        return _supervision_url(route, enrolment)
    if route in CASELOAD_OBJECT_ROUTES:
        return _caseload_url(route, enrolment)
    if route in NOTIFICATION_ROUTES:
        notification = Notification.objects.create(
            recipient=enrolment.worker, kind="test", subject_key="one", title="Due", body="Soon"
        )
        return reverse(route, args=[notification.pk])
    needs = {
        "programmes:cohort-detail": [enrolment.cohort_id],
        "programmes:cohort-export": [enrolment.cohort_id],
        "people:subject-access": [enrolment.worker_id],
        "programmes:enrolment-create": [enrolment.cohort_id],
        "programmes:programme-detail": [enrolment.cohort.programme.code],
        "programmes:programme-variant-create": [enrolment.cohort.programme.code],
        "programmes:pause-end": [enrolment.pk, pause.pk],
        "api:programme-detail": [enrolment.cohort.programme_id],
        "api:cohort-detail": [enrolment.cohort_id],
    }
    if route in needs:
        return reverse(route, args=needs[route])
    if route in ("programmes:document-download", "programmes:document-remove"):
        return reverse(route, args=[enrolment.pk, enrolment.documents.get().pk])
    if route in ("people:password-reset-confirm", "people:invitation-accept"):
        return reverse(route, args=["MQ", "not-a-real-token"])
    if route == "people:invitation-resend":
        invited = AssessorInvitation.objects.create(person=enrolment.assessor, organisation="X")
        return reverse(route, args=[invited.pk])
    if route == "record-history":
        return reverse(route, args=["programmes", "enrolment", enrolment.pk])
    enrolment_routes = (
        "enrolment-",
        "pause-",
        "extension-",
        "document-create",
        "caseload-record",
        "protected-time-create",
    )
    if route == "programmes:caseload":
        return reverse(route, args=[enrolment.pk])
    if route.startswith(tuple(f"programmes:{name}" for name in enrolment_routes)):
        return reverse(route, args=[enrolment.pk])
    if route == "api:enrolment-detail":
        return reverse(route, args=[enrolment.pk])
    return reverse(route)


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_each_role_is_allowed_or_refused_as_the_matrix_says(client, request, enrolment, route):
    pause = EnrolmentPause.objects.create(
        enrolment=enrolment,
        starts_on=date(2026, 10, 1),
        reason=EnrolmentPause.Reason.SICKNESS,
        recorded_by=enrolment.supervisor,
    )
    EnrolmentDocument.objects.create(
        enrolment=enrolment,
        kind=EnrolmentDocument.Kind.OTHER,
        title="Notes",
        file=ContentFile(b"%PDF-1.4", name="notes.pdf"),
        content_type="application/pdf",
        size_bytes=8,
        uploaded_by=enrolment.supervisor,
    )
    url = _url(route, enrolment, pause)
    seen = {}
    for persona in PERSONAS:
        client.logout()
        person = request.getfixturevalue(persona)
        if person is not None:
            client.force_login(person)
        seen[persona] = client.get(url).status_code
    assert seen == MATRIX[route]


def test_the_admin_site_refuses_people_who_are_not_staff(client, lead):
    client.force_login(lead)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
