"""An assessor from outside the authority accepts their invitation in Chromium, by keyboard alone.

The emailed link is opened as a person would from their mail; from there only Tab, typing and
Enter: choose a password, land signed in on home, seeing the one worker they are assigned to.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from people.invitations import invite_assessor
from people.models import User
from programmes.models import Enrolment
from tests.browser.test_journeys import HOME_URL
from tests.browser.test_supervision_journeys import activate, banner, type_into

if TYPE_CHECKING:
    from playwright.sync_api import Page

expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "a-long-and-unusual-passphrase-2026"
WORKER_EMAIL = "worker@demo.example"


def test_an_invited_assessor_chooses_a_password_and_sees_their_worker(
    page: Page, axe_check, mailoutbox
) -> None:
    lead = User.objects.get(email="lead@demo.example")
    person, _sent = invite_assessor(
        invited_by=lead,
        full_name="Dr Ada Okafor",
        email="ada.okafor@anytown.example",
        organisation="Anytown University",
    )
    enrolment = Enrolment.objects.get(worker__email=WORKER_EMAIL)
    Enrolment.objects.filter(pk=enrolment.pk).update(assessor=person)
    link = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", mailoutbox[0].body).group(1)

    page.goto(link)

    expect(
        page.get_by_role("heading", level=1, name="Choose a password for Footing")
    ).to_be_visible()
    axe_check(page)
    type_into(page, page.get_by_label("Password", exact=True), PASSWORD)
    type_into(page, page.get_by_label("Type the password again"), PASSWORD)
    activate(page, page.get_by_role("button", name="Save the password and sign in"))

    expect(page).to_have_url(HOME_URL)
    expect(banner(page, "Your password is set and you are signed in.")).to_be_visible()
    expect(page.get_by_text("Signed in as Dr Ada Okafor")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="My assessees")).to_be_visible()
    expect(page.get_by_role("link", name=enrolment.worker.full_name).first).to_be_visible()
    axe_check(page)

    # The link is spent: opened again, it says what to do instead.
    page.goto(link)
    expect(
        page.get_by_role("heading", level=1, name="This invitation link no longer works")
    ).to_be_visible()
    axe_check(page)
