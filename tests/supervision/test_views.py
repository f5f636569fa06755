"""Supervision pages through the test client, as each persona; lists with flat query counts."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from people.models import Role
from supervision.models import SupervisionSession
from tests.factories import (
    EnrolmentFactory,
    SupervisionActionFactory,
    SupervisionSessionFactory,
    TeamFactory,
    UserFactory,
    programme,
)

pytestmark = pytest.mark.django_db

# A Wednesday in programme week 11 of an enrolment starting on Monday 7 September 2026 (the
# factories' default): past the weekly phase, so the ASYE-CF is owed a session every fortnight.
TODAY = date(2026, 11, 18)
NOTES = "Talked through the first allocations and how the worker is settling in."


@pytest.fixture(autouse=True)
def _clock(monkeypatch) -> None:
    """Fix "today", so due dates and "overdue by" read the same whenever the tests run."""
    real_localdate = timezone.localdate

    def localdate(*args: object, **kwargs: object) -> date:
        return real_localdate(*args, **kwargs) if args or kwargs else TODAY

    monkeypatch.setattr(timezone, "localdate", localdate)


def visible(response) -> str:
    """The page as a person reads it: tags dropped, entities decoded, spaces collapsed."""
    return _words(response.content.decode())


def _words(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def rows(response) -> list[str]:
    """Each table row's visible text, top to bottom."""
    markup = response.content.decode()
    return [_words(row) for row in re.findall(r"<tr\b.*?</tr>", markup, flags=re.DOTALL)]


def row_for(response, name: str) -> str:
    (row,) = [row for row in rows(response) if name in row]
    return row


def links_to(response, url: str) -> bool:
    return f'href="{url}"' in response.content.decode()


def draft(enrolment, **fields) -> SupervisionSession:
    """A session its supervisor has recorded but not yet signed."""
    values = {"held_on": date(2026, 11, 16), "supervisor_signed_at": None, **fields}
    return SupervisionSessionFactory(
        enrolment=enrolment, status=SupervisionSession.Status.DRAFT, **values
    )


def signed(enrolment, **fields) -> SupervisionSession:
    """Signed by the supervisor, waiting for the worker's reflection."""
    return SupervisionSessionFactory(
        enrolment=enrolment, status=SupervisionSession.Status.SIGNED, **fields
    )


def session_form(**changes: str) -> dict[str, str]:
    return {
        "held_on": "2026-11-16",
        "minutes": "90",
        "kind": SupervisionSession.Kind.ONE_TO_ONE,
        "agenda": "Allocations",
        "notes": NOTES,
        "wellbeing": "Settling in well.",
        **changes,
    }


def url(name: str, *args: object) -> str:
    return reverse(f"supervision:{name}", args=args)


