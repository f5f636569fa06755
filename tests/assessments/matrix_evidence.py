"""Permission-matrix rows for the evidence routes (see tests/assessments/matrix.py).

A draft is its author's alone: the worker's draft is 404 to everyone else, a lead included.
"""

from django.core.files.base import ContentFile
from django.urls import reverse

from assessments.models import Evidence
from tests.assessments.factories import EvidenceFactory

PERSONAS = ("worker", "supervisor", "assessor", "manager", "lead", "outsider")
SIGNED_IN = {"anonymous": 302, **{persona: 200 for persona in PERSONAS}}
WITH_THE_ENROLMENT = {**SIGNED_IN, "outsider": 404}
WORKERS_DRAFT = {"anonymous": 302, **{persona: 404 for persona in PERSONAS}, "worker": 200}
API_SIGNED_IN = {"anonymous": 401, **{persona: 200 for persona in PERSONAS}}
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

ROWS: dict[str, dict[str, int]] = {
    "assessments:evidence-list": WITH_THE_ENROLMENT,
    # The portfolio is the worker's: only they add to it.
    "assessments:evidence-create": {
        **{persona: 403 for persona in PERSONAS},
        "anonymous": 302,
        "worker": 200,
        "outsider": 404,
    },
    "assessments:evidence-detail": WITH_THE_ENROLMENT,
    "assessments:evidence-edit": WORKERS_DRAFT,
    "assessments:evidence-submit": WORKERS_DRAFT,
    "assessments:evidence-delete": WORKERS_DRAFT,
    # POST only: a GET is refused by method before any object is looked up.
    "assessments:evidence-autosave": {"anonymous": 302, **{p: 405 for p in PERSONAS}},
    "assessments:evidence-attachment": WITH_THE_ENROLMENT,
    "api:evidence-list": API_SIGNED_IN,
    "api:evidence-detail": {**API_SIGNED_IN, "outsider": 404},
    "api:evidence-submit": {"anonymous": 401, **{p: 405 for p in PERSONAS}},
}


def submitted_with_file(enrolment) -> Evidence:
    evidence = EvidenceFactory(
        enrolment=enrolment,
        attachment_name="notes.pdf",
        attachment_type="application/pdf",
        attachment_bytes=len(PDF),
    )
    evidence.attachment.save("matrix.pdf", ContentFile(PDF), save=True)
    return evidence


def url_for(route: str, enrolment) -> str | None:
    if route not in ROWS:
        return None
    if route in ("assessments:evidence-list", "assessments:evidence-create"):
        return reverse(route, args=[enrolment.pk])
    if route == "api:evidence-list":
        return reverse(route)
    if route in (
        "assessments:evidence-edit",
        "assessments:evidence-submit",
        "assessments:evidence-delete",
        "assessments:evidence-autosave",
    ):
        draft = EvidenceFactory(enrolment=enrolment, status=Evidence.Status.DRAFT)
        return reverse(route, args=[draft.pk])
    return reverse(route, args=[submitted_with_file(enrolment).pk])
