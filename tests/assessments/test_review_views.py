"""Review pages through the client: each role, the forms end to end, and flat query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments.models import (
    Concern,
    FinalAssessment,
    ModerationDecision,
    Progress,
    Review,
    Standard,
)
from assessments.selectors import framework_for
from programmes.models import Enrolment
from tests.assessments.factories import ConcernFactory, ReviewFactory, year_end_enrolment
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _review_form(**overrides):
    values = {
        "months": "3",
        "held_on": timezone.localdate().isoformat(),
        "attendees": "Worker, supervisor, assessor",
        "progress": Progress.ON_TRACK,
        "summary": "Good progress.",
        "actions": "",
        "concern_reason": "",
        "action_plan": "",
        "review_on": "",
    }
    return {**values, **overrides}


@pytest.mark.parametrize(
    ("persona", "status_code"),
    [
        ("assessor", 302),
        ("supervisor", 302),
        ("lead", 302),
        ("worker", 403),
        ("manager", 403),
        ("outsider", 404),
    ],
)
def test_only_the_assessor_supervisor_or_lead_records_a_review(
    client, request, enrolment, persona, status_code
):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("assessments:review-create", args=[enrolment.pk])
    assert client.post(url, _review_form()).status_code == status_code
    assert Review.objects.exists() == (status_code == 302)


def test_recording_a_review_shows_it_with_a_confirmation(client, enrolment, assessor):
    client.force_login(assessor)
    url = reverse("assessments:review-create", args=[enrolment.pk])
    response = client.post(url, _review_form(), follow=True)
    review = Review.objects.get()
    assert response.redirect_chain == [
        (reverse("assessments:review-detail", args=[review.pk]), 302)
    ]
    assert "Review recorded." in response.content.decode()


def test_the_months_in_the_address_preselects_the_point(client, enrolment, assessor):
    client.force_login(assessor)
    url = reverse("assessments:review-create", args=[enrolment.pk])
    html = client.get(url + "?months=6").content.decode()
    assert '<option value="6" selected>' in html


def test_causing_concern_without_a_plan_shows_the_errors_and_saves_nothing(
    client, enrolment, assessor
):
    client.force_login(assessor)
    url = reverse("assessments:review-create", args=[enrolment.pk])
    response = client.post(url, _review_form(progress=Progress.CAUSING_CONCERN))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_action_plan"' in html and 'href="#id_review_on"' in html
    assert not Review.objects.exists()


def test_causing_concern_opens_the_concern_from_the_form(client, enrolment, assessor):
    client.force_login(assessor)
    url = reverse("assessments:review-create", args=[enrolment.pk])
    review_on = (timezone.localdate() + timedelta(days=28)).isoformat()
    response = client.post(
        url,
        _review_form(
            progress=Progress.CAUSING_CONCERN, action_plan="Weekly check-in.", review_on=review_on
        ),
        follow=True,
    )
    assert "A concern is open" in response.content.decode()
    assert Concern.objects.get().review == Review.objects.get()


def test_a_plan_left_in_the_form_opens_no_concern_when_on_track(client, enrolment, assessor):
    client.force_login(assessor)
    url = reverse("assessments:review-create", args=[enrolment.pk])
    client.post(url, _review_form(action_plan="Left over", review_on="2026-12-30"))
    assert Review.objects.exists() and not Concern.objects.exists()


def test_with_every_point_recorded_the_form_sends_back_to_the_list(client, enrolment, assessor):
    for months in (3, 6, 9, 12):
        ReviewFactory(enrolment=enrolment, months=months)
    client.force_login(assessor)
    response = client.get(reverse("assessments:review-create", args=[enrolment.pk]))
    assert response["Location"] == reverse("assessments:review-list", args=[enrolment.pk])


def test_the_review_list_shows_schedule_concerns_and_empty_states(client, enrolment, worker):
    ReviewFactory(enrolment=enrolment)
    client.force_login(worker)
    html = client.get(reverse("assessments:review-list", args=[enrolment.pk])).content.decode()
    assert "3-month review" in html and "Final review (12 months)" in html
    assert "No concerns." in html
    assert "No recommendation yet." in html
    assert "Record a review" not in html  # the worker does not record their own
    assert "Download the portfolio" in html


def test_opening_and_closing_a_concern(client, enrolment, supervisor):
    client.force_login(supervisor)
    url = reverse("assessments:concern-create", args=[enrolment.pk])
    response = client.post(
        url,
        {
            "reason": "Late recording.",
            "action_plan": "Weekly check.",
            "review_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
        },
        follow=True,
    )
    assert "Concern opened." in response.content.decode()
    concern = Concern.objects.get()
    close = reverse("assessments:concern-close", args=[concern.pk])
    response = client.post(
        close, {"outcome": "On time now.", "closed_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED
    assert client.get(close).status_code == 403  # closed: nothing more to do


def test_the_final_form_waits_until_four_weeks_before_the_final_point(client, enrolment, assessor):
    client.force_login(assessor)
    url = reverse("assessments:final-assessment-create", args=[enrolment.pk])
    html = client.get(url).content.decode()
    assert "The final assessment opens on 10 August 2027" in html
    assert "<form" not in html.split("govuk-grid-column-one-third")[0].split("<main")[-1]
    client.post(url, {"recommendation": "pass", "summary": "x"})
    assert not FinalAssessment.objects.exists()


def test_the_final_form_shows_coverage_and_records_a_pass(client, db):
    enrolment = year_end_enrolment()
    client.force_login(enrolment.assessor)
    url = reverse("assessments:final-assessment-create", args=[enrolment.pk])
    html = client.get(url).content.decode()
    assert "Coverage" in html and "0 of 10 statements evidenced" in html
    standards = Standard.objects.filter(framework=framework_for(enrolment))
    data = {"recommendation": "pass", "summary": "Ready.", "extension_weeks": ""}
    data |= {f"standard_{s.pk}": "Met." for s in standards}
    assert client.post(url, data).status_code == 302
    assert FinalAssessment.objects.get().standard_summaries.count() == 10


def test_a_missing_standard_summary_is_shown_against_its_field(client, db):
    enrolment = year_end_enrolment()
    client.force_login(enrolment.assessor)
    url = reverse("assessments:final-assessment-create", args=[enrolment.pk])
    response = client.post(url, {"recommendation": "pass", "summary": "Ready."})
    html = response.content.decode()
    first = Standard.objects.filter(framework=framework_for(enrolment)).order_by("position")[0]
    assert f'href="#id_standard_{first.pk}"' in html
    assert not FinalAssessment.objects.exists()


def test_the_lead_records_the_panel_and_the_enrolment_completes(client, lead, db):
    enrolment = year_end_enrolment()
    client.force_login(enrolment.assessor)
    standards = Standard.objects.filter(framework=framework_for(enrolment))
    data = {"recommendation": "pass", "summary": "Ready."}
    data |= {f"standard_{s.pk}": "Met." for s in standards}
    client.post(reverse("assessments:final-assessment-create", args=[enrolment.pk]), data)
    client.force_login(lead)
    url = reverse("assessments:moderation-create", args=[enrolment.pk])
    response = client.post(
        url,
        {
            "panel": "Chair and two leads",
            "decided_on": timezone.localdate().isoformat(),
            "decision": ModerationDecision.Decision.AGREE,
            "outcome": "",
            "extension_weeks": "",
            "reasons": "",
        },
        follow=True,
    )
    assert "Outcome: Pass." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert client.get(url).status_code == 403  # the enrolment has ended


def test_the_moderation_page_without_a_recommendation_says_so(client, enrolment, lead):
    client.force_login(lead)
    html = client.get(reverse("assessments:moderation-create", args=[enrolment.pk])).content
    assert "has not made a final recommendation yet" in html.decode()


def test_the_portfolio_downloads_as_a_pdf(client, enrolment, assessor):
    client.force_login(assessor)
    response = client.get(reverse("assessments:portfolio", args=[enrolment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment;" in response["Content-Disposition"]


@pytest.mark.parametrize("persona", ["assessor", "supervisor", "manager", "lead"])
def test_the_reviews_due_page_lists_what_is_due_or_overdue(client, request, enrolment, persona):
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("assessments:reviews-due")).content.decode()
    # The 3-month review of the shared enrolment falls on 7 December 2026.
    today = timezone.localdate()
    if (enrolment.started_on + timedelta(days=91) - today).days <= 28:
        assert escape(enrolment.worker.full_name) in html  # as the page writes it
    else:
        assert "No reviews are due" in html


def test_the_reviews_due_page_shows_oldest_first(client, lead):
    today = timezone.localdate()
    late = EnrolmentFactory(started_on=today - timedelta(days=120))
    soon = EnrolmentFactory(started_on=today - timedelta(days=80))
    client.force_login(lead)
    html = client.get(reverse("assessments:reviews-due")).content.decode()
    assert html.index(late.worker.full_name) < html.index(soon.worker.full_name)
    assert "Overdue by" in html


def test_reviews_due_page_query_count_is_flat(client, lead, django_assert_max_num_queries):
    client.force_login(lead)
    url = reverse("assessments:reviews-due")
    start = timezone.localdate() - timedelta(days=100)
    # session, user, roles; reviews_due: enrolments, programmes, pauses, extensions, reviews;
    # the unread count in the header; the session saved back in its savepoint (3)
    for size in (3, 30):
        EnrolmentFactory.create_batch(size - Enrolment.objects.count(), started_on=start)
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.content.decode().count("Overdue by") == size


def test_review_list_query_count_is_flat(client, enrolment, lead, django_assert_max_num_queries):
    client.force_login(lead)
    url = reverse("assessments:review-list", args=[enrolment.pk])
    for months in (3, 6):
        ReviewFactory(enrolment=enrolment, months=months)
    ConcernFactory.create_batch(3, enrolment=enrolment)
    with django_assert_max_num_queries(20) as first:
        client.get(url)
    ConcernFactory.create_batch(20, enrolment=enrolment)
    with django_assert_max_num_queries(len(first)):
        assert client.get(url).status_code == 200


def test_the_review_list_says_when_the_learning_agreement_is_overdue(client, enrolment, assessor):
    client.force_login(assessor)
    html = client.get(reverse("assessments:review-list", args=[enrolment.pk])).content.decode()
    assert "Not on file yet: due by 5 October 2026" in html
    assert "Overdue" in html.split("Learning agreement")[1].split("</dd>")[0]
