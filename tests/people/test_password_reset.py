"""Password reset by email: one link to the account's owner, and nothing that tells anyone else
whether an account exists."""

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-long-passphrase-2026"


def ask_for_link(client, email: str):
    return client.post(reverse("people:password-reset"), {"email": email}, follow=True)


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", message.body).group(1)


def test_the_sign_in_page_links_to_password_reset(client):
    page = client.get(reverse("people:login")).content.decode()
    assert "Forgotten your password?" in page
    assert reverse("people:password-reset") in page


def test_an_account_gets_one_email_with_a_link(client, worker, mailoutbox):
    response = ask_for_link(client, worker.email.upper())

    assert response.redirect_chain == [(reverse("people:password-reset-done"), 302)]
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [worker.email]
    assert message.subject == "Choose a new password for Footing"
    assert worker.full_name in message.body
    assert "The link works once, for 24 hours." in message.body
    assert link_in(message).startswith("/accounts/password-reset/")


def test_an_unknown_email_sees_the_same_page_and_nothing_is_sent(client, worker, mailoutbox):
    known = ask_for_link(client, worker.email)
    mailoutbox.clear()

    unknown = ask_for_link(client, "nobody@council.example")

    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.content == known.content
    assert "If Footing has an account for that email address" in unknown.content.decode()
    assert mailoutbox == []


def test_a_closed_account_gets_nothing(client, mailoutbox):
    person = UserFactory(is_active=False)
    ask_for_link(client, person.email)
    assert mailoutbox == []


def test_a_new_person_with_no_password_yet_can_choose_one(client, mailoutbox):
    person = UserFactory()
    person.set_unusable_password()
    person.save()
    ask_for_link(client, person.email)
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address"),
        ("not-an-email", "Enter an email address in the correct format, like name@example.com"),
    ],
)
def test_a_mistake_in_the_email_says_how_to_put_it_right(client, email, message):
    response = client.post(reverse("people:password-reset"), {"email": email})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    assert '<a href="#id_email">' in page


def test_the_link_lets_the_person_choose_a_new_password_once(client, worker, mailoutbox):
    ask_for_link(client, worker.email)
    form_page = client.get(link_in(mailoutbox[0]), follow=True)
    assert "Choose a new password" in form_page.content.decode()

    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert done.redirect_chain[-1][0] == reverse("people:password-reset-complete")
    assert "Your password has been changed" in done.content.decode()
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    again = client.get(link_in(mailoutbox[0]), follow=True)
    assert "This link no longer works" in again.content.decode()


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("short-1", "short-1", "This password is too short"),
        ("password1234", "password1234", "This password is too common"),
        (NEW_PASSWORD, "something-else-entirely", "The passwords do not match"),
    ],
)
def test_a_weak_or_mistyped_new_password_is_refused(
    client, worker, mailoutbox, password, again, message
):
    ask_for_link(client, worker.email)
    form_url = client.get(link_in(mailoutbox[0]), follow=True).redirect_chain[-1][0]

    response = client.post(form_url, {"new_password1": password, "new_password2": again})

    assert response.status_code == 200
    assert message in response.content.decode()
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)


def test_choosing_a_new_password_lifts_a_lockout(client, worker, mailoutbox):
    for _ in range(5):
        client.post(reverse("people:login"), {"email": worker.email, "password": "wrong"})
    ask_for_link(client, worker.email)
    form_url = client.get(link_in(mailoutbox[0]), follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.post(
        reverse("people:login"), {"email": worker.email, "password": NEW_PASSWORD}
    )

    assert response.status_code == 302
