"""Load the demo local authority: teams, people in every role, three cohorts, and a
supervision history, weekly caseloads and protected learning time up to today.

Safe to run again: it finds what it made before and adds only what is missing.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from people.models import Role, ServiceArea, Team, User
from people.services import create_team, find_or_create_person, grant_role, set_team_manager
from people.working_days import BANK_HOLIDAYS, add_working_days, is_working_day
from programmes import rules as programme_rules
from programmes import selectors as programme_selectors
from programmes.models import (
    CaseloadBreach,
    CaseloadSnapshot,
    Cohort,
    Enrolment,
    EnrolmentDocument,
    Programme,
    ProtectedTimeEntry,
)
from programmes.reminders import (
    queue_learning_agreement_reminders,
    queue_manager_digests,
    queue_open_breach_reminders,
    queue_protected_time_reminders,
)
from programmes.selectors.caseloads import cap_for
from programmes.services import add_document, create_cohort, enrol_worker, record_pause
from programmes.services.caseloads import (
    SnapshotRow,
    acknowledge_caseload_breach,
    detect_caseload_breaches,
    ingest_caseload_snapshots,
    notify_caseload_breaches,
    record_protected_time,
)
from supervision import rules as supervision_rules
from supervision.models import SupervisionSession
from supervision.reminders import queue_supervision_reminders
from supervision.services import (
    add_supervision_action,
    complete_supervision_action,
    countersign_supervision_session,
    record_supervision_session,
    sign_supervision_session,
)

DOMAIN = "demo.example"
TEAMS = [
    ("Assessment and Intervention North", ServiceArea.CHILDREN, "manager"),
    ("Children in Need South", ServiceArea.CHILDREN, "manager2"),
    ("Adult Community Team East", ServiceArea.ADULTS, "manager3"),
]
# (login, full name, roles, team index or None)
STAFF = [
    ("lead", "Sam Okafor", [Role.LEAD], None),
    ("manager", "Priya Shah", [Role.MANAGER], 0),
    ("manager2", "Tom Whitfield", [Role.MANAGER], 1),
    ("manager3", "Grace Adeyemi", [Role.MANAGER], 2),
    ("supervisor", "Helen Carter", [Role.SUPERVISOR], 0),
    ("supervisor2", "Marcus Reid", [Role.SUPERVISOR], 1),
    ("supervisor3", "Fiona Doyle", [Role.SUPERVISOR], 2),
    ("assessor", "David Mensah", [Role.ASSESSOR], 0),
    ("assessor2", "Ruth Kowalski", [Role.ASSESSOR, Role.SUPERVISOR], 1),
]
ASYE_WORKERS = [
    "Alex Morgan",
    "Jordan Bell",
    "Chloe Nguyen",
    "Aisha Rahman",
    "Ben Hughes",
    "Ella Price",
    "Kwame Asante",
    "Lucy Fraser",
    "Oliver Grant",
    "Sofia Marin",
    "Tariq Hussain",
    "Zoe Palmer",
]
SWIP_WORKERS = ["Hannah Lee", "Ravi Patel", "Megan Doherty", "Isaac Ward"]
ADULT_WORKERS = ["Nadia Brooks", "Owen Jones", "Yasmin Ali"]
YEAR_END_LOGIN = "final1"  # Maya Collins, who started in December 2025
# Agency workers in children's teams who qualified this summer: the workforce summary flags them
# under the agency rule (programmes.rules.agency_rule_applies).
AGENCY_WORKERS = {"Kwame Asante", "Isaac Ward"}


def _registration(full_name: str, *, qualified_on: date) -> dict[str, object]:
    """A worker's Social Work England number, qualification date and employment, as HR sends."""
    number = sum(ord(letter) for letter in full_name) * 37 % 90_000 + 10_000
    return {
        "swe_registration_number": f"SW{number}",
        "qualified_on": qualified_on,
        "employment_type": (
            User.EmploymentType.AGENCY
            if full_name in AGENCY_WORKERS
            else User.EmploymentType.PERMANENT
        ),
    }


