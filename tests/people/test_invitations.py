"""Assessors from outside the authority: a lead invites them by email, the link lets them choose
a password once, and they see only the workers they are assigned to."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.html import escape
from django.utils.http import urlsafe_base64_encode

from people.invitation_selectors import InvitationStatus, invitations_for_list
from people.invitations import InvitationTokenGenerator, invite_assessor
from people.models import AssessorInvitation, Role, RoleMembership, User
from people.privacy import build_subject_access_export
from tests.factories import EnrolmentFactory, SupervisionSessionFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase-2026"
INVITE = {
    "full_name": "Dr Ada Okafor",
    "email": "Ada.Okafor@Anytown.ac.uk",
    "organisation": "Anytown University",
}


class RefusingEmailBackend(BaseEmailBackend):
    """A provider that is down: every send fails."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("The email provider is not answering.")


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body).group(1)


def invite(client, lead, **changes):
    client.force_login(lead)
    return client.post(reverse("people:assessor-invite"), {**INVITE, **changes}, follow=True)


def invited_person() -> User:
    return User.objects.get(email="ada.okafor@anytown.ac.uk")


def accept(client, link: str, password: str = PASSWORD, again: str | None = None):
    """Open the link signed out, then choose the password on the page it leads to."""
    client.logout()
    form_page = client.get(link, follow=True)
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    body = {"new_password1": password, "new_password2": password if again is None else again}
    return client.post(form_url, body, follow=True)


def later(monkeypatch, days: int) -> None:
    """The token's clock, `days` on; nothing else in Footing reads it."""
    moved = datetime.now() + timedelta(days=days)
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: moved)


# --- Who may invite.


@pytest.mark.parametrize("route", ["people:assessor-list", "people:assessor-invite"])
@pytest.mark.parametrize(
    ("persona", "status_code"),
    [
        ("anonymous", 302),
        ("worker", 403),
        ("supervisor", 403),
        ("assessor", 403),
        ("manager", 403),
        ("outsider", 403),
        ("lead", 200),
    ],
)
def test_only_a_lead_may_open_the_invitation_pages(client, request, route, persona, status_code):
    person = request.getfixturevalue(persona)
    if person is not None:
        client.force_login(person)
    assert client.get(reverse(route)).status_code == status_code


@pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor", "manager", "outsider"])
def test_anyone_but_a_lead_is_refused_and_nobody_is_invited(client, request, persona, mailoutbox):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("people:assessor-invite"), INVITE)
    assert response.status_code == 403
    assert not User.objects.filter(email__iexact=INVITE["email"]).exists()
    assert mailoutbox == []


def test_the_service_refuses_anyone_but_a_lead(supervisor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        invite_assessor(invited_by=supervisor, **INVITE)
    assert not AssessorInvitation.objects.exists()


# --- Inviting.


def test_inviting_makes_an_assessor_with_no_password_and_no_team(client, lead, mailoutbox):
    response = invite(client, lead)

    assert response.redirect_chain == [(reverse("people:assessor-list"), 302)]
    page = response.content.decode()
    assert "Invitation sent to ada.okafor@anytown.ac.uk. The link works once, for 7 days." in page
    person = invited_person()
    assert person.full_name == "Dr Ada Okafor"
    assert person.team is None
    assert not person.has_usable_password()
    assert person.roles == {Role.ASSESSOR}
    invitation = person.assessor_invitation
    assert (invitation.organisation, invitation.invited_by) == ("Anytown University", lead)
    assert invitation.accepted_at is None
    assert "Dr Ada Okafor" in page and "Anytown University" in page and "Invited" in page


def test_the_email_goes_to_the_person_with_a_link_and_how_long_it_works(client, lead, mailoutbox):
    invite(client, lead)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ada.okafor@anytown.ac.uk"]
    assert message.subject == "You are invited to assess in Footing"
    assert "Dear Dr Ada Okafor," in message.body
    assert "Lead Person, a programme lead, has invited you" in message.body
    assert "The link works once, for 7 days." in message.body
    assert link_in(message).startswith("/accounts/invitation/")


def test_the_invitation_days_come_from_the_setting(client, lead, mailoutbox, settings):
    settings.INVITATION_DAYS = 14
    invite(client, lead)
    assert "The link works once, for 14 days." in mailoutbox[0].body


def test_the_invitation_and_role_are_recorded_with_who_did_it(client, lead, mailoutbox):
    invite(client, lead)
    person = invited_person()

    created = AssessorInvitation.history.get(person_id=person.pk)
    assert (created.history_type, created.history_user) == ("+", lead)
    assert created.history_change_reason == "Invited as an external assessor"
    granted = RoleMembership.history.get(user_id=person.pk)
    assert (granted.role, granted.history_user) == (Role.ASSESSOR, lead)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("full_name", "", "Enter the assessor’s full name"),
        ("email", "", "Enter the assessor’s email address"),
        ("email", "not-an-email", "Enter an email address in the correct format"),
        ("organisation", "", "Enter the assessor’s organisation, or “Independent”"),
    ],
)
def test_a_mistake_in_the_form_says_how_to_put_it_right(
    client, lead, mailoutbox, field, value, message
):
    response = invite(client, lead, **{field: value})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    assert f'<a href="#id_{field}">' in page
    assert not AssessorInvitation.objects.exists()
    assert mailoutbox == []


