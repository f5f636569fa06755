"""Reviews to a moderated pass in Chromium, by keyboard alone, with axe on every page.

The assessor records the 3-month review as causing concern (a concern opens), then the final
assessment recommending a pass; a lead records the moderation panel agreeing, and the
enrolment shows Completed. Alex Morgan's programme is moved to start a year (less a week)
ago, so the final review point is a week away and the final assessment is open.

Each person starts from home, where signing in lands, and follows its link to the reviews due:
only Tab, Shift+Tab, Enter and typing move through the pages. The only `page.goto` is
`sign_in`'s, to the sign-in page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone

from assessments.models import Concern, FinalAssessment, Review, Standard
from assessments.selectors import framework_for
from programmes.models import Enrolment
from programmes.rules import add_months
from tests.browser.test_journeys import HOME_URL, sign_in
from tests.browser.test_supervision_journeys import (
    activate,
    banner,
    choose,
    type_date,
    type_into,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = pytest.importorskip("playwright.sync_api").expect

WORKER = "Alex Morgan"
REVIEWS_DUE = "Reviews due and overdue"


def alex_at_the_end_of_the_year() -> Enrolment:
    enrolment = Enrolment.objects.get(worker__email="worker@demo.example")
    started_on = add_months(timezone.localdate(), -12) + timedelta(days=7)
    enrolment.pauses.all().delete()
    enrolment.extensions.all().delete()
    Review.objects.filter(enrolment=enrolment).delete()
    FinalAssessment.objects.filter(enrolment=enrolment).delete()
    Enrolment.objects.filter(pk=enrolment.pk).update(started_on=started_on)
    enrolment.refresh_from_db()
    return enrolment


def sign_out(page: Page) -> None:
    activate(page, page.get_by_role("button", name="Sign out"), backwards=True)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_a_year_is_walked_from_review_to_moderated_pass_by_keyboard(page: Page, axe_check) -> None:
    enrolment = alex_at_the_end_of_the_year()
    assert enrolment.assessor.email == "assessor@demo.example"
    standards = list(
        Standard.objects.filter(framework=framework_for(enrolment)).order_by("position")
    )
    today = timezone.localdate()

    # The assessor: the reviews due, Alex's schedule, the 3-month review causing concern.
    sign_in(page, "assessor", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)
    assessees = page.get_by_role("region", name="My assessees")
    activate(page, assessees.get_by_role("link", name=REVIEWS_DUE))
    expect(page.get_by_role("heading", level=1, name="Reviews due")).to_be_visible()
    axe_check(page)
    due = page.get_by_role("table", name="Reviews due, the earliest first")
    activate(page, due.get_by_role("link", name=WORKER, exact=True))

    expect(page.get_by_role("heading", level=1, name="Reviews and outcome")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("link", name="Record 3-month review"))

    expect(page.get_by_role("heading", level=1, name="Record a review")).to_be_visible()
    axe_check(page)
    expect(page.get_by_label("Review point")).to_have_value("3")
    type_date(page, page.get_by_label("Date the review was held"), today)
    type_into(page, page.get_by_label("Who attended"), "Alex Morgan, Helen Carter, David Mensah")
    choose(page, page.get_by_label("Progress", exact=True), "Causing", "causing-concern")
    type_into(
        page,
        page.get_by_label("Summary of progress"),
        "Assessments are reaching the manager late and analysis is thin.",
    )
    type_into(page, page.get_by_label("What the concern is"), "Assessments are late.")
    type_into(page, page.get_by_label("Action plan"), "Weekly deadline check in supervision.")
    type_date(page, page.get_by_label("Review the plan by"), today + timedelta(days=28))
    activate(page, page.get_by_role("button", name="Record the review"))

    expect(banner(page, "Review recorded. A concern is open")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="3-month review")).to_be_visible()
    expect(page.get_by_text("Weekly deadline check in supervision.")).to_be_visible()
    axe_check(page)
    assert Concern.objects.get(enrolment=enrolment).status == Concern.Status.OPEN
    activate(page, page.get_by_role("link", name="Back to the reviews"))

    # Later in the year: the final assessment, with the coverage beside it.
    expect(page.get_by_role("heading", level=1, name="Reviews and outcome")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Record the final assessment"))

    expect(page.get_by_role("heading", level=1, name="Final assessment")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Coverage")).to_be_visible()
    axe_check(page)
    choose(page, page.get_by_label("Recommendation"), "Pass", "pass")
    type_into(page, page.get_by_label("Overall summary"), "A safe, reflective practitioner.")
    for standard in standards:
        type_into(page, page.locator(f"#id_standard_{standard.pk}"), "Met, with evidence.")
    activate(page, page.get_by_role("button", name="Record the recommendation"))

    expect(banner(page, "Recommendation recorded.")).to_be_visible()
    expect(page.get_by_text("Waiting for the moderation panel.")).to_be_visible()
    axe_check(page)
    sign_out(page)

    # The lead: from home to the due list, Alex's reviews, the panel agreeing, completed.
    sign_in(page, "lead", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)
    cohorts = page.get_by_role("region", name="Cohorts")
    activate(page, cohorts.get_by_role("link", name=REVIEWS_DUE))
    expect(page.get_by_role("heading", level=1, name="Reviews due")).to_be_visible()
    axe_check(page)
    due = page.get_by_role("table", name="Reviews due, the earliest first")
    activate(page, due.get_by_role("link", name=WORKER, exact=True))

    expect(page.get_by_role("heading", level=1, name="Reviews and outcome")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Record the moderation panel"))

    expect(page.get_by_role("heading", level=1, name="Record the moderation panel")).to_be_visible()
    axe_check(page)
    type_into(page, page.get_by_label("Panel members"), "Sam Lead (chair), Priya Shah")
    expect(page.get_by_label("Date of the panel")).to_have_value(today.isoformat())
    choose(page, page.get_by_label("Decision"), "Agree", "agree")
    activate(page, page.get_by_role("button", name="Record the decision"))

    expect(banner(page, "The panel's decision is recorded. Outcome: Pass.")).to_be_visible()
    expect(page.locator("#enrolment-status")).to_have_text("Completed")
    axe_check(page)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
