"""Supervision in Chromium, by keyboard alone, with axe on every page.

A supervisor records a session, agrees an action and signs; the worker reflects, countersigns
and marks the action done. Only Tab, Shift+Tab, Enter, Space and typing move through the pages:
the only `page.goto` is `sign_in`'s, to the sign-in page (where signing out lands anyway).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone

from programmes.models import Enrolment
from supervision.models import SupervisionSession
from tests.browser.test_journeys import HOME_URL, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

expect = pytest.importorskip("playwright.sync_api").expect

WORKER_EMAIL = "worker@demo.example"
WORKER = "Alex Morgan"
# Enough presses to cross the longest page here (the supervisee table, a long record).
MOST_PRESSES = 120


def press_until_focused(page: Page, target: Locator, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus, as someone without a mouse would."""
    expect(target).to_be_visible()
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MOST_PRESSES):
        page.keyboard.press(key)
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{key} pressed {MOST_PRESSES} times never reached {target}", pytrace=False)


def activate(page: Page, target: Locator, *, key: str = "Enter", backwards: bool = False) -> None:
    """Move the focus to a link or button by keyboard, then press Enter (or Space) on it."""
    press_until_focused(page, target, backwards=backwards)
    page.keyboard.press(key)


def type_into(page: Page, field: Locator, text: str) -> None:
    """Tab to a text field, replace what is in it, and type."""
    press_until_focused(page, field)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)
    expect(field).to_have_value(text)


def type_date(page: Page, field: Locator, day: date) -> None:
    """Tab to a date input and type the day, month and year in the order the browser shows them."""
    press_until_focused(page, field)
    order = page.evaluate(
        """() => new Intl.DateTimeFormat(navigator.language)
            .formatToParts(new Date(2026, 10, 23))
            .filter(part => part.type !== "literal")
            .map(part => part.type)"""
    )
    parts = {"day": f"{day:%d}", "month": f"{day:%m}", "year": f"{day:%Y}"}
    for part in order:
        page.keyboard.type(parts[part])  # each part, once complete, moves on to the next
    expect(field).to_have_value(day.isoformat())


def choose(page: Page, select: Locator, label: str, value: str) -> None:
    """Tab to a closed select and type the start of an option, as its type-ahead allows."""
    press_until_focused(page, select)
    page.keyboard.type(label)
    expect(select).to_have_value(value)


def banner(page: Page, text: str) -> Locator:
    """The notification banner carrying this message."""
    return page.get_by_role("alert").filter(has_text=text)


def status_tag(page: Page, text: str) -> Locator:
    return page.locator("main strong.govuk-tag").filter(has_text=re.compile(f"^{text}$"))


def a_day_for_a_new_session() -> date:
    """Yesterday, with any session of Alex's that day removed, so no same-day question appears.

    The demo's history is seeded from the programme start to today: what it holds on a given
    day is not this journey's business.
    """
    day = timezone.localdate() - timedelta(days=1)
    enrolment = Enrolment.objects.get(worker__email=WORKER_EMAIL)
    assert day >= enrolment.started_on, "the demo should have started Alex's programme by now"
    SupervisionSession.objects.filter(enrolment__worker__email=WORKER_EMAIL, held_on=day).delete()
    return day


def record_a_session(page: Page, axe_check, *, held_on: date, minutes: int, kind: str) -> None:
    """On the form to record a session: fill it in, then save it as a draft."""
    expect(
        page.get_by_role("heading", level=1, name="Record a supervision session")
    ).to_be_visible()
    axe_check(page)
    type_date(page, page.get_by_label("Date of the session"), held_on)
    type_into(page, page.get_by_label("Length in minutes"), str(minutes))
    labels = {"one-to-one": "One-to-one", "reflective": "Reflective", "group": "Group"}
    choose(page, page.get_by_label("Kind of session"), labels[kind], kind)
    type_into(page, page.get_by_label("Agenda"), "Wellbeing and workload\nThe Hughes family")
    type_into(
        page,
        page.get_by_label("Discussion notes"),
        "We talked through the Hughes family's child protection plan and the next visit.",
    )
    type_into(page, page.get_by_label("Wellbeing check"), "Alex is well; caseload is manageable.")
    activate(page, page.get_by_role("button", name="Save as draft"))


