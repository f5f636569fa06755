"""Frameworks and coverage in Chromium, by keyboard alone, with axe on every page.

A lead reads the frameworks, then moves a worker to the early career standards after checking
the preview, and opens the worker's coverage; an assessor opens their assessees. Each person
starts from home, where signing in lands, and only Tab, Shift+Tab, Enter, Space and typing move
through the pages: the only `page.goto` is `sign_in`'s, to the sign-in page.
"""

from __future__ import annotations

import pytest

from assessments.models import Framework, FrameworkPin
from programmes.models import Enrolment
from tests.browser.test_journeys import HOME_URL, sign_in
from tests.browser.test_supervision_journeys import (
    WORKER_EMAIL,
    activate,
    banner,
    choose,
    type_into,
)

expect = pytest.importorskip("playwright.sync_api").expect

WORKER = "Alex Morgan"


def test_a_lead_moves_a_worker_to_the_early_career_standards_after_a_preview(page, axe_check):
    enrolment = Enrolment.objects.get(worker__email=WORKER_EMAIL)
    sign_in(page, "lead", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)

    activate(page, page.get_by_role("link", name="Frameworks and their standards"))
    expect(page.get_by_role("heading", name="Frameworks", exact=True)).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("link", name="Social Work England professional standards"))
    expect(page.get_by_role("heading", name="1. Promote the rights")).to_be_visible()
    axe_check(page)

    # Home again, then Alex's programme from the cohort, and the framework it is assessed against.
    menu = page.get_by_role("navigation", name="Menu")
    activate(page, menu.get_by_role("link", name="Home", exact=True))
    expect(page).to_have_url(HOME_URL)
    cohorts = page.get_by_role("table", name="Cohorts you can see")
    activate(page, cohorts.get_by_role("link", name=enrolment.cohort.name, exact=True))
    expect(page.get_by_role("heading", level=1, name=enrolment.cohort.name)).to_be_visible()
    axe_check(page)
    workers = page.get_by_role("table", name="Workers in this cohort")
    activate(page, workers.get_by_role("link", name=WORKER))
    expect(page.get_by_role("heading", level=1, name=WORKER)).to_be_visible()
    axe_check(page)
    assessed_against = "The framework this programme is assessed against"
    activate(page, page.get_by_role("link", name=assessed_against))
    expect(page.get_by_role("heading", name="Framework assessed against")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Preview the move"))
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    axe_check(page)
    early_career = Framework.objects.get(code="early-career-standards")
    select = page.get_by_label("Framework version to assess against")
    choose(page, select, "Child and family", str(early_career.pk))
    type_into(page, page.get_by_label("Why it moves"), "The cohort agreed to move")
    activate(page, page.get_by_role("button", name="Preview the move"))
    expect(page.get_by_role("heading", name="Check what the move does")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Confirm the move"))
    expect(banner(page, "is now assessed against")).to_be_visible()
    axe_check(page)
    assert FrameworkPin.objects.get(enrolment=enrolment).framework.code == (
        "early-career-standards"
    )

    activate(page, page.get_by_role("link", name="Coverage of the standards"))
    expect(page.get_by_role("heading", name="Coverage of the standards")).to_be_visible()
    expect(page.get_by_text("1. Anti-discriminatory practice")).to_be_visible()
    axe_check(page)


def test_an_assessor_sees_the_coverage_of_each_person_they_assess(page, axe_check):
    sign_in(page, "assessor", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)

    activate(page, page.get_by_role("link", name="Coverage of the standards for each assessee"))
    expect(page.get_by_role("heading", name="My assessees")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("link", name=WORKER))
    expect(page.get_by_role("heading", name="Coverage of the standards")).to_be_visible()
    expect(page.get_by_role("heading", name="Evidence the programme requires")).to_be_visible()
    axe_check(page)
