"""Retention: former workers are anonymised RETENTION_YEARS after their last programme ended."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from config.celery import app as celery_app
from people.models import PrivacyEvent, Role, TwoFactorDevice, User
from people.privacy import anonymise_person
from programmes.models import Enrolment, EnrolmentDocument, EnrolmentExtension, EnrolmentPause
from programmes.privacy import SCRUBBED
from programmes.selectors import people_past_retention
from programmes.services.retention import apply_retention, report_retention
from programmes.tasks import run_retention
from tests.factories import PASSWORD, EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db

ON = date(2032, 9, 1)
CUTOFF = date(2026, 9, 1)  # six years before ON


def ended(on: date, *, status: str = Enrolment.Status.COMPLETED, **fields) -> Enrolment:
    return EnrolmentFactory(
        started_on=on - timedelta(days=365), status=status, ended_on=on, **fields
    )


def due(on: date = ON) -> set[int]:
    return set(people_past_retention(on=on, years=6).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("ended_on", "picked"),
    [
        pytest.param(CUTOFF - timedelta(days=1), True, id="six-years-and-a-day-ago"),
        pytest.param(CUTOFF, False, id="exactly-six-years-ago"),
        pytest.param(CUTOFF + timedelta(days=1), False, id="six-years-less-a-day-ago"),
    ],
)
def test_only_people_whose_programme_ended_more_than_six_years_ago_are_due(ended_on, picked):
    enrolment = ended(ended_on)
    assert (enrolment.worker_id in due()) is picked


def test_a_withdrawal_counts_as_an_end_too():
    enrolment = ended(date(2020, 1, 31), status=Enrolment.Status.WITHDRAWN)
    assert due() == {enrolment.worker_id}


def test_the_last_programme_counts_not_the_first():
    first = ended(date(2019, 7, 31))
    ended(CUTOFF + timedelta(days=30), worker=first.worker)
    assert due() == set()
    [person] = people_past_retention(on=date(2033, 1, 1), years=6)
    assert person.last_ended_on == CUTOFF + timedelta(days=30)


def test_someone_on_a_programme_now_is_never_due():
    old = ended(date(2019, 7, 31))
    EnrolmentFactory(worker=old.worker)  # active again
    assert due() == set()


def test_an_ended_enrolment_with_no_end_date_keeps_the_person():
    enrolment = ended(date(2019, 7, 31))
    Enrolment.objects.filter(pk=enrolment.pk).update(ended_on=None)
    assert due() == set()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ASSESSOR, Role.MANAGER, Role.LEAD])
def test_current_staff_are_never_due(role):
    enrolment = ended(date(2019, 7, 31))
    enrolment.worker.role_memberships.create(role=role)
    assert due() == set()


def test_an_admin_user_is_never_due():
    enrolment = ended(date(2019, 7, 31))
    User.objects.filter(pk=enrolment.worker_id).update(is_staff=True)
    assert due() == set()


def test_someone_never_enrolled_is_not_a_former_worker():
    UserFactory(roles=[Role.WORKER])
    assert due() == set()


def test_the_dry_run_changes_nothing_and_reports_ids_and_dates_only():
    enrolment = ended(date(2019, 7, 31))
    worker = enrolment.worker
    candidates = report_retention(on=ON, actor=None, source="test")
    assert [(c.person_id, c.last_ended_on) for c in candidates] == [(worker.pk, date(2019, 7, 31))]
    worker.refresh_from_db()
    assert worker.is_active and "@invalid" not in worker.email
    event = PrivacyEvent.objects.get()
    assert event.kind == PrivacyEvent.Kind.RETENTION_DRY_RUN and event.subject_id is None
    assert event.detail["candidates"] == [{"person_id": worker.pk, "last_ended_on": "2019-07-31"}]
    assert worker.full_name not in str(event.detail) and worker.email not in str(event.detail)


def _with_records(enrolment: Enrolment) -> EnrolmentDocument:
    lead = UserFactory(roles=[Role.LEAD])
    pause = EnrolmentPause(
        enrolment=enrolment,
        starts_on=enrolment.started_on + timedelta(days=30),
        ends_on=enrolment.started_on + timedelta(days=60),
        reason=EnrolmentPause.Reason.SICKNESS,
        note="Surgery, back on 1 March",
        recorded_by=lead,
    )
    pause._change_reason = "Told us about her operation"
    pause.save()
    EnrolmentExtension.objects.create(
        enrolment=enrolment, weeks=4, reason="Caring for her mother", approved_by=lead
    )
    return EnrolmentDocument.objects.create(
        enrolment=enrolment,
        kind=EnrolmentDocument.Kind.LEARNING_AGREEMENT,
        title="Learning agreement — Jane Doe",
        file=ContentFile(b"%PDF-1.4", name="agreement.pdf"),
        content_type="application/pdf",
        size_bytes=8,
        uploaded_by=lead,
    )


def test_applying_anonymises_the_person_and_what_was_written_about_them(
    django_capture_on_commit_callbacks,
):
    enrolment = ended(date(2019, 7, 31))
    enrolment.worker.swe_registration_number = "SW123456"
    enrolment.worker.qualified_on = date(2018, 7, 1)
    enrolment.worker.save()
    document = _with_records(enrolment)
    stored = document.file.name
    storage = document.file.storage
    worker, email = enrolment.worker, enrolment.worker.email

    with django_capture_on_commit_callbacks(execute=True):
        done = apply_retention(on=ON, actor=None, source="test")

    assert [c.person_id for c in done] == [worker.pk]
    worker.refresh_from_db()
    assert worker.full_name == f"Former worker #{worker.pk}"
    assert worker.email == f"anonymised-{worker.pk}@invalid"
    assert worker.swe_registration_number == ""
    assert worker.qualified_on is None
    assert not worker.is_active and not worker.has_usable_password()
    assert not worker.check_password(PASSWORD)
    assert not User.objects.filter(email__iexact=email).exists()
    # The enrolment stays, for the counts; what was typed about the person goes.
    assert Enrolment.objects.filter(pk=enrolment.pk, worker=worker).exists()
    assert EnrolmentPause.objects.get().note == ""
    assert {row.note for row in EnrolmentPause.history.all()} == {""}
    assert "Told us about her operation" not in {
        row.history_change_reason for row in EnrolmentPause.history.all()
    }
    assert EnrolmentExtension.objects.get().reason == SCRUBBED
    assert {row.reason for row in EnrolmentExtension.history.all()} == {SCRUBBED}
    assert not EnrolmentDocument.objects.exists()
    assert {row.title for row in EnrolmentDocument.history.all()} == {SCRUBBED}
    assert not storage.exists(stored)
    event = PrivacyEvent.objects.get()
    assert (event.kind, event.subject_id, event.actor) == (
        PrivacyEvent.Kind.RETENTION_ANONYMISED,
        worker.pk,
        None,
    )
    assert event.detail["last_ended_on"] == "2019-07-31"
    assert email not in str(event.detail)


def test_each_person_gets_their_own_event_and_others_are_untouched():
    first, second = ended(date(2019, 7, 31)), ended(date(2020, 3, 31))
    recent = ended(date(2030, 7, 31))
    apply_retention(on=ON, actor=None, source="test")
    events = PrivacyEvent.objects.filter(kind=PrivacyEvent.Kind.RETENTION_ANONYMISED)
    assert sorted(events.values_list("subject_id", flat=True)) == sorted(
        [first.worker_id, second.worker_id]
    )
    recent.worker.refresh_from_db()
    assert recent.worker.is_active and "@invalid" not in recent.worker.email
    for staff in (first.supervisor, first.assessor, first.worker.team.manager):
        staff.refresh_from_db()
        assert staff.is_active


def test_running_twice_changes_nothing_the_second_time():
    enrolment = ended(date(2019, 7, 31))
    apply_retention(on=ON, actor=None, source="test")
    enrolment.worker.refresh_from_db()
    before = (enrolment.worker.full_name, enrolment.worker.email, enrolment.worker.password)
    assert apply_retention(on=ON, actor=None, source="test") == []
    enrolment.worker.refresh_from_db()
    assert (enrolment.worker.full_name, enrolment.worker.email, enrolment.worker.password) == (
        before
    )
    assert PrivacyEvent.objects.count() == 1
    assert anonymise_person(person=enrolment.worker, reason="again", actor=None) is False


def test_current_staff_are_refused_by_the_service_itself(supervisor):
    with pytest.raises(ValidationError, match="current staff"):
        anonymise_person(person=supervisor, reason="Test", actor=None)
    supervisor.refresh_from_db()
    assert supervisor.is_active and not PrivacyEvent.objects.exists()


def test_only_a_lead_or_the_scheduled_job_may_anonymise(manager):
    enrolment = ended(date(2019, 7, 31))
    with pytest.raises(PermissionDenied):
        anonymise_person(person=enrolment.worker, reason="Test", actor=manager)


def test_the_command_dry_run_prints_ids_and_dates_but_no_names():
    enrolment = ended(date(2019, 7, 31))
    out = StringIO()
    call_command("apply_retention", "--dry-run", "--on", "2032-09-01", stdout=out)
    text = out.getvalue()
    assert f"person #{enrolment.worker_id}: last programme ended 2019-07-31" in text
    assert enrolment.worker.full_name not in text and enrolment.worker.email not in text
    assert PrivacyEvent.objects.get().kind == PrivacyEvent.Kind.RETENTION_DRY_RUN
    enrolment.worker.refresh_from_db()
    assert enrolment.worker.is_active


def test_the_command_anonymises_without_dry_run():
    enrolment = ended(date(2019, 7, 31))
    out = StringIO()
    call_command("apply_retention", "--on", "2032-09-01", stdout=out)
    assert "Anonymised 1 person(s)" in out.getvalue()
    enrolment.worker.refresh_from_db()
    assert not enrolment.worker.is_active


def test_the_command_refuses_a_date_it_cannot_read():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("apply_retention", "--on", "1/9/2032")


@pytest.mark.parametrize(("auto_apply", "anonymised"), [(False, False), (True, True)])
def test_the_scheduled_job_only_reports_unless_told_to_apply(settings, auto_apply, anonymised):
    settings.RETENTION_AUTO_APPLY = auto_apply
    enrolment = ended(date(2000, 7, 31))
    run_retention()
    enrolment.worker.refresh_from_db()
    assert (not enrolment.worker.is_active) is anonymised
    kinds = set(PrivacyEvent.objects.values_list("kind", flat=True))
    expected = PrivacyEvent.Kind.RETENTION_ANONYMISED if anonymised else "retention-dry-run"
    assert kinds == {expected}


def test_the_job_runs_monthly_at_half_past_two():
    entry = celery_app.conf.beat_schedule["privacy-retention"]
    assert entry["task"] == "programmes.tasks.run_retention"
    schedule = entry["schedule"]
    assert (schedule.minute, schedule.hour, schedule.day_of_month) == ({30}, {2}, {1})


def test_no_history_table_in_people_keeps_a_name_or_email():
    """Anonymising rewrites the live person only: were people's history to copy a name or an
    email, anonymise_person would have to scrub it too."""
    personal = {"full_name", "email", "swe_registration_number"}
    for model in apps.get_app_config("people").get_models():
        if model.__name__.startswith("Historical"):
            assert not personal & {field.name for field in model._meta.fields}, model


def test_anonymising_removes_the_persons_authenticator_secret():
    enrolment = ended(date(2019, 7, 31))
    TwoFactorDevice.objects.create(user=enrolment.worker, secret="JBSWY3DPEHPK3PXP")
    apply_retention(on=ON, actor=None, source="test")
    assert not TwoFactorDevice.objects.exists()