def test_when_the_email_cannot_be_sent_nothing_is_saved(client, lead, settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingEmailBackend"

    response = invite(client, lead)

    page = response.content.decode()
    assert "The invitation email could not be sent. Nothing was saved" in page
    assert not User.objects.filter(email__iexact=INVITE["email"]).exists()
    assert not AssessorInvitation.objects.exists()
    assert not RoleMembership.objects.filter(user__email__iexact=INVITE["email"]).exists()


def test_someone_known_without_the_role_is_made_an_assessor_and_sent_nothing(
    client, lead, supervisor, mailoutbox
):
    response = invite(client, lead, email=supervisor.email.upper())

    page = response.content.decode()
    assert escape(f"{supervisor.full_name} already has a Footing account") in page
    supervisor.refresh_from_db()
    assert Role.ASSESSOR in supervisor.roles
    assert supervisor.check_password("correct-horse-battery-staple")  # unchanged
    assert not AssessorInvitation.objects.exists()
    assert mailoutbox == []


def test_an_existing_assessor_is_refused_with_what_to_do(client, lead, assessor, mailoutbox):
    response = invite(client, lead, email=assessor.email)

    page = response.content.decode()
    assert "is an assessor in Footing already" in page
    assert '<a href="#id_email">' in page
    assert not AssessorInvitation.objects.exists()
    assert mailoutbox == []


def test_a_closed_account_is_refused(client, lead, mailoutbox):
    closed = UserFactory(is_active=False)

    response = invite(client, lead, email=closed.email)

    assert "The account for this email address is closed" in response.content.decode()
    assert not closed.role_memberships.exists()
    assert mailoutbox == []


# --- The link.


def test_the_link_sets_the_password_and_signs_the_person_in(client, lead, mailoutbox):
    invite(client, lead)
    link = link_in(mailoutbox[0])

    client.logout()
    form_page = client.get(link, follow=True)
    # The token leaves the address at once, so it cannot leak in a Referer header.
    assert form_page.redirect_chain[-1][0].endswith("/set-password/")
    assert "Choose a password for Footing" in form_page.content.decode()
    assert "Anytown University" in form_page.content.decode()
    done = accept(client, link)

    assert done.redirect_chain[-1][0] == reverse("programmes:home")
    assert done.wsgi_request.user == invited_person()
    assert "Your password is set and you are signed in." in done.content.decode()
    person = invited_person()
    assert person.check_password(PASSWORD)
    assert person.assessor_invitation.accepted_at is not None


def test_the_person_can_sign_in_with_their_password_afterwards(client, lead, mailoutbox):
    invite(client, lead)
    accept(client, link_in(mailoutbox[0]))
    client.logout()

    response = client.post(
        reverse("people:login"), {"email": INVITE["email"], "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:home")


def test_the_link_works_once(client, lead, mailoutbox):
    invite(client, lead)
    link = link_in(mailoutbox[0])
    accept(client, link)

    client.logout()
    again = client.get(link, follow=True)

    page = again.content.decode()
    assert again.status_code == 200
    assert "This invitation link no longer works" in page
    assert "Ask the programme lead who invited you to send you a new invitation." in page


def test_the_acceptance_is_recorded_in_the_persons_name(client, lead, mailoutbox):
    invite(client, lead)
    accept(client, link_in(mailoutbox[0]))
    person = invited_person()

    accepted = AssessorInvitation.history.filter(person_id=person.pk).latest()
    assert (accepted.history_user, accepted.history_change_reason) == (
        person,
        "Invitation accepted",
    )
    assert accepted.accepted_at is not None


@pytest.mark.parametrize(("days", "works"), [(6, True), (8, False)])
def test_the_link_expires_after_the_invitation_days(
    client, lead, mailoutbox, monkeypatch, days, works
):
    invite(client, lead)
    link = link_in(mailoutbox[0])
    later(monkeypatch, days)

    client.logout()
    page = client.get(link, follow=True).content.decode()

    assert ("Choose a password for Footing" in page) is works
    assert ("This invitation link no longer works" in page) is not works


def test_a_password_reset_token_does_not_accept_an_invitation(client, lead, mailoutbox):
    invite(client, lead)
    person = invited_person()
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    reset_token = default_token_generator.make_token(person)

    client.logout()
    url = reverse("people:invitation-accept", args=[uid, reset_token])
    page = client.get(url, follow=True).content.decode()

    assert "This invitation link no longer works" in page


def test_a_link_for_someone_never_invited_does_not_work(client, worker):
    uid = urlsafe_base64_encode(force_bytes(worker.pk))
    token = InvitationTokenGenerator().make_token(worker)
    page = client.get(reverse("people:invitation-accept", args=[uid, token]), follow=True)
    assert "This invitation link no longer works" in page.content.decode()


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("short-1", "short-1", "This password is too short"),
        ("password1234", "password1234", "This password is too common"),
        ("ada.okafor", "ada.okafor", "too similar"),
        (PASSWORD, "something-else-entirely", "The passwords do not match"),
        ("", "", "Enter a password"),
    ],
)
def test_the_password_rules_apply(client, lead, mailoutbox, password, again, message):
    invite(client, lead)

    response = accept(client, link_in(mailoutbox[0]), password=password, again=again)

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    person = invited_person()
    assert not person.has_usable_password()
    assert person.assessor_invitation.accepted_at is None
    assert not response.wsgi_request.user.is_authenticated


