"""Documents filed on an enrolment: checked by content, stored under a random name."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from people.audit import change_reason
from people.files import check_upload, stored_name
from people.models import User
from programmes.models import Enrolment, EnrolmentDocument
from programmes.selectors import can_add_document, can_remove_document


def add_document(
    *, uploaded_by: User, enrolment: Enrolment, kind: str, title: str, upload: File
) -> EnrolmentDocument:
    """File a document; a file that is not what it claims to be is refused and not kept."""
    if not can_add_document(uploaded_by, enrolment):
        raise PermissionDenied
    try:
        detected = check_upload(upload, size=upload.size)
    except ValidationError as refusal:
        raise ValidationError({"upload": refusal.messages}) from None
    document = EnrolmentDocument(
        enrolment=enrolment,
        kind=kind,
        title=title.strip(),
        content_type=detected.content_type,
        size_bytes=upload.size,
        uploaded_by=uploaded_by,
    )
    document.file.save(stored_name(detected), upload, save=False)
    try:
        with transaction.atomic():
            document.full_clean()
            document._history_user = uploaded_by
            document._change_reason = "Document filed"
            document.save()
    except Exception:
        document.file.delete(save=False)  # nothing half-saved: no file without its record
        raise
    return document


def remove_document(*, removed_by: User, document: EnrolmentDocument, reason: str) -> None:
    """Remove a document and its file; the history keeps who removed it and why."""
    if not can_remove_document(removed_by, document):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the document is being removed.")})
    with transaction.atomic():
        document._history_user = removed_by
        document._change_reason = change_reason(reason.strip())
        document.delete()
        transaction.on_commit(lambda: document.file.storage.delete(document.file.name))
