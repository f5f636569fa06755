"""The review schedule and the reviews due across many enrolments, in fixed queries."""

from datetime import date

import pytest

from assessments.models import Concern
from assessments.selectors.reviews import (
    can_download_portfolio,
    can_moderate,
    can_record_final,
    can_record_review,
    open_concerns,
    review_schedule,
    reviews_due,
)
from programmes.models import Enrolment, EnrolmentPause
from tests.assessments.factories import ConcernFactory, ReviewFactory
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

ON = date(2026, 12, 3)


def test_the_schedule_lists_each_review_point_with_its_state(enrolment):
    review = ReviewFactory(enrolment=enrolment)
    schedule = review_schedule(enrolment, on=ON)
    rows = [(p.months, p.due_on, p.is_final, p.review) for p in schedule.points]
    assert rows == [
        (3, date(2026, 12, 7), False, review),
        (6, date(2027, 3, 7), False, None),
        (9, date(2027, 6, 7), False, None),
        (12, date(2027, 9, 7), True, None),
    ]
    assert [p.state for p in schedule.points] == [
        "Recorded",
        "Not yet due",
        "Not yet due",
        "Not yet due",
    ]
    assert schedule.learning_agreement_due_on == date(2026, 10, 5)


@pytest.mark.parametrize(
    ("on", "state", "overdue", "soon"),
    [
        pytest.param(date(2026, 11, 9), "Due in 28 days", False, True, id="four-weeks-ahead"),
        pytest.param(date(2026, 11, 8), "Not yet due", False, False, id="further-ahead"),
        pytest.param(date(2026, 12, 7), "Due today", False, True, id="due-today"),
        pytest.param(date(2026, 12, 8), "Overdue by 1 day", True, False, id="a-day-late"),
        pytest.param(date(2026, 12, 17), "Overdue by 10 days", True, False, id="ten-days-late"),
    ],
)
def test_an_unrecorded_point_is_due_soon_or_overdue_in_words(enrolment, on, state, overdue, soon):
    point = review_schedule(enrolment, on=on).points[0]
    assert (point.state, point.is_overdue, point.is_due_soon) == (state, overdue, soon)


def test_part_time_stretches_the_review_points(db):
    enrolment = EnrolmentFactory(fte="0.5")
    assert review_schedule(enrolment, on=ON).points[0].due_on == date(2027, 3, 7)


def test_reviews_due_names_the_earliest_point_not_yet_recorded(enrolment):
    ReviewFactory(enrolment=enrolment)
    due = reviews_due(Enrolment.objects.all(), on=date(2027, 3, 10))[enrolment.pk]
    assert (due.months, due.due_on, due.is_overdue, due.days) == (6, date(2027, 3, 7), True, -3)


def test_reviews_due_skips_paused_and_ended_enrolments(enrolment):
    ended = EnrolmentFactory(status=Enrolment.Status.WITHDRAWN)
    EnrolmentPause.objects.create(
        enrolment=enrolment,
        starts_on=date(2026, 11, 1),
        reason=EnrolmentPause.Reason.SICKNESS,
        recorded_by=enrolment.supervisor,
    )
    due = reviews_due(Enrolment.objects.all(), on=ON)
    assert enrolment.pk not in due and ended.pk not in due


def test_reviews_due_is_empty_once_every_point_is_recorded(enrolment):
    for months in (3, 6, 9, 12):
        ReviewFactory(enrolment=enrolment, months=months)
    assert reviews_due(Enrolment.objects.all(), on=ON) == {}


def test_reviews_due_query_count_is_flat(db, django_assert_max_num_queries):
    # enrolments (worker, team, cohort), programmes, pauses, extensions, recorded review points
    for size in (3, 30):
        EnrolmentFactory.create_batch(size - Enrolment.objects.count())
        with django_assert_max_num_queries(5):
            assert len(reviews_due(Enrolment.objects.all(), on=ON)) == size


def test_open_concerns_are_grouped_per_enrolment_in_one_query(enrolment, django_assert_num_queries):
    other = EnrolmentFactory()
    first = ConcernFactory(enrolment=enrolment)
    ConcernFactory(enrolment=enrolment, status=Concern.Status.CLOSED, closed_on=ON)
    second = ConcernFactory(enrolment=other)
    with django_assert_num_queries(1):
        found = open_concerns(Enrolment.objects.all())
    assert found == {enrolment.pk: [first], other.pk: [second]}


@pytest.mark.parametrize(
    ("persona", "review", "final", "moderate", "portfolio"),
    [
        ("worker", False, False, False, True),
        ("supervisor", True, False, False, False),
        ("assessor", True, True, False, True),
        ("manager", False, False, False, True),
        ("lead", True, False, True, True),
    ],
)
def test_who_may_do_what(request, enrolment, persona, review, final, moderate, portfolio):
    person = request.getfixturevalue(persona)
    assert (
        can_record_review(person, enrolment),
        can_record_final(person, enrolment),
        can_moderate(person, enrolment),
        can_download_portfolio(person, enrolment),
    ) == (review, final, moderate, portfolio)


def test_nothing_is_recorded_once_the_enrolment_has_ended(enrolment, assessor, lead):
    enrolment.status = Enrolment.Status.COMPLETED
    assert not can_record_review(assessor, enrolment)
    assert not can_record_final(assessor, enrolment)
    assert not can_moderate(lead, enrolment)