class TestSuperviseeList:
    def test_each_supervisee_shows_last_session_next_due_and_overdue_in_words(self, client):
        supervisor = UserFactory(roles=[Role.SUPERVISOR])
        behind = EnrolmentFactory(supervisor=supervisor, worker__full_name="Adam Behind")
        SupervisionSessionFactory(enrolment=behind, held_on=date(2026, 9, 14))
        on_track = EnrolmentFactory(supervisor=supervisor, worker__full_name="Beth Ontrack")
        SupervisionSessionFactory(enrolment=on_track, held_on=date(2026, 11, 16))
        client.force_login(supervisor)

        response = client.get(url("supervisee-list"))

        assert response.status_code == 200
        assert row_for(response, "Adam Behind") == (
            f"Adam Behind {programme().name} 14 September 2026 21 September 2026 "
            "Overdue by 58 days: it should have been held by 21 September 2026. 0"
        )
        beth = row_for(response, "Beth Ontrack")
        assert "16 November 2026 30 November 2026 On track" in beth
        assert "Overdue" not in beth
        assert "You supervise 2 people. 1 is overdue for supervision." in visible(response)

    @pytest.mark.parametrize(
        ("minutes", "kind", "is_short", "note"),
        [
            pytest.param(
                60,
                SupervisionSession.Kind.ONE_TO_ONE,
                True,
                "A shorter session on 16 November 2026 did not count",
                id="short",
            ),
            pytest.param(
                90,
                SupervisionSession.Kind.GROUP,
                False,
                "A group session on 16 November 2026 did not count on this programme",
                id="full-length-group",
            ),
        ],
    )
    def test_a_last_session_that_did_not_count_is_shown_with_the_reason(
        self, client, minutes, kind, is_short, note
    ):
        supervisor = UserFactory(roles=[Role.SUPERVISOR])
        enrolment = EnrolmentFactory(supervisor=supervisor, worker__full_name="Dana Uncounted")
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 9))
        SupervisionSessionFactory(
            enrolment=enrolment,
            held_on=date(2026, 11, 16),
            minutes=minutes,
            kind=kind,
            is_short=is_short,
            counts_towards_cadence=False,
        )
        client.force_login(supervisor)

        row = row_for(client.get(url("supervisee-list")), "Dana Uncounted")

        assert f"9 November 2026 {note} 23 November 2026" in row

    def test_a_supervisee_whose_session_is_due_today_is_due_now(self, client):
        supervisor = UserFactory(roles=[Role.SUPERVISOR])
        enrolment = EnrolmentFactory(supervisor=supervisor, worker__full_name="Eve Duetoday")
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 4))
        client.force_login(supervisor)

        row = row_for(client.get(url("supervisee-list")), "Eve Duetoday")

        assert "4 November 2026 18 November 2026 Due now Hold it by 18 November 2026." in row

    def test_a_supervisee_with_no_session_yet_is_overdue_from_the_first_week(self, client):
        supervisor = UserFactory(roles=[Role.SUPERVISOR])
        EnrolmentFactory(supervisor=supervisor, worker__full_name="Cara Nosession")
        client.force_login(supervisor)

        response = client.get(url("supervisee-list"))

        row = row_for(response, "Cara Nosession")
        assert "None yet 14 September 2026 Overdue by 65 days" in row

    def test_the_longest_overdue_come_first_whatever_their_names(self, client):
        supervisor = UserFactory(roles=[Role.SUPERVISOR])
        on_track = EnrolmentFactory(supervisor=supervisor, worker__full_name="Aaron Ontrack")
        SupervisionSessionFactory(enrolment=on_track, held_on=date(2026, 11, 16))
        a_little = EnrolmentFactory(supervisor=supervisor, worker__full_name="Bea Alittle")
        SupervisionSessionFactory(enrolment=a_little, held_on=date(2026, 9, 14))
        EnrolmentFactory(supervisor=supervisor, worker__full_name="Zed Longest")
        client.force_login(supervisor)

        names = [row.split(" ")[0] for row in rows(client.get(url("supervisee-list")))[1:]]

        assert names == ["Zed", "Bea", "Aaron"]

    def test_only_the_supervisors_own_supervisees_are_listed(self, client, enrolment, outsider):
        client.force_login(outsider)

        response = client.get(url("supervisee-list"))

        assert enrolment.worker.full_name not in visible(response)
        assert "You supervise 1 person." in visible(response)

    def test_a_supervisor_with_nobody_assigned_is_told_who_assigns_them(self, client):
        client.force_login(UserFactory(roles=[Role.SUPERVISOR]))

        response = client.get(url("supervisee-list"))

        assert response.status_code == 200
        assert (
            "Nobody is assigned to you for supervision. The programme lead assigns supervisees "
            "when they enrol workers."
        ) in visible(response)

    @pytest.mark.parametrize("persona", ["worker", "assessor", "manager", "lead"])
    def test_a_person_without_the_supervisor_role_is_refused(
        self, client, request, enrolment, persona
    ):
        client.force_login(request.getfixturevalue(persona))

        assert client.get(url("supervisee-list")).status_code == 403

    def test_query_count_is_flat(self, client, django_assert_max_num_queries):
        supervisor = UserFactory(roles=[Role.SUPERVISOR])
        client.force_login(supervisor)
        _supervisees(3, supervisor)
        # session, user, roles, enrolments (+ last sessions, counts, people), programmes,
        # pauses, extensions, and the idle-timeout refresh of the session (3)
        # +1: the header's unread notifications count
        with django_assert_max_num_queries(11):
            client.get(url("supervisee-list"))
        _supervisees(27, supervisor)
        with django_assert_max_num_queries(11):
            response = client.get(url("supervisee-list"))
        assert "You supervise 30 people." in visible(response)


def _supervisees(count: int, supervisor) -> None:
    """Supervisees with a session, an open action and a draft each, so every count has rows."""
    for enrolment in EnrolmentFactory.create_batch(count, supervisor=supervisor):
        SupervisionActionFactory(session__enrolment=enrolment)
        draft(enrolment)