# --- Sending again.


def test_sending_a_new_link_spends_the_earlier_one(client, lead, mailoutbox):
    invite(client, lead)
    first = link_in(mailoutbox[0])
    invitation = invited_person().assessor_invitation

    client.force_login(lead)
    response = client.post(reverse("people:invitation-resend", args=[invitation.pk]), follow=True)

    assert "A new invitation link was sent to ada.okafor@anytown.ac.uk." in (
        response.content.decode()
    )
    assert len(mailoutbox) == 2
    second = link_in(mailoutbox[1])
    client.logout()
    assert "no longer works" in client.get(first, follow=True).content.decode()
    assert accept(client, second).redirect_chain[-1][0] == reverse("programmes:home")
    reasons = list(
        AssessorInvitation.history.filter(person_id=invitation.person_id)
        .order_by("history_date", "history_id")
        .values_list("history_change_reason", "history_user")
    )
    assert reasons == [
        ("Invited as an external assessor", lead.pk),
        ("Invitation sent again", lead.pk),
        ("Invitation accepted", invitation.person_id),
    ]


def test_inviting_the_same_email_again_sends_a_fresh_link(client, lead, mailoutbox):
    invite(client, lead)

    response = invite(client, lead, email=INVITE["email"].upper(), organisation="Independent")

    assert "Invitation sent to ada.okafor@anytown.ac.uk." in response.content.decode()
    assert len(mailoutbox) == 2
    assert User.objects.filter(email__iexact=INVITE["email"]).count() == 1
    assert invited_person().assessor_invitation.organisation == "Independent"


