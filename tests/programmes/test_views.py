"""Pages through the test client, as each persona; lists with flat query counts."""

from datetime import date

import pytest
from django.urls import reverse

from people.models import Role
from programmes.models import Cohort, Enrolment
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    TeamFactory,
    UserFactory,
    programme,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("worker", "My programme"),
        ("supervisor", "My supervisees"),
        ("assessor", "My assessees"),
        ("manager", "Cohorts"),
        ("lead", "Cohorts"),
    ],
)
def test_the_home_page_fits_the_persons_role(client, request, enrolment, persona, heading):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("programmes:home")).content.decode()
    assert f'id="{heading.lower().replace(" ", "-")}">{heading}</h2>' in page


def test_a_worker_sees_where_they_are_and_what_is_due_next(client, worker, settings):
    client.force_login(worker)
    page = client.get(reverse("programmes:home")).content.decode()
    assert "week" in page and "Due next" in page and "Expected end" in page


def test_a_person_with_no_role_is_told_what_to_do(client, db):
    client.force_login(UserFactory())
    page = client.get(reverse("programmes:home")).content.decode()
    assert "Ask your programme lead" in page


def test_a_supervisor_with_no_supervisees_sees_an_empty_state(client, db):
    client.force_login(UserFactory(roles=[Role.SUPERVISOR]))
    page = client.get(reverse("programmes:home")).content.decode()
    assert "Nobody is assigned to you for supervision" in page


def test_a_lead_opens_a_cohort_through_the_form(client, lead):
    client.force_login(lead)
    response = client.post(
        reverse("programmes:cohort-create"),
        {"programme": programme().pk, "name": "ASYE March 2027", "intake_on": "2027-03-01"},
        follow=True,
    )
    assert "Cohort opened" in response.content.decode()
    assert Cohort.objects.get().name == "ASYE March 2027"


def test_an_empty_cohort_form_lists_every_problem_and_saves_nothing(client, lead):
    client.force_login(lead)
    response = client.post(reverse("programmes:cohort-create"), {})
    page = response.content.decode()
    assert "<title>Error:" in page
    assert "Choose the programme this cohort follows" in page
    assert "Enter a name for the cohort" in page
    assert 'href="#id_intake_on"' in page
    assert not Cohort.objects.exists()


def test_a_lead_enrols_a_worker_through_the_form(client, lead):
    cohort, team = CohortFactory(), TeamFactory()
    client.force_login(lead)
    response = client.post(
        reverse("programmes:enrolment-create", args=[cohort.pk]),
        {
            "email": "ria@council.example",
            "full_name": "Ria Bose",
            "employment_type": "agency",
            "team": team.pk,
            "started_on": "2026-09-07",
            "fte": "0.8",
        },
        follow=True,
    )
    assert "Ria Bose is enrolled." in response.content.decode()
    enrolment = Enrolment.objects.get()
    assert (enrolment.worker.employment_type, str(enrolment.fte)) == ("agency", "0.80")


