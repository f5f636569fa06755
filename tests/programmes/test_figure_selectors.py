"""The cohort figures' reads: caseload bands, outcomes, breaches and supervision by month.

The factories' enrolment starts on Monday 7 September 2026 on ASYE-CF: a session is owed every
7 days in weeks 1 to 6, every 14 in weeks 7 to 26. There is no bank holiday from September to
mid-November 2026, so each session's latest day is its due day.
"""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from programmes.models import CaseloadBreach, CaseloadSnapshot, Enrolment, EnrolmentExtension
from programmes.selectors.figures import (
    CASELOAD_BANDS,
    breaches_by_month,
    caseload_bands,
    month_windows,
    outcome_counts,
)
from supervision.selectors import compliance_by_month
from tests.factories import EnrolmentFactory, SupervisionSessionFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 9)


def snapshot(enrolment: Enrolment, open_cases: int, as_of: date = date(2026, 11, 2)) -> None:
    CaseloadSnapshot.objects.create(
        enrolment=enrolment, as_of=as_of, open_cases=open_cases, source="manual"
    )


def ended(status: str, *, started_on: date, ended_on: date) -> Enrolment:
    return EnrolmentFactory(
        status=status, started_on=started_on, cohort__intake_on=started_on, ended_on=ended_on
    )


def breach(enrolment: Enrolment, detected_on: date, **kwargs) -> CaseloadBreach:
    return CaseloadBreach.objects.create(
        enrolment=enrolment,
        detected_on=detected_on,
        snapshot_on=detected_on,
        open_cases=12,
        cap=9,
        child_protection_cases=0,
        limits=["open-cases"],
        **kwargs,
    )


