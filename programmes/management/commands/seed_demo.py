"""Load the demo local authority: teams, people in every role, and three cohorts.

Safe to run again: it finds what it made before and adds only what is missing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from people.models import Role, ServiceArea, Team, User
from people.services import create_team, find_or_create_person, grant_role, set_team_manager
from programmes.models import Cohort, Enrolment, Programme
from programmes.services import create_cohort, enrol_worker, record_pause

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
