"""Coverage of the standards, and the framework each enrolment is pinned to."""

from datetime import date

import pytest

from assessments import selectors
from assessments.models import Evidence, Framework, FrameworkPin
from tests.assessments.factories import EvidenceFactory, sign_off, statements_of
from tests.factories import CohortFactory, EnrolmentFactory, programme

pytestmark = pytest.mark.django_db


def test_a_new_enrolment_is_pinned_to_the_framework_in_force_on_its_start_day():
    before = EnrolmentFactory(started_on=date(2027, 3, 31))
    after = EnrolmentFactory(started_on=date(2027, 4, 1))

    assert before.framework_pin.framework.code == "pqs-child-family"
    assert after.framework_pin.framework.code == "early-career-standards"


def test_a_cohort_running_over_the_switch_keeps_its_framework():
    enrolment = EnrolmentFactory(started_on=date(2026, 9, 7))
    enrolment.started_on = date(2027, 5, 1)  # even a corrected start does not move it silently
    enrolment.save()

    assert FrameworkPin.objects.get(enrolment=enrolment).framework.code == "pqs-child-family"


def test_a_local_variant_uses_the_frameworks_of_the_programme_it_copies():
    base = CohortFactory().programme
    variant = type(base).objects.create(
        code="ASYE-CF-LOCAL", name="Local", duration_months=12, based_on=base
    )
    enrolment = EnrolmentFactory(cohort=CohortFactory(programme=variant))

    assert enrolment.framework_pin.framework.code == "pqs-child-family"


def test_a_programme_without_a_framework_file_pins_nothing_and_covers_nothing():
    enrolment = EnrolmentFactory(cohort=CohortFactory(programme=programme("NQSW")))

    assert not FrameworkPin.objects.filter(enrolment=enrolment).exists()
    coverage = selectors.coverage_of(enrolment)
    assert coverage.framework is None and coverage.statements == 0


def test_only_signed_off_evidence_covers_a_statement():
    enrolment = EnrolmentFactory()
    first, second, third = statements_of(enrolment)[:3]
    sign_off(EvidenceFactory(enrolment=enrolment, statements=[first]))
    EvidenceFactory(enrolment=enrolment, statements=[second])  # submitted, not yet signed off
    EvidenceFactory(enrolment=enrolment, statements=[third], status=Evidence.Status.DRAFT)

    coverage = selectors.coverage_of(enrolment)

    evidenced = [row.statement for row in coverage.rows if row.evidenced]
    assert evidenced == [first]
    assert coverage.statements == 10 and coverage.evidenced_percent == 10


def test_a_statement_is_triangulated_by_enough_kinds_one_of_them_an_observation():
    enrolment = EnrolmentFactory()  # ASYE-CF: three kinds
    statement = statements_of(enrolment)[0]
    for kind in (Evidence.Kind.REFLECTION, Evidence.Kind.FEEDBACK_PERSON, Evidence.Kind.CASE_NOTE):
        sign_off(EvidenceFactory(enrolment=enrolment, kind=kind, statements=[statement]))
    three_without_observation = selectors.coverage_of(enrolment).rows[0]

    sign_off(
        EvidenceFactory(enrolment=enrolment, kind=Evidence.Kind.OBSERVATION, statements=[statement])
    )
    with_observation = selectors.coverage_of(enrolment).rows[0]

    assert three_without_observation.evidenced and not three_without_observation.triangulated
    assert with_observation.triangulated


def test_requirements_count_signed_off_items_of_each_kind_against_the_programme():
    enrolment = EnrolmentFactory()
    sign_off(EvidenceFactory(enrolment=enrolment, kind=Evidence.Kind.OBSERVATION))
    EvidenceFactory(enrolment=enrolment, kind=Evidence.Kind.OBSERVATION)

    requirements = {r.key: r for r in selectors.coverage_of(enrolment).requirements}

    assert requirements["direct_observations"].signed_off == 1
    assert requirements["direct_observations"].still_needed == 2
    assert not requirements["direct_observations"].met


@pytest.mark.parametrize("size", [3, 30])
def test_coverage_of_many_enrolments_takes_the_same_queries_at_any_size(
    size, django_assert_max_num_queries
):
    cohort = CohortFactory()
    enrolments = EnrolmentFactory.create_batch(size, cohort=cohort)
    FrameworkPin.objects.filter(enrolment=enrolments[0]).delete()  # one falls back to the default
    for enrolment in enrolments:
        sign_off(EvidenceFactory(enrolment=enrolment))
    listed = list(type(enrolments[0]).objects.select_related("cohort__programme"))

    with django_assert_max_num_queries(6):
        coverage = selectors.coverage_for(listed)

    assert all(c.evidenced == 1 for c in coverage.values())
    assert {c.framework for c in coverage.values()} == {
        Framework.objects.get(code="pqs-child-family")
    }