# Supervision: most workers on track, two overdue, one with short sessions. Both overdue workers
# are in Assessment and Intervention North (Priya Shah's team) and supervised by Helen Carter:
# login -> at least this many days overdue on the day the demo is seeded.
OVERDUE = {"worker5": 21, "swip3": 10}  # Ben Hughes (ASYE), Megan Doherty (ECDP)
SHORT_SESSIONS = "worker10"  # Sofia Marin: recent catch-ups between full sessions ran short
JOURNEY = "worker"  # Alex Morgan: a record to countersign and an action of their own
DRAFT_SUPERVISOR = "supervisor"  # Helen Carter has one record to finish
DAYS_EARLY = (0, 0, 1, 2)  # sessions are held on their due day or a day or two before
FULL_MINUTES = (90, 90, 95, 100, 105, 110, 120)
SHORT_MINUTES = (45, 50, 55, 60)
SHORT_SESSION_COUNT = 3

# Caseloads: a weekly figure from each start to today, within the cap for most. Two workers in
# Assessment and Intervention North (Priya Shah's team) are over it now; one went over some
# weeks ago and came back within it. None is a worker the supervision demo already singles out.
# login -> how many of the latest weekly figures are over the cap.
OVER_CAP_NOW = {"worker7": 3, "worker3": 1}  # Kwame Asante, Chloe Nguyen
ACKNOWLEDGED = "worker7"  # Priya Shah has a plan for Kwame Asante's breach; Chloe's is new
BACK_WITHIN_CAP = "worker9"  # Oliver Grant: over for two weeks, within for the last three
BACK_WITHIN_WEEKS = (5, 3)  # over from the 5th-latest figure to the 4th-latest
CLIMB_WEEKS = 3  # the weeks before a breach in which the caseload climbs to the cap
PLAN = (
    "No new allocations until the caseload is back within the cap. Two child in need cases "
    "move to an experienced colleague at the next allocation meeting, and the supervisor "
    "checks the figure each week."
)
PLAN_WORKING_DAYS = 10
# Protected time: most logged what they were owed last month; these two about half of it.
TIME_SHORTFALL = {"worker7", "worker4"}  # Kwame Asante (over the cap), Aisha Rahman
# (kind, hours, what it was)
LEARNING = [
    (ProtectedTimeEntry.Kind.TRAINING, Decimal("7"), "Legal literacy training day"),
    (ProtectedTimeEntry.Kind.TRAINING, Decimal("3.5"), "Half-day workshop on analysis"),
    (ProtectedTimeEntry.Kind.STUDY, Decimal("3.5"), "Reading for the critical reflection"),
    (ProtectedTimeEntry.Kind.STUDY, Decimal("2"), "Research in practice briefing"),
    (ProtectedTimeEntry.Kind.SHADOWING, Decimal("3"), "Shadowed a senior on a duty visit"),
    (ProtectedTimeEntry.Kind.REFLECTIVE_WRITING, Decimal("1.5"), "Reflective log"),
    (ProtectedTimeEntry.Kind.REFLECTIVE_WRITING, Decimal("2"), "Drafted portfolio evidence"),
]
HALF_HOUR = Decimal("0.5")