def at_noon(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def held(enrolment: Enrolment, *days: date) -> None:
    for day in days:
        SupervisionSessionFactory(enrolment=enrolment, held_on=day)


def by_month(rows) -> dict[str, object]:
    return {f"{row.starts_on:%Y-%m}{'*' if row.is_to_date else ''}": row for row in rows}


# Month windows


def test_the_months_are_the_twelve_full_months_before_then_this_month_to_date():
    months = month_windows(on=TODAY)
    assert len(months) == 13
    assert (months[0].starts_on, months[0].ends_on) == (date(2025, 11, 1), date(2025, 11, 30))
    assert (months[-2].starts_on, months[-2].ends_on) == (date(2026, 10, 1), date(2026, 10, 31))
    assert (months[-1].starts_on, months[-1].ends_on) == (date(2026, 11, 1), TODAY)
    assert [month.is_to_date for month in months] == [False] * 12 + [True]


# Caseload bands


def test_caseloads_fall_in_bands_with_ten_in_the_first_and_eleven_in_the_second():
    for open_cases in (0, 10, 11, 20, 21, 30, 31, 45):
        snapshot(EnrolmentFactory(), open_cases)
    EnrolmentFactory()  # active, no figure yet

    bands = caseload_bands(Enrolment.objects.all(), on=TODAY)

    assert [(band.label, band.count) for band in bands.bands] == [
        ("0–10", 2),
        ("11–20", 2),
        ("21–30", 2),
        ("31+", 2),
    ]
    assert [(band.low, band.high) for band in bands.bands] == list(CASELOAD_BANDS)
    assert bands.not_recorded == 1


def test_a_caseload_band_counts_the_latest_figure_up_to_the_day_and_active_enrolments_only():
    moving = EnrolmentFactory()
    snapshot(moving, 31, as_of=date(2026, 10, 19))
    snapshot(moving, 12, as_of=date(2026, 11, 2))
    snapshot(moving, 40, as_of=date(2026, 11, 10))  # after the day asked about
    later = EnrolmentFactory()
    snapshot(later, 5, as_of=date(2026, 11, 10))  # no figure yet on the day
    left = ended("withdrawn", started_on=date(2026, 9, 7), ended_on=date(2026, 11, 3))
    snapshot(left, 25)

    bands = caseload_bands(Enrolment.objects.all(), on=TODAY)

    assert [band.count for band in bands.bands] == [0, 1, 0, 0]
    assert bands.not_recorded == 1


@pytest.mark.parametrize("count", [3, 30])
def test_caseload_bands_take_three_queries_whatever_the_number(count, django_assert_num_queries):
    for index, enrolment in enumerate(EnrolmentFactory.create_batch(count)):
        snapshot(enrolment, index)
    with django_assert_num_queries(3):
        caseload_bands(Enrolment.objects.all(), on=TODAY)


# Outcomes


def test_a_withdrawal_at_eleven_months_is_a_first_year_leaver_and_at_twelve_is_not():
    start = date(2025, 9, 7)
    ended("withdrawn", started_on=start, ended_on=date(2026, 8, 7))  # 11 months
    ended("withdrawn", started_on=start, ended_on=date(2026, 9, 6))  # the day before 12
    ended("withdrawn", started_on=start, ended_on=date(2026, 9, 7))  # 12 months to the day
    ended("withdrawn", started_on=start, ended_on=date(2026, 10, 1))

    outcomes = outcome_counts(Enrolment.objects.all())

    assert outcomes.withdrawn == 4
    assert outcomes.withdrawn_in_first_year == 2


def test_outcomes_count_each_status_and_every_extended_enrolment():
    approver = UserFactory()
    active = EnrolmentFactory()
    completed = ended("completed", started_on=date(2025, 9, 1), ended_on=date(2026, 9, 30))
    ended("failed", started_on=date(2025, 9, 1), ended_on=date(2026, 9, 30))
    ended("withdrawn", started_on=date(2026, 9, 7), ended_on=date(2026, 10, 30))
    for extended in (active, completed, completed):  # twice extended still counts once
        EnrolmentExtension.objects.create(
            enrolment=extended, weeks=4, reason="Sickness", approved_by=approver
        )

    outcomes = outcome_counts(Enrolment.objects.all())

    assert (outcomes.active, outcomes.completed, outcomes.failed) == (1, 1, 1)
    assert (outcomes.withdrawn, outcomes.withdrawn_in_first_year) == (1, 1)
    assert outcomes.extended == 2
    assert outcomes.total == 4


def test_outcomes_count_only_the_enrolments_given():
    EnrolmentFactory()
    ended("failed", started_on=date(2025, 9, 1), ended_on=date(2026, 9, 30))
    outcomes = outcome_counts(Enrolment.objects.filter(status="failed"))
    assert (outcomes.active, outcomes.failed) == (0, 1)


@pytest.mark.parametrize("count", [3, 30])
def test_outcomes_take_two_queries_whatever_the_number(count, django_assert_num_queries):
    for index in range(count):
        ended("withdrawn", started_on=date(2025, 9, 1), ended_on=date(2026, 1, 1 + index % 28))
    with django_assert_num_queries(2):
        assert outcome_counts(Enrolment.objects.all()).withdrawn_in_first_year == count


# Caseload breaches by month


def test_breaches_open_in_the_month_detected_and_close_when_back_within_the_cap_or_resolved():
    one, two, three, four = EnrolmentFactory.create_batch(4)
    resolved = CaseloadBreach.Status.RESOLVED
    # Opened in October, back within the cap in November.
    breach(one, date(2026, 10, 5), status=resolved, ended_on=date(2026, 11, 2))
    # Opened and resolved by hand in September, with no day back within the cap.
    breach(two, date(2026, 9, 14), status=resolved, resolved_at=at_noon(date(2026, 9, 30)))
    # Still open.
    breach(three, date(2026, 11, 3))
    # Opened and closed before the twelve months.
    breach(four, date(2025, 9, 1), status=resolved, ended_on=date(2025, 10, 1))

    months = {
        f"{row.month.starts_on:%Y-%m}": (row.opened, row.closed)
        for row in breaches_by_month(Enrolment.objects.all(), on=TODAY)
    }

    assert months["2026-09"] == (1, 1)
    assert months["2026-10"] == (1, 0)
    assert months["2026-11"] == (1, 1)
    assert sum(opened for opened, _closed in months.values()) == 3
    assert sum(closed for _opened, closed in months.values()) == 2
    assert len(months) == 13


def test_breaches_of_enrolments_not_given_are_not_counted():
    counted, other = EnrolmentFactory.create_batch(2)
    breach(counted, date(2026, 10, 5))
    breach(other, date(2026, 10, 6))
    rows = breaches_by_month(Enrolment.objects.filter(pk=counted.pk), on=TODAY)
    assert sum(row.opened for row in rows) == 1


@pytest.mark.parametrize("count", [3, 30])
def test_breaches_by_month_take_one_query_whatever_the_number(count, django_assert_num_queries):
    for index, enrolment in enumerate(EnrolmentFactory.create_batch(count)):
        breach(enrolment, date(2026, 10, 1) + timedelta(days=index % 30))
    with django_assert_num_queries(1):
        breaches_by_month(Enrolment.objects.all(), on=TODAY)


# Supervision by month


def test_supervision_on_time_by_month_sums_sessions_owed_and_held_on_time():
    # Every session on its due day, September to November.
    steady = EnrolmentFactory()
    held(
        steady,
        date(2026, 9, 14),
        date(2026, 9, 21),
        date(2026, 9, 28),
        date(2026, 10, 5),
        date(2026, 10, 12),
        date(2026, 10, 19),  # week 7 from here: fortnightly
        date(2026, 11, 2),
    )
    # September on time, then nothing: 5, 12 and 19 October and 2 November missed.
    lapsed = EnrolmentFactory()
    held(lapsed, date(2026, 9, 14), date(2026, 9, 21), date(2026, 9, 28))

    months = by_month(compliance_by_month(Enrolment.objects.all(), on=TODAY))

    assert (months["2026-09"].owed, months["2026-09"].held_on_time) == (6, 6)
    assert months["2026-09"].percent == 100
    assert (months["2026-10"].owed, months["2026-10"].held_on_time) == (6, 3)
    assert months["2026-10"].percent == 50
    assert (months["2026-11*"].owed, months["2026-11*"].held_on_time) == (2, 1)
    assert months["2026-11*"].percent == 50


def test_a_month_where_nothing_was_owed_has_no_percentage():
    EnrolmentFactory()  # started 7 September 2026: nothing owed before
    months = by_month(compliance_by_month(Enrolment.objects.all(), on=TODAY))
    assert (months["2026-08"].owed, months["2026-08"].percent) == (0, None)
    assert months["2026-09"].percent == 0


def test_a_late_session_meets_nothing_and_counts_in_the_month_it_was_due():
    late = EnrolmentFactory()
    held(late, date(2026, 9, 14), date(2026, 9, 24))  # 21 September held late, on the 24th
    months = by_month(compliance_by_month(Enrolment.objects.all(), on=date(2026, 10, 2)))
    # 14 and 21 September owed, one on time; the clock restarts on the 24th: 1 October due.
    assert (months["2026-09"].owed, months["2026-09"].held_on_time) == (2, 1)
    assert (months["2026-10*"].owed, months["2026-10*"].held_on_time) == (1, 0)


def test_an_ended_enrolment_is_owed_no_supervision_after_it_ended():
    ended("withdrawn", started_on=date(2026, 9, 7), ended_on=date(2026, 10, 1))
    months = by_month(compliance_by_month(Enrolment.objects.all(), on=TODAY))
    assert (months["2026-09"].owed, months["2026-09"].held_on_time) == (3, 0)
    assert months["2026-10"].owed == 0
    assert months["2026-11*"].percent is None


@pytest.mark.parametrize("count", [3, 30])
def test_supervision_by_month_takes_six_queries_whatever_the_number(
    count, django_assert_num_queries
):
    for enrolment in EnrolmentFactory.create_batch(count):
        held(enrolment, date(2026, 9, 14), date(2026, 10, 5))
    # supervision_status's four, the last counting session before the window, those in it
    with django_assert_num_queries(6):
        compliance_by_month(Enrolment.objects.all(), on=TODAY)
