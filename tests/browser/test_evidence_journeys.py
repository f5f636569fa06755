"""Evidence in Chromium, by keyboard alone, with axe on every page.

The worker writes a reflection, ticks statements, saves (then autosave carries on), and submits
it; the assessor signs it off from the queue; the worker finds it locked. Each person starts
from home, where signing in lands, and only Tab, Shift+Tab, Enter, Space and typing move
through the pages: the only `page.goto` is `sign_in`'s, to the sign-in page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone

from tests.browser.test_journeys import HOME_URL, sign_in
from tests.browser.test_supervision_journeys import (
    activate,
    banner,
    press_until_focused,
    status_tag,
    type_date,
    type_into,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = pytest.importorskip("playwright.sync_api").expect

TITLE = "Explaining the plan to the Hughes family"
YOUR_EVIDENCE = "Your evidence: write a reflection, see what is signed off"


def sign_out(page: Page) -> None:
    # A banner may hold the focus: the way back up to "Sign out" is Shift+Tab.
    activate(page, page.get_by_role("button", name="Sign out"), backwards=True)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_a_reflection_is_written_submitted_and_signed_off_by_keyboard(
    page: Page, axe_check
) -> None:
    written_on = timezone.localdate() - timedelta(days=1)

    # The worker: from home to their evidence, a new reflection, statements ticked, a draft.
    sign_in(page, "worker", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)
    activate(page, page.get_by_role("link", name=YOUR_EVIDENCE))
    expect(page.get_by_role("heading", level=1, name="Your evidence")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Add evidence"))

    expect(
        page.get_by_role("heading", level=1, name="What kind of evidence are you adding?")
    ).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_label("Reflection", exact=True), key="Space")
    expect(page.get_by_label("Reflection", exact=True)).to_be_checked()
    activate(page, page.get_by_role("button", name="Continue"))

    expect(page.get_by_role("heading", level=1, name="Add reflection")).to_be_visible()
    axe_check(page)
    type_into(page, page.get_by_label("Title"), TITLE)
    type_date(page, page.get_by_label("Date of the practice"), written_on)
    type_into(page, page.get_by_label("What happened"), "I visited with my supervisor.")
    type_into(page, page.get_by_label("What I learned"), "Plain words let the family join in.")
    first_statement = page.locator("#id_statements")
    activate(page, first_statement, key="Space")
    expect(first_statement).to_be_checked()
    activate(page, page.get_by_role("button", name="Save draft"))

    # The draft saves as the worker types; then they save and submit it.
    expect(banner(page, "Draft saved. Only you can see it.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Change “{TITLE}”")
    axe_check(page)
    type_into(page, page.get_by_label("What I will do next"), "Write the plan with them.")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved at")
    axe_check(page)
    activate(page, page.get_by_role("button", name="Save and submit"))

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Submit “{TITLE}”")
    axe_check(page)
    activate(page, page.get_by_role("button", name="Submit for sign-off"))

    expect(banner(page, "Submitted. Your assessor will sign it off")).to_be_visible()
    expect(status_tag(page, "Awaiting sign-off")).to_be_visible()
    expect(page.get_by_role("button", name="Change")).to_have_count(0)
    axe_check(page)
    sign_out(page)

    # The assessor: from home to the queue, the item, signed off against the ticked statement.
    sign_in(page, "assessor", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)
    activate(page, page.get_by_role("link", name="Evidence awaiting your sign-off"))
    expect(page.get_by_role("heading", level=1, name="Evidence awaiting sign-off")).to_be_visible()
    axe_check(page)
    queue = page.get_by_role("table", name="Evidence awaiting sign-off, oldest first")
    ours = queue.get_by_role("row").filter(has_text=TITLE)
    expect(ours).to_contain_text("Submitted today")
    activate(page, ours.get_by_role("link", name=f"Decide {TITLE}"))

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Decide on “{TITLE}”")
    expect(page.locator("#id_statements")).to_be_checked()
    axe_check(page)
    activate(page, page.get_by_label("Sign it off"), key="Space")
    activate(page, page.get_by_role("button", name="Save decision"))

    expect(banner(page, "Signed off. The worker has been told.")).to_be_visible()
    axe_check(page)
    sign_out(page)

    # The worker again: from home to their evidence, signed off, and locked.
    sign_in(page, "worker", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    activate(page, page.get_by_role("link", name=YOUR_EVIDENCE))
    expect(page.get_by_role("heading", level=1, name="Your evidence")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("link", name=TITLE))
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(status_tag(page, "Signed off")).to_be_visible()
    expect(page.get_by_text("this evidence is locked")).to_be_visible()
    expect(page.get_by_role("button", name="Change")).to_have_count(0)
    axe_check(page)


def test_an_idle_warning_comes_before_the_session_ends(page: Page, axe_check, settings) -> None:
    # Two minutes of warning and three seconds before it: the banner appears almost at once.
    settings.SESSION_COOKIE_AGE = 123
    sign_in(page, "worker", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)
    activate(page, page.get_by_role("link", name=YOUR_EVIDENCE))
    expect(page.get_by_role("heading", level=1, name="Your evidence")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Add evidence"))
    expect(
        page.get_by_role("heading", level=1, name="What kind of evidence are you adding?")
    ).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_label("Reflection", exact=True), key="Space")
    activate(page, page.get_by_role("button", name="Continue"))
    # Only the evidence form carries the warning, so it counts from the form's arrival.
    expect(page.get_by_role("heading", level=1, name="Add reflection")).to_be_visible()
    warning = page.get_by_role("region", name="Important")
    expect(warning).to_be_visible()
    expect(warning).to_be_focused()
    expect(warning).to_contain_text("You will be signed out in 2 minutes")
    axe_check(page)
    press_until_focused(page, page.get_by_role("button", name="Stay signed in"))
    page.keyboard.press("Enter")
    expect(warning).to_be_hidden()
