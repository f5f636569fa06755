"""Evidence reads: drafts seen by their author alone, the queue oldest first and flat in
queries, many enrolments' waiting items in one query, ages in working days."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from assessments.models import Evidence
from assessments.selectors.evidence import (
    awaiting_sign_off_for,
    can_decide,
    can_edit,
    can_reverse,
    evidence_for_enrolment,
    sign_off_queue,
    working_days_between,
)
from people.models import Role
from tests.assessments.factories import EvidenceFactory, sign_off
from tests.factories import EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db

# Thursday 3 December 2026.
TODAY = date(2026, 12, 3)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))


@pytest.mark.parametrize(
    ("start_on", "end_on", "days"),
    [
        pytest.param(date(2026, 12, 3), date(2026, 12, 3), 0, id="same-day"),
        pytest.param(date(2026, 12, 3), date(2026, 12, 4), 1, id="next-day"),
        pytest.param(date(2026, 12, 4), date(2026, 12, 7), 1, id="over-a-weekend"),
        pytest.param(date(2026, 12, 24), date(2026, 12, 29), 1, id="over-christmas"),
        pytest.param(date(2026, 11, 19), date(2026, 12, 3), 10, id="two-weeks"),
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(start_on, end_on, days):
    assert working_days_between(start_on, end_on) == days


@pytest.mark.parametrize("persona", ["supervisor", "assessor", "manager", "lead", "outsider"])
def test_a_draft_is_invisible_to_everyone_but_its_author(request, enrolment, persona):
    draft = EvidenceFactory(enrolment=enrolment, status=Evidence.Status.DRAFT)
    submitted = EvidenceFactory(enrolment=enrolment)
    person = request.getfixturevalue(persona)
    seen = set(evidence_for_enrolment(person, enrolment).values_list("pk", flat=True))
    assert draft.pk not in seen
    assert seen == (set() if persona == "outsider" else {submitted.pk})
    assert draft.pk in set(
        evidence_for_enrolment(enrolment.worker, enrolment).values_list("pk", flat=True)
    )


def test_the_list_filters_by_status_and_kind(enrolment, worker):
    reflection = EvidenceFactory(enrolment=enrolment)
    EvidenceFactory(enrolment=enrolment, kind=Evidence.Kind.CASE_NOTE)
    EvidenceFactory(enrolment=enrolment, status=Evidence.Status.DRAFT)
    found = evidence_for_enrolment(worker, enrolment, status="submitted", kind="reflection")
    assert list(found) == [reflection]


class TestQueue:
    def test_the_queue_holds_the_assessors_submitted_items_oldest_first(self, enrolment, assessor):
        newer = EvidenceFactory(enrolment=enrolment, submitted_at=_at(date(2026, 12, 1)))
        older = EvidenceFactory(enrolment=enrolment, submitted_at=_at(date(2026, 11, 2)))
        EvidenceFactory(enrolment=enrolment, status=Evidence.Status.DRAFT)
        sign_off(EvidenceFactory(enrolment=enrolment))
        EvidenceFactory()  # another assessor's
        rows = sign_off_queue(assessor, on=TODAY)
        assert [row.evidence for row in rows] == [older, newer]
        assert [row.age_working_days for row in rows] == [23, 2]
        assert [row.is_overdue for row in rows] == [True, False]

    def test_a_lead_sees_everyones_queue(self, enrolment, lead):
        EvidenceFactory(enrolment=enrolment)
        EvidenceFactory()
        assert len(sign_off_queue(lead, on=TODAY)) == 2

    def test_the_queue_is_one_query_at_any_size(self, django_assert_num_queries):
        assessor = UserFactory(roles=[Role.ASSESSOR])
        for size in (3, 30):
            for enrolment in EnrolmentFactory.create_batch(size, assessor=assessor):
                EvidenceFactory(enrolment=enrolment)
            assessor = type(assessor).objects.get(pk=assessor.pk)
            assessor.roles  # noqa: B018 - the roles are read once per request, before the queue
            # the items with their enrolment, worker, author and programme
            with django_assert_num_queries(1):
                rows = sign_off_queue(assessor, on=TODAY)
                [(row.evidence.enrolment.worker.full_name, row.evidence.title) for row in rows]
        assert len(rows) == 33


class TestAwaitingSignOffFor:
    def test_count_and_oldest_age_per_enrolment_in_one_query(self, django_assert_num_queries):
        first, second, idle = EnrolmentFactory.create_batch(3)
        EvidenceFactory(enrolment=first, submitted_at=_at(date(2026, 11, 19)))
        EvidenceFactory(enrolment=first, submitted_at=_at(date(2026, 12, 2)))
        EvidenceFactory(enrolment=second, submitted_at=_at(date(2026, 12, 3)))
        EvidenceFactory(enrolment=idle, status=Evidence.Status.DRAFT)
        enrolments = list(type(first).objects.filter(pk__in=[first.pk, second.pk, idle.pk]))
        with django_assert_num_queries(1):
            found = awaiting_sign_off_for(enrolments, on=TODAY)
        assert set(found) == {first.pk, second.pk}
        assert (found[first.pk].count, found[first.pk].oldest_age_working_days) == (2, 10)
        assert found[first.pk].oldest_submitted_on == date(2026, 11, 19)
        assert (found[second.pk].count, found[second.pk].oldest_age_working_days) == (1, 0)

    def test_it_stays_one_query_for_many_enrolments(self, django_assert_num_queries):
        for enrolment in EnrolmentFactory.create_batch(30):
            EvidenceFactory(enrolment=enrolment)
        with django_assert_num_queries(1):
            found = awaiting_sign_off_for(type(enrolment).objects.all(), on=TODAY)
        assert len(found) == 30


class TestChecks:
    def test_signed_off_evidence_is_locked_for_the_worker(self, enrolment, worker):
        evidence = EvidenceFactory(enrolment=enrolment)
        assert not can_edit(worker, evidence)
        sign_off(evidence)
        assert not can_edit(worker, evidence)
        sign_off(evidence, decision="reversed")
        assert can_edit(worker, evidence)

    def test_an_assessor_may_not_decide_on_evidence_they_wrote(self, enrolment, lead):
        evidence = EvidenceFactory(enrolment=enrolment, author=lead)
        assert not can_decide(lead, evidence)
        assert can_decide(enrolment.assessor, evidence)

    def test_reversal_is_for_signed_off_items_only(self, enrolment, assessor):
        evidence = EvidenceFactory(enrolment=enrolment)
        assert not can_reverse(assessor, evidence)
        sign_off(evidence)
        assert can_reverse(assessor, evidence)


def test_an_old_submission_reads_as_overdue_only_past_ten_working_days(enrolment, assessor):
    EvidenceFactory(enrolment=enrolment, submitted_at=_at(TODAY - timedelta(days=15)))
    EvidenceFactory(enrolment=enrolment, submitted_at=_at(date(2026, 11, 19)))
    rows = sign_off_queue(assessor, on=TODAY)
    assert [(row.age_working_days, row.is_overdue) for row in rows] == [(11, True), (10, False)]