class TestCompliance:
    @pytest.fixture
    def other_team(self, db):
        """An enrolment in a team that is not the manager's."""
        return EnrolmentFactory(worker__full_name="Olive Otherteam")

    @pytest.fixture
    def three_on_time_then_none(self, enrolment):
        for held_on in (date(2026, 9, 14), date(2026, 9, 21), date(2026, 9, 28)):
            SupervisionSessionFactory(enrolment=enrolment, held_on=held_on)
        return enrolment

    def test_a_manager_sees_only_their_teams_people_with_sessions_owed_and_held_on_time(
        self, client, manager, three_on_time_then_none, other_team
    ):
        enrolment = three_on_time_then_none
        client.force_login(manager)

        response = client.get(url("compliance"))

        assert response.status_code == 200
        page = visible(response)
        assert (
            "Sessions owed from 18 August 2026 to 18 November 2026, against those held on time."
        ) in page
        assert "Worker Team Supervisor Owed Held on time Missed or late Today" in page
        row = row_for(response, enrolment.worker.full_name)
        assert f"{enrolment.worker.team.name} {enrolment.supervisor.full_name} 8 3 5 " in row
        assert "Overdue by" in row
        assert "Olive Otherteam" not in page

    def test_a_lead_sees_everyone(self, client, lead, three_on_time_then_none, other_team):
        client.force_login(lead)

        response = client.get(url("compliance"))

        page = visible(response)
        assert escape(three_on_time_then_none.worker.full_name) in page
        assert "Olive Otherteam" in page
        assert "2 people are overdue for supervision today." in page

    @pytest.mark.parametrize("persona", ["supervisor", "worker", "assessor"])
    def test_a_person_who_is_not_a_manager_or_lead_is_refused(
        self, client, request, enrolment, persona
    ):
        client.force_login(request.getfixturevalue(persona))

        assert client.get(url("compliance")).status_code == 403

    def test_a_manager_with_nobody_on_a_programme_sees_an_empty_state(self, client, enrolment):
        client.force_login(UserFactory(roles=[Role.MANAGER]))

        response = client.get(url("compliance"))

        assert response.status_code == 200
        assert "Nobody in your teams is on a programme now." in visible(response)
        assert enrolment.worker.full_name not in visible(response)

    def test_query_count_is_flat(self, client, lead, django_assert_max_num_queries):
        client.force_login(lead)
        _supervisees(3, UserFactory(roles=[Role.SUPERVISOR]))
        # session, user, roles, enrolments (+ last sessions, counts, people), programmes,
        # pauses, extensions, sessions in the window, the last session before it,
        # and the idle-timeout refresh of the session (3)
        # +1: the header's unread notifications count
        with django_assert_max_num_queries(13):
            client.get(url("compliance"))
        _supervisees(27, UserFactory(roles=[Role.SUPERVISOR]))
        with django_assert_max_num_queries(13):
            response = client.get(url("compliance"))
        assert "30 people are overdue for supervision today." in visible(response)