def test_once_accepted_no_new_link_is_sent(client, lead, mailoutbox):
    invite(client, lead)
    accept(client, link_in(mailoutbox[0]))
    invitation = invited_person().assessor_invitation

    client.force_login(lead)
    response = client.post(reverse("people:invitation-resend", args=[invitation.pk]), follow=True)

    assert "has accepted their invitation and signs in with their password" in (
        response.content.decode()
    )
    assert len(mailoutbox) == 1
    assert invited_person().check_password(PASSWORD)


@pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor", "manager", "outsider"])
def test_only_a_lead_may_send_a_new_link(client, request, lead, persona, mailoutbox):
    invite(client, lead)
    invitation = invited_person().assessor_invitation
    mailoutbox.clear()

    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("people:invitation-resend", args=[invitation.pk]))

    assert response.status_code == 403
    assert mailoutbox == []


def test_sending_a_new_link_is_post_only_and_an_unknown_one_is_not_found(client, lead):
    client.force_login(lead)
    assert client.get(reverse("people:invitation-resend", args=[1])).status_code == 405
    assert client.post(reverse("people:invitation-resend", args=[999])).status_code == 404


# --- The lead's list.


def test_the_list_says_where_each_invitation_stands(client, lead, mailoutbox):
    now = timezone.now()
    for name in ("Invited Person", "Expired Person", "Active Person", "Closed Person"):
        invite_assessor(
            invited_by=lead,
            full_name=name,
            email=f"{name.split()[0]}@uni.example",
            organisation="X",
        )
    AssessorInvitation.objects.filter(person__full_name="Expired Person").update(
        sent_at=now - timedelta(days=8)
    )
    active = User.objects.get(full_name="Active Person")
    active.set_password(PASSWORD)
    active.save()
    User.objects.filter(full_name="Closed Person").update(is_active=False)

    rows = {row.invitation.person.full_name: row for row in invitations_for_list(lead, now=now)}

    assert {name: row.status for name, row in rows.items()} == {
        "Active Person": InvitationStatus.ACTIVE,
        "Closed Person": InvitationStatus.CLOSED,
        "Expired Person": InvitationStatus.EXPIRED,
        "Invited Person": InvitationStatus.INVITED,
    }
    assert {name for name, row in rows.items() if row.can_resend} == {
        "Expired Person",
        "Invited Person",
    }
    client.force_login(lead)
    page = client.get(reverse("people:assessor-list")).content.decode()
    for label in ("Active", "Account closed", "Link expired", "Invited"):
        assert label in page
    assert page.count("Send a new link") == 2


def test_the_empty_list_says_what_to_do_next(client, lead):
    client.force_login(lead)
    page = client.get(reverse("people:assessor-list")).content.decode()
    assert "Nobody from outside the authority has been invited yet." in page
    assert reverse("people:assessor-invite") in page


def test_the_people_page_links_to_the_external_assessors(client, lead):
    client.force_login(lead)
    page = client.get(reverse("people:person-list")).content.decode()
    assert reverse("people:assessor-list") in page


def test_the_list_query_count_is_flat(client, lead, mailoutbox, django_assert_max_num_queries):
    client.force_login(lead)
    url = reverse("people:assessor-list")
    for number in range(3):
        invite_assessor(
            invited_by=lead, full_name=f"A {number}", email=f"a{number}@x.example", organisation="X"
        )
    # login session, user, roles, invitations with person and inviter (joined), unread count,
    # and the session saved again (savepoint, update, release)
    with django_assert_max_num_queries(8):
        client.get(url)
    for number in range(3, 30):
        invite_assessor(
            invited_by=lead, full_name=f"A {number}", email=f"a{number}@x.example", organisation="X"
        )
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_the_subject_access_export_holds_the_invitation(client, lead, mailoutbox):
    import io
    import json
    import zipfile

    invite(client, lead)
    export = build_subject_access_export(requested_by=lead, person=invited_person())

    document = json.loads(zipfile.ZipFile(io.BytesIO(export)).read("person.json"))
    section = document["sections"]["people.assessor_invitation"]
    assert section["organisation"] == "Anytown University"
    assert section["accepted_at"] is None


