"""The moderation sample: finished portfolios chosen or drawn, labelled, checked again, packed
as anonymised PDFs in which nobody is named."""

import io
import re
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

from assessments import portfolio
from assessments.models import (
    Evidence,
    FinalAssessment,
    ModerationDecision,
    Observation,
    Recommendation,
)
from assessments.portfolio import render_portfolio_html, render_portfolio_pdf
from assessments.selectors.samples import finished_portfolios
from assessments.services.samples import (
    choose_sample,
    confirmed_sample,
    label_candidates,
)
from people.models import Role
from programmes.models import Enrolment
from tests.assessments.factories import ConcernFactory, EvidenceFactory, ReviewFactory, sign_off
from tests.factories import CohortFactory, EnrolmentFactory, UserFactory, programme

pytestmark = pytest.mark.django_db

URL = "assessments:moderation-sample"
PACK_URL = "assessments:moderation-sample-pack"


def finished(status: str = Enrolment.Status.COMPLETED, **kwargs) -> Enrolment:
    """An enrolment the panel has decided: passed (completed) or not passed (failed)."""
    enrolment = EnrolmentFactory(status=status, ended_on=date(2026, 11, 30), **kwargs)
    recommendation = Recommendation.PASS if status == Enrolment.Status.COMPLETED else "fail"
    FinalAssessment.objects.create(
        enrolment=enrolment,
        assessor=enrolment.assessor,
        recommendation=recommendation,
        summary="Met the standards.",
    )
    return enrolment


# --- The anonymised portfolio: nobody named, in the header or in the free text.

WORKER = {"full_name": "Ana Lima", "email": "ana.lima@council.example", "swe": "SW123456"}
SUPERVISOR = {"full_name": "Bob Jones", "email": "bob.jones@council.example", "swe": "SW200001"}
ASSESSOR = {"full_name": "Cara Diaz", "email": "cara.diaz@council.example", "swe": "SW300002"}
OBSERVER = {"full_name": "Priya Shah", "email": "priya.shah@council.example", "swe": "SW400003"}
GIVER = "Dee Evans"
EVERY_NAME = (
    *(value for person in (WORKER, SUPERVISOR, ASSESSOR, OBSERVER) for value in person.values()),
    GIVER,
    "Ana",
    "Lima",
)


def _person(details: dict, role: str, **extra):
    return UserFactory(
        full_name=details["full_name"],
        email=details["email"],
        swe_registration_number=details["swe"],
        roles=[role],
        **extra,
    )


