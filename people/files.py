"""Uploaded files: what a file really is, judged by its bytes, never by its name.

Accepted: PDF, Word (DOCX), PNG and JPEG, up to settings.UPLOAD_MAX_BYTES. Anything else,
however it is named (an executable renamed to .pdf, say), is refused with a message that says
what to upload instead.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str


PDF = FileKind("pdf", "application/pdf")
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
PNG = FileKind("png", "image/png")
JPEG = FileKind("jpg", "image/jpeg")
ACCEPTED_KINDS = (PDF, DOCX, PNG, JPEG)


def _is_docx(upload: BinaryIO) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def detect_kind(upload: BinaryIO) -> FileKind | None:
    """The accepted kind these bytes are, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04") and _is_docx(upload):
        upload.seek(0)
        return DOCX
    return None


def check_upload(upload: BinaryIO, *, size: int) -> FileKind:
    """The file's kind, or a ValidationError a person can act on."""
    if size == 0:
        raise ValidationError(_("The file is empty. Choose the file again."))
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is larger than %(megabytes)s MB. Make it smaller and try again.")
            % {"megabytes": limit // (1024 * 1024)}
        )
    kind = detect_kind(upload)
    if kind is None:
        raise ValidationError(
            _("The file must be a PDF, a Word document (.docx), a PNG or a JPEG.")
        )
    return kind


def stored_name(kind: FileKind) -> str:
    """A random name: nothing of the person's file name reaches the disk."""
    return f"{uuid.uuid4().hex}.{kind.extension}"


def safe_download_name(title: str, content_type: str) -> str:
    """A plain ASCII file name for the download, ending in the stored kind's real extension."""
    kind = next(kind for kind in ACCEPTED_KINDS if kind.content_type == content_type)
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-")[:80] or "document"
    return f"{stem}.{kind.extension}"
