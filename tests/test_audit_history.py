"""Audit history: every audited model changes through a service that leaves a history row."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from simple_history.models import registered_models

from people.invitations import invite_assessor
from people.models import AssessorInvitation, Role, RoleMembership
from people.services import grant_role
from programmes import services
from programmes.models import (
    CaseloadBreach,
    CaseloadImportProfile,
    CaseloadSnapshot,
    Cohort,
    Enrolment,
    EnrolmentDocument,
    EnrolmentExtension,
    EnrolmentPause,
    Programme,
    ProtectedTimeEntry,
)
from supervision import services as supervision
from supervision.models import SupervisionAction, SupervisionAmendment, SupervisionSession
from tests.assessments.audit import SERVICE_FOR as ASSESSMENT_SERVICE_FOR
from tests.factories import (
    CohortFactory,
    SupervisionActionFactory,
    SupervisionSessionFactory,
    TeamFactory,
    UserFactory,
    programme,
)

pytestmark = pytest.mark.django_db


def _role(lead, enrolment):
    return grant_role(user=UserFactory(), role=Role.ASSESSOR, granted_by=lead)


def _programme(lead, enrolment):
    return services.create_local_variant(
        created_by=lead, based_on=programme(), code="ASYE-CF-LOCAL", name="Local ASYE"
    )


def _cohort(lead, enrolment):
    return services.create_cohort(
        created_by=lead, programme=programme(), name="ASYE 2027", intake_on=date(2027, 1, 4)
    )


def _enrolment(lead, enrolment):
    return services.enrol_worker(
        enrolled_by=lead,
        cohort=CohortFactory(),
        email="audit@council.example",
        full_name="Audit Person",
        team=TeamFactory(),
        started_on=date(2026, 9, 7),
        fte=Decimal("1"),
    )


def _pause(lead, enrolment):
    return services.record_pause(
        recorded_by=lead,
        enrolment=enrolment,
        starts_on=date(2026, 10, 1),
        ends_on=None,
        reason=EnrolmentPause.Reason.SICKNESS,
    )


def _extension(lead, enrolment):
    return services.grant_extension(
        approved_by=lead, enrolment=enrolment, weeks=4, reason="Agreed at review"
    )


def _document(lead, enrolment):
    return services.add_document(
        uploaded_by=lead,
        enrolment=enrolment,
        kind="other",
        title="Agreement",
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7 test"),
    )


def _session(lead, enrolment):
    return supervision.record_supervision_session(
        recorded_by=lead,
        enrolment=enrolment,
        held_on=timezone.localdate(),
        minutes=90,
        kind=SupervisionSession.Kind.ONE_TO_ONE,
    )


def _action(lead, enrolment):
    return supervision.add_supervision_action(
        added_by=lead,
        session=_session(lead, enrolment),
        description="Book the safeguarding course",
        owner=enrolment.worker,
        due_on=timezone.localdate(),
    )


def _amendment(lead, enrolment):
    signed = SupervisionSessionFactory(enrolment=enrolment)
    return supervision.amend_supervision_session(
        amended_by=lead, session=signed, reason="The meeting ran longer", minutes=120
    )


def _snapshot(lead, enrolment):
    services.record_caseload_snapshot(
        recorded_by=lead, enrolment=enrolment, as_of=timezone.localdate(), open_cases=3
    )
    return CaseloadSnapshot.objects.get(enrolment=enrolment)


def _breach(lead, enrolment):
    """Detection opens a breach and names nobody; the lead then owns it with a plan."""
    services.record_caseload_snapshot(
        recorded_by=lead, enrolment=enrolment, as_of=timezone.localdate(), open_cases=30
    )
    return services.acknowledge_caseload_breach(
        acknowledged_by=lead,
        breach=CaseloadBreach.objects.get(enrolment=enrolment),
        plan="Move ten cases to the duty team",
        plan_due_on=timezone.localdate(),
    )


def _protected_time(lead, enrolment):
    return services.record_protected_time(
        recorded_by=lead,
        enrolment=enrolment,
        on=timezone.localdate(),
        hours=Decimal("2"),
        kind=ProtectedTimeEntry.Kind.TRAINING,
    )


def _import_profile(lead, enrolment):
    return services.save_import_profile(
        saved_by=lead,
        name="Mosaic weekly export",
        columns={"worker": "Email", "as_of": "Date", "open_cases": "Open cases"},
    )


def _invitation(lead, enrolment):
    person, _sent = invite_assessor(
        invited_by=lead, full_name="Ada Okafor", email="ada@uni.example", organisation="Uni"
    )
    return person.assessor_invitation


# One row per audited model: the service that changes it. A model audited without a row fails
# test_every_audited_model_is_listed, so no audited model escapes this check.
SERVICE_FOR = {
    RoleMembership: _role,
    AssessorInvitation: _invitation,
    Programme: _programme,
    Cohort: _cohort,
    Enrolment: _enrolment,
    EnrolmentPause: _pause,
    EnrolmentExtension: _extension,
    EnrolmentDocument: _document,
    SupervisionSession: _session,
    SupervisionAction: _action,
    SupervisionAmendment: _amendment,
    CaseloadSnapshot: _snapshot,
    CaseloadBreach: _breach,
    ProtectedTimeEntry: _protected_time,
    CaseloadImportProfile: _import_profile,
}


def test_every_audited_model_is_listed():
    assert set(registered_models.values()) == set(SERVICE_FOR) | set(ASSESSMENT_SERVICE_FOR)


@pytest.mark.parametrize("model", ASSESSMENT_SERVICE_FOR, ids=lambda model: model.__name__)
def test_each_assessment_service_leaves_a_history_row_naming_who(lead, enrolment, model):
    record, by = ASSESSMENT_SERVICE_FOR[model](lead, enrolment)
    assert isinstance(record, model)
    row = record.history.latest()
    assert row.history_user == by
    assert row.history_change_reason


@pytest.mark.parametrize("model", SERVICE_FOR, ids=lambda model: model.__name__)
def test_each_service_leaves_a_history_row_naming_who(lead, enrolment, model):
    record = SERVICE_FOR[model](lead, enrolment)
    assert isinstance(record, model)
    row = record.history.latest()
    assert row.history_user == lead
    assert row.history_change_reason


def test_a_lead_reads_who_changed_what_and_why(client, lead, enrolment):
    services.update_enrolment(
        changed_by=lead,
        enrolment=enrolment,
        started_on=enrolment.started_on,
        fte=Decimal("0.6"),
        supervisor=enrolment.supervisor,
        assessor=enrolment.assessor,
        reason="Reduced hours",
    )
    client.force_login(lead)
    url = reverse("record-history", args=["programmes", "enrolment", enrolment.pk])
    page = client.get(url).content.decode()
    assert "Reduced hours" in page and "Lead Person" in page
    assert "1.00 → 0.60" in page


def test_history_of_a_model_that_is_not_audited_is_not_found(client, lead):
    client.force_login(lead)
    for label in (["people", "user", lead.pk], ["programmes", "nothing", 1]):
        assert client.get(reverse("record-history", args=label)).status_code == 404


def test_the_admin_shows_history_but_never_edits_it(client, lead, enrolment):
    assert not any(model.__name__.startswith("Historical") for model in admin.site._registry)
    staff = UserFactory(is_staff=True, is_superuser=True, roles=[Role.LEAD])
    client.force_login(staff)
    row = enrolment.history.get()
    url = reverse("admin:programmes_enrolment_simple_history", args=[enrolment.pk, row.history_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {"fte": "0.5"}).status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.fte == Decimal("1.00")
    assert enrolment.history.count() == 1


def test_an_enrolments_history_keeps_its_removed_documents(client, lead, enrolment):
    document = _document(lead, enrolment)
    services.remove_document(removed_by=lead, document=document, reason="Wrong person's file")
    client.force_login(lead)
    url = reverse("record-history", args=["programmes", "enrolment", enrolment.pk])
    page = client.get(url).content.decode()
    assert "Documents</h2>" in page
    assert "Deleted" in page and "Wrong person&#x27;s file" in page


def test_the_admin_shows_a_signed_session_but_never_changes_it(client, enrolment):
    session = SupervisionSessionFactory(enrolment=enrolment, notes="Allocations discussed")
    supervision_action = SupervisionActionFactory(session=session)
    staff = UserFactory(is_staff=True, is_superuser=True, roles=[Role.LEAD])
    supervision.amend_supervision_session(
        amended_by=staff, session=session, reason="Ran over", minutes=100
    )
    client.force_login(staff)
    change = reverse("admin:supervision_supervisionsession_change", args=[session.pk])
    page = client.get(change).content.decode()
    assert 'name="notes"' not in page and 'name="minutes"' not in page
    assert supervision_action.description in page and "Ran over" in page
    assert client.post(change, {"notes": "Rewritten", "minutes": "30"}).status_code == 403
    add = reverse("admin:supervision_supervisionsession_add")
    assert client.get(add).status_code == 403
    delete = reverse("admin:supervision_supervisionsession_delete", args=[session.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    first = session.history.earliest()
    revert = reverse(
        "admin:supervision_supervisionsession_simple_history", args=[session.pk, first.history_id]
    )
    assert client.post(revert, {"minutes": "90"}).status_code == 403
    session.refresh_from_db()
    assert (session.notes, session.minutes) == ("Allocations discussed", 100)


def test_a_reason_longer_than_a_history_row_holds_is_shortened_there_not_refused(lead, enrolment):
    reason = "The worker moved to part-time hours after returning from leave. " * 5

    services.update_enrolment(
        changed_by=lead,
        enrolment=enrolment,
        started_on=enrolment.started_on,
        fte=Decimal("0.8"),
        supervisor=enrolment.supervisor,
        assessor=enrolment.assessor,
        reason=reason,
    )

    row = enrolment.history.latest()
    assert len(row.history_change_reason) == 100
    assert row.history_change_reason.endswith("…")
    assert reason.startswith(row.history_change_reason[:-1])
