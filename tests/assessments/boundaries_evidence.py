"""Object-boundary rows for the evidence routes (see tests/assessments/boundaries.py).

Another team's item is not found by anyone of this team, by any method. The lead's control
is a returned item where only its author may act (403), or a submitted one they may read.
"""

from django.core.files.base import ContentFile

from assessments.models import Evidence
from tests.assessments.factories import EvidenceFactory, sign_off

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def submitted(e) -> Evidence:
    if "submitted_evidence" not in e.__dict__:
        evidence = EvidenceFactory(
            enrolment=e.enrolment,
            attachment_name="notes.pdf",
            attachment_type="application/pdf",
            attachment_bytes=len(PDF),
        )
        evidence.attachment.save("boundary.pdf", ContentFile(PDF), save=True)
        e.__dict__["submitted_evidence"] = evidence
    return e.__dict__["submitted_evidence"]


def returned(e) -> Evidence:
    if "returned_evidence" not in e.__dict__:
        evidence = EvidenceFactory(enrolment=e.enrolment)
        sign_off(evidence, decision="returned")
        e.__dict__["returned_evidence"] = evidence
    return e.__dict__["returned_evidence"]


OTHER_TEAMS: dict[str, tuple[dict, ...]] = {
    "assessments:evidence-list": ({"args": lambda e: [e.enrolment.pk], "methods": ("get",)},),
    "assessments:evidence-create": ({"args": lambda e: [e.enrolment.pk], "lead_sees": 403},),
    "assessments:evidence-detail": ({"args": lambda e: [submitted(e).pk], "methods": ("get",)},),
    "assessments:evidence-edit": ({"args": lambda e: [returned(e).pk], "lead_sees": 403},),
    "assessments:evidence-submit": ({"args": lambda e: [returned(e).pk], "lead_sees": 403},),
    # Only a draft is deleted, and a draft is its author's alone: a returned item stands in.
    "assessments:evidence-delete": ({"args": lambda e: [returned(e).pk], "lead_sees": 403},),
    "assessments:evidence-autosave": (
        {"args": lambda e: [returned(e).pk], "methods": ("post",), "lead_sees": 405},
    ),
    "assessments:evidence-attachment": (
        {"args": lambda e: [submitted(e).pk], "methods": ("get",)},
    ),
    "api:evidence-detail": ({"args": lambda e: [submitted(e).pk], "methods": ("get", "patch")},),
    "api:evidence-submit": (
        {"args": lambda e: [returned(e).pk], "methods": ("post",), "lead_sees": 405},
    ),
}
EXEMPT: dict[str, str] = {}