class TestEnrolmentSessions:
    def test_the_worker_sees_signed_sessions_and_open_actions_but_not_drafts(
        self, client, worker, enrolment
    ):
        countersigned = SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 9, 14))
        awaiting = signed(enrolment, held_on=date(2026, 9, 21))
        unsigned = draft(enrolment, held_on=date(2026, 11, 16))
        action = SupervisionActionFactory(session=countersigned, description="Read the policy")
        SupervisionActionFactory(session=unsigned, description="Draft-only action")
        client.force_login(worker)

        response = client.get(url("enrolment-sessions", enrolment.pk))

        assert response.status_code == 200
        page = visible(response)
        assert "Your supervision" in page
        assert row_for(response, "14 September 2026 One-to-one") == (
            "14 September 2026 One-to-one 90 Yes Signed by both"
        )
        assert row_for(response, "21 September 2026 One-to-one") == (
            "21 September 2026 One-to-one 90 Yes Awaiting the worker"
        )
        assert links_to(response, url("session-detail", countersigned.pk))
        assert links_to(response, url("session-detail", awaiting.pk))
        assert "16 November 2026" not in page
        assert not links_to(response, url("session-detail", unsigned.pk))
        assert "Draft-only action" not in page
        assert f"Read the policy {worker.full_name} 28 September 2026 Mark as done" in page
        assert links_to(response, url("action-done", action.pk))

    def test_a_done_action_is_no_longer_listed_as_open(self, client, worker, enrolment):
        SupervisionActionFactory(session__enrolment=enrolment, done_on=date(2026, 9, 20))
        client.force_login(worker)

        response = client.get(url("enrolment-sessions", enrolment.pk))

        assert "No open actions." in visible(response)

    def test_the_supervisor_sees_their_own_draft(self, client, supervisor, enrolment):
        unsigned = draft(enrolment, held_on=date(2026, 11, 16))
        client.force_login(supervisor)

        response = client.get(url("enrolment-sessions", enrolment.pk))

        assert row_for(response, "16 November 2026 One-to-one").endswith("Draft")
        assert links_to(response, url("session-detail", unsigned.pk))

    def test_a_draft_does_not_count_until_it_is_signed(self, client, supervisor, enrolment):
        unsigned = draft(enrolment, held_on=date(2026, 11, 16))
        client.force_login(supervisor)

        sessions = client.get(url("enrolment-sessions", enrolment.pk))
        detail = client.get(url("session-detail", unsigned.pk))

        assert row_for(sessions, "16 November 2026 One-to-one") == (
            "16 November 2026 One-to-one 90 Not yet: a draft counts once the supervisor signs it "
            "Draft"
        )
        assert (
            "Counts towards the supervision owed Not yet: a draft counts once the supervisor "
            "signs it"
        ) in visible(detail)

    def test_a_full_length_group_session_says_groups_do_not_count(self, client, worker, enrolment):
        SupervisionSessionFactory(
            enrolment=enrolment,
            held_on=date(2026, 11, 16),
            kind=SupervisionSession.Kind.GROUP,
            counts_towards_cadence=False,
        )
        client.force_login(worker)

        response = client.get(url("enrolment-sessions", enrolment.pk))

        assert row_for(response, "16 November 2026 Group") == (
            "16 November 2026 Group 90 No: group sessions do not count on this programme "
            "Signed by both"
        )

    @pytest.mark.parametrize(
        ("persona", "shown"),
        [
            ("supervisor", True),
            ("lead", True),
            ("worker", False),
            ("assessor", False),
            ("manager", False),
        ],
    )
    def test_only_the_supervisor_or_a_lead_is_offered_record_a_session(
        self, client, request, enrolment, persona, shown
    ):
        client.force_login(request.getfixturevalue(persona))

        response = client.get(url("enrolment-sessions", enrolment.pk))

        assert response.status_code == 200
        assert ("Record a session" in visible(response)) is shown
        assert links_to(response, url("session-create", enrolment.pk)) is shown

    def test_an_outsider_cannot_find_the_page(self, client, outsider, enrolment):
        client.force_login(outsider)

        assert client.get(url("enrolment-sessions", enrolment.pk)).status_code == 404


