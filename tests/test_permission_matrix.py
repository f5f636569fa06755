"""Every route, every role: allowed or refused, decided in one table.

A route added without a row here fails `test_every_route_has_a_row_in_the_matrix`.
"""

from collections.abc import Iterator
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from programmes.models import EnrolmentDocument, EnrolmentPause

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

MATRIX: dict[str, dict[str, int]] = {
    "programmes:home": {"anonymous": 302, **SIGNED_IN},
    "programmes:cohort-list": {**LEAD_ONLY, "manager": 200, "outsider": 200},
    "programmes:cohort-create": {**LEAD_ONLY, "outsider": 403},
    "programmes:cohort-import": {**LEAD_ONLY, "outsider": 403},
    "programmes:cohort-detail": {**LEAD_ONLY, "manager": 200, "outsider": 404},
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
    "privacy-notice": {p: 200 for p in PERSONAS},
    "accessibility-statement": {p: 200 for p in PERSONAS},
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


def _url(route: str, enrolment, pause) -> str:
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
    if route == "people:password-reset-confirm":
        return reverse(route, args=["MQ", "not-a-real-token"])
    if route == "record-history":
        return reverse(route, args=["programmes", "enrolment", enrolment.pk])
    enrolment_routes = ("enrolment-", "pause-", "extension-", "document-create")
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
