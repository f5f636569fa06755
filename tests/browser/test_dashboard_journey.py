"""The cohort dashboard in Chromium, by keyboard alone, with axe on every page.

The demo's manager goes from home to the dashboard, keeps only the people who need attention,
reads why in words, and downloads those rows as a CSV file.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.test_journeys import HOME_URL, sign_in
from tests.browser.test_supervision_journeys import activate, press_until_focused

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = pytest.importorskip("playwright.sync_api").expect

# The reasons as the dashboard words them (programmes.dashboard.EnrolmentAttention.reasons).
REASONS = re.compile(
    "Supervision overdue|Caseload over the protected cap|Protected time short"
    "|Learning agreement overdue|Review overdue|Open concern|Evidence awaiting sign-off"
)


def test_a_manager_filters_to_needs_attention_and_exports_the_csv(page: Page, axe_check) -> None:
    sign_in(page, "manager", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)
    activate(page, page.get_by_role("link", name=re.compile("^Cohort dashboard")))

    expect(page.get_by_role("heading", level=1, name="Cohort dashboard")).to_be_visible()
    axe_check(page)
    attention = page.get_by_label("Only those who need attention")
    press_until_focused(page, attention)
    page.keyboard.press("Space")
    expect(attention).to_be_checked()
    activate(page, page.get_by_role("button", name="Apply filters"))

    expect(page).to_have_url(re.compile(r"[?&]attention=on"))
    table = page.get_by_role("table")
    rows = table.locator("tbody tr")
    expect(rows.first).to_contain_text("Needs attention")
    expect(rows.first.get_by_role("listitem").first).to_have_text(REASONS)
    expect(rows.filter(has_text="All well")).to_have_count(0)
    shown = rows.count()
    axe_check(page)

    with page.expect_download() as download:
        activate(page, page.get_by_role("link", name=re.compile("^Export CSV")))
    assert re.fullmatch(r"cohort-dashboard-\d{4}-\d\d-\d\d\.csv", download.value.suggested_filename)
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    exported = list(csv.DictReader(io.StringIO(text)))
    # The demo manager's list fits on one page, so the file has exactly the rows shown.
    expect(page.get_by_role("navigation", name="Pages of the dashboard")).to_have_count(0)
    assert len(exported) == shown
    assert all(REASONS.search(row["Needs attention"]) for row in exported)