class TestRecording:
    @pytest.mark.parametrize(
        ("persona", "status_code"),
        [
            ("supervisor", 200),
            ("lead", 200),
            ("worker", 403),
            ("assessor", 403),
            ("manager", 403),
            ("outsider", 404),
        ],
    )
    def test_only_the_supervisor_or_a_lead_may_record(
        self, client, request, enrolment, persona, status_code
    ):
        client.force_login(request.getfixturevalue(persona))

        response = client.get(url("session-create", enrolment.pk))

        assert response.status_code == status_code

    def test_the_form_does_not_ask_about_a_second_session_until_there_is_one(
        self, client, supervisor, enrolment
    ):
        client.force_login(supervisor)

        response = client.get(url("session-create", enrolment.pk))

        assert "Record a supervision session" in visible(response)
        assert 'name="same_day_confirmed"' not in response.content.decode()

    def test_a_recorded_session_is_saved_as_a_draft_and_opens_with_a_message(
        self, client, supervisor, worker, enrolment
    ):
        client.force_login(supervisor)

        response = client.post(url("session-create", enrolment.pk), session_form(), follow=True)

        session = SupervisionSession.objects.get()
        assert response.redirect_chain == [(url("session-detail", session.pk), 302)]
        page = visible(response)
        assert "Session saved as a draft. Sign it when the notes are complete." in page
        assert "Supervision on 16 November 2026 Draft" in page
        assert "This record is a draft: only you can see it." in page
        client.force_login(worker)
        assert client.get(url("session-detail", session.pk)).status_code == 404

    def test_line_breaks_sent_by_the_browser_are_saved_as_plain_new_lines(
        self, client, supervisor, enrolment
    ):
        client.force_login(supervisor)

        client.post(
            url("session-create", enrolment.pk),
            session_form(agenda="Allocations\r\nCourt dates", notes="First.\rSecond."),
        )

        session = SupervisionSession.objects.get()
        assert (session.agenda, session.notes) == ("Allocations\nCourt dates", "First.\nSecond.")

    def test_a_session_dated_in_the_future_is_refused_and_nothing_is_saved(
        self, client, supervisor, enrolment
    ):
        client.force_login(supervisor)

        response = client.post(
            url("session-create", enrolment.pk), session_form(held_on="2026-11-19")
        )

        assert response.status_code == 200
        assert "There is a problem The date must be today or in the past." in visible(response)
        sessions = client.get(url("enrolment-sessions", enrolment.pk))
        assert "No sessions recorded yet." in visible(sessions)

    def test_a_session_shorter_than_15_minutes_is_refused(self, client, supervisor, enrolment):
        client.force_login(supervisor)

        response = client.post(url("session-create", enrolment.pk), session_form(minutes="14"))

        assert response.status_code == 200
        assert "A session must last at least 15 minutes." in visible(response)
        sessions = client.get(url("enrolment-sessions", enrolment.pk))
        assert "No sessions recorded yet." in visible(sessions)

    def test_a_short_session_is_saved_with_a_warning_that_it_will_not_count(
        self, client, supervisor, enrolment
    ):
        client.force_login(supervisor)

        response = client.post(
            url("session-create", enrolment.pk), session_form(minutes="60"), follow=True
        )

        page = visible(response)
        assert (
            "Session saved as a draft. It is shorter than the programme's minimum of 90 "
            "minutes, so it will not count towards the supervision owed."
        ) in page
        assert "Short Shorter than the minimum; does not count" in page

    def test_a_second_session_on_the_same_day_is_saved_only_once_confirmed(
        self, client, supervisor, enrolment
    ):
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 16))
        client.force_login(supervisor)

        asked = client.post(url("session-create", enrolment.pk), session_form())

        assert asked.status_code == 200
        assert (
            "A session is already recorded for 16 November 2026. If this is a second session "
            "that day, confirm it and save again."
        ) in visible(asked)
        assert 'name="same_day_confirmed"' in asked.content.decode()
        assert "Yes, this is another session on the same day" in visible(asked)

        confirmed = client.post(
            url("session-create", enrolment.pk),
            session_form(same_day_confirmed="on"),
            follow=True,
        )

        assert "Session saved as a draft." in visible(confirmed)
        sessions = client.get(url("enrolment-sessions", enrolment.pk))
        assert len([row for row in rows(sessions) if "16 November 2026" in row]) == 2


class TestDraft:
    def test_the_supervisor_changes_the_draft(self, client, supervisor, enrolment):
        session = draft(enrolment)
        client.force_login(supervisor)

        response = client.post(
            url("session-edit", session.pk), session_form(minutes="120"), follow=True
        )

        assert response.redirect_chain == [(url("session-detail", session.pk), 302)]
        assert "Draft saved." in visible(response)
        assert "Length 120 minutes" in visible(response)

    @pytest.mark.parametrize(
        ("persona", "status_code"),
        [("lead", 403), ("worker", 404), ("manager", 404), ("outsider", 404)],
    )
    def test_nobody_but_its_supervisor_may_change_or_sign_a_draft(
        self, client, request, enrolment, persona, status_code
    ):
        session = draft(enrolment)
        client.force_login(request.getfixturevalue(persona))

        assert client.get(url("session-edit", session.pk)).status_code == status_code
        assert client.get(url("session-sign", session.pk)).status_code == status_code

    def test_signing_asks_for_confirmation_first(self, client, supervisor, enrolment):
        session = draft(enrolment)
        client.force_login(supervisor)

        response = client.get(url("session-sign", session.pk))

        assert response.status_code == 200
        assert (
            "By signing you confirm the record of the session on 16 November 2026 is accurate."
        ) in visible(response)
        assert "Sign the record" in visible(response)

    def test_the_supervisor_signs_and_the_worker_is_asked_to_countersign(
        self, client, supervisor, worker, enrolment
    ):
        session = draft(enrolment)
        client.force_login(supervisor)

        response = client.post(url("session-sign", session.pk), follow=True)

        assert response.redirect_chain == [(url("session-detail", session.pk), 302)]
        page = visible(response)
        assert (
            f"Record signed. {worker.full_name} can now add their reflection and countersign it."
        ) in page
        assert "Awaiting the worker" in page
        client.force_login(worker)
        worker_view = client.get(url("session-detail", session.pk))
        assert "Add your reflection and countersign" in visible(worker_view)

    def test_a_draft_without_notes_cannot_be_signed(self, client, supervisor, enrolment):
        session = draft(enrolment, notes="")
        client.force_login(supervisor)

        response = client.post(url("session-sign", session.pk))

        assert response.status_code == 200
        assert (
            "There is a problem Write the discussion notes before you sign the record."
        ) in visible(response)
        assert "Draft" in visible(client.get(url("session-detail", session.pk)))


