"""The cohort figures in Chromium, by keyboard alone, with axe on every page.

The demo's manager opens the figures from the cohort dashboard and reads supervision on time
month by month, in the table that gives the chart's numbers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.browser.test_journeys import HOME_URL, sign_in
from tests.browser.test_supervision_journeys import activate

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = pytest.importorskip("playwright.sync_api").expect

# A month's share held on time, or the words for a month with nothing owed.
ON_TIME = re.compile(r"^(\d{1,3}%|Nothing owed)$")


def test_a_manager_opens_the_figures_from_the_dashboard_and_reads_supervision(
    page: Page, axe_check
) -> None:
    sign_in(page, "manager", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    activate(page, page.get_by_role("link", name=re.compile("^Cohort dashboard")))
    expect(page.get_by_role("heading", level=1, name="Cohort dashboard")).to_be_visible()

    activate(page, page.get_by_role("link", name=re.compile("^Cohort figures")))

    expect(page).to_have_url(re.compile(r"/dashboard/figures/"))
    expect(page.get_by_role("heading", level=1, name="Cohort figures")).to_be_visible()
    axe_check(page)
    chart = page.get_by_role("img", name="Supervision held on time, by month")
    expect(chart).to_be_visible()
    table = page.get_by_role("table", name="Supervision sessions owed and held on time, by month")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(13)
    expect(rows.last.get_by_role("rowheader")).to_have_text(re.compile(r" to date$"))
    for index in range(rows.count()):
        expect(rows.nth(index).get_by_role("cell").last).to_have_text(ON_TIME)
    owed = [int(rows.nth(i).get_by_role("cell").first.inner_text()) for i in range(13)]
    assert sum(owed) > 0, "the demo's teams were owed supervision in the last year"

    activate(page, page.get_by_role("link", name="See these enrolments on the cohort dashboard"))
    expect(page.get_by_role("heading", level=1, name="Cohort dashboard")).to_be_visible()