@pytest.fixture
def named_year(lead):
    """A finished year whose free text names the worker and everyone around them."""
    enrolment = finished(
        worker=_person(WORKER, Role.WORKER),
        supervisor=_person(SUPERVISOR, Role.SUPERVISOR),
        assessor=_person(ASSESSOR, Role.ASSESSOR),
    )
    reflection = EvidenceFactory(
        enrolment=enrolment,
        title="Home visit with Bob Jones",
        what_happened="Ana visited the family with Bob Jones; mail ana.lima@council.example.",
        what_i_learned="LIMA, A. is how the court wrote my name; Cara Diaz explained why.",
        what_i_will_do="Ask Priya Shah to observe again.",
    )
    sign_off(reflection)
    # The supervisor observed first: named as "Supervisor", so the next observer is number 1.
    supervised = EvidenceFactory(
        enrolment=enrolment,
        author=None,
        kind=Evidence.Kind.OBSERVATION,
        title="Direct observation: home visit",
        occurred_on=date(2026, 9, 20),
    )
    Observation.objects.create(
        evidence=supervised,
        observer=enrolment.supervisor,
        setting="Home visit",
        what_was_observed="Planning",
    )
    sign_off(supervised)
    observed = EvidenceFactory(
        enrolment=enrolment,
        author=None,
        kind=Evidence.Kind.OBSERVATION,
        title="Direct observation: Ana at a child protection conference",
    )
    observer = _person(OBSERVER, Role.SUPERVISOR)
    Observation.objects.create(
        evidence=observed,
        observer=observer,
        setting="Child protection conference",
        what_was_observed="Chairing",
    )
    sign_off(observed)
    feedback = EvidenceFactory(
        enrolment=enrolment,
        author=None,
        kind=Evidence.Kind.FEEDBACK_PROFESSIONAL,
        title=f"Feedback from {GIVER}",
        what_happened="",
        what_i_learned="",
        what_i_will_do="",
        body=f"Ana Lima was clear. {GIVER}, health visitor.",
        source_name=GIVER,
        source_relationship=GIVER,
    )
    sign_off(feedback)
    ReviewFactory(
        enrolment=enrolment,
        attendees="Ana Lima, Bob Jones and Cara Diaz",
        summary="Ana is settling in; Lima's recording is good.",
    )
    ConcernFactory(enrolment=enrolment, reason="Bob Jones noticed late recording by Ana.")
    final = enrolment.final_assessment
    final.summary = "Ana Lima met every standard, as Bob Jones and Priya Shah saw."
    final.save()
    ModerationDecision.objects.create(
        final_assessment=final,
        decided_by=lead,
        panel="Cara Diaz, Lead Person",
        decided_on=date(2026, 11, 30),
        decision=ModerationDecision.Decision.AGREE,
        outcome=Recommendation.PASS,
        reasons="Agreed with Cara Diaz about Ana.",
    )
    return enrolment


def _assert_nobody_named(html: str) -> None:
    named = [
        value
        for value in EVERY_NAME
        if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", html, re.IGNORECASE)
    ]
    assert named == []


def test_the_anonymised_portfolio_names_nobody_it_is_about(named_year):
    html = render_portfolio_html(named_year, anonymised_as="Candidate C")
    _assert_nobody_named(html)
    assert "Portfolio: Candidate C" in html
    assert "Candidate C visited the family with Supervisor" in html
    assert "Ask Observer 1 to observe again." in html
    assert "from Feedback giver 1" in html
    assert "Agreed with Assessor about Candidate C." in html
    assert "Lead Person" in html  # a panel member who is none of these keeps their name


def test_the_anonymised_pdf_is_made_from_the_scrubbed_page(named_year, monkeypatch):
    rendered = []
    real_html = portfolio.HTML

    def capture(*, string, **kwargs):
        rendered.append(string)
        return real_html(string=string, **kwargs)

    monkeypatch.setattr(portfolio, "HTML", capture)
    pdf = render_portfolio_pdf(named_year, anonymised_as="Candidate C")
    assert pdf.startswith(b"%PDF")
    _assert_nobody_named(rendered[0])


def test_the_named_portfolio_still_names_everyone(named_year):
    html = render_portfolio_html(named_year)
    for name in ("Portfolio: Ana Lima", "Bob Jones", "Cara Diaz", "Priya Shah", GIVER):
        assert name in html
    assert "Candidate" not in html and "Observer 1" not in html


def test_anonymising_leaves_the_records_themselves_as_they_were(named_year):
    render_portfolio_html(named_year, anonymised_as="Candidate C")
    named_year.refresh_from_db()
    assert named_year.worker.full_name == "Ana Lima"
    assert named_year.final_assessment.summary.startswith("Ana Lima met every standard")
    assert Evidence.objects.filter(title="Home visit with Bob Jones").exists()


# --- Choosing the sample.


def test_a_random_draw_returns_that_many_distinct_portfolios_of_those_listed():
    listed = list(range(1, 31))
    for count in (1, 2, 20):
        drawn = choose_sample(listed=listed, ticked=[], count=count)
        assert len(set(drawn)) == count
        assert set(drawn) <= set(listed)


def test_a_random_draw_is_taken_from_those_ticked_when_some_are():
    drawn = choose_sample(listed=list(range(1, 31)), ticked=[4, 5, 6], count=2)
    assert len(set(drawn)) == 2 and set(drawn) <= {4, 5, 6}


