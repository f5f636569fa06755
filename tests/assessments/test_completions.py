"""Completion records: written as an enrolment ends, kept as they were, found by SWE number."""

import importlib
import io
import json
import zipfile
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import CompletionRecord, Framework
from assessments.services.completions import record_completion
from assessments.services.frameworks import move_framework
from people.models import Role
from people.privacy import anonymise_person, build_subject_access_export
from programmes import services
from programmes.models import Enrolment
from programmes.services import enrolments as enrolment_services
from tests.factories import EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db

ENDED_ON = date(2026, 11, 30)


def _end(enrolment, lead, status=Enrolment.Status.COMPLETED):
    return services.end_enrolment(
        ended_by=lead, enrolment=enrolment, status=status, ended_on=ENDED_ON, reason="Ended"
    )


@pytest.fixture
def registered(enrolment):
    worker = enrolment.worker
    worker.full_name = "Amara Okafor"
    worker.swe_registration_number = "SW123456"
    worker.save()
    return enrolment


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        pytest.param(Enrolment.Status.COMPLETED, "Completed", id="completed"),
        pytest.param(Enrolment.Status.WITHDRAWN, "Withdrawn", id="withdrawn"),
    ],
)
def test_ending_an_enrolment_writes_its_completion_record(registered, lead, status, outcome):
    _end(registered, lead, status)
    record = CompletionRecord.objects.get(enrolment=registered)
    assert (
        record.worker,
        record.worker_name,
        record.swe_registration_number,
        record.programme_code,
        record.cohort_name,
        record.get_outcome_display(),
        record.outcome_on,
        record.started_on,
        record.framework_code,
        record.framework_version,
    ) == (
        registered.worker,
        "Amara Okafor",
        "SW123456",
        "ASYE-CF",
        registered.cohort.name,
        outcome,
        ENDED_ON,
        registered.started_on,
        registered.framework_pin.framework.code,
        registered.framework_pin.framework.version,
    )
    assert record.history.get().history_user == lead


def test_a_panels_fail_writes_a_not_passed_record(registered, lead):
    enrolment_services.close_on_outcome(
        decided_by=lead, enrolment=registered, passed=False, ended_on=ENDED_ON, reason="Panel"
    )
    assert CompletionRecord.objects.get(enrolment=registered).get_outcome_display() == "Not passed"


def test_an_active_enrolment_has_no_record(registered):
    registered.fte = "0.8"
    registered.save()
    assert not CompletionRecord.objects.exists()


def test_the_record_keeps_the_name_number_and_framework_as_they_were(registered, lead):
    _end(registered, lead)
    worker = registered.worker
    worker.full_name = "Amara Okafor-Reed"
    worker.swe_registration_number = "SW999999"
    worker.save()
    cohort_name = registered.cohort.name
    registered.cohort.name = "Renamed cohort"
    registered.cohort.save()
    registered.refresh_from_db()
    record_completion(registered, by=lead)  # a repeat with the same outcome changes nothing
    record = CompletionRecord.objects.get(enrolment=registered)
    assert (record.worker_name, record.swe_registration_number, record.cohort_name) == (
        "Amara Okafor",
        "SW123456",
        cohort_name,
    )
    assert record.history.count() == 1


def test_the_record_names_the_framework_version_the_enrolment_was_pinned_to(registered, lead):
    later = Framework.objects.get(code="early-career-standards")
    move_framework(moved_by=lead, enrolment=registered, framework=later, reason="Moved")
    _end(registered, lead)
    record = CompletionRecord.objects.get(enrolment=registered)
    assert (record.framework_code, record.framework_version, record.framework_name) == (
        later.code,
        later.version,
        later.name,
    )


def _records_seen_by(user):
    return set(CompletionRecord.objects.visible_to(user).values_list("enrolment_id", flat=True))


def test_each_role_sees_only_the_completion_records_it_should(request, registered, lead, outsider):
    _end(registered, lead)
    elsewhere = Enrolment.objects.get(worker__team__manager=outsider)
    _end(elsewhere, lead, Enrolment.Status.WITHDRAWN)
    both = {registered.pk, elsewhere.pk}
    seen = {
        persona: _records_seen_by(request.getfixturevalue(persona))
        for persona in ("worker", "supervisor", "assessor", "manager", "lead", "outsider")
    }
    assert seen == {
        "worker": {registered.pk},
        "supervisor": set(),
        "assessor": set(),
        "manager": {registered.pk},
        "lead": both,
        "outsider": {elsewhere.pk},  # the outsider manages the other team
    }


