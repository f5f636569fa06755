"""Evidence writes: drafts, autosave, attachments, submission, deletion, and what is refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.models import Evidence, EvidenceStatement, Statement
from assessments.services.evidence import (
    autosave_evidence,
    create_evidence,
    delete_draft,
    remove_evidence_file,
    submit_evidence,
    update_evidence,
)
from tests.assessments.factories import EvidenceFactory, sign_off, statements_of
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
DAY = date(2026, 10, 5)


def _pdf(name: str = "notes.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


def _draft(enrolment, **values) -> Evidence:
    return create_evidence(
        created_by=enrolment.worker,
        enrolment=enrolment,
        kind=values.pop("kind", Evidence.Kind.REFLECTION),
        title=values.pop("title", "First home visit"),
        occurred_on=values.pop("occurred_on", DAY),
        **values,
    )


def _complete(enrolment, **values) -> Evidence:
    return _draft(
        enrolment,
        what_happened="I visited with my supervisor.",
        what_i_learned="To explain the plan plainly.",
        what_i_will_do="Write the plan with the family.",
        statements=statements_of(enrolment)[:2],
        **values,
    )


def _tags(evidence: Evidence) -> set[int]:
    return set(
        EvidenceStatement.objects.filter(evidence=evidence).values_list("statement", flat=True)
    )


class TestCreate:
    def test_the_worker_starts_a_draft_that_is_theirs(self, enrolment):
        evidence = _draft(enrolment, what_happened="  I visited.  ")
        assert (evidence.status, evidence.author, evidence.what_happened) == (
            Evidence.Status.DRAFT,
            enrolment.worker,
            "I visited.",
        )
        assert evidence.submitted_at is None
        assert evidence.history.get().history_user == enrolment.worker

    @pytest.mark.parametrize("persona", ["supervisor", "assessor", "manager", "lead", "outsider"])
    def test_nobody_but_the_worker_writes_evidence_in_the_portfolio(
        self, request, enrolment, persona
    ):
        with pytest.raises(PermissionDenied):
            create_evidence(
                created_by=request.getfixturevalue(persona),
                enrolment=enrolment,
                kind=Evidence.Kind.CASE_NOTE,
                title="Notes",
                occurred_on=DAY,
            )
        assert not Evidence.objects.exists()

    def test_an_observation_is_not_written_here(self, enrolment):
        with pytest.raises(ValidationError) as refusal:
            _draft(enrolment, kind=Evidence.Kind.OBSERVATION)
        assert "kind" in refusal.value.message_dict

    def test_a_statement_of_another_framework_is_refused_and_nothing_saved(self, enrolment):
        elsewhere = Statement.objects.exclude(
            standard__framework=enrolment.framework_pin.framework
        ).first()
        with pytest.raises(ValidationError) as refusal:
            _draft(enrolment, statements=[elsewhere])
        assert "statements" in refusal.value.message_dict
        assert not Evidence.objects.exists()

    def test_a_date_in_the_future_is_refused(self, enrolment):
        with pytest.raises(ValidationError) as refusal:
            _draft(enrolment, occurred_on=timezone.localdate() + timedelta(days=1))
        assert refusal.value.message_dict == {
            "occurred_on": ["The date must be today or in the past."]
        }

    def test_only_the_kinds_boxes_are_kept(self, enrolment):
        evidence = _draft(
            enrolment, kind=Evidence.Kind.CASE_NOTE, body="Extract", what_happened="x"
        )
        assert (evidence.body, evidence.what_happened) == ("Extract", "")


class TestUpdate:
    def test_a_draft_is_changed_and_its_tags_become_the_new_choice(self, enrolment):
        evidence = _complete(enrolment)
        third = statements_of(enrolment)[2]
        update_evidence(
            updated_by=enrolment.worker,
            evidence=evidence,
            title="Second visit",
            occurred_on=DAY,
            what_happened="Changed",
            statements=[third],
        )
        evidence.refresh_from_db()
        assert (evidence.title, evidence.what_happened) == ("Second visit", "Changed")
        assert _tags(evidence) == {third.pk}

    def test_a_returned_item_can_be_changed(self, enrolment):
        evidence = EvidenceFactory(enrolment=enrolment)
        sign_off(evidence, decision="returned")
        update_evidence(
            updated_by=enrolment.worker, evidence=evidence, title="Better", occurred_on=DAY
        )
        evidence.refresh_from_db()
        assert evidence.title == "Better"

    @pytest.mark.parametrize("decision", [None, "signed-off"])
    def test_submitted_or_signed_off_evidence_is_locked_for_the_worker(self, enrolment, decision):
        evidence = EvidenceFactory(enrolment=enrolment)
        if decision:
            sign_off(evidence, decision=decision)
        with pytest.raises(PermissionDenied):
            update_evidence(
                updated_by=enrolment.worker, evidence=evidence, title="Changed", occurred_on=DAY
            )
        evidence.refresh_from_db()
        assert evidence.title != "Changed"

    def test_a_change_raced_by_a_submission_is_refused_on_the_locked_row(self, enrolment):
        """The page was read as a draft; by the time the change arrives it was submitted."""
        evidence = _complete(enrolment)
        stale = Evidence.objects.get(pk=evidence.pk)
        submit_evidence(submitted_by=enrolment.worker, evidence=evidence)
        with pytest.raises(ValidationError):
            update_evidence(
                updated_by=enrolment.worker, evidence=stale, title="Changed", occurred_on=DAY
            )
        assert Evidence.objects.get(pk=evidence.pk).title == "First home visit"

    def test_someone_else_cannot_change_the_workers_draft(self, enrolment, lead):
        evidence = _draft(enrolment)
        with pytest.raises(PermissionDenied):
            update_evidence(updated_by=lead, evidence=evidence, title="Mine", occurred_on=DAY)


class TestAutosave:
    def test_autosave_keeps_partial_text_and_never_changes_the_status(self, enrolment):
        evidence = _draft(enrolment)
        autosave_evidence(saved_by=enrolment.worker, evidence=evidence, what_happened="I went")
        evidence.refresh_from_db()
        assert (evidence.what_happened, evidence.status) == ("I went", Evidence.Status.DRAFT)

    def test_a_blank_title_keeps_the_last_one(self, enrolment):
        evidence = _draft(enrolment)
        autosave_evidence(saved_by=enrolment.worker, evidence=evidence, title="")
        evidence.refresh_from_db()
        assert evidence.title == "First home visit"

    def test_a_box_of_another_kind_is_not_written(self, enrolment):
        evidence = _draft(enrolment)
        autosave_evidence(saved_by=enrolment.worker, evidence=evidence, body="Elsewhere")
        evidence.refresh_from_db()
        assert evidence.body == ""

    @pytest.mark.parametrize("persona", ["assessor", "lead", "supervisor"])
    def test_autosave_writes_only_the_authors_own_item(self, request, enrolment, persona):
        evidence = _draft(enrolment)
        with pytest.raises(PermissionDenied):
            autosave_evidence(
                saved_by=request.getfixturevalue(persona), evidence=evidence, what_happened="x"
            )

    def test_autosave_on_signed_off_evidence_is_refused(self, enrolment):
        evidence = EvidenceFactory(enrolment=enrolment)
        sign_off(evidence)
        with pytest.raises(PermissionDenied):
            autosave_evidence(saved_by=enrolment.worker, evidence=evidence, what_happened="x")

    def test_autosave_refuses_a_nul_character(self, enrolment):
        evidence = _draft(enrolment)
        with pytest.raises(ValidationError):
            autosave_evidence(saved_by=enrolment.worker, evidence=evidence, what_happened="a\x00")


class TestAttachment:
    def test_a_pdf_is_stored_under_a_random_name_and_replaced_cleanly(self, enrolment, settings):
        evidence = _draft(enrolment, attachment=_pdf())
        first = evidence.attachment.name
        assert first.startswith("evidence/") and "notes" not in first
        assert (evidence.attachment_type, evidence.attachment_name) == (
            "application/pdf",
            "notes.pdf",
        )
        storage = evidence.attachment.storage
        with _on_commit():
            update_evidence(
                updated_by=enrolment.worker,
                evidence=evidence,
                title="t",
                occurred_on=DAY,
                attachment=_pdf("second.pdf"),
            )
        evidence.refresh_from_db()
        assert evidence.attachment_name == "second.pdf"
        assert not storage.exists(first)
        assert storage.exists(evidence.attachment.name)

    def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_saved(self, enrolment):
        exe = SimpleUploadedFile("notes.pdf", b"MZ\x90\x00not a pdf", "application/pdf")
        with pytest.raises(ValidationError) as refusal:
            _draft(enrolment, attachment=exe)
        assert refusal.value.message_dict == {
            "attachment": ["The file must be a PDF, a Word document (.docx), a PNG or a JPEG."]
        }
        assert not Evidence.objects.exists()

    def test_a_file_over_the_size_limit_is_refused(self, enrolment, settings):
        settings.UPLOAD_MAX_BYTES = 1024 * 1024
        big = _pdf(content=PDF + b"0" * (1024 * 1024))
        with pytest.raises(ValidationError) as refusal:
            _draft(enrolment, attachment=big)
        assert "larger than 1 MB" in refusal.value.message_dict["attachment"][0]
        assert not Evidence.objects.exists()

    def test_the_attachment_is_removed_with_its_file(self, enrolment):
        evidence = _draft(enrolment, attachment=_pdf())
        name, storage = evidence.attachment.name, evidence.attachment.storage
        with _on_commit():
            remove_evidence_file(removed_by=enrolment.worker, evidence=evidence)
        evidence.refresh_from_db()
        assert not evidence.attachment and evidence.attachment_bytes == 0
        assert not storage.exists(name)


class TestSubmit:
    def test_a_complete_draft_is_submitted(self, enrolment):
        evidence = submit_evidence(submitted_by=enrolment.worker, evidence=_complete(enrolment))
        assert evidence.status == Evidence.Status.SUBMITTED
        assert evidence.submitted_at is not None
        assert evidence.times_submitted == 1

    def test_a_draft_missing_its_text_and_statements_is_refused_with_each_gap(self, enrolment):
        evidence = _draft(enrolment, what_happened="Only this")
        with pytest.raises(ValidationError) as refusal:
            submit_evidence(submitted_by=enrolment.worker, evidence=evidence)
        assert set(refusal.value.message_dict) == {"what_i_learned", "what_i_will_do", "statements"}
        evidence.refresh_from_db()
        assert evidence.status == Evidence.Status.DRAFT

    def test_a_returned_item_resubmits_and_counts_again(self, enrolment):
        evidence = EvidenceFactory(enrolment=enrolment)
        sign_off(evidence, decision="returned")
        submit_evidence(submitted_by=enrolment.worker, evidence=evidence)
        evidence.refresh_from_db()
        assert (evidence.status, evidence.times_submitted) == (Evidence.Status.SUBMITTED, 2)

    def test_a_second_submission_from_a_stale_page_is_refused(self, enrolment):
        evidence = _complete(enrolment)
        stale = Evidence.objects.get(pk=evidence.pk)
        submit_evidence(submitted_by=enrolment.worker, evidence=evidence)
        with pytest.raises(ValidationError):
            submit_evidence(submitted_by=enrolment.worker, evidence=stale)
        assert Evidence.objects.get(pk=evidence.pk).times_submitted == 1

    def test_nobody_else_submits_the_workers_draft(self, enrolment, assessor):
        with pytest.raises(PermissionDenied):
            submit_evidence(submitted_by=assessor, evidence=_complete(enrolment))


class TestDelete:
    def test_the_author_deletes_a_draft_and_its_file(self, enrolment):
        evidence = _draft(enrolment, attachment=_pdf())
        name, storage = evidence.attachment.name, evidence.attachment.storage
        with _on_commit():
            delete_draft(deleted_by=enrolment.worker, evidence=evidence)
        assert not Evidence.objects.exists()
        assert not storage.exists(name)

    def test_a_submitted_item_cannot_be_deleted(self, enrolment):
        evidence = EvidenceFactory(enrolment=enrolment)
        with pytest.raises(PermissionDenied):
            delete_draft(deleted_by=enrolment.worker, evidence=evidence)
        assert Evidence.objects.filter(pk=evidence.pk).exists()

    def test_only_the_author_deletes(self, enrolment, lead):
        evidence = _draft(enrolment)
        with pytest.raises(PermissionDenied):
            delete_draft(deleted_by=lead, evidence=evidence)


def test_a_worker_of_another_enrolment_cannot_write_on_this_one(enrolment):
    other = EnrolmentFactory()
    with pytest.raises(PermissionDenied):
        create_evidence(
            created_by=other.worker,
            enrolment=enrolment,
            kind=Evidence.Kind.REFLECTION,
            title="x",
            occurred_on=DAY,
        )


class _on_commit:
    """Run on_commit callbacks at the end of the block (the test's transaction never commits)."""

    def __enter__(self) -> None:
        from django.db import connection

        self._connection = connection
        self._before = len(connection.run_on_commit)

    def __exit__(self, *exc: object) -> None:
        callbacks = self._connection.run_on_commit[self._before :]
        del self._connection.run_on_commit[self._before :]
        for _savepoints, callback, _robust in callbacks:
            callback()