@pytest.mark.parametrize(
    ("listed", "ticked", "count", "errors"),
    [
        pytest.param(
            [1, 2, 3],
            [],
            4,
            {"count": ["There are only 3 finished portfolios to draw from: enter 3 or fewer."]},
            id="more-than-available",
        ),
        pytest.param(
            [1, 2, 3],
            [],
            None,
            {"enrolments": ["Tick the portfolios to sample, or enter how many to draw at random."]},
            id="nothing-chosen",
        ),
        pytest.param(
            list(range(30)),
            list(range(21)),
            None,
            {"enrolments": ["Choose 20 portfolios or fewer."]},
            id="more-than-twenty-ticked",
        ),
        pytest.param(
            [], [], 1, {"count": ["There are no finished portfolios to draw from."]}, id="none"
        ),
    ],
)
def test_a_sample_that_cannot_be_drawn_is_refused_with_what_to_do(listed, ticked, count, errors):
    with pytest.raises(ValidationError) as refusal:
        choose_sample(listed=listed, ticked=ticked, count=count)
    assert refusal.value.message_dict == errors


def test_each_candidate_gets_their_own_letter():
    enrolments = [finished() for _ in range(4)]
    candidates = label_candidates(enrolments)
    assert [candidate.letter for candidate in candidates] == ["A", "B", "C", "D"]
    assert {candidate.enrolment.pk for candidate in candidates} == {e.pk for e in enrolments}
    assert candidates[2].label == "Candidate C"


# --- Which portfolios are finished, and who sees them.


def test_only_decided_portfolios_with_a_final_assessment_are_listed(lead):
    passed = finished()
    not_passed = finished(status=Enrolment.Status.FAILED)
    EnrolmentFactory()  # still active
    EnrolmentFactory(status=Enrolment.Status.COMPLETED)  # ended by hand, no final assessment
    EnrolmentFactory(status=Enrolment.Status.WITHDRAWN)
    assert set(finished_portfolios(lead)) == {passed, not_passed}


def test_the_list_narrows_by_programme_and_cohort(lead):
    asye = finished()
    nqsw = finished(cohort=CohortFactory(programme=programme("NQSW")))
    assert list(finished_portfolios(lead, programme=programme("NQSW"))) == [nqsw]
    assert list(finished_portfolios(lead, cohort=asye.cohort)) == [asye]


def test_a_manager_sees_only_their_own_teams_finished_portfolios():
    theirs, other = finished(), finished()
    assert list(finished_portfolios(theirs.worker.team.manager)) == [theirs]
    assert other not in finished_portfolios(theirs.worker.team.manager)


# --- The pages.


def test_the_lead_sees_the_finished_portfolios_to_choose_from(client, lead):
    passed = finished()
    active = EnrolmentFactory()
    client.force_login(lead)
    response = client.get(reverse(URL))
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(passed.worker.full_name) in page
    assert escape(active.worker.full_name) not in page
    assert "Not passed" not in page and "Completed" in page


def test_choosing_nothing_shows_the_error_summary_and_goes_no_further(client, lead):
    finished()
    client.force_login(lead)
    response = client.post(reverse(URL), {"count": ""})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Tick the portfolios to sample, or enter how many to draw at random." in page
    assert "Candidate A" not in page


@pytest.mark.parametrize("count", ["0", "21", "two"])
def test_a_draw_outside_one_to_twenty_is_refused(client, lead, count):
    finished()
    client.force_login(lead)
    response = client.post(reverse(URL), {"count": count})
    assert "Enter a number from 1 to 20." in response.content.decode()
    assert "Candidate A" not in response.content.decode()


def test_drawing_more_than_are_listed_is_refused(client, lead):
    finished(), finished()
    client.force_login(lead)
    response = client.post(reverse(URL), {"count": "3"})
    message = "There are only 2 finished portfolios to draw from: enter 2 or fewer."
    assert message in response.content.decode()


