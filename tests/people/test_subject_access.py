"""Subject access: a lead exports everything held about one person, and it is recorded."""

import io
import json
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from people.models import PrivacyEvent, Role, TwoFactorDevice
from people.privacy import build_subject_access_export, subject_sections
from programmes.models import EnrolmentDocument, EnrolmentPause
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _document(enrolment, *, content: bytes = b"%PDF-1.4 agreement") -> EnrolmentDocument:
    return EnrolmentDocument.objects.create(
        enrolment=enrolment,
        kind=EnrolmentDocument.Kind.LEARNING_AGREEMENT,
        title="Learning agreement",
        file=ContentFile(content, name="agreement.pdf"),
        content_type="application/pdf",
        size_bytes=len(content),
        uploaded_by=enrolment.supervisor,
    )


def _unzip(archive: bytes) -> tuple[dict, dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        files = {name: opened.read(name) for name in opened.namelist()}
    return json.loads(files.pop("person.json")), files


def test_the_export_holds_every_section_and_the_persons_files(lead, enrolment):
    EnrolmentPause.objects.create(
        enrolment=enrolment,
        starts_on=date(2026, 10, 1),
        reason=EnrolmentPause.Reason.SICKNESS,
        note="Back in November",
        recorded_by=lead,
    )
    document = _document(enrolment)
    enrolment.worker.qualified_on = date(2026, 7, 1)
    enrolment.worker.save(update_fields=["qualified_on"])
    person, files = _unzip(build_subject_access_export(requested_by=lead, person=enrolment.worker))

    assert person["person_id"] == enrolment.worker.pk
    assert set(person["sections"]) == {section.name for section in subject_sections()}
    assert {"people.profile", "people.roles", "people.team", "programmes.enrolments"} <= set(
        person["sections"]
    )
    profile = person["sections"]["people.profile"]
    assert (profile["full_name"], profile["email"], profile["qualified_on"]) == (
        enrolment.worker.full_name,
        enrolment.worker.email,
        "2026-07-01",
    )
    assert person["sections"]["people.roles"]["held"][0]["role"] == "Newly qualified worker"
    assert person["sections"]["people.team"]["name"] == enrolment.worker.team.name
    [record] = person["sections"]["programmes.enrolments"]
    assert record["pauses"][0]["note"] == "Back in November"
    assert record["supervisor"] == enrolment.supervisor.full_name
    path = f"files/documents/{document.pk}.pdf"
    assert record["documents"][0]["file"] == path
    assert person["files"] == [path]
    assert files == {path: b"%PDF-1.4 agreement"}


def test_an_export_leaves_a_privacy_event_naming_who_but_not_the_subject(lead, enrolment):
    build_subject_access_export(requested_by=lead, person=enrolment.worker)
    event = PrivacyEvent.objects.get()
    assert (event.kind, event.subject_id, event.actor) == (
        PrivacyEvent.Kind.SUBJECT_ACCESS_EXPORT,
        enrolment.worker.pk,
        lead,
    )
    assert enrolment.worker.full_name not in json.dumps(event.detail)
    assert enrolment.worker.email not in json.dumps(event.detail)


def test_a_file_missing_from_disk_is_listed_not_hidden(lead, enrolment):
    document = _document(enrolment)
    document.file.storage.delete(document.file.name)
    person, files = _unzip(build_subject_access_export(requested_by=lead, person=enrolment.worker))
    assert person["missing_files"] == [f"files/documents/{document.pk}.pdf"]
    assert files == {}


@pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor", "manager", "outsider"])
def test_only_a_lead_may_export(request, enrolment, persona):
    with pytest.raises(PermissionDenied):
        build_subject_access_export(
            requested_by=request.getfixturevalue(persona), person=enrolment.worker
        )
    assert not PrivacyEvent.objects.exists()


def test_the_page_says_what_is_included_and_the_button_downloads_the_zip(client, lead, enrolment):
    _document(enrolment)
    client.force_login(lead)
    url = reverse("people:subject-access", args=[enrolment.worker.pk])
    page = client.get(url).content.decode()
    assert "Programmes: enrolments, pauses, extensions and documents" in page
    assert "1 uploaded file" in page
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-{enrolment.worker.pk}-{today}.zip"'
    )
    person, files = _unzip(response.content)
    assert person["person_id"] == enrolment.worker.pk and len(files) == 1
    assert "Earlier exports" in client.get(url).content.decode()