class TestCountersign:
    @pytest.mark.parametrize(
        ("persona", "status_code"),
        [
            ("worker", 200),
            ("supervisor", 403),
            ("lead", 403),
            ("manager", 403),
            ("outsider", 404),
        ],
    )
    def test_only_the_worker_may_countersign(
        self, client, request, enrolment, persona, status_code
    ):
        session = signed(enrolment)
        client.force_login(request.getfixturevalue(persona))

        assert client.get(url("session-countersign", session.pk)).status_code == status_code

    def test_the_worker_reads_the_record_before_countersigning(self, client, worker, enrolment):
        session = signed(enrolment)
        SupervisionActionFactory(session=session, description="Bring the chronology")
        client.force_login(worker)

        response = client.get(url("session-countersign", session.pk))

        page = visible(response)
        assert "The record your supervisor signed" in page
        assert NOTES in page
        assert "Bring the chronology" in page

    def test_a_reflection_is_needed_to_countersign(self, client, worker, enrolment):
        session = signed(enrolment)
        client.force_login(worker)

        response = client.post(url("session-countersign", session.pk), {"worker_reflection": " "})

        assert response.status_code == 200
        assert (
            "There is a problem Write your reflection on the session before you sign."
        ) in visible(response)
        detail = client.get(url("session-detail", session.pk))
        assert "Awaiting the worker" in visible(detail)

    def test_once_countersigned_the_record_is_locked_to_drafting(
        self, client, worker, supervisor, enrolment
    ):
        session = signed(enrolment)
        client.force_login(worker)

        response = client.post(
            url("session-countersign", session.pk),
            {"worker_reflection": "I will bring the chronology next time."},
            follow=True,
        )

        assert response.redirect_chain == [(url("session-detail", session.pk), 302)]
        page = visible(response)
        assert "Thank you. The record is signed by you both." in page
        assert "Signed by both" in page
        assert "I will bring the chronology next time." in page
        client.force_login(supervisor)
        assert client.get(url("session-edit", session.pk)).status_code == 403
        assert client.get(url("session-sign", session.pk)).status_code == 403
        assert client.get(url("session-countersign", session.pk)).status_code == 403


