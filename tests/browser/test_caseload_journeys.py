"""Protected caseloads in Chromium, by keyboard alone, with axe on every page.

The manager finds the two breaches in their team, oldest first, and acknowledges the new one
with a plan and a date; the worker reads their caseload as a chart and as a table that agree.
Only Tab, Shift+Tab, Enter and typing move through the pages (the only `page.goto` is
`sign_in`'s). The figures and breaches are the demo's (seed_demo).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone

from programmes.models import CaseloadBreach, CaseloadSnapshot
from tests.browser.test_journeys import HOME_URL, sign_in
from tests.browser.test_supervision_journeys import activate, banner, type_date, type_into

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

expect = pytest.importorskip("playwright.sync_api").expect

# The demo's breaches in Priya Shah's team: the older one she has a plan for, the newer one not.
ACKNOWLEDGED = "Kwame Asante"
NEW = "Chloe Nguyen"
BACK_WITHIN = "Oliver Grant"
WORKER_EMAIL = "worker@demo.example"


def breach_rows(page: Page) -> Locator:
    table = page.get_by_role("table", name="2 breaches not yet resolved")
    return table.locator("tbody").get_by_role("row")


def test_a_manager_acknowledges_a_breach_with_a_plan_and_a_date(page: Page, axe_check) -> None:
    plan = "Two child in need cases move to a senior colleague at Thursday's allocation meeting."
    due_on = timezone.localdate() + timedelta(days=14)
    shown_due = f"{due_on:%-d %B %Y}"

    sign_in(page, "manager", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)
    menu = page.get_by_role("navigation", name="Menu")
    activate(page, menu.get_by_role("link", name="Caseload breaches"))

    expect(page.get_by_role("heading", level=1, name="Caseload breaches")).to_be_visible()
    rows = breach_rows(page)
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(ACKNOWLEDGED)  # oldest first
    expect(rows.nth(0)).to_contain_text("Acknowledged")
    expect(rows.nth(1)).to_contain_text(NEW)
    expect(rows.nth(1)).to_contain_text("Waiting for a plan")
    resolved = page.get_by_role("table", name="Resolved breaches, latest first")
    expect(resolved.get_by_role("row").filter(has_text=BACK_WITHIN)).to_contain_text(
        "The caseload came back within the cap."
    )
    short = page.get_by_role("table", name=re.compile("^Workers who logged less protected time"))
    expect(short.get_by_role("link", name=ACKNOWLEDGED)).to_be_visible()
    # The worker whose breach has a plan has no second invitation to make one.
    acknowledge = page.get_by_role("link", name=re.compile("^Acknowledge the breach for"))
    expect(acknowledge).to_have_count(1)
    axe_check(page)
    activate(page, page.get_by_role("link", name=f"Acknowledge the breach for {NEW}"))

    expect(page.get_by_role("heading", level=1, name="Acknowledge the breach")).to_be_visible()
    expect(page.get_by_text(NEW).first).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Acknowledge"))  # nothing written yet

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # read out first by a screen reader
    expect(page).to_have_title(re.compile(r"^Error: Acknowledge the breach"))
    missing = summary.get_by_role(
        "link", name="Say how the caseload will come back within the cap."
    )
    expect(missing).to_have_attribute("href", "#id_plan")
    axe_check(page)
    type_into(page, page.get_by_label("How will the caseload come back within the cap?"), plan)
    type_date(page, page.get_by_label("Back within the cap by"), due_on)
    activate(page, page.get_by_role("button", name="Acknowledge"))

    expect(
        banner(page, f"Breach acknowledged. {NEW}'s caseload is due back within the cap by")
    ).to_contain_text(shown_due)
    expect(page.get_by_role("heading", level=1, name="Caseload breaches")).to_be_visible()
    rows = breach_rows(page)
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text(NEW)
    expect(rows.nth(1)).to_contain_text("Acknowledged")
    expect(rows.nth(1)).to_contain_text(f"Back within the cap by {shown_due} (Priya Shah): {plan}")
    expect(acknowledge).to_have_count(0)
    axe_check(page)

    breach = CaseloadBreach.objects.unresolved().get(enrolment__worker__full_name=NEW)
    assert (breach.status, breach.plan, breach.plan_due_on) == ("acknowledged", plan, due_on)
    assert breach.acknowledged_by.email == "manager@demo.example"


def test_a_worker_reads_their_caseload_as_a_chart_and_a_table(page: Page, axe_check) -> None:
    snapshots = CaseloadSnapshot.objects.filter(enrolment__worker__email=WORKER_EMAIL)
    figures = [
        (f"{snapshot.as_of:%-d %B %Y}", str(snapshot.open_cases))
        for snapshot in snapshots.order_by("as_of")
    ]
    assert len(figures) >= 2, "the demo should hold a weekly history for Alex Morgan"

    sign_in(page, "worker", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)
    activate(page, page.get_by_role("link", name="Your caseload and protected time"))

    heading = page.get_by_role("heading", level=1, name="Your caseload and protected time")
    expect(heading).to_be_visible()
    first, last = figures[0][0], figures[-1][0]
    chart = page.get_by_role("img", name=re.compile(f"^Open cases against the cap, {first} to"))
    expect(chart).to_be_visible()
    latest = f"Latest: {figures[-1][1]} open cases on {last}"
    expect(chart).to_have_accessible_name(re.compile(latest))
    table = page.get_by_role("table", name="Caseload figures, oldest first")
    rows = table.locator("tbody").get_by_role("row")
    expect(rows).to_have_count(len(figures))
    shown = [
        (row.get_by_role("rowheader").inner_text(), row.get_by_role("cell").first.inner_text())
        for row in rows.all()
    ]
    assert shown == figures
    # Each point on the chart names its date and figure: the same as the table's.
    points = chart.locator("circle > title, rect > title").all_text_contents()
    assert [tuple(point.split(". ")[0].split(": ")) for point in points] == figures
    expect(page.get_by_text("Every hour owed was logged.")).to_be_visible()
    axe_check(page)
