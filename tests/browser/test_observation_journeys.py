"""Direct observation and feedback in Chromium, by keyboard alone, with axe on every page.

The assessor records an observation of Alex with a judgement per statement, and Alex reflects
on it; Alex asks a parent for feedback; the parent, without an account, opens the link and
answers. The practice educator (Alex's supervisor) records one that the assessor signs off.
Each person starts from home, where signing in lands, and moves only by Tab, Shift+Tab, Enter,
Space and typing. Apart from `sign_in`'s, the only `page.goto`s are the ones a person without
an account makes by typing an address: the feedback link from the email, and the code page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Evidence, FeedbackRequest
from assessments.selectors.observations import observable_statements
from programmes.models import Enrolment
from tests.browser.test_journeys import HOME_URL, sign_in
from tests.browser.test_supervision_journeys import (
    WORKER_EMAIL,
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
YOUR_EVIDENCE = "Your evidence: write a reflection, see what is signed off"
ENROLMENT_EVIDENCE = "Evidence: reflections, observations and feedback"
# Settings the demo's own observations do not use, so each journey finds its own record.
HOME_VISIT = "Home visit with the Hughes family"
CORE_GROUP = "Core group meeting"


def _sign_out(page: Page) -> None:
    activate(page, page.get_by_role("button", name="Sign out"), backwards=True)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_an_observation_is_recorded_and_signed_off_and_a_parent_gives_feedback(
    page: Page, axe_check
) -> None:
    enrolment = Enrolment.objects.get(worker__email=WORKER_EMAIL, status="active")
    first, second = observable_statements(enrolment)[:2]
    observed_on = timezone.localdate() - timedelta(days=1)

    # The assessor, from Alex's programme on their home page, records a home visit.
    sign_in(page, "assessor", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)
    assessees = page.get_by_role("table", name="People you assess")
    activate(page, assessees.get_by_role("link", name=WORKER))
    expect(page.get_by_role("heading", level=1, name=WORKER)).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("link", name=ENROLMENT_EVIDENCE))
    expect(page.get_by_role("heading", level=1, name="Evidence", exact=True)).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Record a direct observation"))
    expect(page.get_by_role("heading", level=1, name="Record a direct observation")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Save and send for sign-off"))  # empty

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter the setting")
    axe_check(page)
    type_date(page, page.get_by_label("Date of the observation"), observed_on)
    type_into(page, page.get_by_label("Setting"), HOME_VISIT)
    type_into(
        page,
        page.get_by_label("What was observed"),
        "Alex explained the safety plan to both parents in plain words and checked they agreed.",
    )
    type_into(page, page.get_by_label("Feedback to the worker"), "Calm, clear and respectful.")
    choose(page, page.get_by_label(f"{first.code} {first.text}"), "Meets", "meets")
    choose(page, page.get_by_label(f"{second.code} {second.text}"), "Not y", "not-yet")
    activate(page, page.get_by_role("button", name="Save and send for sign-off"))

    expect(banner(page, "Observation recorded.")).to_be_visible()
    axe_check(page)
    # The demo has observed Alex already: this journey's is the one in its setting.
    evidence = Evidence.objects.get(
        kind=Evidence.Kind.OBSERVATION, enrolment=enrolment, observation__setting=HOME_VISIT
    )
    assert evidence.status == Evidence.Status.SUBMITTED
    assert {j.judgement for j in evidence.observation.judgements.all()} == {"meets", "not-yet"}

    _sign_out(page)

    # Alex finds it among their evidence, reads it, and adds a reflection.
    sign_in(page, "worker", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)
    activate(page, page.get_by_role("link", name=YOUR_EVIDENCE))
    expect(page.get_by_role("heading", level=1, name="Your evidence")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("link", name=evidence.title, exact=True))
    expect(page.get_by_role("heading", level=1, name=evidence.title, exact=True)).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Add your reflection"))
    heading = page.get_by_role("heading", level=1, name="Your reflection on the observation")
    expect(heading).to_be_visible()
    expect(page.get_by_text("Calm, clear and respectful.")).to_be_visible()
    axe_check(page)
    type_into(page, page.get_by_label("Your reflection"), "Checking they agreed slowed me down.")
    activate(page, page.get_by_role("button", name="Save your reflection"))
    expect(banner(page, "Reflection saved.")).to_be_visible()
    saved = page.locator("dd").filter(has_text="Checking they agreed slowed me down.")
    expect(saved).to_be_visible()
    axe_check(page)

    # Alex asks a parent for feedback, with no email: a code to give them on paper. The back
    # link, to the programme, is above the banner that holds the focus.
    activate(page, page.get_by_role("link", name="Back", exact=True), backwards=True)
    expect(page.get_by_role("heading", level=1, name=WORKER)).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("link", name="Feedback requests to families and colleagues"))
    expect(page.get_by_role("heading", level=1, name="Feedback requests")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Ask for feedback"))

    expect(page.get_by_role("heading", level=1, name="Ask for feedback")).to_be_visible()
    axe_check(page)
    choose(page, page.get_by_label("Who are you asking?"), "A child", "person")
    type_into(page, page.get_by_label("Their name or role"), "Mum")
    type_into(page, page.get_by_label("What is the feedback about?"), "My visit on Tuesday")
    activate(page, page.get_by_role("button", name="Create the request"))

    expect(page.get_by_role("heading", level=1, name="Feedback request created")).to_be_visible()
    axe_check(page)
    shown = page.locator("main a[href*='/feedback/']").first.get_attribute("href")
    link = urlsplit(shown).path  # the address is SITE_URL's; the journey's server is elsewhere
    feedback_request = FeedbackRequest.objects.get(enrolment=enrolment, recipient_name="Mum")
    activate(page, page.get_by_role("button", name="See the page to print"))
    expect(page.get_by_text(f"{feedback_request.short_code[:4]}-")).to_be_visible()
    axe_check(page)
    _sign_out(page)

    # The parent, with no account, opens the link from the email and answers.
    page.goto(link)
    expect(page.get_by_role("heading", level=1, name="Tell us what you think")).to_be_visible()
    expect(page.get_by_text("Your social worker Alex")).to_be_visible()
    expect(page.get_by_text("Morgan")).to_have_count(0)  # no surname on a public page
    axe_check(page)
    type_into(page, page.get_by_label("What went well?"), "Alex listened to us.")
    type_into(page, page.get_by_label("What could be better?"), "Ring before coming.")
    activate(page, page.get_by_role("button", name="Send your feedback"))

    expect(page.get_by_role("heading", level=1, name="Thank you")).to_be_visible()
    axe_check(page)
    feedback = Evidence.objects.get(kind=Evidence.Kind.FEEDBACK_PERSON, enrolment=enrolment)
    assert feedback.source_relationship == "Mum"
    assert feedback.author is None

    page.goto(link)  # the same link again: used
    expect(
        page.get_by_role("heading", level=1, name="This link has already been used")
    ).to_be_visible()
    axe_check(page)


def test_the_practice_educator_observes_and_the_assessor_signs_it_off(
    page: Page, axe_check
) -> None:
    enrolment = Enrolment.objects.get(worker__email=WORKER_EMAIL, status="active")
    first = observable_statements(enrolment)[0]

    # The practice educator: from Alex's supervision to the programme, then the evidence.
    sign_in(page, "supervisor", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)
    supervisees = page.get_by_role("table", name="People you supervise")
    activate(page, supervisees.get_by_role("link", name=WORKER))
    expect(page.get_by_role("heading", level=1, name="Supervision")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("link", name="Programme", exact=True))
    expect(page.get_by_role("heading", level=1, name=WORKER)).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("link", name=ENROLMENT_EVIDENCE))
    expect(page.get_by_role("heading", level=1, name="Evidence", exact=True)).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Record a direct observation"))
    expect(page.get_by_role("heading", level=1, name="Record a direct observation")).to_be_visible()
    type_into(page, page.get_by_label("Setting"), CORE_GROUP)
    type_into(page, page.get_by_label("What was observed"), "Alex chaired the meeting well.")
    choose(page, page.get_by_label(f"{first.code} {first.text}"), "Meets", "meets")
    activate(page, page.get_by_role("button", name="Save and send for sign-off"))
    expect(banner(page, "Observation recorded.")).to_be_visible()
    evidence = Evidence.objects.get(
        kind=Evidence.Kind.OBSERVATION, enrolment=enrolment, observation__setting=CORE_GROUP
    )
    _sign_out(page)

    # The assessor: from home to the queue, then the decision on it.
    sign_in(page, "assessor", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)
    activate(page, page.get_by_role("link", name="Evidence awaiting your sign-off"))
    expect(page.get_by_role("heading", level=1, name="Evidence awaiting sign-off")).to_be_visible()
    axe_check(page)
    queue = page.get_by_role("table", name="Evidence awaiting sign-off, oldest first")
    activate(page, queue.get_by_role("link", name=f"Decide {evidence.title}", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Direct observation")
    axe_check(page)
    activate(page, page.get_by_label("Sign it off"), key="Space")
    activate(page, page.get_by_role("button", name="Save decision"))
    expect(banner(page, "Signed off.")).to_be_visible()
    axe_check(page)
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SIGNED_OFF
    assert list(evidence.statements.all()) == [first]


def test_the_short_code_page_works_by_keyboard(page: Page, axe_check) -> None:
    sign_in(page, "worker", keyboard=True)
    expect(page).to_have_url(HOME_URL)
    axe_check(page)
    activate(page, page.get_by_role("link", name="Ask a family or a colleague for feedback"))
    expect(page.get_by_role("heading", level=1, name="Feedback requests")).to_be_visible()
    axe_check(page)
    activate(page, page.get_by_role("button", name="Ask for feedback"))
    expect(page.get_by_role("heading", level=1, name="Ask for feedback")).to_be_visible()
    axe_check(page)
    choose(page, page.get_by_label("Who are you asking?"), "A col", "professional")
    type_into(page, page.get_by_label("Their name or role"), "Health visitor")
    type_into(page, page.get_by_label("What is the feedback about?"), "The joint visit")
    activate(page, page.get_by_role("button", name="Create the request"))
    expect(page.get_by_role("heading", level=1, name="Feedback request created")).to_be_visible()
    # The demo's Jordan Bell has asked a health visitor too: this one is Alex's.
    code = FeedbackRequest.objects.get(
        enrolment__worker__email=WORKER_EMAIL, recipient_name="Health visitor"
    ).short_code
    _sign_out(page)

    # The colleague, with no account, types the address printed with the code.
    page.goto(reverse("feedback:start"))
    expect(page.get_by_role("heading", level=1, name="Give feedback to a social worker"))
    axe_check(page)
    type_into(page, page.get_by_label("Your code"), "ZZZZ-ZZZZ")
    activate(page, page.get_by_role("button", name="Continue"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("We cannot find that code")
    axe_check(page)
    type_into(page, page.get_by_label("Your code"), f"{code[:4].lower()}-{code[4:].lower()}")
    activate(page, page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("heading", level=1, name="Tell us what you think")).to_be_visible()
    axe_check(page)
    type_into(page, page.get_by_label("What went well?"), "Clear notes shared the same day.")
    activate(page, page.get_by_role("button", name="Send your feedback"))
    expect(page.get_by_role("heading", level=1, name="Thank you")).to_be_visible()
    professional = Evidence.objects.filter(kind=Evidence.Kind.FEEDBACK_PROFESSIONAL)
    assert professional.filter(enrolment__worker__email=WORKER_EMAIL).count() == 1
