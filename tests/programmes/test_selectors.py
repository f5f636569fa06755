"""Loading enrolments for lists and for judging: shared programmes, pauses as lists, people."""

from __future__ import annotations

from datetime import date

import pytest

from programmes.models import Enrolment, EnrolmentPause
from programmes.rules import CadencePhase, Pause
from programmes.selectors import (
    enrolment_timeline,
    enrolments_for_judging,
    enrolments_for_list,
    load_people,
    pause_rules,
)
from tests.factories import CohortFactory, EnrolmentFactory, programme

TODAY = date(2026, 11, 9)

pytestmark = pytest.mark.django_db


def test_a_programme_parses_its_rules_once_and_again_when_they_are_assigned_anew():
    asye = programme("ASYE-CF")
    assert asye.cadence_phases is asye.cadence_phases

    asye.supervision_phases = [{"last_week": 52, "interval_days": 7}]

    assert asye.cadence_phases == (CadencePhase(last_week=52, interval_days=7),)


def test_a_programme_plans_its_milestones_anew_when_its_length_changes():
    asye = programme("ASYE-CF")
    assert asye.milestone_plan.duration_months == 12
    asye.duration_months = 24
    assert asye.milestone_plan.duration_months == 24


def test_enrolments_on_one_programme_share_one_instance_of_it(django_assert_num_queries):
    cohort = CohortFactory()
    EnrolmentFactory.create_batch(3, cohort=cohort)
    EnrolmentFactory(cohort=CohortFactory())
    # the enrolments with their cohorts, the programmes, the pauses, the extensions
    with django_assert_num_queries(4):
        loaded = list(enrolments_for_judging(Enrolment.objects.order_by("pk")))
    assert len({id(e.cohort.programme) for e in loaded}) == 1


def test_pauses_read_from_a_list_are_the_pauses_read_one_by_one(lead):
    enrolment = EnrolmentFactory(started_on=date(2026, 9, 7))
    for starts_on, ends_on in ((date(2026, 10, 5), date(2026, 10, 9)), (date(2026, 11, 2), None)):
        EnrolmentPause.objects.create(
            enrolment=enrolment,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=EnrolmentPause.Reason.SICKNESS,
            recorded_by=lead,
        )
    loaded = enrolments_for_list(Enrolment.objects.all()).get()
    alone = Enrolment.objects.get()

    expected = (Pause(date(2026, 10, 5), date(2026, 10, 9)), Pause(date(2026, 11, 2), TODAY))
    assert pause_rules(loaded, on=TODAY) == pause_rules(alone, on=TODAY) == expected
    assert enrolment_timeline(loaded, on=TODAY) == enrolment_timeline(alone, on=TODAY)


def test_the_people_of_enrolments_judged_without_them_come_in_one_query(
    django_assert_num_queries,
):
    EnrolmentFactory.create_batch(3)
    judged = list(enrolments_for_judging(Enrolment.objects.order_by("pk")))

    with django_assert_num_queries(1):
        load_people(judged)
    with django_assert_num_queries(0):
        shown = [
            (e.worker.full_name, e.worker.team.name, e.supervisor.full_name, e.assessor.full_name)
            for e in judged
        ]

    expected = [
        (e.worker.full_name, e.worker.team.name, e.supervisor.full_name, e.assessor.full_name)
        for e in Enrolment.objects.order_by("pk")
    ]
    assert shown == expected