@pytest.mark.parametrize("typed", ["SW123456", " sw123456 ", "sw 123 456", "Sw123456\t"])
def test_a_lead_finds_a_record_by_number_typed_with_spaces_or_lower_case(
    client, registered, lead, typed
):
    _end(registered, lead)
    client.force_login(lead)
    response = client.get(reverse("assessments:completion-lookup"), {"number": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Amara Okafor" in page and "Records for SW123456" in page
    assert reverse("assessments:completion-detail", args=[registered.completion_record.pk]) in page


def test_a_number_with_no_record_says_so(client, registered, lead):
    _end(registered, lead)
    client.force_login(lead)
    response = client.get(reverse("assessments:completion-lookup"), {"number": "sw000001"})
    page = response.content.decode()
    assert "No completion record has the Social Work England number SW000001" in page
    assert "Amara Okafor" not in page


def test_an_empty_number_is_refused_with_the_error_summary(client, lead):
    client.force_login(lead)
    response = client.get(reverse("assessments:completion-lookup"), {"number": "  "})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter a Social Work England registration number" in page
    assert page.count("<title>Error:") == 1


def test_the_lookup_page_without_a_search_lists_nothing(client, registered, lead):
    _end(registered, lead)
    client.force_login(lead)
    page = client.get(reverse("assessments:completion-lookup")).content.decode()
    assert "There is a problem" not in page and "Amara Okafor" not in page


def test_the_printable_record_shows_the_outcome_and_offers_printing(client, registered, lead):
    _end(registered, lead)
    client.force_login(lead)
    url = reverse("assessments:completion-detail", args=[registered.completion_record.pk])
    page = client.get(url).content.decode()
    assert "Amara Okafor" in page and "SW123456" in page and "30 November 2026" in page
    assert "Print this record" in page and "js/print-record" in page
    assert 'media="print"' in page and "style=" not in page


@pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor", "manager", "outsider"])
def test_only_a_lead_may_open_the_completion_pages(client, request, registered, lead, persona):
    _end(registered, lead)
    client.force_login(request.getfixturevalue(persona))
    detail = reverse("assessments:completion-detail", args=[registered.completion_record.pk])
    lookup = reverse("assessments:completion-lookup")
    assert client.get(lookup, {"number": "SW123456"}).status_code == 403
    assert client.get(detail).status_code == 403


def test_the_lookup_query_count_is_flat(client, lead, django_assert_max_num_queries):
    # The same person, withdrawn and back again on cohort after cohort: one row for each.
    worker = UserFactory(roles=[Role.WORKER], swe_registration_number="SW777777")

    def ended(count):
        for _ in range(count):
            _end(EnrolmentFactory(worker=worker), lead, Enrolment.Status.WITHDRAWN)

    client.force_login(lead)
    url = reverse("assessments:completion-lookup")
    ended(3)
    # session, user, roles, the records, unread notifications, the session saved (3)
    with django_assert_max_num_queries(8):
        assert client.get(url, {"number": "SW777777"}).content.decode().count("<tr") == 4
    ended(27)
    with django_assert_max_num_queries(8):
        assert client.get(url, {"number": "SW777777"}).content.decode().count("<tr") == 31


def _backfill():
    module = importlib.import_module("assessments.migrations.0003_completion_records")
    module.backfill_completion_records(apps, None)


def test_the_migration_backfills_a_record_for_each_enrolment_already_ended(lead):
    ended = EnrolmentFactory(
        worker__full_name="Old Leaver",
        worker__swe_registration_number="sw 555 555",
        status=Enrolment.Status.WITHDRAWN,
        ended_on=date(2025, 6, 30),
    )
    active = EnrolmentFactory()
    already = EnrolmentFactory()
    _end(already, lead)
    CompletionRecord.objects.filter(enrolment=ended).delete()  # as before records were kept
    kept = CompletionRecord.objects.get(enrolment=already)
    _backfill()
    _backfill()  # a second run adds nothing
    record = CompletionRecord.objects.get(enrolment=ended)
    assert (record.worker_name, record.swe_registration_number, record.outcome) == (
        "Old Leaver",
        "SW555555",
        "withdrawn",
    )
    assert (record.outcome_on, record.framework_code) == (
        date(2025, 6, 30),
        ended.framework_pin.framework.code,
    )
    assert record.history.get().history_change_reason.startswith("Recorded from an enrolment")
    assert not CompletionRecord.objects.filter(enrolment=active).exists()
    assert CompletionRecord.objects.get(enrolment=already) == kept
    assert CompletionRecord.objects.count() == 2


def test_an_active_enrolment_has_no_outcome_to_record(enrolment):
    with pytest.raises(ValidationError):
        record_completion(enrolment)
    assert not CompletionRecord.objects.exists()


def test_retention_anonymising_a_former_worker_removes_their_name_and_number(registered, lead):
    _end(registered, lead, Enrolment.Status.WITHDRAWN)
    worker = registered.worker
    anonymise_person(person=worker, reason="Retention period over", actor=None)
    record = CompletionRecord.objects.get(enrolment=registered)
    name = f"Former worker #{worker.pk}"
    assert (record.worker_name, record.swe_registration_number, record.outcome) == (
        name,
        "",
        "withdrawn",
    )
    history = record.history.order_by("history_id")
    assert {(row.worker_name, row.swe_registration_number) for row in history} == {(name, "")}
    assert history.last().history_change_reason == "Retention period over"


def test_the_subject_access_export_holds_the_completion_records(registered, lead):
    _end(registered, lead)
    archive = build_subject_access_export(requested_by=lead, person=registered.worker)
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        sections = json.loads(opened.read("person.json"))["sections"]
    [record] = sections["assessments.completions"]
    assert (record["name_recorded"], record["outcome"], record["outcome_on"]) == (
        "Amara Okafor",
        "Completed",
        "2026-11-30",
    )
