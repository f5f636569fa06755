"""Journeys through the real pages, in Chromium, as each demo role; axe checks every page."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.conf import settings

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Without Playwright installed, these tests are skipped (and Chromium's absence skips them too).
expect = pytest.importorskip("playwright.sync_api").expect

SIGN_IN_URL = re.compile(r"/accounts/login/(\?.*)?$")
HOME_URL = re.compile(r"^https?://[^/]+/$")
SECTION_FOR_ROLE = {
    "worker": "My programme",
    "supervisor": "My supervisees",
    "assessor": "My assessees",
    "manager": "Cohorts",
    "lead": "Cohorts",
}


def sign_in(page: Page, role: str, *, password: str | None = None, keyboard: bool = False) -> None:
    """Fill the real sign-in form, then press the button (or Enter in the password field)."""
    page.goto("/accounts/login/")
    email = page.get_by_label("Email address")
    email.focus()
    page.keyboard.type(f"{role}@demo.example")
    if keyboard:
        page.keyboard.press("Tab")
        expect(page.get_by_label("Password")).to_be_focused()
        page.keyboard.type(password or settings.DEMO_PASSWORD)
        page.keyboard.press("Enter")
    else:
        page.get_by_label("Password").fill(password or settings.DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("role", list(SECTION_FOR_ROLE))
def test_each_role_signs_in_to_their_section_of_home(page: Page, axe_check, role: str) -> None:
    page.goto("/")
    expect(page).to_have_url(SIGN_IN_URL)  # signed out: every page sends you to sign in
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Footing")
    axe_check(page)

    sign_in(page, role, keyboard=role in ("worker", "lead"))

    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_role("heading", level=2, name=SECTION_FOR_ROLE[role])).to_be_visible()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    axe_check(page)


def test_manager_sees_cohorts_and_their_workers(page: Page, axe_check) -> None:
    sign_in(page, "manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Cohorts").click()

    expect(page.get_by_role("heading", level=1, name="Cohorts")).to_be_visible()
    cohorts = page.get_by_role("table", name="Cohorts you can see")
    expect(cohorts.get_by_role("link", name="ASYE September 2026")).to_be_visible()
    expect(cohorts.get_by_role("link", name="ECDP early adopters October 2026")).to_be_visible()
    # The adults' cohort has nobody from this manager's team in it.
    expect(cohorts.get_by_role("link", name="ASYE Adults September 2026")).to_have_count(0)
    axe_check(page)

    cohorts.get_by_role("link", name="ASYE September 2026").click()
    expect(page.get_by_role("heading", level=1, name="ASYE September 2026")).to_be_visible()
    workers = page.get_by_role("table", name="Workers in this cohort")
    expect(workers.get_by_role("link", name="Alex Morgan")).to_be_visible()
    expect(workers.get_by_role("link", name="Chloe Nguyen")).to_be_visible()
    axe_check(page)


def test_worker_sees_their_whole_schedule(page: Page, axe_check) -> None:
    sign_in(page, "worker")
    page.get_by_role("link", name="See your whole schedule").click()

    expect(page.get_by_role("heading", level=1, name="Alex Morgan")).to_be_visible()
    expect(page.get_by_role("table", name="Schedule")).to_be_visible()
    expect(page.get_by_text("Schedule", exact=True)).to_be_visible()
    axe_check(page)


def test_lead_enrols_a_worker_after_fixing_errors(page: Page, axe_check) -> None:
    sign_in(page, "lead", keyboard=True)
    page.get_by_role("link", name="ASYE Adults September 2026").first.click()
    expect(page.get_by_role("heading", level=1, name="ASYE Adults September 2026")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Enrol a worker").click()
    expect(page.get_by_role("heading", level=1, name="Enrol a worker")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Enrol", exact=True).click()  # nothing filled in

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()  # read out first by a screen reader
    expect(page).to_have_title(re.compile(r"^Error: "))
    for field_id, message in (
        ("id_email", "Enter the worker's email address"),
        ("id_full_name", "Enter the worker's full name"),
        ("id_team", "Choose the team the worker is in"),
    ):
        link = summary.get_by_role("link", name=message)
        expect(link).to_have_attribute("href", f"#{field_id}")
    summary.get_by_role("link", name="Enter the worker's full name").click()
    expect(page.get_by_label("Full name")).to_be_focused()  # GOV.UK Frontend's summary links
    axe_check(page)

    page.get_by_label("Work email address").fill("new.starter@demo.example")
    page.get_by_label("Full name").fill("Noor Haddad")
    page.get_by_label("Team").select_option(label="Adult Community Team East")
    start = page.get_by_label("Start date")
    expect(start).to_have_attribute("type", "date")
    start.fill("2026-09-07")
    page.get_by_label("FTE").fill("1.0")
    page.get_by_role("button", name="Enrol", exact=True).click()

    banner = page.get_by_role("alert").filter(has_text="Success")
    expect(banner).to_contain_text("Noor Haddad is enrolled.")
    expect(page).not_to_have_title(re.compile(r"^Error: "))
    workers = page.get_by_role("table", name="Workers in this cohort")
    expect(workers.get_by_role("link", name="Noor Haddad")).to_be_visible()
    axe_check(page)


def test_wrong_password_is_refused_with_a_clear_error(page: Page, axe_check) -> None:
    sign_in(page, "manager", password="not-the-password-at-all")

    expect(page).to_have_url(SIGN_IN_URL)
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(
        "The email address or password is not right. Check them and try again."
    )
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    axe_check(page)

    page.goto("/")
    expect(page).to_have_url(SIGN_IN_URL)  # still signed out


def test_signing_out_returns_to_sign_in(page: Page) -> None:
    sign_in(page, "supervisor")
    expect(page).to_have_url(HOME_URL)

    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(SIGN_IN_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Footing")
    page.goto("/")
    expect(page).to_have_url(SIGN_IN_URL)  # the session is gone