CHILDREN_TOPICS = [
    "a child in need plan review coming up",
    "preparing for a strategy discussion",
    "writing the chronology for an initial child protection conference",
    "direct work with a teenager who has stopped going to school",
    "working with a family where there is domestic abuse",
    "a home visit where a parent was hostile",
    "thresholds, and when to step a case down to early help",
    "the timetable for a case in pre-proceedings",
    "seeking the views of a non-verbal child",
    "a private fostering assessment",
]
ADULT_TOPICS = [
    "a care and support assessment for an older man living alone",
    "recording a mental capacity assessment",
    "a section 42 safeguarding enquiry",
    "a carer's assessment for a daughter caring for her mother",
    "hospital discharge and the discharge-to-assess pathway",
    "working with a person who self-neglects",
    "preparing for a best interests meeting",
    "a review of a direct payment that is not working",
    "risk enablement with a young adult moving into supported living",
]
DEVELOPMENT = [
    "Learning and the portfolio",
    "Protected development time",
    "Progress towards the next review",
    "Feedback from a direct observation",
    "Reading and training since last time",
]
NOTES = [
    "{first} talked through {topic}. The analysis is getting stronger; we agreed it should say "
    "what would change our view of the risk.",
    "We looked at {topic}. {first} was clear about the next steps and about when to ask for help.",
    "Discussed {topic}. {first} brought a draft and we went through it, agreeing what to tighten "
    "and what to leave out.",
    "Went back over {topic}. {first} noticed their own assumptions and how they shaped the first "
    "visit; we talked about checking them with a colleague.",
    "{first} led the discussion on {topic}, using the theory from the last training day well.",
    "Talked about {topic} and what the person's own words tell us. Recording is clearer and "
    "more analytical than a month ago.",
]
SHORT_REASONS = [
    "{first} was called out to an urgent duty visit",
    "the supervisor was needed in a strategy discussion",
    "the room booking ran out and the team meeting started",
    "{first} had to cover the duty phone",
]
WELLBEING = [
    "Tired but coping; caseload is within the protected limit. Reminded {first} to use the "
    "protected development time this week.",
    "Feeling more confident and sleeping well. Enjoys the team's lunchtime walk.",
    "A difficult visit stayed with {first} over the weekend. Talked about the employee "
    "assistance line and agreed a debrief after visits like it.",
    "Workload feels heavy after two new allocations; agreed no more until the next session.",
    "A good fortnight. {first} values the peer group on Thursdays.",
    "Some worry about the coming review point; we went through the evidence already in place.",
    "Settling in well. Working from the office three days a week suits {first}.",
]
REFLECTIONS = [
    "Helpful to slow down and think about the analysis rather than the tasks.",
    "I feel clearer about what to record and why. I will try the chronology template before "
    "next time.",
    "Talking the visit through helped; I realise I had been carrying it.",
    "Good to agree my priorities. I know what to do first this week.",
    "The case discussion helped me see how the family see us, not only how we see them.",
    "I was worried about the review, but I can see the evidence is there.",
]
WORKER_ACTIONS = [
    "Read the local guidance on recording and bring one question",
    "Write up the assessment analysis before the next session",
    "Draft the first critical reflection",
    "Shadow an experienced colleague on a duty visit",
    "Book a place on the next legal literacy training",
    "Ask a person using services for feedback on a visit",
]
SUPERVISOR_ACTIONS = [
    "Arrange a joint visit",
    "Ask the team manager to hold new allocations for two weeks",
    "Find a practice educator for the next direct observation",
    "Share the team's template for analysis",
    "Book the review meeting with the assessor",
]


