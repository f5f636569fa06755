"""Supervision reads on the real database: cadence status, compliance, and who sees what."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from people.models import Role
from programmes.models import Enrolment, EnrolmentPause
from supervision.models import SupervisionAction, SupervisionSession
from supervision.selectors import (
    can_see_compliance,
    compliance_enrolments,
    supervisees,
    supervision_compliance,
    supervision_status,
)
from tests.factories import (
    EnrolmentFactory,
    SupervisionActionFactory,
    SupervisionSessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 23)  # a Monday, week 12 of enrolments starting 7 September 2026
DRAFT = SupervisionSession.Status.DRAFT
SIGNED = SupervisionSession.Status.SIGNED


def draft(**fields) -> SupervisionSession:
    return SupervisionSessionFactory(status=DRAFT, supervisor_signed_at=None, **fields)


def status_of(enrolment: Enrolment, *, on: date = ON):
    return supervision_status(Enrolment.objects.filter(pk=enrolment.pk), on=on)[enrolment.pk]


class TestSupervisionStatus:
    def test_with_no_session_the_first_is_owed_a_week_after_the_start(self, enrolment):
        status = status_of(enrolment)
        assert (status.last_held_on, status.next_due_on) == (None, date(2026, 9, 14))
        assert status.is_overdue and status.overdue_since == date(2026, 9, 15)
        assert status.days_overdue == 70

    def test_a_counting_session_restarts_the_clock(self, enrolment):
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 9, 14))
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 16))
        status = status_of(enrolment)
        # Week 11 is fortnightly.
        assert (status.last_held_on, status.next_due_on) == (date(2026, 11, 16), date(2026, 11, 30))
        assert not status.is_overdue and status.days_overdue == 0
        assert status.cadence.days_until_due == 7

    def test_drafts_and_short_sessions_do_not_count(self, enrolment):
        draft(enrolment=enrolment, held_on=date(2026, 11, 16))
        SupervisionSessionFactory(
            enrolment=enrolment,
            held_on=date(2026, 11, 9),
            minutes=45,
            is_short=True,
            counts_towards_cadence=False,
        )
        status = status_of(enrolment)
        assert status.last_held_on is None
        assert status.last_session_on == date(2026, 11, 9)  # shown, though it does not count
        assert status.next_due_on == date(2026, 9, 14) and status.is_overdue

    @pytest.mark.parametrize(
        ("last", "note"),
        [
            pytest.param(
                {"minutes": 45, "is_short": True, "counts_towards_cadence": False},
                "A shorter session on 16 November 2026 did not count",
                id="short",
            ),
            pytest.param(
                {"kind": SupervisionSession.Kind.GROUP, "counts_towards_cadence": False},
                "A group session on 16 November 2026 did not count on this programme",
                id="full-length-group",
            ),
            pytest.param({}, "", id="it-counted"),
            pytest.param(
                {"status": DRAFT, "supervisor_signed_at": None, "counts_towards_cadence": False},
                "",
                id="a-draft-is-not-yet-a-session-held",
            ),
        ],
    )
    def test_the_last_signed_session_that_did_not_count_is_named_with_the_reason(
        self, enrolment, last, note
    ):
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 9))
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 16), **last)
        assert status_of(enrolment).uncounted_session_note == note

    @pytest.mark.parametrize(
        ("last_held_on", "due_now"),
        [
            pytest.param(date(2026, 11, 9), True, id="due-today"),
            pytest.param(date(2026, 11, 10), False, id="due-tomorrow"),
            pytest.param(date(2026, 11, 6), False, id="overdue"),
        ],
    )
    def test_a_session_due_today_is_due_now(self, enrolment, last_held_on, due_now):
        SupervisionSessionFactory(enrolment=enrolment, held_on=last_held_on)
        assert status_of(enrolment).is_due_now is due_now

    def test_an_enrolment_that_has_ended_is_never_due_now(self):
        enrolment = EnrolmentFactory(status=Enrolment.Status.WITHDRAWN, ended_on=date(2026, 11, 20))
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 9))
        status = status_of(enrolment)
        assert status.cadence.is_due_now  # the rhythm alone would ask for one today
        assert not status.is_due_now

    def test_a_session_signed_but_not_yet_countersigned_counts(self, enrolment):
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 16), status=SIGNED)
        status = status_of(enrolment)
        assert status.last_held_on == date(2026, 11, 16) and not status.is_overdue

    def test_a_session_after_the_day_asked_about_is_not_yet_held(self, enrolment):
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 16))
        status = status_of(enrolment, on=date(2026, 11, 15))
        assert status.last_held_on is None and status.is_overdue

    @pytest.mark.parametrize("ended", [Enrolment.Status.WITHDRAWN, Enrolment.Status.COMPLETED])
    def test_an_enrolment_that_has_ended_is_owed_nothing(self, ended):
        enrolment = EnrolmentFactory(status=ended, ended_on=date(2026, 10, 30))
        status = status_of(enrolment)
        assert not status.is_active and not status.is_owed
        assert (status.next_due_on, status.is_overdue, status.days_overdue) == (None, False, 0)

    def test_a_paused_enrolment_is_not_overdue(self, enrolment, lead):
        EnrolmentPause.objects.create(
            enrolment=enrolment,
            starts_on=date(2026, 11, 2),
            reason=EnrolmentPause.Reason.SICKNESS,
            recorded_by=lead,
        )
        status = status_of(enrolment)
        assert status.is_paused and not status.is_owed
        assert (status.next_due_on, status.is_overdue, status.overdue_since) == (None, False, None)

    def test_open_actions_on_signed_records_and_drafts_are_counted(self, enrolment):
        signed = SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 16))
        SupervisionActionFactory.create_batch(2, session=signed)
        SupervisionActionFactory(session=signed, done_on=date(2026, 11, 20))
        unsigned = draft(enrolment=enrolment, held_on=date(2026, 11, 20))
        SupervisionActionFactory(session=unsigned)  # agreed, but not on the record yet
        draft(enrolment=enrolment, held_on=date(2026, 11, 23))
        SupervisionActionFactory(session=SupervisionSessionFactory())  # someone else's
        status = status_of(enrolment)
        assert (status.open_actions, status.drafts) == (2, 2)

    @pytest.mark.parametrize("size", [3, 30])
    def test_the_query_count_is_flat(self, django_assert_num_queries, lead, size):
        for _ in range(size):
            enrolment = EnrolmentFactory()
            counted = SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 9))
            SupervisionActionFactory(session=counted)
            draft(enrolment=enrolment, held_on=date(2026, 11, 20))
            EnrolmentPause.objects.create(
                enrolment=enrolment,
                starts_on=date(2026, 10, 1),
                ends_on=date(2026, 10, 9),
                reason=EnrolmentPause.Reason.BEREAVEMENT,
                recorded_by=lead,
            )
        # The enrolments with last sessions and counts annotated, their programmes (one instance
        # each, shared), their pauses, their extensions.
        with django_assert_num_queries(4):
            statuses = supervision_status(Enrolment.objects.all(), on=ON)
            summary = [
                (s.next_due_on, s.is_overdue, s.open_actions, s.drafts) for s in statuses.values()
            ]
        assert len(summary) == size
        assert {row[2:] for row in summary} == {(1, 1)}


class TestSupervisees:
    def test_only_the_supervisors_active_supervisees_the_longest_overdue_first(self):
        supervisor = UserFactory(roles=[Role.SUPERVISOR])
        never = EnrolmentFactory(supervisor=supervisor, worker__full_name="Zara Adams")
        late = EnrolmentFactory(supervisor=supervisor, worker__full_name="Mia Brown")
        SupervisionSessionFactory(enrolment=late, held_on=date(2026, 10, 26))  # due 9 November
        on_time = EnrolmentFactory(supervisor=supervisor, worker__full_name="Amy Clark")
        SupervisionSessionFactory(enrolment=on_time, held_on=date(2026, 11, 16))
        EnrolmentFactory(
            supervisor=supervisor,
            status=Enrolment.Status.WITHDRAWN,
            ended_on=date(2026, 10, 1),
            worker__full_name="Ann Ended",
        )
        EnrolmentFactory(worker__full_name="Aaron Elsewhere")  # another supervisor's

        listed = supervisees(supervisor, on=ON)

        assert [status.enrolment for status in listed] == [never, late, on_time]
        assert [status.days_overdue for status in listed] == [70, 14, 0]

    def test_a_lead_is_listed_only_the_people_they_supervise(self, enrolment, lead):
        assert supervisees(lead, on=ON) == []
        mine = EnrolmentFactory(supervisor=lead)
        assert [status.enrolment for status in supervisees(lead, on=ON)] == [mine]


class TestCompliance:
    def test_sessions_owed_in_the_window_against_those_held_on_time(self, enrolment):
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 9, 14))
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 9, 21))
        draft(enrolment=enrolment, held_on=date(2026, 9, 28))

        [row] = supervision_compliance(Enrolment.objects.filter(pk=enrolment.pk), on=ON)

        # Weekly to 12 October, missed from 28 September; then fortnightly, missed 2 and 16
        # November; the one due 30 November is not yet owed.
        assert row.status.enrolment == enrolment
        compliance = row.compliance
        assert (compliance.owed, compliance.held_on_time, compliance.held) == (8, 2, 2)
        assert compliance.missed == 6

    def test_the_last_session_before_the_window_sets_the_first_day_owed_in_it(self, enrolment):
        # Week 27 on: monthly. Held on a Wednesday just before the window (14 March 2027).
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2027, 3, 10))
        SupervisionSessionFactory(enrolment=enrolment, held_on=date(2027, 4, 7))

        [row] = supervision_compliance(
            Enrolment.objects.filter(pk=enrolment.pk), on=date(2027, 6, 14)
        )

        # Owed 7 April (held), 5 May and 2 June (missed); 30 June is not yet owed.
        compliance = row.compliance
        assert (compliance.owed, compliance.held_on_time, compliance.held) == (3, 1, 1)

    @pytest.mark.parametrize("size", [3, 30])
    def test_the_query_count_is_flat(self, django_assert_num_queries, size):
        for _ in range(size):
            enrolment = EnrolmentFactory()
            SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 8, 1))
            counted = SupervisionSessionFactory(enrolment=enrolment, held_on=date(2026, 11, 9))
            SupervisionActionFactory(session=counted)
            draft(enrolment=enrolment, held_on=date(2026, 11, 20))
        # supervision_status's four, the last counting session before the window, those in it.
        with django_assert_num_queries(6):
            rows = supervision_compliance(Enrolment.objects.all(), on=ON)
            held = [row.compliance.held for row in rows]
        assert held == [1] * size

    def test_a_manager_sees_only_their_teams_active_enrolments(self, enrolment, manager, outsider):
        team = enrolment.worker.team
        colleague = EnrolmentFactory(worker__team=team)
        EnrolmentFactory(
            worker__team=team, status=Enrolment.Status.WITHDRAWN, ended_on=date(2026, 10, 1)
        )
        EnrolmentFactory(supervisor=manager)  # seen elsewhere as its supervisor, not their team
        EnrolmentFactory()

        assert set(compliance_enrolments(manager)) == {enrolment, colleague}
        assert set(compliance_enrolments(outsider)) == set(
            Enrolment.objects.filter(worker__team__manager=outsider)
        )

    def test_a_lead_sees_every_active_enrolment(self, enrolment, lead, outsider):
        EnrolmentFactory(status=Enrolment.Status.COMPLETED, ended_on=date(2026, 10, 1))
        others = EnrolmentFactory.create_batch(2)
        expected = {enrolment, *others, Enrolment.objects.get(supervisor=outsider)}
        assert set(compliance_enrolments(lead)) == expected

    @pytest.mark.parametrize(
        ("persona", "allowed"),
        [
            ("manager", True),
            ("lead", True),
            ("outsider", True),  # a manager, of another team
            ("supervisor", False),
            ("assessor", False),
            ("worker", False),
        ],
    )
    def test_managers_and_leads_see_compliance(self, request, persona, allowed):
        assert can_see_compliance(request.getfixturevalue(persona)) is allowed


@pytest.fixture
def records(enrolment, supervisor, lead):
    """A draft by the supervisor, a draft by a lead, a signed and a countersigned record."""
    sessions = {
        "supervisors-draft": draft(enrolment=enrolment, held_on=date(2026, 11, 20)),
        "leads-draft": draft(enrolment=enrolment, supervisor=lead, held_on=date(2026, 11, 19)),
        "signed": SupervisionSessionFactory(
            enrolment=enrolment, status=SIGNED, held_on=date(2026, 11, 16)
        ),
        "countersigned": SupervisionSessionFactory(enrolment=enrolment),
    }
    for session in sessions.values():
        SupervisionActionFactory(session=session)
    return sessions


ALL = {"supervisors-draft", "leads-draft", "signed", "countersigned"}
SIGNED_ONLY = {"signed", "countersigned"}


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("supervisor", {"supervisors-draft", *SIGNED_ONLY}),
        ("lead", ALL),
        ("worker", SIGNED_ONLY),
        ("assessor", SIGNED_ONLY),
        ("manager", SIGNED_ONLY),
        ("outsider", set()),
    ],
)
def test_a_draft_is_seen_only_by_its_supervisor_and_leads(request, records, persona, seen):
    person = request.getfixturevalue(persona)
    names = {session.pk: name for name, session in records.items()}
    sessions = SupervisionSession.objects.visible_to(person)
    assert {names[pk] for pk in sessions.values_list("pk", flat=True)} == seen
    actions = SupervisionAction.objects.visible_to(person)
    assert {names[pk] for pk in actions.values_list("session_id", flat=True)} == seen


def test_someone_signed_out_sees_nothing(records):
    assert not SupervisionSession.objects.visible_to(AnonymousUser()).exists()
    assert not SupervisionAction.objects.visible_to(AnonymousUser()).exists()
