"""The coverage page of one enrolment and an assessor's list of assessees, per persona; the list
holds its query count whatever its length."""

import html
import re

import pytest
from django.urls import reverse

from assessments.models import Evidence
from assessments.selectors.coverage import coverage_matrix
from people.models import Role
from tests.assessments.factories import EvidenceFactory, sign_off, statements_of
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory, programme

pytestmark = pytest.mark.django_db


def _coverage_url(enrolment) -> str:
    return reverse("assessments:coverage", args=[enrolment.pk])


def _text(response) -> str:
    # As a reader sees it: a name with an apostrophe is escaped in the markup.
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_the_matrix_lists_the_signed_off_items_of_each_statement(enrolment):
    first, second = statements_of(enrolment)[:2]
    shown = EvidenceFactory(enrolment=enrolment, statements=[first, second])
    sign_off(shown)
    EvidenceFactory(enrolment=enrolment, statements=[first])  # submitted: not counted yet

    matrix = coverage_matrix(enrolment)

    rows = [cell for _standard, cells in matrix.groups for cell in cells]
    assert [cell.items for cell in rows[:3]] == [(shown,), (shown,), ()]
    assert [cell.row.evidenced for cell in rows[:3]] == [True, True, False]
    assert len(matrix.groups) == 10


def test_the_matrix_of_one_enrolment_takes_a_fixed_number_of_queries(
    enrolment, django_assert_max_num_queries
):
    for statement in statements_of(enrolment):
        sign_off(EvidenceFactory(enrolment=enrolment, statements=[statement]))
    # coverage_of: pin, statements, tags, kinds; then the items of each statement
    with django_assert_max_num_queries(5):
        coverage_matrix(enrolment)


@pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor", "manager", "lead"])
def test_everyone_who_sees_the_enrolment_sees_its_coverage(client, request, enrolment, persona):
    statement = statements_of(enrolment)[0]
    for kind in (Evidence.Kind.OBSERVATION, Evidence.Kind.REFLECTION, Evidence.Kind.CASE_NOTE):
        sign_off(
            EvidenceFactory(enrolment=enrolment, kind=kind, statements=[statement], title=kind)
        )
    client.force_login(request.getfixturevalue(persona))

    response = client.get(_coverage_url(enrolment))

    assert response.status_code == 200
    text = _text(response)
    assert "1. Relationships and effective direct work" in text
    assert "observation (Direct observation, 5 October 2026)" in text
    assert "Triangulated" in text and "Not yet evidenced" in text
    assert "Statements evidenced 1 of 10 (10%)" in text
    assert "Statements triangulated 1 of 10 (10%)" in text


def test_the_outsider_does_not_find_the_coverage_page(client, outsider, enrolment):
    client.force_login(outsider)
    assert client.get(_coverage_url(enrolment)).status_code == 404


def test_the_page_counts_each_requirement_against_what_is_signed_off(client, worker, enrolment):
    sign_off(EvidenceFactory(enrolment=enrolment, kind=Evidence.Kind.OBSERVATION))
    for _number in range(3):
        sign_off(EvidenceFactory(enrolment=enrolment, kind=Evidence.Kind.FEEDBACK_PROFESSIONAL))
    client.force_login(worker)

    text = _text(client.get(_coverage_url(enrolment)))

    assert "Direct observations of practice 3 1 2 more" in text
    assert "Feedback from other professionals 3 3 Met" in text
    assert "Feedback from people using services 3 0 3 more" in text
    assert "Assessed written work or case notes 3 0 3 more" in text


def test_a_statement_evidenced_once_says_so_in_words(client, worker, enrolment):
    sign_off(EvidenceFactory(enrolment=enrolment, title="Supervision reflection"))
    client.force_login(worker)

    text = _text(client.get(_coverage_url(enrolment)))

    assert "Supervision reflection" in text and "Evidenced" in text


def test_a_programme_without_a_framework_file_says_how_to_load_one(client, lead):
    enrolment = EnrolmentFactory(cohort=CohortFactory(programme=programme("NQSW")))
    client.force_login(lead)

    text = _text(client.get(_coverage_url(enrolment)))

    assert "No framework is loaded for this programme: a lead loads it with manage.py" in text
    assert "Direct observations of practice 2 0 2 more" in text


# --- Coverage per assessee

ASSESSEES = reverse("assessments:assessee-list")


@pytest.mark.parametrize(
    ("persona", "status_code"),
    [("assessor", 200), ("lead", 200), ("worker", 403), ("supervisor", 403), ("manager", 403)],
)
def test_only_assessors_and_leads_see_the_assessee_list(
    client, request, enrolment, persona, status_code
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(ASSESSEES).status_code == status_code


def test_an_assessor_sees_only_the_active_enrolments_they_assess(client, assessor, enrolment):
    sign_off(EvidenceFactory(enrolment=enrolment, kind=Evidence.Kind.OBSERVATION))
    EnrolmentFactory()  # someone else's assessee
    ended = EnrolmentFactory(assessor=assessor, status="completed")
    client.force_login(assessor)

    response = client.get(ASSESSEES)

    text = _text(response)
    assert enrolment.worker.full_name in text
    assert ended.worker.full_name not in text
    assert "1 of 10 (10%) 0 of 10 (0%) 0 of 4" in text
    assert len(response.context["rows"]) == 1


def test_a_lead_sees_every_active_enrolment(client, lead, enrolment):
    other = EnrolmentFactory()
    client.force_login(lead)

    response = client.get(ASSESSEES)

    assert {row.enrolment for row in response.context["rows"]} == {enrolment, other}
    assert "Every active enrolment" in _text(response)


def test_an_assessor_with_nobody_to_assess_is_told_who_assigns_them(client):
    client.force_login(UserFactory(roles=[Role.ASSESSOR]))

    text = _text(client.get(ASSESSEES))

    assert "Nobody on a programme is assigned to you to assess" in text


def test_the_assessee_list_query_count_is_flat(client, django_assert_max_num_queries):
    assessor = UserFactory(roles=[Role.ASSESSOR])
    nqsw = CohortFactory(programme=programme("NQSW"))

    def add(count: int) -> None:
        for number in range(count):
            cohort = nqsw if number % 3 == 0 else CohortFactory()
            enrolment = EnrolmentFactory(assessor=assessor, cohort=cohort)
            if cohort is not nqsw:
                sign_off(EvidenceFactory(enrolment=enrolment, kind=Evidence.Kind.OBSERVATION))

    client.force_login(assessor)
    add(3)
    # session, user, roles; enrolments with their people, programmes, pauses, extensions;
    # coverage_for: pins, frameworks of the unpinned and their programmes, statements, tags,
    # kinds; unread notifications (the header); the session saved (savepoint, update, release)
    with django_assert_max_num_queries(17):
        assert len(client.get(ASSESSEES).context["rows"]) == 3
    add(27)
    with django_assert_max_num_queries(17):
        assert len(client.get(ASSESSEES).context["rows"]) == 30