class Command(BaseCommand):
    help = "Create the demo council (teams, people, cohorts). Safe to run more than once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (not production!)."
        )

    def handle(self, *args: object, force: bool = False, **options: object) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this may be a live system: seed_demo adds demo people with a "
                "known password. Run it with --force if you are sure."
            )
        with transaction.atomic():
            self._seed()
        self.stdout.write(self.style.SUCCESS("The demo council is ready. Sign in as:"))
        for login in ("lead", "manager", "supervisor", "assessor", "worker"):
            self.stdout.write(f"  {login}@{DOMAIN}")
        self.stdout.write("with the password in DEMO_PASSWORD (default footing-demo-2026).")

    def _person(self, login: str, full_name: str, team: Team | None) -> User:
        person, _created = find_or_create_person(
            email=f"{login}@{DOMAIN}", full_name=full_name, team=team
        )
        if not person.check_password(settings.DEMO_PASSWORD):
            person.password = self.password_hash
            person.save(update_fields=["password"])
        return person

    def _seed(self) -> None:
        self.password_hash = make_password(settings.DEMO_PASSWORD)
        lead = self._person("lead", "Sam Okafor", None)
        grant_role(user=lead, role=Role.LEAD, granted_by=None)
        teams = []
        for name, area, _manager_login in TEAMS:
            team = Team.objects.filter(name=name).first() or create_team(
                name=name, service_area=area
            )
            teams.append(team)
        people: dict[str, User] = {}
        for login, full_name, roles, team_index in STAFF:
            team = teams[team_index] if team_index is not None else None
            people[login] = self._person(login, full_name, team)
            for role in roles:
                grant_role(user=people[login], role=role, granted_by=lead)
        for team, (_name, _area, manager_login) in zip(teams, TEAMS, strict=True):
            set_team_manager(team=team, manager=people[manager_login])

        asye = self._cohort(lead, "ASYE-CF", "ASYE September 2026", date(2026, 9, 7))
        for index, full_name in enumerate(ASYE_WORKERS):
            login = "worker" if index == 0 else f"worker{index + 1}"
            north = index % 2 == 0
            self._enrol(
                lead,
                asye,
                login,
                full_name,
                team=teams[0] if north else teams[1],
                started_on=date(2026, 9, 7) if index < 10 else date(2026, 9, 21),
                fte=Decimal("0.6") if index == 5 else Decimal("1.0"),
                supervisor=people["supervisor"] if north else people["supervisor2"],
                assessor=people["assessor"] if north else people["assessor2"],
                **_registration(full_name, qualified_on=date(2026, 7, 3)),
            )
        swip = self._cohort(lead, "SWIP", "ECDP early adopters October 2026", date(2026, 10, 5))
        for index, full_name in enumerate(SWIP_WORKERS):
            self._enrol(
                lead,
                swip,
                f"swip{index + 1}",
                full_name,
                team=teams[index % 2],
                started_on=date(2026, 10, 5),
                fte=Decimal("1.0"),
                supervisor=people["supervisor"] if index % 2 == 0 else people["assessor2"],
                assessor=people["assessor"],
                **_registration(full_name, qualified_on=date(2026, 6, 26)),
            )
        adults = self._cohort(lead, "ASYE-AD", "ASYE Adults September 2026", date(2026, 9, 14))
        for index, full_name in enumerate(ADULT_WORKERS):
            self._enrol(
                lead,
                adults,
                f"adults{index + 1}",
                full_name,
                team=teams[2],
                started_on=date(2026, 9, 14),
                fte=Decimal("1.0"),
                supervisor=people["supervisor3"],
                assessor=people["assessor"],
                **_registration(full_name, qualified_on=date(2026, 7, 10)),
            )
        # A year on, Maya Collins's final review point has come: her final assessment, then the
        # moderation panel, are next (assessments/demo.py gives her the year's evidence).
        year_end = self._cohort(lead, "ASYE-CF", "ASYE December 2025", date(2025, 12, 1))
        self._enrol(
            lead,
            year_end,
            YEAR_END_LOGIN,
            "Maya Collins",
            team=teams[0],
            started_on=date(2025, 12, 1),
            fte=Decimal("1.0"),
            supervisor=people["supervisor"],
            assessor=people["assessor"],
            **_registration("Maya Collins", qualified_on=date(2025, 7, 4)),
        )
        # One worker on parental leave, so a pause and its moved dates are there to see.
        paused = Enrolment.objects.get(cohort=asye, worker__email=f"worker8@{DOMAIN}")
        if not paused.pauses.exists():
            record_pause(
                recorded_by=lead,
                enrolment=paused,
                starts_on=date(2026, 10, 26),
                ends_on=date(2026, 11, 20),
                reason="sickness",
                note="Returned on a phased plan.",
            )
        demo_enrolments = Enrolment.objects.filter(cohort__in=[asye, swip, adults, year_end])
        _SupervisionHistory(today=timezone.localdate()).seed(demo_enrolments)
        _CaseloadHistory(today=timezone.localdate(), imported_by=lead).seed(demo_enrolments)
        _file_learning_agreements(demo_enrolments, today=timezone.localdate())
        # The demo is the one place that wires every app's records together, as `config` wires
        # their code: the assessment stories need the enrolments, sessions and caseloads above.
        from assessments.demo import seed_assessments

        seed_assessments(demo_enrolments, today=timezone.localdate())
        _queue_todays_reminders(today=timezone.localdate())

    def _cohort(self, lead: User, code: str, name: str, intake_on: date) -> Cohort:
        programme = Programme.objects.get(code=code)
        existing = Cohort.objects.filter(programme=programme, name=name).first()
        return existing or create_cohort(
            created_by=lead, programme=programme, name=name, intake_on=intake_on
        )

    def _enrol(
        self, lead: User, cohort: Cohort, login: str, full_name: str, **details: object
    ) -> None:
        email = f"{login}@{DOMAIN}"
        if not Enrolment.objects.filter(cohort=cohort, worker__email=email).exists():
            enrol_worker(
                enrolled_by=lead, cohort=cohort, email=email, full_name=full_name, **details
            )
        self._person(login, full_name, details["team"])


def _working_day_on_or_before(day: date) -> date:
    while not supervision_rules.is_working_day(day, BANK_HOLIDAYS):
        day -= timedelta(days=1)
    return day


@dataclass
class _Planned:
    held_on: date
    minutes: int
    kind: str
    is_short: bool = False
    is_draft: bool = False


@dataclass
class _Plan:
    enrolment: Enrolment
    login: str
    rng: random.Random
    cadence: dict[str, Any]
    sessions: list[_Planned] = field(default_factory=list)

    @property
    def first_name(self) -> str:
        return self.enrolment.worker.full_name.split()[0]

    def status(self, *, on: date) -> supervision_rules.CadenceStatus:
        counting = [s.held_on for s in self.sessions if not (s.is_short or s.is_draft)]
        return supervision_rules.cadence_status(
            last_held_on=counting[-1] if counting else None, on=on, **self.cadence
        )


