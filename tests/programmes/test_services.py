"""Services on the real database: each change is whole or absent, with its history row."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from people.models import Role, User
from programmes import selectors, services
from programmes.models import Cohort, Enrolment, EnrolmentPause
from tests.factories import CohortFactory, EnrolmentFactory, TeamFactory, UserFactory, programme

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def _enrol(lead, cohort, **overrides):
    details = {
        "enrolled_by": lead,
        "cohort": cohort,
        "email": "new.worker@council.example",
        "full_name": "New Worker",
        "started_on": date(2026, 9, 7),
        "fte": Decimal("1.0"),
    }
    if "team" not in overrides:
        details["team"] = TeamFactory()
    return services.enrol_worker(**{**details, **overrides})


def test_a_lead_opens_a_cohort_and_the_history_names_them(lead):
    cohort = services.create_cohort(
        created_by=lead, programme=programme(), name="ASYE 2027", intake_on=date(2027, 1, 4)
    )
    assert cohort.history.get().history_user == lead


def test_a_second_cohort_with_the_same_name_is_refused(lead):
    services.create_cohort(
        created_by=lead, programme=programme(), name="ASYE 2027", intake_on=date(2027, 1, 4)
    )
    with pytest.raises(ValidationError) as refusal:
        services.create_cohort(
            created_by=lead, programme=programme(), name="asye 2027", intake_on=date(2027, 1, 4)
        )
    assert "name" in refusal.value.message_dict
    assert Cohort.objects.count() == 1


def test_only_a_lead_may_open_a_cohort(manager):
    with pytest.raises(PermissionDenied):
        services.create_cohort(
            created_by=manager, programme=programme(), name="X", intake_on=date(2027, 1, 4)
        )


def test_enrolling_creates_the_person_as_a_worker_in_their_team(lead):
    team = TeamFactory()
    enrolment = _enrol(lead, CohortFactory(), team=team)
    worker = enrolment.worker
    assert (worker.email, worker.team, worker.has_usable_password()) == (
        "new.worker@council.example",
        team,
        False,
    )
    assert worker.has_role(Role.WORKER)
    assert enrolment.history.get().history_change_reason == "Enrolled"


def test_a_worker_cannot_hold_two_active_enrolments_and_nothing_is_saved(lead, enrolment):
    team, cohort = TeamFactory(), CohortFactory()
    people_before = User.objects.count()
    with pytest.raises(ValidationError) as refusal:
        _enrol(lead, cohort, team=team, email=enrolment.worker.email.upper())
    assert "already enrolled" in refusal.value.message_dict["email"][0]
    assert Enrolment.objects.count() == 1
    assert User.objects.count() == people_before


def test_a_supervisor_without_the_supervisor_role_is_refused_and_no_person_is_created(lead):
    not_a_supervisor = UserFactory()
    with pytest.raises(ValidationError) as refusal:
        _enrol(lead, CohortFactory(), supervisor=not_a_supervisor)
    assert refusal.value.message_dict == {
        "supervisor": [f"{not_a_supervisor} is not a supervisor."]
    }
    assert not User.objects.filter(email="new.worker@council.example").exists()


def test_fte_outside_the_range_is_refused(lead):
    with pytest.raises(ValidationError) as refusal:
        _enrol(lead, CohortFactory(), fte=Decimal("1.2"))
    assert refusal.value.message_dict["fte"] == ["FTE must be at most 1.0."]
    assert not Enrolment.objects.exists()


def test_changing_an_enrolment_needs_a_reason_and_keeps_both_versions(lead, enrolment):
    with pytest.raises(ValidationError):
        services.update_enrolment(
            changed_by=lead,
            enrolment=enrolment,
            started_on=enrolment.started_on,
            fte=Decimal("0.6"),
            supervisor=enrolment.supervisor,
            assessor=enrolment.assessor,
            reason="  ",
        )
    services.update_enrolment(
        changed_by=lead,
        enrolment=enrolment,
        started_on=enrolment.started_on,
        fte=Decimal("0.6"),
        supervisor=enrolment.supervisor,
        assessor=enrolment.assessor,
        reason="Reduced hours after return from leave",
    )
    latest, earlier = enrolment.history.order_by("-history_id")[:2]
    assert (earlier.fte, latest.fte) == (Decimal("1.00"), Decimal("0.60"))
    assert latest.history_user == lead
    assert latest.history_change_reason == "Reduced hours after return from leave"


def test_ending_an_enrolment_lets_the_worker_enrol_again(lead, enrolment):
    services.end_enrolment(
        ended_by=lead,
        enrolment=enrolment,
        status=Enrolment.Status.WITHDRAWN,
        ended_on=enrolment.started_on + timedelta(days=30),
        reason="Left the authority",
    )
    again = _enrol(lead, CohortFactory(), email=enrolment.worker.email)
    assert again.worker == enrolment.worker


def test_an_enrolment_cannot_end_in_the_future(lead, enrolment):
    with pytest.raises(ValidationError) as refusal:
        services.end_enrolment(
            ended_by=lead,
            enrolment=enrolment,
            status=Enrolment.Status.COMPLETED,
            ended_on=timezone.localdate() + timedelta(days=1),
            reason="Done",
        )
    assert "ended_on" in refusal.value.message_dict


def test_a_pause_moves_the_expected_end_by_its_length(lead, enrolment):
    before = selectors.enrolment_timeline(enrolment, on=TODAY).expected_end_on
    services.record_pause(
        recorded_by=lead,
        enrolment=enrolment,
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 10, 14),
        reason=EnrolmentPause.Reason.PARENTAL_LEAVE,
    )
    after = selectors.enrolment_timeline(enrolment, on=TODAY).expected_end_on
    assert (before, after) == (date(2027, 9, 7), date(2027, 9, 21))


def test_overlapping_pauses_are_refused(lead, enrolment):
    services.record_pause(
        recorded_by=lead,
        enrolment=enrolment,
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 10, 14),
        reason=EnrolmentPause.Reason.SICKNESS,
    )
    with pytest.raises(ValidationError) as refusal:
        services.record_pause(
            recorded_by=lead,
            enrolment=enrolment,
            starts_on=date(2026, 10, 10),
            ends_on=date(2026, 10, 20),
            reason=EnrolmentPause.Reason.SICKNESS,
        )
    assert "overlaps" in refusal.value.message_dict["starts_on"][0]
    assert enrolment.pauses.count() == 1


def test_a_pause_cannot_start_before_the_enrolment(lead, enrolment):
    with pytest.raises(ValidationError):
        services.record_pause(
            recorded_by=lead,
            enrolment=enrolment,
            starts_on=enrolment.started_on - timedelta(days=1),
            ends_on=None,
            reason=EnrolmentPause.Reason.SICKNESS,
        )


def test_an_open_pause_counts_up_to_today_and_ends_when_its_last_day_is_recorded(lead, enrolment):
    pause = services.record_pause(
        recorded_by=lead,
        enrolment=enrolment,
        starts_on=date(2026, 11, 9),
        ends_on=None,
        reason=EnrolmentPause.Reason.SICKNESS,
    )
    timeline = selectors.enrolment_timeline(enrolment, on=TODAY)
    assert timeline.is_paused
    assert timeline.expected_end_on == date(2027, 9, 7) + timedelta(days=15)
    services.end_pause(recorded_by=lead, pause=pause, ends_on=date(2026, 11, 15))
    enrolment.refresh_from_db()
    assert selectors.enrolment_timeline(enrolment, on=TODAY).expected_end_on == date(2027, 9, 14)


def test_an_extension_moves_the_end_and_final_review_but_not_earlier_reviews(lead, enrolment):
    before = selectors.enrolment_timeline(enrolment, on=TODAY)
    services.grant_extension(
        approved_by=lead, enrolment=enrolment, weeks=6, reason="Concern plan agreed"
    )
    after = selectors.enrolment_timeline(enrolment, on=TODAY)
    assert after.expected_end_on == before.expected_end_on + timedelta(weeks=6)
    moved = {m.key for m, n in zip(before.milestones, after.milestones, strict=True) if m != n}
    assert moved == {"review-12", "critical-reflection-12", "self-assessment-12"}


def test_only_a_lead_may_pause_or_extend(supervisor, enrolment):
    with pytest.raises(PermissionDenied):
        services.grant_extension(approved_by=supervisor, enrolment=enrolment, weeks=2, reason="x")
    with pytest.raises(PermissionDenied):
        services.record_pause(
            recorded_by=supervisor,
            enrolment=enrolment,
            starts_on=date(2026, 10, 1),
            ends_on=None,
            reason=EnrolmentPause.Reason.SICKNESS,
        )


def test_an_enrolment_that_has_ended_cannot_be_changed(lead):
    ended = EnrolmentFactory(status=Enrolment.Status.COMPLETED)
    with pytest.raises(PermissionDenied):
        services.grant_extension(approved_by=lead, enrolment=ended, weeks=2, reason="x")


def test_a_full_time_year_is_shown_as_52_weeks_and_a_pause_does_not_count(lead, enrolment):
    assert selectors.enrolment_timeline(enrolment, on=TODAY).total_weeks == 52
    services.record_pause(
        recorded_by=lead,
        enrolment=enrolment,
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 10, 14),
        reason=EnrolmentPause.Reason.SICKNESS,
    )
    timeline = selectors.enrolment_timeline(enrolment, on=TODAY)
    assert (timeline.total_weeks, timeline.week) == (52, 10)