class TestAmend:
    @pytest.mark.parametrize(
        ("persona", "status_code"),
        [
            ("supervisor", 200),
            ("lead", 200),
            ("worker", 403),
            ("assessor", 403),
            ("manager", 403),
            ("outsider", 404),
        ],
    )
    def test_only_the_supervisor_or_a_lead_may_amend(
        self, client, request, enrolment, persona, status_code
    ):
        session = SupervisionSessionFactory(enrolment=enrolment)
        client.force_login(request.getfixturevalue(persona))

        assert client.get(url("session-amend", session.pk)).status_code == status_code

    def test_a_draft_is_changed_not_amended(self, client, supervisor, enrolment):
        session = draft(enrolment)
        client.force_login(supervisor)

        assert client.get(url("session-amend", session.pk)).status_code == 403

    def test_an_amendment_needs_a_reason(self, client, supervisor, enrolment):
        session = SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 16))
        client.force_login(supervisor)

        response = client.post(
            url("session-amend", session.pk), session_form(notes="Corrected notes.", reason="")
        )

        assert response.status_code == 200
        assert "Enter the reason for the amendment" in visible(response)
        assert "Amendments" not in visible(client.get(url("session-detail", session.pk)))

    @pytest.mark.parametrize("persona", ["supervisor", "lead"])
    def test_an_amendment_shows_what_changed_who_changed_it_and_why(
        self, client, request, enrolment, persona
    ):
        person = request.getfixturevalue(persona)
        session = SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 16))
        client.force_login(person)

        response = client.post(
            url("session-amend", session.pk),
            session_form(notes="Corrected notes.", reason="The notes were for another session."),
            follow=True,
        )

        assert response.redirect_chain == [(url("session-detail", session.pk), 302)]
        page = visible(response)
        assert "Amendment saved. The earlier version is kept." in page
        amendments = page[page.index("Amendments") :]
        assert f"By {person.full_name}," in amendments
        assert "Reason: The notes were for another session." in amendments
        assert f"Discussion notes Was: {NOTES}. Now: Corrected notes.." in amendments

    def test_an_amendment_that_changes_nothing_is_refused(self, client, supervisor, enrolment):
        session = SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 16))
        client.force_login(supervisor)

        response = client.post(
            url("session-amend", session.pk),
            session_form(agenda="", wellbeing="", reason="Checking."),
        )

        assert response.status_code == 200
        assert (
            "There is a problem Nothing has changed. Change the part of the record that is wrong."
        ) in visible(response)

    @pytest.fixture
    def multiline(self, enrolment) -> SupervisionSession:
        """A signed record whose text has line breaks, as saved: plain new lines."""
        return SupervisionSessionFactory(
            enrolment=enrolment,
            held_on=date(2026, 11, 16),
            agenda="Allocations\nCourt dates",
            notes="First case.\nSecond case.",
            wellbeing="Settling in.\nTired on Fridays.",
        )

    def untouched(self, **changes: str) -> dict[str, str]:
        """The form sent back as a browser sends a text box: each line break as CRLF."""
        return session_form(
            agenda="Allocations\r\nCourt dates",
            notes="First case.\r\nSecond case.",
            wellbeing="Settling in.\r\nTired on Fridays.",
            **changes,
        )

    def test_an_amendment_sent_back_untouched_with_browser_line_breaks_is_refused(
        self, client, supervisor, multiline
    ):
        client.force_login(supervisor)
        rows = multiline.history.count()

        response = client.post(url("session-amend", multiline.pk), self.untouched(reason="Check"))

        assert response.status_code == 200
        assert (
            "There is a problem Nothing has changed. Change the part of the record that is wrong."
        ) in visible(response)
        assert not multiline.amendments.exists()
        assert multiline.history.count() == rows

    def test_an_amendment_logs_only_what_changed_not_the_browsers_line_breaks(
        self, client, supervisor, multiline
    ):
        client.force_login(supervisor)

        client.post(
            url("session-amend", multiline.pk),
            self.untouched(minutes="120", reason="It ran over."),
        )

        amendment = multiline.amendments.get()
        assert amendment.changes == {"length in minutes": ["90", "120"]}
        multiline.refresh_from_db()
        assert multiline.notes == "First case.\nSecond case."