def test_drawing_two_shows_the_key_with_each_candidates_letter(client, lead):
    enrolments = [finished() for _ in range(3)]
    client.force_login(lead)
    response = client.post(reverse(URL), {"count": "2"})
    page = response.content.decode()
    assert "Keep this page: the pack does not contain names." in page
    assert "Candidate A" in page and "Candidate B" in page and "Candidate C" not in page
    shown = [e for e in enrolments if escape(e.worker.full_name) in page]
    assert len(shown) == 2
    assert page.count('name="enrolment"') == 2 and page.count('name="letter"') == 2


def test_the_ticked_portfolios_are_the_sample(client, lead):
    chosen, left = finished(), finished()
    client.force_login(lead)
    response = client.post(reverse(URL), {"enrolments": [chosen.pk]})
    page = response.content.decode()
    assert escape(chosen.worker.full_name) in page and escape(left.worker.full_name) not in page
    assert f'name="enrolment" value="{chosen.pk}"' in page


def test_the_pack_holds_one_anonymised_pdf_per_candidate(client, lead):
    first, second = finished(), finished()
    client.force_login(lead)
    response = client.post(
        reverse(PACK_URL), {"enrolment": [first.pk, second.pk], "letter": ["B", "A"]}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="moderation-sample-')
    with zipfile.ZipFile(io.BytesIO(response.content)) as pack:
        assert sorted(pack.namelist()) == ["Candidate A.pdf", "Candidate B.pdf"]
        assert all(pack.read(name).startswith(b"%PDF") for name in pack.namelist())


def _refused(client, body: dict) -> None:
    response = client.post(reverse(PACK_URL), body)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "There is a problem" in page
    assert "This sample cannot be made into a pack. Choose the portfolios again." in page


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(lambda done, active: {"enrolment": [active.pk], "letter": ["A"]}, id="active"),
        pytest.param(lambda done, active: {"enrolment": [999999], "letter": ["A"]}, id="unknown"),
        pytest.param(lambda done, active: {"enrolment": ["x"], "letter": ["A"]}, id="not-an-id"),
        pytest.param(lambda done, active: {"enrolment": [done.pk], "letter": ["Z"]}, id="letter"),
        pytest.param(
            lambda done, active: {"enrolment": [done.pk, done.pk], "letter": ["A", "B"]},
            id="same-twice",
        ),
        pytest.param(
            lambda done, active: {"enrolment": [done.pk], "letter": ["A", "B"]}, id="mismatch"
        ),
        pytest.param(lambda done, active: {}, id="empty"),
    ],
)
def test_a_pack_posted_by_hand_with_what_is_not_a_finished_sample_is_refused(client, lead, body):
    done = finished()
    active = EnrolmentFactory()
    client.force_login(lead)
    _refused(client, body(done, active))


def test_a_pack_of_more_than_twenty_is_refused(client, lead):
    enrolments = [finished() for _ in range(21)]
    client.force_login(lead)
    letters = [chr(ord("A") + index) for index in range(21)]
    _refused(client, {"enrolment": [e.pk for e in enrolments], "letter": letters})


def test_someone_who_is_not_a_lead_cannot_have_a_pack_even_of_their_own_team(client):
    theirs = finished()
    manager = theirs.worker.team.manager
    client.force_login(manager)
    response = client.post(reverse(PACK_URL), {"enrolment": [theirs.pk], "letter": ["A"]})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        confirmed_sample(manager, enrolment_ids=[str(theirs.pk)], letters=["A"])


def test_the_list_query_count_is_flat(client, lead, django_assert_max_num_queries):
    client.force_login(lead)
    url = reverse(URL)
    for _ in range(3):
        finished()
    # session, user, roles, unread notifications, the session saved (savepoint, update,
    # release), programme choices, cohort choices, and the finished enrolments, joined
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    for _ in range(27):
        finished()
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('type="checkbox"') == 30