@pytest.mark.parametrize(("persona", "status_code"), [("manager", 403), ("supervisor", 404)])
def test_nobody_else_can_post_for_an_export(client, request, enrolment, persona, status_code):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("people:subject-access", args=[enrolment.worker.pk]))
    assert response.status_code == status_code
    assert not PrivacyEvent.objects.exists()


class TestPersonList:
    def test_a_lead_finds_a_person_by_part_of_their_name_or_email(self, client, lead):
        UserFactory(full_name="Priya Shah", email="p.shah@council.example")
        UserFactory(full_name="Tom Whitfield", email="tom.w@council.example")
        client.force_login(lead)
        url = reverse("people:person-list")
        by_name = client.get(url, {"q": "shah"}).content.decode()
        assert "Priya Shah" in by_name and "Tom Whitfield" not in by_name
        by_email = client.get(url, {"q": "TOM.W"}).content.decode()
        assert "Tom Whitfield" in by_email and "Priya Shah" not in by_email
        nobody = client.get(url, {"q": "zzz"}).content.decode()
        assert "Nobody matches" in nobody

    def test_each_person_links_to_their_subject_access_page(self, client, lead, enrolment):
        client.force_login(lead)
        page = client.get(reverse("people:person-list")).content.decode()
        assert reverse("people:subject-access", args=[enrolment.worker.pk]) in page

    def test_people_come_fifty_a_page(self, client, lead):
        UserFactory.create_batch(55)
        client.force_login(lead)
        first = client.get(reverse("people:person-list")).content.decode()
        assert "Page 1 of 2" in first and 'rel="next"' in first
        second = client.get(reverse("people:person-list"), {"page": 2}).content.decode()
        assert "Page 2 of 2" in second and 'rel="prev"' in second

    def test_the_query_count_is_flat(self, client, lead, django_assert_max_num_queries):
        client.force_login(lead)
        url = reverse("people:person-list")
        UserFactory.create_batch(3, roles=[Role.WORKER, Role.SUPERVISOR])
        # session, user, roles, count, the page of people (team joined), their roles, and
        # the session's save (savepoint, update, release)
        # +1: the header's unread notifications count
        with django_assert_max_num_queries(10):
            client.get(url)
        UserFactory.create_batch(60, roles=[Role.WORKER, Role.SUPERVISOR])
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200

    @pytest.mark.parametrize(("persona", "shown"), [("lead", True), ("manager", False)])
    def test_the_people_link_is_in_a_leads_menu_only(self, client, request, persona, shown):
        client.force_login(request.getfixturevalue(persona))
        page = client.get(reverse("programmes:home")).content.decode()
        assert (f'href="{reverse("people:person-list")}"' in page) is shown


class TestThePrivacyRecord:
    def test_an_event_is_never_changed_or_deleted(self, lead):
        event = PrivacyEvent.objects.create(kind=PrivacyEvent.Kind.RETENTION_DRY_RUN)
        event.detail = {"changed": True}
        with pytest.raises(ValueError, match="never changed"):
            event.save()
        with pytest.raises(ValueError, match="never deleted"):
            event.delete()

    def test_the_admin_can_read_but_not_add_change_or_delete(self, client):
        event = PrivacyEvent.objects.create(kind=PrivacyEvent.Kind.RETENTION_DRY_RUN)
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        assert client.get(reverse("admin:people_privacyevent_changelist")).status_code == 200
        assert client.get(reverse("admin:people_privacyevent_add")).status_code == 403
        change = reverse("admin:people_privacyevent_change", args=[event.pk])
        assert client.post(change, {"kind": "retention-anonymised"}).status_code == 403
        delete = reverse("admin:people_privacyevent_delete", args=[event.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert PrivacyEvent.objects.get().kind == PrivacyEvent.Kind.RETENTION_DRY_RUN

    def test_only_a_lead_sees_the_record(self, lead, worker):
        PrivacyEvent.objects.create(kind=PrivacyEvent.Kind.RETENTION_DRY_RUN)
        assert PrivacyEvent.objects.visible_to(lead).count() == 1
        assert not PrivacyEvent.objects.visible_to(worker).exists()


def test_the_export_says_two_step_verification_is_on_but_never_holds_the_secret(lead, worker):
    TwoFactorDevice.objects.create(user=worker, secret="JBSWY3DPEHPK3PXP")
    person, _files = _unzip(build_subject_access_export(requested_by=lead, person=worker))
    assert person["sections"]["people.sign_in"]["two_step_verification"] is True
    assert "JBSWY3DPEHPK3PXP" not in json.dumps(person)
