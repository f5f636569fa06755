"""Reads for protected caseloads: the cap on a day, a caseload's history against its caps, who
sees which breaches, and protected time logged against protected time owed.

The factories' enrolment starts on Monday 7 September 2026 in a children's team (full caseload
18) at full time. 10% protected time is 0.74 hours each working day at full time.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from people.models import ServiceArea, User
from programmes.models import (
    CaseloadBreach,
    Enrolment,
    EnrolmentExtension,
    EnrolmentPause,
    ProtectedTimeEntry,
)
from programmes.rules import CaseloadCap
from programmes.selectors import enrolments_for_list
from programmes.selectors.caseloads import (
    breaches_for,
    cap_for,
    caseload_history,
    protected_time_status,
)
from programmes.services.caseloads import (
    SnapshotRow,
    detect_caseload_breaches,
    ingest_caseload_snapshots,
)
from tests.factories import EnrolmentFactory, TeamFactory, UserFactory, programme

pytestmark = pytest.mark.django_db

WEEK_6 = date(2026, 10, 18)  # the last day of week 6: cap 9
FIRST, SECOND = date(2026, 11, 2), date(2026, 11, 9)  # weeks 9 and 10: cap 14
IN_NOVEMBER = date(2026, 11, 23)  # the last full month is October 2026: 22 working days


def pause(enrolment: Enrolment, starts_on: date, ends_on: date | None) -> EnrolmentPause:
    return EnrolmentPause.objects.create(
        enrolment=enrolment,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=EnrolmentPause.Reason.SICKNESS,
        recorded_by=UserFactory(),
    )


def figures(enrolment: Enrolment, *points: tuple) -> None:
    """Each point is (day, open cases) or (day, open cases, {other figures})."""
    rows = []
    for day, open_cases, *more in points:
        others = more[0] if more else {}
        rows.append(
            SnapshotRow(enrolment_id=enrolment.pk, as_of=day, open_cases=open_cases, **others)
        )
    ingest_caseload_snapshots(rows=rows, source="csv", recorded_by=None)


def breach(enrolment: Enrolment, detected_on: date) -> CaseloadBreach:
    figures(enrolment, (detected_on, 15))
    (opened,) = detect_caseload_breaches(on=detected_on, enrolment_ids=[enrolment.pk]).opened
    return opened


class TestCapFor:
    def test_the_cap_in_force_on_the_day(self, enrolment):
        assert cap_for(enrolment, on=FIRST) == CaseloadCap(14, 2, 0, False)
        assert cap_for(enrolment, on=WEEK_6) == CaseloadCap(9, 0, 0, False)

    @pytest.mark.parametrize(
        ("service_area", "full_caseload", "fte", "open_cases"),
        [
            pytest.param(ServiceArea.ADULTS, 25, "1.00", 20, id="adults-team"),
            pytest.param(ServiceArea.CHILDREN, 15, "1.00", 12, id="the-teams-own-full-caseload"),
            pytest.param(ServiceArea.CHILDREN, 18, "0.5", 7, id="half-time"),
        ],
    )
    def test_the_team_and_the_fte_set_the_cap(self, service_area, full_caseload, fte, open_cases):
        team = TeamFactory(service_area=service_area, standard_full_caseload=full_caseload)
        enrolment = EnrolmentFactory(worker__team=team, fte=Decimal(fte))
        assert cap_for(enrolment, on=FIRST).open_cases == open_cases

    @pytest.mark.parametrize(("code", "open_cases"), [("ASYE-CF", 14), ("ASYE-AD", 20)])
    def test_without_a_team_the_programmes_service_area_and_its_default(self, code, open_cases):
        enrolment = EnrolmentFactory(worker__team=None, cohort__programme=programme(code))
        assert cap_for(enrolment, on=FIRST).open_cases == open_cases

    def test_nothing_is_capped_on_a_paused_day(self, enrolment):
        pause(enrolment, date(2026, 10, 26), None)
        assert cap_for(enrolment, on=FIRST) is None
        assert cap_for(enrolment, on=date(2026, 10, 25)) == CaseloadCap(14, 2, 0, False)

    def test_an_earlier_pause_moves_the_phase_boundary(self, enrolment):
        pause(enrolment, date(2026, 9, 21), date(2026, 9, 27))
        # Without the pause 19 October starts week 7; a week paused keeps it in week 6.
        assert cap_for(enrolment, on=date(2026, 10, 19)).open_cases == 9
        assert cap_for(enrolment, on=date(2026, 10, 26)).open_cases == 14


class TestCaseloadHistory:
    def test_each_figure_oldest_first_beside_the_cap_of_its_day(self, enrolment, supervisor):
        figures(
            enrolment,
            (SECOND, 15, {"child_protection_cases": 3}),
            (WEEK_6, 10),
            (FIRST, 12),
        )
        figures(EnrolmentFactory(), (FIRST, 30))

        points = caseload_history(supervisor, enrolment)

        assert [(p.snapshot.as_of, p.snapshot.open_cases) for p in points] == [
            (WEEK_6, 10),
            (FIRST, 12),
            (SECOND, 15),
        ]
        assert [p.cap.open_cases for p in points] == [9, 14, 14]
        assert [p.exceeded for p in points] == [
            ("open-cases",),
            (),
            ("open-cases", "child-protection"),
        ]
        assert [p.is_over for p in points] == [True, False, True]

    def test_a_figure_from_a_paused_week_has_no_cap_and_is_not_over(self, enrolment, lead):
        pause(enrolment, date(2026, 10, 26), date(2026, 11, 8))
        figures(enrolment, (FIRST, 30))
        (point,) = caseload_history(lead, enrolment)
        assert (point.cap, point.exceeded, point.is_over) == (None, (), False)

    def test_someone_who_may_not_see_the_enrolment_sees_no_figures(self, enrolment, outsider):
        figures(enrolment, (FIRST, 12))
        assert caseload_history(outsider, enrolment) == []

    def test_the_query_count_is_the_same_for_3_and_30_figures(
        self, enrolment, supervisor, django_assert_num_queries
    ):
        pause(enrolment, date(2027, 6, 1), date(2027, 6, 30))
        loaded = enrolments_for_list(Enrolment.objects.filter(pk=enrolment.pk)).get()
        for count in (3, 30):
            days = [FIRST + timedelta(days=7 * week) for week in range(count)]
            figures(enrolment, *[(day, 10) for day in days])
            person = User.objects.get(pk=supervisor.pk)  # roles not yet loaded
            # The person's roles (for what they may see); the visible snapshots, oldest first.
            with django_assert_num_queries(2):
                assert len(caseload_history(person, loaded)) == count


class TestBreachesFor:
    @pytest.fixture
    def breaches(self, enrolment) -> list[CaseloadBreach]:
        """Two breaches in the manager's team, detected second then first, and one elsewhere."""
        teammate = EnrolmentFactory(worker__team=enrolment.worker.team)
        return [
            breach(enrolment, SECOND),
            breach(teammate, FIRST),
            breach(EnrolmentFactory(), FIRST),
        ]

    def test_a_manager_sees_their_teams_oldest_first(self, breaches, manager):
        mine_later, mine_earlier, _elsewhere = breaches
        assert list(breaches_for(manager)) == [mine_earlier, mine_later]

    def test_a_lead_sees_every_breach_oldest_first(self, breaches, lead):
        mine_later, mine_earlier, elsewhere = breaches
        assert list(breaches_for(lead)) == [mine_earlier, elsewhere, mine_later]

    def test_resolved_breaches_stay_on_the_list(self, breaches, manager):
        figures(breaches[0].enrolment, (date(2026, 11, 16), 10))
        detect_caseload_breaches(on=date(2026, 11, 16))
        statuses = [item.status for item in breaches_for(manager)]
        assert statuses == [CaseloadBreach.Status.OPEN, CaseloadBreach.Status.RESOLVED]

    @pytest.mark.parametrize("persona", ["worker", "supervisor", "assessor"])
    def test_those_who_see_the_enrolment_but_do_not_manage_it_see_none(
        self, request, breaches, persona
    ):
        assert list(breaches_for(request.getfixturevalue(persona))) == []

    def test_another_teams_manager_sees_only_their_own(self, breaches, outsider):
        other = EnrolmentFactory(worker__team=outsider.managed_teams.get())
        theirs = breach(other, FIRST)
        assert list(breaches_for(outsider)) == [theirs]