class TestActions:
    def test_an_action_is_added_to_a_draft(self, client, supervisor, worker, enrolment):
        session = draft(enrolment)
        client.force_login(supervisor)

        response = client.post(
            url("action-create", session.pk),
            {"description": "Shadow a duty visit", "owner": worker.pk, "due_on": "2026-11-30"},
            follow=True,
        )

        assert response.redirect_chain == [(url("session-detail", session.pk), 302)]
        assert "Action added." in visible(response)
        row = row_for(response, "Shadow a duty visit")
        assert row.startswith(f"Shadow a duty visit {worker.full_name} 30 November 2026 Remove")

    def test_an_action_is_agreed_for_the_worker_supervisor_or_manager_only(
        self, client, supervisor, worker, manager, assessor, enrolment
    ):
        session = draft(enrolment)
        client.force_login(supervisor)

        form = client.get(url("action-create", session.pk))
        refused = client.post(
            url("action-create", session.pk),
            {"description": "Observe practice", "owner": assessor.pk, "due_on": "2026-11-30"},
        )

        options = [
            _words(option) for option in re.findall(r"<option.*?</option>", form.content.decode())
        ]
        expected = sorted([worker.full_name, supervisor.full_name, manager.full_name])
        assert options == ["Choose a person", *expected]
        assert "Choose the worker, the supervisor or the worker's manager." in visible(refused)
        assert "Observe practice" not in visible(client.get(url("session-detail", session.pk)))

    def test_a_worker_whose_team_has_no_manager_is_offered_worker_and_supervisor(self, client):
        enrolment = EnrolmentFactory(worker__team=TeamFactory(manager=None))
        session = draft(enrolment)
        client.force_login(enrolment.supervisor)

        form = client.get(url("action-create", session.pk))

        options = [
            _words(option) for option in re.findall(r"<option.*?</option>", form.content.decode())
        ]
        expected = sorted([enrolment.worker.full_name, enrolment.supervisor.full_name])
        assert options == ["Choose a person", *expected]

    def test_an_action_due_before_the_session_is_refused(self, client, supervisor, enrolment):
        session = draft(enrolment, held_on=date(2026, 11, 16))
        client.force_login(supervisor)

        response = client.post(
            url("action-create", session.pk),
            {"description": "Read the policy", "owner": supervisor.pk, "due_on": "2026-11-13"},
        )

        assert response.status_code == 200
        assert "The date must be on or after the session (16 November 2026)." in visible(response)
        assert "No actions were agreed." in visible(client.get(url("session-detail", session.pk)))

    def test_actions_are_added_only_to_drafts(self, client, supervisor, enrolment):
        session = signed(enrolment)
        client.force_login(supervisor)

        assert client.get(url("action-create", session.pk)).status_code == 403

    def test_an_action_is_removed_from_a_draft(self, client, supervisor, enrolment):
        action = SupervisionActionFactory(session=draft(enrolment), description="Read the policy")
        client.force_login(supervisor)

        question = client.get(url("action-remove", action.pk))
        response = client.post(url("action-remove", action.pk), follow=True)

        assert "Remove this action? Read the policy" in visible(question)
        assert response.redirect_chain == [(url("session-detail", action.session_id), 302)]
        assert "Action removed." in visible(response)
        assert "No actions were agreed." in visible(response)

    def test_an_action_on_a_signed_record_cannot_be_removed(self, client, supervisor, enrolment):
        action = SupervisionActionFactory(session=signed(enrolment))
        client.force_login(supervisor)

        assert client.get(url("action-remove", action.pk)).status_code == 403
        assert client.post(url("action-remove", action.pk)).status_code == 403

    @pytest.mark.parametrize(
        ("persona", "status_code"),
        [
            ("manager", 200),  # the owner
            ("worker", 200),
            ("supervisor", 200),
            ("lead", 200),
            ("assessor", 403),
            ("outsider", 404),
        ],
    )
    def test_the_owner_worker_or_supervisor_may_mark_an_action_done(
        self, client, request, enrolment, manager, persona, status_code
    ):
        action = SupervisionActionFactory(session__enrolment=enrolment, owner=manager)
        client.force_login(request.getfixturevalue(persona))

        assert client.get(url("action-done", action.pk)).status_code == status_code

    def test_marking_done_returns_to_the_supervision_page(self, client, worker, enrolment):
        action = SupervisionActionFactory(
            session__enrolment=enrolment, description="Read the policy"
        )
        client.force_login(worker)

        response = client.post(url("action-done", action.pk), follow=True)

        assert response.redirect_chain == [(url("enrolment-sessions", enrolment.pk), 302)]
        page = visible(response)
        assert "Action marked as done." in page
        assert "No open actions." in page
        detail = client.get(url("session-detail", action.session_id))
        assert row_for(detail, "Read the policy").endswith("Done 18 November 2026")
        assert client.get(url("action-done", action.pk)).status_code == 403


class TestHomePage:
    def test_a_supervisors_home_shows_an_overdue_supervisee(self, client, supervisor, enrolment):
        client.force_login(supervisor)

        response = client.get(reverse("programmes:home"))

        # The supervision table's row; the caseload table below names the worker too.
        (row,) = [
            row
            for row in rows(response)
            if enrolment.worker.full_name in row
            and "open cases" not in row
            and "No figures yet" not in row
        ]
        assert "None yet 14 September 2026 Overdue by 65 days" in row
        assert links_to(response, url("enrolment-sessions", enrolment.pk))

    def test_a_workers_home_shows_their_supervision_and_a_link_to_their_sessions(
        self, client, worker, enrolment
    ):
        SupervisionActionFactory(session__enrolment=enrolment)
        client.force_login(worker)

        response = client.get(reverse("programmes:home"))

        assert (
            "Supervision Next due 21 September 2026. Overdue by 58 days: it should have been "
            "held by 21 September 2026. 1 open action Your sessions and actions"
        ) in visible(response)
        assert links_to(response, url("enrolment-sessions", enrolment.pk))


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("lead", True), ("supervisor", False), ("worker", False), ("manager", False)],
)
def test_only_a_lead_is_offered_the_history_of_a_session(
    client, request, enrolment, persona, shown
):
    session = SupervisionSessionFactory(enrolment=enrolment)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(url("session-detail", session.pk))

    assert response.status_code == 200
    history = reverse("record-history", args=["supervision", "supervisionsession", session.pk])
    assert links_to(response, history) is shown
    assert ("See the full history of this record" in visible(response)) is shown


def test_the_history_link_opens_for_a_lead(client, lead, enrolment):
    session = SupervisionSessionFactory(enrolment=enrolment)
    client.force_login(lead)

    response = client.get(
        reverse("record-history", args=["supervision", "supervisionsession", session.pk])
    )

    assert response.status_code == 200
