"""Documents on an enrolment: judged by their bytes, stored privately, served to who may see."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programmes.models import EnrolmentDocument
from programmes.services import add_document, remove_document

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def _docx_bytes() -> bytes:
    """The same bytes in every process: xdist workers must collect identical test ids."""
    buffer = io.BytesIO()
    stamp = (2026, 9, 7, 9, 0, 0)  # writestr with a bare name would stamp the current time
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", stamp), "<Types/>")
        archive.writestr(zipfile.ZipInfo("word/document.xml", stamp), "<w:document/>")
    return buffer.getvalue()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("agreement.pdf", PDF_BYTES, "application/pdf"),
        ("scan.png", PNG_BYTES, "image/png"),
        ("photo.jpeg", JPEG_BYTES, "image/jpeg"),
        (
            "plan.docx",
            _docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("misnamed.txt", PDF_BYTES, "application/pdf"),
    ],
)
def test_an_accepted_file_is_stored_by_its_real_kind_under_a_random_name(
    worker, enrolment, name, content, content_type
):
    document = add_document(
        uploaded_by=worker,
        enrolment=enrolment,
        kind="other",
        title="X",
        upload=_upload(name, content),
    )
    assert document.content_type == content_type
    assert name.rsplit(".", 1)[0] not in document.file.name
    assert document.file.read() == content
    assert document.history.get().history_user == worker


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param(
            "agreement.pdf",
            EXE_BYTES,
            "The file must be a PDF, a Word document (.docx), a PNG or a JPEG.",
            id="renamed-executable",
        ),
        pytest.param(
            "notes.docx",
            b"PK\x03\x04 not really a zip",
            "The file must be a PDF, a Word document (.docx), a PNG or a JPEG.",
            id="broken-zip",
        ),
        pytest.param("empty.pdf", b"", "The file is empty. Choose the file again.", id="empty"),
    ],
)
def test_a_refused_file_gets_a_clear_message_and_nothing_is_kept(
    worker, enrolment, settings, name, content, message
):
    with pytest.raises(ValidationError) as refusal:
        add_document(
            uploaded_by=worker,
            enrolment=enrolment,
            kind="other",
            title="X",
            upload=_upload(name, content),
        )
    assert refusal.value.message_dict == {"upload": [message]}
    assert not EnrolmentDocument.objects.exists()
    documents = settings.MEDIA_ROOT / "documents"
    assert not documents.exists() or not any(documents.iterdir())


def test_an_oversized_file_is_refused_with_the_limit_named(worker, enrolment, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as refusal:
        add_document(
            uploaded_by=worker,
            enrolment=enrolment,
            kind="other",
            title="X",
            upload=_upload("big.pdf", PDF_BYTES + b"0" * (1024 * 1024)),
        )
    assert refusal.value.message_dict == {
        "upload": ["The file is larger than 1 MB. Make it smaller and try again."]
    }


def test_the_upload_page_shows_the_error_next_to_the_file_field(client, worker, enrolment):
    client.force_login(worker)
    response = client.post(
        reverse("programmes:document-create", args=[enrolment.pk]),
        {"kind": "other", "title": "Agreement", "upload": _upload("a.pdf", EXE_BYTES)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_upload"' in page and "must be a PDF" in page


def test_a_document_downloads_as_an_attachment_with_a_safe_name(client, worker, manager, enrolment):
    document = add_document(
        uploaded_by=worker,
        enrolment=enrolment,
        kind="learning-agreement",
        title='Agreement "signed" <v2>/../../etc',
        upload=_upload("a.pdf", PDF_BYTES),
    )
    client.force_login(manager)
    response = client.get(reverse("programmes:document-download", args=[enrolment.pk, document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == ('attachment; filename="Agreement-signed-v2-etc.pdf"')
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_document_is_not_found_through_another_enrolments_address(
    client, worker, enrolment, outsider
):
    document = add_document(
        uploaded_by=worker,
        enrolment=enrolment,
        kind="other",
        title="X",
        upload=_upload("a.pdf", PDF_BYTES),
    )
    other_enrolment = outsider.supervised_enrolments.get()
    client.force_login(outsider)
    for url in (
        reverse("programmes:document-download", args=[enrolment.pk, document.pk]),
        reverse("programmes:document-download", args=[other_enrolment.pk, document.pk]),
    ):
        assert client.get(url).status_code == 404


def test_removing_a_document_needs_a_reason_deletes_the_file_and_keeps_history(
    worker, enrolment, django_capture_on_commit_callbacks
):
    document = add_document(
        uploaded_by=worker,
        enrolment=enrolment,
        kind="other",
        title="X",
        upload=_upload("a.pdf", PDF_BYTES),
    )
    path = document.file.path
    with pytest.raises(ValidationError):
        remove_document(removed_by=worker, document=document, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        remove_document(removed_by=worker, document=document, reason="Uploaded the wrong file")
    assert not EnrolmentDocument.objects.exists()
    deleted = EnrolmentDocument.history.get(history_type="-")
    assert (deleted.history_user, deleted.history_change_reason) == (
        worker,
        "Uploaded the wrong file",
    )
    assert not Path(path).exists()