def test_a_session_is_recorded_signed_and_countersigned_by_keyboard(page: Page, axe_check) -> None:
    held_on = a_day_for_a_new_session()
    shown_day = f"{held_on:%-d %B %Y}"
    action = "Read the local threshold guidance before the next session"
    due_on = timezone.localdate() + timedelta(days=14)

    # The supervisor: from home to Alex's supervision, a draft, an action, then signed.
    sign_in(page, "supervisor", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)
    supervisees = page.get_by_role("table", name="People you supervise")
    activate(page, supervisees.get_by_role("link", name=WORKER))

    expect(page.get_by_role("heading", level=1, name="Supervision")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Record a session"))

    record_a_session(page, axe_check, held_on=held_on, minutes=90, kind="reflective")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Supervision on {shown_day}")
    expect(
        banner(page, "Session saved as a draft. Sign it when the notes are complete.")
    ).to_be_visible()
    expect(status_tag(page, "Draft")).to_be_visible()
    expect(page.get_by_text("Reflective or case discussion")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Add an agreed action"))

    expect(page.get_by_role("heading", level=1, name="Add an agreed action")).to_be_visible()
    axe_check(page)
    type_into(page, page.get_by_label("Action"), action)
    owner = page.get_by_label("Who will do it")
    alex = owner.locator("option", has_text=WORKER).get_attribute("value")
    choose(page, owner, WORKER, alex)
    type_date(page, page.get_by_label("To be done by"), due_on)
    activate(page, page.get_by_role("button", name="Add action"))

    expect(banner(page, "Action added.")).to_be_visible()
    agreed = page.get_by_role("table", name="Agreed actions")
    expect(agreed.get_by_role("row").filter(has_text=action)).to_contain_text(WORKER)
    axe_check(page)
    activate(page, page.get_by_role("button", name="Sign the record"))

    expect(page.get_by_role("heading", level=1, name="Sign the session record")).to_be_visible()
    expect(
        page.get_by_text(f"the record of the session on {shown_day} is accurate")
    ).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Sign the record"), key="Space")

    expect(
        banner(page, f"Record signed. {WORKER} can now add their reflection and countersign it.")
    ).to_be_visible()
    expect(status_tag(page, "Awaiting the worker")).to_be_visible()
    axe_check(page)

    # The banner holds the focus: the way back up to "Sign out" is Shift+Tab.
    activate(page, page.get_by_role("button", name="Sign out"), backwards=True)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    # The worker: their sessions from home, the one awaiting them, a reflection, countersigned.
    sign_in(page, "worker", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)
    activate(page, page.get_by_role("link", name="Your sessions"))

    expect(page.get_by_role("heading", level=1, name="Your supervision")).to_be_visible()
    axe_check(page)
    sessions = page.get_by_role("table", name="Sessions, latest first")
    ours = sessions.get_by_role("row").filter(
        has=page.get_by_role("link", name=shown_day, exact=True)
    )
    expect(ours).to_contain_text("Awaiting the worker")
    activate(page, ours.get_by_role("link", name=shown_day, exact=True))

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Supervision on {shown_day}")
    expect(status_tag(page, "Awaiting the worker")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Add your reflection and countersign"))

    heading = page.get_by_role("heading", level=1, name="Add your reflection and countersign")
    expect(heading).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=action)).to_contain_text(WORKER)
    axe_check(page)
    activate(page, page.get_by_role("button", name="Countersign the record"))  # nothing written

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_be_focused()  # read out first by a screen reader
    expect(page).to_have_title(re.compile(r"^Error: Add your reflection and countersign"))
    missing = summary.get_by_role(
        "link", name="Write your reflection on the session before you sign."
    )
    expect(missing).to_have_attribute("href", "#id_worker_reflection")
    axe_check(page)
    activate(page, missing)
    reflection = page.get_by_label("Your reflection")
    expect(reflection).to_be_focused()  # the summary's link takes you to the field
    page.keyboard.type("Naming my worry about the threshold helped. I will read the guidance.")
    activate(page, page.get_by_role("button", name="Countersign the record"))

    expect(banner(page, "Thank you. The record is signed by you both.")).to_be_visible()
    expect(status_tag(page, "Signed by both")).to_be_visible()
    expect(page.get_by_text("Naming my worry about the threshold helped.")).to_be_visible()
    agreed = page.get_by_role("table", name="Agreed actions")
    expect(agreed.get_by_role("row").filter(has_text=action)).to_contain_text("Mark as done")
    axe_check(page)

    # Back to their supervision page (the back link is above the banner), to mark it done.
    activate(page, page.get_by_role("link", name="All sessions"), backwards=True)
    expect(page.get_by_role("heading", level=1, name="Your supervision")).to_be_visible()
    open_actions = page.get_by_role("table", name="Open actions")
    ours = open_actions.get_by_role("row").filter(has_text=action)
    expect(ours).to_contain_text(WORKER)
    axe_check(page)
    activate(page, ours.get_by_role("link", name="Mark as done"))

    expect(page.get_by_role("heading", level=1, name="Mark this action as done")).to_be_visible()
    expect(page.get_by_text(action)).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Mark as done"))  # the date: today

    expect(banner(page, "Action marked as done.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Your supervision")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=action)).to_have_count(0)  # no longer open
    axe_check(page)


def test_a_short_session_is_kept_with_a_warning_that_it_will_not_count(
    page: Page, axe_check
) -> None:
    held_on = a_day_for_a_new_session()
    minimum = Enrolment.objects.get(
        worker__email=WORKER_EMAIL
    ).cohort.programme.minimum_supervision_minutes
    assert minimum > 45

    sign_in(page, "supervisor", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    menu = page.get_by_role("navigation", name="Menu")
    activate(page, menu.get_by_role("link", name="My supervisees"))

    expect(page.get_by_role("heading", level=1, name="My supervisees")).to_be_visible()
    axe_check(page)
    supervisees = page.get_by_role("table", name="People you supervise")
    activate(page, supervisees.get_by_role("link", name=WORKER))

    expect(page.get_by_role("heading", level=1, name="Supervision")).to_be_visible()
    activate(page, page.get_by_role("button", name="Record a session"))

    record_a_session(page, axe_check, held_on=held_on, minutes=45, kind="one-to-one")

    warning = banner(
        page,
        "Session saved as a draft. It is shorter than the programme's minimum of "
        f"{minimum} minutes, so it will not count towards the supervision owed.",
    )
    expect(warning).to_be_visible()
    expect(warning.get_by_role("heading", name="Important")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Supervision on {held_on:%-d %B %Y}")
    expect(page.get_by_text("45 minutes", exact=True)).to_be_visible()
    expect(page.get_by_text("Shorter than the minimum; does not count")).to_be_visible()
    axe_check(page)