def logged(enrolment: Enrolment, *entries: tuple[date, str]) -> None:
    for on, hours in entries:
        ProtectedTimeEntry.objects.create(
            enrolment=enrolment,
            on=on,
            hours=Decimal(hours),
            kind=ProtectedTimeEntry.Kind.STUDY,
            recorded_by=enrolment.worker,
        )


class TestProtectedTimeStatus:
    def test_hours_logged_in_the_last_full_month_against_hours_owed(self, enrolment):
        logged(
            enrolment,
            (date(2026, 9, 30), "7"),  # September: not counted
            (date(2026, 10, 1), "3.5"),
            (date(2026, 10, 31), "7.5"),
            (date(2026, 11, 2), "7"),  # November: not counted
        )
        status = protected_time_status(Enrolment.objects.all(), on=IN_NOVEMBER)[enrolment.pk]
        assert (status.starts_on, status.ends_on) == (date(2026, 10, 1), date(2026, 10, 31))
        # 22 working days × 0.74 hours = 16.28.
        assert (status.owed_hours, status.logged_hours) == (Decimal("16.3"), Decimal("11.0"))
        assert (status.shortfall_hours, status.has_shortfall) == (Decimal("5.3"), True)

    def test_nothing_logged_is_all_shortfall(self, enrolment):
        status = protected_time_status(Enrolment.objects.all(), on=IN_NOVEMBER)[enrolment.pk]
        assert (status.logged_hours, status.shortfall_hours) == (Decimal(0), Decimal("16.3"))

    def test_part_time_owes_pro_rata_and_more_logged_is_no_shortfall(self):
        enrolment = EnrolmentFactory(fte=Decimal("0.6"))
        logged(enrolment, (date(2026, 10, 12), "6"), (date(2026, 10, 19), "6"))
        status = protected_time_status(Enrolment.objects.all(), on=IN_NOVEMBER)[enrolment.pk]
        # 22 × 0.444 = 9.768.
        assert (status.owed_hours, status.logged_hours) == (Decimal("9.8"), Decimal("12.0"))
        assert (status.shortfall_hours, status.has_shortfall) == (Decimal(0), False)

    @pytest.mark.parametrize(
        ("on", "owed"),
        [
            # December 2026: 25 and 28 December are bank holidays; 21 working days × 0.74.
            pytest.param(date(2027, 1, 4), "15.5", id="bank-holidays-owe-nothing"),
            # September 2026: the programme starts on the 7th; 18 working days × 0.74.
            pytest.param(date(2026, 10, 1), "13.3", id="days-before-the-start-owe-nothing"),
            pytest.param(date(2026, 9, 1), "0.0", id="a-month-before-the-start"),
        ],
    )
    def test_only_working_days_on_the_programme_are_owed(self, enrolment, on, owed):
        status = protected_time_status(Enrolment.objects.all(), on=on)[enrolment.pk]
        assert status.owed_hours == Decimal(owed)

    def test_a_pause_owes_nothing(self, enrolment):
        pause(enrolment, date(2026, 10, 1), date(2026, 10, 14))
        status = protected_time_status(Enrolment.objects.all(), on=IN_NOVEMBER)[enrolment.pk]
        assert status.owed_hours == Decimal("8.9")  # 12 working days left × 0.74 = 8.88

    def test_nothing_is_owed_after_the_end_which_an_extension_moves(self, enrolment, lead):
        # The year ends on Tuesday 7 September 2027: 1-3, 6 and 7 September are owed.
        in_october = date(2027, 10, 12)
        status = protected_time_status(Enrolment.objects.all(), on=in_october)[enrolment.pk]
        assert status.owed_hours == Decimal("3.7")
        EnrolmentExtension.objects.create(
            enrolment=enrolment, weeks=4, reason="Agreed at review", approved_by=lead
        )
        status = protected_time_status(Enrolment.objects.all(), on=in_october)[enrolment.pk]
        assert status.owed_hours == Decimal("16.3")  # all 22 working days of September

    def test_the_query_count_is_the_same_for_3_and_30_enrolments(
        self, lead, django_assert_num_queries
    ):
        for size in (3, 30):
            for enrolment in EnrolmentFactory.create_batch(size):
                logged(enrolment, (date(2026, 10, 5), "2"), (date(2026, 10, 6), "1.5"))
                pause(enrolment, date(2026, 12, 1), date(2026, 12, 14))
                EnrolmentExtension.objects.create(
                    enrolment=enrolment, weeks=2, reason="Agreed", approved_by=lead
                )
            enrolments = Enrolment.objects.all()
            # The enrolments with the hours logged in the month (one subquery); their
            # programmes; their pauses; their extensions.
            with django_assert_num_queries(4):
                statuses = protected_time_status(enrolments, on=IN_NOVEMBER)
            assert {status.logged_hours for status in statuses.values()} == {Decimal("3.5")}