@pytest.mark.parametrize(
    ("fte", "message"),
    [
        ("1.5", "FTE must be between 0.1 and 1.0"),
        ("0", "FTE must be between 0.1 and 1.0"),
        ("half", "Enter the FTE as a number, for example 0.6"),
    ],
)
def test_a_bad_fte_gets_a_message_that_says_what_to_enter(client, lead, fte, message):
    cohort, team = CohortFactory(), TeamFactory()
    client.force_login(lead)
    response = client.post(
        reverse("programmes:enrolment-create", args=[cohort.pk]),
        {
            "email": "ria@council.example",
            "full_name": "Ria",
            "employment_type": "permanent",
            "team": team.pk,
            "started_on": "2026-09-07",
            "fte": fte,
        },
    )
    assert message in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_nul_character_in_a_name_is_refused_before_the_database(client, lead):
    cohort, team = CohortFactory(), TeamFactory()
    client.force_login(lead)
    response = client.post(
        reverse("programmes:enrolment-create", args=[cohort.pk]),
        {
            "email": "ria@council.example",
            "full_name": "Ria\x00",
            "employment_type": "permanent",
            "team": team.pk,
            "started_on": "2026-09-07",
            "fte": "1",
        },
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_the_enrolment_page_shows_the_derived_schedule(client, worker, enrolment):
    client.force_login(worker)
    page = client.get(reverse("programmes:enrolment-detail", args=[enrolment.pk])).content
    page = page.decode()
    assert "3-month review" in page and "7 December 2026" in page
    assert "Final review (12 months)" in page and "7 September 2027" in page


def test_a_lead_records_a_pause_and_sees_the_dates_move(client, lead, enrolment):
    client.force_login(lead)
    response = client.post(
        reverse("programmes:pause-create", args=[enrolment.pk]),
        {"starts_on": "2026-10-01", "ends_on": "2026-10-14", "reason": "parental-leave"},
        follow=True,
    )
    page = response.content.decode()
    assert "Pause recorded" in page and "21 September 2027" in page


def test_signing_in_with_a_wrong_password_gives_one_message_for_any_account(client, worker):
    for email in (worker.email, "nobody@council.example"):
        response = client.post(reverse("people:login"), {"email": email, "password": "wrong"})
        assert "The email address or password is not right." in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(client, worker):
    details = {"email": worker.email, "password": "correct-horse-battery-staple"}
    response = client.post(reverse("people:login"), {**details, "next": "/programmes/"})
    assert response["Location"] == "/programmes/"
    client.logout()
    response = client.post(reverse("people:login"), {**details, "next": "https://evil.example/"})
    assert response["Location"] == reverse("programmes:home")


def _cohort_with(count: int, cohort: Cohort) -> None:
    for enrolment in EnrolmentFactory.create_batch(count, cohort=cohort):
        enrolment.pauses.create(
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 10, 7),
            reason="sickness",
            recorded_by=enrolment.supervisor,
        )


def test_the_cohort_page_query_count_does_not_grow_with_its_size(
    client, lead, django_assert_max_num_queries
):
    cohort = CohortFactory()
    client.force_login(lead)
    url = reverse("programmes:cohort-detail", args=[cohort.pk])
    _cohort_with(3, cohort)
    # session, user, roles, cohort, enrolments (+worker, team, supervisor, assessor),
    # programmes, pauses, extensions, and the idle-timeout refresh of the session (3)
    # +1: the header's unread notifications count
    with django_assert_max_num_queries(12):
        client.get(url)
    _cohort_with(30, cohort)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(response.context["rows"]) == 33


def test_the_supervisors_home_query_count_does_not_grow_with_supervisees(
    client, django_assert_max_num_queries
):
    supervisor = UserFactory(roles=[Role.SUPERVISOR])
    client.force_login(supervisor)
    url = reverse("programmes:home")
    EnrolmentFactory.create_batch(3, supervisor=supervisor)
    # session, user, roles, enrolments with their people, programmes, pauses, extensions,
    # session refresh (3); the caseloads: latest figures (1; the programmes' phases only once
    # there are figures), protected time logged with the enrolments, their programmes, pauses
    # and extensions (4); the header's unread notifications count (1)
    with django_assert_max_num_queries(16):
        client.get(url)
    EnrolmentFactory.create_batch(30, supervisor=supervisor)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert len(response.context["supervisees"]) == 33


def test_the_cohort_list_query_count_does_not_grow_with_cohorts(
    client, lead, django_assert_max_num_queries
):
    client.force_login(lead)
    url = reverse("programmes:cohort-list")
    for _ in range(2):
        _cohort_with(2, CohortFactory())
    # session, user, roles, cohorts with their counts, session refresh (3)
    # +1: the header's unread notifications count
    with django_assert_max_num_queries(8):
        client.get(url)
    for _ in range(20):
        _cohort_with(1, CohortFactory())
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert len(response.context["cohorts"]) == 22
