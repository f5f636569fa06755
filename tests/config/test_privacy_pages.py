"""The privacy notice and the accessibility statement; only essential cookies, ever."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_privacy_notice_is_public_and_names_the_controller_and_contact(client, settings):
    settings.COUNCIL_NAME = "Northshire County Council"
    settings.DATA_PROTECTION_CONTACT = "the Data Protection Officer, dpo@northshire.example"
    settings.RETENTION_YEARS = 7
    response = client.get(reverse("privacy-notice"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Northshire County Council is the data controller" in page
    assert "contact the Data Protection Officer, dpo@northshire.example" in page
    assert "for 7 years after your last programme ends" in page
    assert "public task" in page and "Article 6(1)(e)" in page
    assert "subject access request" in page
    assert "Information Commissioner" in page and "0303 123 1113" in page


def test_the_privacy_notice_lists_exactly_the_cookies_the_app_sets(client):
    page = client.get(reverse("privacy-notice")).content.decode()
    assert "sets only two cookies" in page
    assert f"<code>{settings.SESSION_COOKIE_NAME}</code>" in page
    assert f"<code>{settings.CSRF_COOKIE_NAME}</code>" in page


def test_the_accessibility_statement_follows_the_regulations_template(client, settings):
    settings.COUNCIL_NAME = "Northshire County Council"
    response = client.get(reverse("accessibility-statement"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This website is run by Northshire County Council" in page
    assert "Accessibility Regulations 2018" in page
    assert "Web Content Accessibility Guidelines version 2.2" in page
    assert "None known." in page
    assert "axe-core" in page and "keyboard" in page
    assert "Equality Advisory and Support Service" in page


@pytest.mark.parametrize("persona", ["anonymous", "worker"])
def test_every_page_links_to_both_from_its_footer(client, request, persona):
    person = request.getfixturevalue(persona)
    if person is not None:
        client.force_login(person)
    url = reverse("people:login") if person is None else reverse("programmes:home")
    page = client.get(url, follow=True).content.decode()
    footer = page[page.index('<footer class="govuk-footer">') :]
    assert f'href="{reverse("privacy-notice")}"' in footer
    assert f'href="{reverse("accessibility-statement")}"' in footer


def test_only_the_session_and_csrf_cookies_are_ever_set(client, lead, enrolment):
    """Signing in, browsing, a form with a success message, signing out: two cookies only."""
    lead.email = "lead.person@council.example"
    lead.save()
    seen: set[str] = set()

    def visit(response) -> None:
        # The client keeps every cookie any response set, redirects followed included.
        seen.update(response.cookies.keys(), client.cookies.keys())

    visit(client.get(reverse("people:login")))
    visit(
        client.post(
            reverse("people:login"),
            {"email": lead.email, "password": PASSWORD},
            follow=True,
        )
    )
    assert "_auth_user_id" in client.session, "the sign-in did not happen"
    for url in (
        reverse("programmes:home"),
        reverse("programmes:cohort-list"),
        reverse("programmes:cohort-detail", args=[enrolment.cohort_id]),
        reverse("people:person-list"),
        reverse("privacy-notice"),
    ):
        visit(client.get(url))
    # A success message: in the session, not a cookie of its own.
    visit(
        client.post(
            reverse("programmes:cohort-create"),
            {"programme": enrolment.cohort.programme_id, "name": "New", "intake_on": "2027-03-01"},
            follow=True,
        )
    )
    visit(client.post(reverse("people:logout"), follow=True))
    assert seen == {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
