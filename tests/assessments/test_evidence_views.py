"""Evidence pages through the test client: writing, autosave, submitting, attachments, locks."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Evidence, EvidenceStatement, Observation
from tests.assessments.factories import EvidenceFactory, sign_off, statements_of
from tests.assessments.matrix_evidence import submitted_with_file
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def visible(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def url(name: str, *args: object) -> str:
    return reverse(f"assessments:{name}", args=args)


def reflection_form(enrolment, **changes) -> dict:
    first, second = statements_of(enrolment)[:2]
    return {
        "kind": "reflection",
        "title": "First home visit",
        "occurred_on": "2026-10-05",
        "what_happened": "I visited the family.",
        "what_i_learned": "Plain words help.",
        "what_i_will_do": "Write the plan with them.",
        "statements": [first.pk, second.pk],
        "then": "save",
        **changes,
    }


def draft(enrolment, **fields) -> Evidence:
    return EvidenceFactory(enrolment=enrolment, status=Evidence.Status.DRAFT, **fields)


class TestList:
    def test_an_empty_list_tells_the_worker_how_to_add_a_first_reflection(self, client, worker):
        client.force_login(worker)
        response = client.get(url("evidence-list", worker.enrolments.get().pk))
        assert "Start with a reflection" in visible(response)

    def test_the_assessor_sees_submitted_items_but_never_a_draft(self, client, enrolment):
        draft(enrolment, title="Private thoughts")
        EvidenceFactory(enrolment=enrolment, title="Visit write-up")
        client.force_login(enrolment.assessor)
        page = visible(client.get(url("evidence-list", enrolment.pk)))
        assert "Visit write-up" in page
        assert "Private thoughts" not in page

    def test_the_list_filters_by_kind(self, client, enrolment, worker):
        EvidenceFactory(enrolment=enrolment, title="A reflection")
        EvidenceFactory(enrolment=enrolment, title="A case note", kind=Evidence.Kind.CASE_NOTE)
        client.force_login(worker)
        page = visible(client.get(url("evidence-list", enrolment.pk), {"kind": "case-note"}))
        assert "A case note" in page and "A reflection" not in page

    def test_the_list_query_count_is_flat(
        self, client, enrolment, worker, django_assert_max_num_queries
    ):
        client.force_login(worker)
        EvidenceFactory.create_batch(3, enrolment=enrolment)
        # session, user, roles, enrolment (+ cohort, people), its programme, pauses and
        # extensions, the items with their statement counts, the header's unread count, and
        # the idle-timeout refresh of the session (3)
        with django_assert_max_num_queries(12):
            client.get(url("evidence-list", enrolment.pk))
        EvidenceFactory.create_batch(27, enrolment=enrolment)
        with django_assert_max_num_queries(12):
            response = client.get(url("evidence-list", enrolment.pk))
        assert response.content.decode().count('href="/assessments/evidence/') == 30


class TestCreate:
    def test_the_worker_chooses_a_kind_first(self, client, worker, enrolment):
        client.force_login(worker)
        page = visible(client.get(url("evidence-create", enrolment.pk)))
        assert "What kind of evidence are you adding?" in page
        assert "Direct observation" not in page.split("Direct observations are")[0]

    def test_a_reflection_is_three_boxes_a_date_a_title_and_statements_by_standard(
        self, client, worker, enrolment
    ):
        client.force_login(worker)
        response = client.get(url("evidence-create", enrolment.pk), {"kind": "reflection"})
        page = visible(response)
        for label in ("Title", "Date of the practice", "What happened", "What I learned"):
            assert label in page
        assert "The evidence" not in page
        first = statements_of(enrolment)[0]
        assert str(first.standard) in page
        # The scripts load on the form pages only.
        assert "js/evidence-autosave.js" in response.content.decode()
        assert "js/idle-warning.js" in response.content.decode()

    def test_saving_makes_a_draft_and_opens_it_for_autosave(self, client, worker, enrolment):
        client.force_login(worker)
        response = client.post(url("evidence-create", enrolment.pk), reflection_form(enrolment))
        evidence = Evidence.objects.get()
        assert response.status_code == 302
        assert response["Location"] == url("evidence-edit", evidence.pk)
        assert (evidence.status, evidence.author) == (Evidence.Status.DRAFT, worker)
        assert EvidenceStatement.objects.filter(evidence=evidence).count() == 2
        page = client.get(response["Location"]).content.decode()
        assert f'data-autosave-url="{url("evidence-autosave", evidence.pk)}"' in page

    def test_a_missing_title_is_shown_in_the_error_summary(self, client, worker, enrolment):
        client.force_login(worker)
        response = client.post(
            url("evidence-create", enrolment.pk), reflection_form(enrolment, title="")
        )
        assert response.status_code == 200
        assert '<a href="#id_title">Enter a title</a>' in response.content.decode()
        assert not Evidence.objects.exists()

    def test_a_file_of_the_wrong_type_is_refused_on_the_form(self, client, worker, enrolment):
        client.force_login(worker)
        fake = SimpleUploadedFile("notes.pdf", b"<script>alert(1)</script>", "application/pdf")
        response = client.post(
            url("evidence-create", enrolment.pk), {**reflection_form(enrolment), "attachment": fake}
        )
        assert "The file must be a PDF" in visible(response)
        assert not Evidence.objects.exists()

    def test_a_file_too_large_is_refused_on_the_form(self, client, worker, enrolment, settings):
        settings.UPLOAD_MAX_BYTES = 1024 * 1024
        client.force_login(worker)
        big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
        response = client.post(
            url("evidence-create", enrolment.pk), {**reflection_form(enrolment), "attachment": big}
        )
        assert "larger than 1 MB" in visible(response)
        assert not Evidence.objects.exists()


class TestEditAndAutosave:
    def test_save_and_submit_goes_to_the_confirmation(self, client, worker, enrolment):
        evidence = draft(enrolment)
        client.force_login(worker)
        response = client.post(
            url("evidence-edit", evidence.pk), reflection_form(enrolment, then="submit")
        )
        assert response["Location"] == url("evidence-submit", evidence.pk)
        evidence.refresh_from_db()
        assert evidence.status == Evidence.Status.DRAFT

    def test_autosave_keeps_what_was_typed_and_says_when(self, client, worker, enrolment):
        evidence = draft(enrolment)
        client.force_login(worker)
        response = client.post(url("evidence-autosave", evidence.pk), {"what_happened": "So far"})
        assert response.status_code == 200
        assert response.json()["message"].startswith("Draft saved at ")
        evidence.refresh_from_db()
        assert (evidence.what_happened, evidence.status) == ("So far", Evidence.Status.DRAFT)

    def test_autosave_leaves_boxes_not_sent_as_they_were(self, client, worker, enrolment):
        evidence = draft(enrolment)
        client.force_login(worker)
        client.post(url("evidence-autosave", evidence.pk), {"what_i_learned": "New"})
        evidence.refresh_from_db()
        assert evidence.what_happened == "I visited the family with my supervisor."

    @pytest.mark.parametrize("persona", ["assessor", "lead", "supervisor", "manager"])
    def test_autosave_on_someone_elses_draft_finds_nothing(
        self, client, request, enrolment, persona
    ):
        evidence = draft(enrolment)
        client.force_login(request.getfixturevalue(persona))
        response = client.post(url("evidence-autosave", evidence.pk), {"what_happened": "x"})
        assert response.status_code == 404
        evidence.refresh_from_db()
        assert evidence.what_happened != "x"

    def test_autosave_on_signed_off_evidence_is_refused(self, client, worker, enrolment):
        evidence = EvidenceFactory(enrolment=enrolment)
        sign_off(evidence)
        client.force_login(worker)
        response = client.post(url("evidence-autosave", evidence.pk), {"what_happened": "x"})
        assert response.status_code == 403

    def test_signed_off_evidence_is_locked_for_the_worker(self, client, worker, enrolment):
        evidence = EvidenceFactory(enrolment=enrolment)
        sign_off(evidence)
        client.force_login(worker)
        detail = client.get(url("evidence-detail", evidence.pk))
        assert url("evidence-edit", evidence.pk) not in detail.content.decode()
        assert "this evidence is locked" in visible(detail)
        assert client.get(url("evidence-edit", evidence.pk)).status_code == 403
        response = client.post(url("evidence-edit", evidence.pk), reflection_form(enrolment))
        assert response.status_code == 403

    def test_a_returned_item_is_changed_and_resubmitted(self, client, worker, enrolment):
        evidence = EvidenceFactory(enrolment=enrolment)
        sign_off(evidence, decision="returned")
        client.force_login(worker)
        client.post(url("evidence-edit", evidence.pk), reflection_form(enrolment, title="Better"))
        client.post(url("evidence-submit", evidence.pk))
        evidence.refresh_from_db()
        assert (evidence.title, evidence.status, evidence.times_submitted) == (
            "Better",
            Evidence.Status.SUBMITTED,
            2,
        )


class TestSubmitAndDelete:
    def test_the_submit_page_lists_what_is_missing(self, client, worker, enrolment):
        evidence = draft(enrolment, what_i_learned="", statements=[])
        client.force_login(worker)
        page = visible(client.get(url("evidence-submit", evidence.pk)))
        assert "Write what you learned" in page
        assert "Choose at least one statement" in page

    def test_submitting_sends_it_to_the_assessor(self, client, worker, enrolment):
        evidence = draft(enrolment)
        client.force_login(worker)
        response = client.post(url("evidence-submit", evidence.pk), follow=True)
        assert "Submitted." in visible(response)
        evidence.refresh_from_db()
        assert evidence.status == Evidence.Status.SUBMITTED

    def test_the_worker_deletes_a_draft(self, client, worker, enrolment):
        evidence = draft(enrolment)
        client.force_login(worker)
        response = client.post(url("evidence-delete", evidence.pk))
        assert response["Location"] == url("evidence-list", enrolment.pk)
        assert not Evidence.objects.exists()


class TestAttachment:
    def test_the_worker_replaces_then_removes_the_file_on_the_form(self, client, enrolment):
        evidence = draft(enrolment)
        client.force_login(enrolment.worker)
        upload = SimpleUploadedFile("visit.pdf", PDF, "application/pdf")
        client.post(
            url("evidence-edit", evidence.pk), {**reflection_form(enrolment), "attachment": upload}
        )
        evidence.refresh_from_db()
        assert evidence.attachment_name == "visit.pdf"
        form = client.get(url("evidence-edit", evidence.pk))
        assert "Remove the attached file" in visible(form)
        client.post(
            url("evidence-edit", evidence.pk),
            {**reflection_form(enrolment), "remove_attachment": "on"},
        )
        evidence.refresh_from_db()
        assert not evidence.attachment

    def test_the_file_is_served_as_a_download_to_those_who_may_see_it(self, client, enrolment):
        evidence = submitted_with_file(enrolment)
        client.force_login(enrolment.assessor)
        response = client.get(url("evidence-attachment", evidence.pk))
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="notes.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF

    def test_a_drafts_file_is_served_to_nobody_but_its_author(self, client, enrolment, lead):
        evidence = submitted_with_file(enrolment)
        Evidence.objects.filter(pk=evidence.pk).update(status=Evidence.Status.DRAFT)
        client.force_login(lead)
        assert client.get(url("evidence-attachment", evidence.pk)).status_code == 404
        client.force_login(enrolment.worker)
        assert client.get(url("evidence-attachment", evidence.pk)).status_code == 200

    def test_another_teams_file_is_not_found(self, client, outsider, enrolment):
        evidence = submitted_with_file(enrolment)
        client.force_login(outsider)
        assert client.get(url("evidence-attachment", evidence.pk)).status_code == 404

    def test_no_file_is_not_found(self, client, enrolment):
        evidence = EvidenceFactory(enrolment=enrolment)
        client.force_login(enrolment.worker)
        assert client.get(url("evidence-attachment", evidence.pk)).status_code == 404


class TestDetail:
    def test_an_observation_shows_the_observation_record(self, client, enrolment):
        evidence = EvidenceFactory(enrolment=enrolment, kind=Evidence.Kind.OBSERVATION)
        Observation.objects.create(
            evidence=evidence,
            observer=enrolment.assessor,
            setting="Family home",
            what_was_observed="A careful explanation of the plan.",
        )
        client.force_login(enrolment.worker)
        page = visible(client.get(url("evidence-detail", evidence.pk)))
        assert "The observation" in page and "A careful explanation of the plan." in page
        assert url("evidence-edit", evidence.pk) not in page

    @pytest.mark.parametrize("persona", ["supervisor", "assessor", "manager", "lead"])
    def test_a_draft_is_not_found_by_anyone_but_its_author(
        self, client, request, enrolment, persona
    ):
        evidence = draft(enrolment)
        client.force_login(request.getfixturevalue(persona))
        assert client.get(url("evidence-detail", evidence.pk)).status_code == 404
        client.force_login(enrolment.worker)
        assert client.get(url("evidence-detail", evidence.pk)).status_code == 200

    def test_feedback_shows_who_it_came_from(self, client, enrolment):
        evidence = EvidenceFactory(
            enrolment=enrolment,
            kind=Evidence.Kind.FEEDBACK_PROFESSIONAL,
            source_name="Health visitor",
            source_relationship="Works with the family",
            body="Clear and kind.",
        )
        client.force_login(enrolment.assessor)
        page = visible(client.get(url("evidence-detail", evidence.pk)))
        assert "Feedback from Health visitor (Works with the family)" in page

    def test_the_history_shows_who_decided_when_and_why(self, client, enrolment):
        evidence = EvidenceFactory(enrolment=enrolment)
        record = sign_off(evidence, decision="returned")
        client.force_login(enrolment.worker)
        page = visible(client.get(url("evidence-detail", evidence.pk)))
        assert f"Returned for changes {enrolment.assessor.full_name}" in page
        assert record.decided_at.strftime("%-d %B %Y").lstrip("0") in page

    def test_another_workers_evidence_is_not_found(self, client, enrolment):
        evidence = EvidenceFactory(enrolment=EnrolmentFactory())
        client.force_login(enrolment.worker)
        assert client.get(url("evidence-detail", evidence.pk)).status_code == 404


def test_dates_read_in_words(client, enrolment):
    evidence = EvidenceFactory(enrolment=enrolment, occurred_on=date(2026, 10, 5))
    client.force_login(enrolment.worker)
    assert "5 October 2026" in visible(client.get(url("evidence-detail", evidence.pk)))