class _SupervisionHistory:
    """Sessions from each start to today at the programme's cadence, through the services.

    Only enrolments with no sessions yet get a history, so a second run adds nothing.
    """

    def __init__(self, *, today: date) -> None:
        self.today = today

    def seed(self, enrolments: QuerySet[Enrolment]) -> None:
        seeded = SupervisionSession.objects.filter(enrolment__in=enrolments).values("enrolment")
        to_seed = programme_selectors.enrolments_for_list(
            enrolments.current().filter(supervisor__isnull=False).exclude(pk__in=seeded)
        ).select_related("worker__team__manager")
        plans = [self._plan(enrolment) for enrolment in to_seed.order_by("pk")]
        self._leave_a_draft(plans)
        for plan in plans:
            self._record(plan)

    # Planning: only dates, from the cadence rules, before anything is written.

    def _plan(self, enrolment: Enrolment) -> _Plan:
        login = enrolment.worker.email.split("@")[0]
        timeline = programme_selectors.enrolment_timeline(enrolment, on=self.today)
        pauses = [pause.as_rule(today=self.today) for pause in enrolment.pauses.all()]
        plan = _Plan(
            enrolment=enrolment,
            login=login,
            rng=random.Random(f"supervision:{login}"),  # the same history on every run
            cadence={
                "started_on": enrolment.started_on,
                "ends_on": timeline.expected_end_on,
                "phases": enrolment.cohort.programme.cadence_phases,
                "pauses": pauses,
                "non_working_days": BANK_HOLIDAYS,
            },
        )

        def paused(day: date) -> bool:
            return any(pause.starts_on <= day <= pause.ends_on for pause in pauses)

        anchor = enrolment.started_on
        days: list[date] = []
        while (due := supervision_rules.next_due_after(anchor, **plan.cadence)) is not None:
            held = _working_day_on_or_before(
                due.due_on - timedelta(days=plan.rng.choice(DAYS_EARLY))
            )
            if (due.due_on - held).days > max(DAYS_EARLY) or held <= anchor or paused(held):
                held = due.latest_on  # the due day, or the working day after it
            if held > self.today:
                break  # not yet due, so never overdue
            days.append(held)
            anchor = held
        plan.sessions = [
            _Planned(day, plan.rng.choice(FULL_MINUTES), self._kind(plan.rng)) for day in days
        ]
        if login in OVERDUE:  # sessions stopped some weeks ago
            while plan.sessions and plan.status(on=self.today).days_overdue < OVERDUE[login]:
                plan.sessions.pop()
        if login == SHORT_SESSIONS:  # short catch-ups between the last full sessions
            after = [*days[1:], self.today + timedelta(days=1)]
            for before, until in list(zip(days, after, strict=True))[-SHORT_SESSION_COUNT:]:
                day = _working_day_on_or_before(before + (until - before) // 2)
                if before < day < until and not paused(day):
                    minutes = plan.rng.choice(SHORT_MINUTES)
                    plan.sessions.append(
                        _Planned(day, minutes, SupervisionSession.Kind.ONE_TO_ONE, is_short=True)
                    )
            plan.sessions.sort(key=lambda session: session.held_on)
        return plan

    @staticmethod
    def _kind(rng: random.Random) -> str:
        reflective = rng.random() < 0.2
        return (
            SupervisionSession.Kind.REFLECTIVE if reflective else SupervisionSession.Kind.ONE_TO_ONE
        )

    def _leave_a_draft(self, plans: list[_Plan]) -> None:
        """Helen Carter's on-track supervisee next due gets a record she has yet to finish.

        Held on the last working day, after their last session; or, when that was today, the
        last session itself is the draft (the one before it keeps them on track until today).
        """
        day = _working_day_on_or_before(self.today)
        extra, last_one = [], []
        for plan in plans:
            if (
                plan.enrolment.supervisor.email != f"{DRAFT_SUPERVISOR}@{DOMAIN}"
                or plan.login in {*OVERDUE, SHORT_SESSIONS, JOURNEY}
                or not plan.sessions
                or any(p.starts_on <= day <= p.ends_on for p in plan.cadence["pauses"])
            ):
                continue
            next_due_on = plan.status(on=self.today).next_due_on or date.max  # None: ended
            key = (next_due_on, plan.enrolment.worker.full_name)
            if plan.sessions[-1].held_on < day:
                extra.append((key, plan))
            elif len(plan.sessions) > 1:
                plan.sessions[-1].is_draft = True
                if not plan.status(on=self.today).is_overdue:
                    last_one.append((key, plan))
                plan.sessions[-1].is_draft = False
        if extra:
            plan = min(extra, key=lambda row: row[0])[1]
            minutes = plan.rng.choice(FULL_MINUTES)
            plan.sessions.append(_Planned(day, minutes, SupervisionSession.Kind.ONE_TO_ONE))
        elif last_one:
            plan = min(last_one, key=lambda row: row[0])[1]
        else:
            return
        plan.sessions[-1].is_draft = True

    # Writing: through the services, so each history row names who and why.

    def _texts(self, plan: _Plan, index: int, planned: _Planned) -> dict[str, str]:
        rng, first = plan.rng, plan.first_name
        adults = plan.enrolment.cohort.programme.service_area == ServiceArea.ADULTS
        topics = ADULT_TOPICS if adults else CHILDREN_TOPICS
        # Each worker starts somewhere else in the list; 7 steps through every topic in turn.
        topic = topics[(index * 7 + zlib.crc32(plan.login.encode())) % len(topics)]
        if planned.is_short:
            reason = rng.choice(SHORT_REASONS).format(first=first)
            return {
                "agenda": f"Catch-up between full sessions\n{topic[0].upper()}{topic[1:]}",
                "notes": f"Cut short after {planned.minutes} minutes: {reason}. "
                f"We will pick up {topic} at the next full session.",
                "wellbeing": rng.choice(WELLBEING).format(first=first),
            }
        if planned.kind == SupervisionSession.Kind.REFLECTIVE:
            agenda = (
                f"Reflective case discussion: {topic}\nWhat went well, what was hard, what next"
            )
        else:
            agenda = "\n".join(
                [
                    "Wellbeing and workload",
                    f"{topic[0].upper()}{topic[1:]}",
                    rng.choice(DEVELOPMENT),
                    "Actions from last time" if index else "Induction and the learning agreement",
                ]
            )
        notes = rng.choice(NOTES).format(first=first, topic=topic)
        return {
            "agenda": agenda,
            "notes": f"To finish writing up. {notes}" if planned.is_draft else notes,
            "wellbeing": rng.choice(WELLBEING).format(first=first),
        }

    def _record(self, plan: _Plan) -> None:
        enrolment, rng = plan.enrolment, plan.rng
        supervisor, worker = enrolment.supervisor, enrolment.worker
        last = len(plan.sessions) - 1
        with_actions = {1, last // 2, last - 1, last}
        for index, planned in enumerate(plan.sessions):
            session = record_supervision_session(
                recorded_by=supervisor,
                enrolment=enrolment,
                held_on=planned.held_on,
                minutes=planned.minutes,
                kind=planned.kind,
                **self._texts(plan, index, planned),
            )
            actions = []
            if index in with_actions and not planned.is_short:
                # The newest action is the worker's; older ones alternate.
                owner = worker if index == last or index % 2 else supervisor
                pool = WORKER_ACTIONS if owner == worker else SUPERVISOR_ACTIONS
                actions.append(
                    add_supervision_action(
                        added_by=supervisor,
                        session=session,
                        description=rng.choice(pool),
                        owner=owner,
                        due_on=planned.held_on + timedelta(days=rng.choice((7, 14, 21, 28))),
                    )
                )
            if planned.is_draft:
                continue  # for the supervisor to finish and sign
            sign_supervision_session(signed_by=supervisor, session=session)
            recent = (self.today - planned.held_on).days <= 7
            awaiting = index == last and (plan.login == JOURNEY or (recent and rng.random() < 0.5))
            if not awaiting:
                countersign_supervision_session(
                    signed_by=worker, session=session, worker_reflection=rng.choice(REFLECTIONS)
                )
            for action in actions:
                if index < last - 1:  # done by now; those from the last two sessions are open
                    done_on = action.due_on - timedelta(days=rng.choice((0, 1, 2, 3, 5)))
                    done_on = min(max(done_on, planned.held_on), self.today)
                    complete_supervision_action(
                        completed_by=action.owner, action=action, done_on=done_on
                    )


class _CaseloadHistory:
    """Weekly figures from each start to today, imported as the case-management system's weekly
    export would be, with detection run on each week's date so that breaches open and end on
    the days they would have. Then the learning each worker logged, month by month.

    Only enrolments with no figures get figures, and only those with no learning logged get
    learning, so a second run adds nothing.
    """

    def __init__(self, *, today: date, imported_by: User) -> None:
        self.today = today
        self.imported_by = imported_by

    def seed(self, enrolments: QuerySet[Enrolment]) -> None:
        current = programme_selectors.enrolments_for_list(enrolments.current()).order_by("pk")
        with_figures = CaseloadSnapshot.objects.filter(enrolment__in=enrolments)
        to_seed = list(current.exclude(pk__in=with_figures.values("enrolment")))
        if to_seed:
            rows = [row for enrolment in to_seed for row in self._figures(enrolment)]
            ingest_caseload_snapshots(
                rows=rows, source=CaseloadSnapshot.Source.CSV, recorded_by=self.imported_by
            )
            ids = [enrolment.pk for enrolment in to_seed]
            for day in sorted({row.as_of for row in rows} | {self.today}):
                detect_caseload_breaches(on=day, enrolment_ids=ids)
            self._acknowledge([e for e in to_seed if _login(e) == ACKNOWLEDGED])
        with_time = ProtectedTimeEntry.objects.filter(enrolment__in=enrolments)
        for enrolment in current.exclude(pk__in=with_time.values("enrolment")):
            self._learning(enrolment)

    def _figures(self, enrolment: Enrolment) -> list[SnapshotRow]:
        """A caseload that starts small and grows as the cap rises, kept a little under it.

        A worker who goes over climbs to the cap in the weeks before; after a breach ends, two
        cases have moved on.
        """
        login = _login(enrolment)
        rng = random.Random(f"caseload:{login}")  # the same figures on every run
        weeks = []  # (day, cap), none while paused: nothing is protected then
        day = enrolment.started_on
        while day <= self.today:
            cap = cap_for(enrolment, on=day)
            if cap is not None:
                weeks.append((day, cap))
            day += timedelta(days=7)
        over = range(0)
        if login in OVER_CAP_NOW:
            over = range(len(weeks) - OVER_CAP_NOW[login], len(weeks))
        elif login == BACK_WITHIN_CAP:
            first, last = BACK_WITHIN_WEEKS
            over = range(max(len(weeks) - first, 1), len(weeks) - last)
        children = enrolment.worker.team.service_area == ServiceArea.CHILDREN
        headroom = 0 if over else rng.choice((0, 1, 1, 2))  # how far under the cap they are kept
        complex_held = rng.choice((0, 1))  # care proceedings or a safeguarding enquiry, if allowed
        open_cases = rng.choice((1, 2, 3))
        rows = []
        for index, (day, cap) in enumerate(weeks):
            if index:
                open_cases += rng.choice((-1, 0, 1, 1, 2, 2))  # closures and new allocations
            if over and index == over.stop:
                open_cases = cap.open_cases - 2  # back within: two cases moved to colleagues
            if over and over.start - CLIMB_WEEKS <= index < over.start:  # towards the cap
                open_cases = max(open_cases, weeks[over.start][1].open_cases - (over.start - index))
            open_cases = max(1, min(open_cases, cap.open_cases - headroom))
            held = cap.open_cases + rng.choice((1, 2)) if index in over else open_cases
            child_protection = held // 4 if children else 0
            if cap.child_protection_lead is not None:
                child_protection = min(child_protection, cap.child_protection_lead)
            complex_cases = complex_held
            if cap.complex_lead is not None:
                complex_cases = min(complex_cases, cap.complex_lead)
            rows.append(
                SnapshotRow(
                    enrolment_id=enrolment.pk,
                    as_of=day,
                    open_cases=held,
                    child_protection_cases=child_protection,
                    complex_cases=complex_cases,
                )
            )
        return rows

    def _acknowledge(self, enrolments: list[Enrolment]) -> None:
        """The worker's manager owns the breach: a plan, and a date to be back within the cap."""
        breaches = CaseloadBreach.objects.filter(
            enrolment__in=enrolments, status=CaseloadBreach.Status.OPEN
        ).select_related("enrolment__worker__team__manager")
        for breach in breaches:
            acknowledge_caseload_breach(
                acknowledged_by=breach.enrolment.worker.team.manager,
                breach=breach,
                plan=PLAN,
                plan_due_on=add_working_days(self.today, PLAN_WORKING_DAYS),
            )

    def _learning(self, enrolment: Enrolment) -> None:
        """Each month, the protected time owed, logged by the worker as a few pieces of learning.

        Rounded up to the half hour, so what is logged covers what is owed; the shortfall
        workers logged about half of it in the last full month. Only the last two full months
        and this one, so that the demo stays quick to load late in a programme.
        """
        login = _login(enrolment)
        rng = random.Random(f"protected-time:{login}")
        pauses = [pause.as_rule(today=self.today) for pause in enrolment.pauses.all()]
        timeline = programme_selectors.enrolment_timeline(enrolment, on=self.today)
        short_month = programme_rules.last_full_month(self.today)[0]
        earliest = (short_month - timedelta(days=1)).replace(day=1)
        month = max(enrolment.started_on.replace(day=1), earliest)
        while month <= self.today:
            next_month = (month + timedelta(days=31)).replace(day=1)
            days = [
                day
                for day in _days(max(month, enrolment.started_on), next_month)
                if day <= self.today
                and is_working_day(day)
                and not programme_rules.is_paused_on(pauses, day)
            ]
            owed = programme_rules.protected_hours_owed(
                phases=enrolment.cohort.programme.protected_time,
                started_on=enrolment.started_on,
                fte=enrolment.fte,
                days=days,
                pauses=pauses,
                ends_on=timeline.expected_end_on,
            )
            if login in TIME_SHORTFALL and month == short_month:
                hours = (owed / 2 / HALF_HOUR).to_integral_value(rounding=ROUND_FLOOR)
            else:
                hours = (owed / HALF_HOUR).to_integral_value(rounding=ROUND_CEILING)
            remaining = hours * HALF_HOUR
            pieces = []
            while remaining > 0:
                kind, size, note = rng.choice(LEARNING)
                pieces.append((kind, min(size, remaining), note))
                remaining -= pieces[-1][1]
            for index, (kind, size, note) in enumerate(pieces):
                # Spread through the month: the first piece early on, the last near its end.
                on = days[(2 * index + 1) * len(days) // (2 * len(pieces))]
                record_protected_time(
                    recorded_by=enrolment.worker,
                    enrolment=enrolment,
                    on=on,
                    hours=size,
                    kind=kind,
                    note=note,
                )
            month = next_month


def _login(enrolment: Enrolment) -> str:
    return enrolment.worker.email.split("@")[0]


def _days(starts_on: date, before: date) -> list[date]:
    return [starts_on + timedelta(days=n) for n in range((before - starts_on).days)]


# Signed learning agreements on file for everyone two weeks or more into their programme, but
# one: Tariq Hussain's is late, so the demo shows its reminder.
NO_LEARNING_AGREEMENT = "worker11"
AGREEMENT_AFTER_DAYS = 14
# The smallest file the upload check takes for a PDF: the demo's stand-in for the signed scan.
AGREEMENT_PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _file_learning_agreements(enrolments: QuerySet[Enrolment], *, today: date) -> None:
    """Each one through the document service, by the worker's assessor (or supervisor)."""
    filed = EnrolmentDocument.objects.filter(kind=EnrolmentDocument.Kind.LEARNING_AGREEMENT)
    due = (
        enrolments.current()
        .filter(started_on__lte=today - timedelta(days=AGREEMENT_AFTER_DAYS))
        .exclude(pk__in=filed.values("enrolment"))
        .exclude(worker__email=f"{NO_LEARNING_AGREEMENT}@{DOMAIN}")
        .select_related("worker", "assessor", "supervisor")
        .order_by("pk")
    )
    for enrolment in due:
        add_document(
            uploaded_by=enrolment.assessor or enrolment.supervisor,
            enrolment=enrolment,
            kind=EnrolmentDocument.Kind.LEARNING_AGREEMENT,
            title="Learning agreement, signed",
            upload=SimpleUploadedFile("learning-agreement.pdf", AGREEMENT_PDF, "application/pdf"),
        )


def _queue_todays_reminders(*, today: date) -> None:
    """What the morning's jobs would have queued, so the demo inbox has it from the first run;
    the worker then emails it (to the console by default). Each is written once per day, so a
    second run adds nothing."""
    notify_caseload_breaches()
    queue_supervision_reminders(on=today)
    queue_learning_agreement_reminders(on=today)
    queue_protected_time_reminders(on=today)
    queue_open_breach_reminders(on=today)
    queue_manager_digests(on=today)
    from assessments.reminders import remind_evidence_awaiting_sign_off
    from assessments.review_reminders import queue_review_reminders

    remind_evidence_awaiting_sign_off(on=today)
    queue_review_reminders(on=today)