# --- What the invited assessor sees: only the workers assigned to them.


@pytest.fixture
def external(client, lead, mailoutbox) -> User:
    """An assessor who accepted their invitation, assigned by the lead to one enrolment."""
    invite(client, lead)
    accept(client, link_in(mailoutbox[0]))
    client.logout()
    return invited_person()


def test_the_lead_assigns_the_invited_assessor_on_the_enrolment_page(
    client, lead, enrolment, external
):
    client.force_login(lead)
    url = reverse("programmes:enrolment-update", args=[enrolment.pk])
    assert escape(external.full_name) in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "started_on": "2026-09-07",
            "fte": "1.0",
            "supervisor": enrolment.supervisor_id,
            "assessor": external.pk,
            "reason": "Independent assessor from the university",
        },
    )

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.assessor == external


@pytest.fixture
def assigned(enrolment, external):
    enrolment.assessor = external
    enrolment.save()
    return enrolment


def test_the_invited_assessor_sees_their_workers_enrolment_and_no_other(client, assigned, external):
    other = EnrolmentFactory()
    client.force_login(external)

    assert client.get(reverse("programmes:enrolment-detail", args=[assigned.pk])).status_code == (
        200
    )
    assert client.get(reverse("programmes:enrolment-detail", args=[other.pk])).status_code == 404


def test_the_invited_assessors_home_lists_only_their_worker(client, assigned, external):
    other = EnrolmentFactory()
    client.force_login(external)

    page = client.get(reverse("programmes:home")).content.decode()

    assert escape(assigned.worker.full_name) in page
    assert escape(other.worker.full_name) not in page


@pytest.mark.parametrize(
    ("route", "status_code"),
    [
        ("people:person-list", 403),
        ("people:assessor-list", 403),
        ("programmes:cohort-list", 403),
        ("programmes:breach-list", 403),
    ],
)
def test_the_invited_assessor_is_refused_the_lists_of_everyone(
    client, assigned, external, route, status_code
):
    client.force_login(external)
    assert client.get(reverse(route)).status_code == status_code


def test_the_invited_assessor_gets_no_cohort_page(client, assigned, external):
    other = EnrolmentFactory()
    client.force_login(external)
    # Their worker's cohort is there but not their page (403); another cohort is not found.
    own = reverse("programmes:cohort-detail", args=[assigned.cohort_id])
    elsewhere = reverse("programmes:cohort-detail", args=[other.cohort_id])
    assert client.get(own).status_code == 403
    assert client.get(elsewhere).status_code == 404


def test_the_invited_assessor_sees_only_their_worker_in_the_api(client, assigned, external):
    EnrolmentFactory.create_batch(2)
    client.force_login(external)

    body = client.get(reverse("api:enrolment-list")).json()
    results = body["results"] if isinstance(body, dict) else body

    assert [row["id"] for row in results] == [assigned.pk]


def test_the_invited_assessor_cannot_open_another_workers_supervision(client, assigned, external):
    mine = SupervisionSessionFactory(enrolment=assigned)
    theirs = SupervisionSessionFactory()
    client.force_login(external)

    assert client.get(reverse("supervision:session-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("supervision:session-detail", args=[theirs.pk])).status_code == 404


def test_the_invited_assessor_sees_only_themselves_among_people(client, assigned, external):
    assert list(User.objects.visible_to(external)) == [external]


def test_the_lead_reads_the_invitations_history_from_the_list(client, lead, mailoutbox):
    invite(client, lead)
    invitation = invited_person().assessor_invitation
    url = reverse("record-history", args=["people", "assessorinvitation", invitation.pk])

    assert url in client.get(reverse("people:assessor-list")).content.decode()
    page = client.get(url).content.decode()

    assert "Invited as an external assessor" in page and "Lead Person" in page
