"""Import a cohort from an HR system's CSV export: all rows or none.

Every row is checked before anything is written, and every problem is reported with its line
number (the header is line 1), so the lead can fix the file in one go.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from people.models import Role, RoleMembership, Team, User
from programmes.models import Cohort, Enrolment, Programme
from programmes.rules import EARLIEST_DAY, LATEST_DAY, MAXIMUM_FTE, MINIMUM_FTE
from programmes.selectors import can_manage_cohorts
from programmes.services.enrolments import create_cohort, enrol_worker

REQUIRED_COLUMNS = ("email", "full_name", "team", "programme", "started_on", "fte")
OPTIONAL_COLUMNS = (
    "swe_registration_number",
    "employment_type",
    "qualified_on",
    "supervisor_email",
    "assessor_email",
)
MAXIMUM_BYTES = 2 * 1024 * 1024
MAXIMUM_ROWS = 2000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CohortImportError(ValidationError):
    """The file was refused; `problems` lists (line number or None, message), in file order."""

    def __init__(self, problems: list[tuple[int | None, str]]) -> None:
        self.problems = problems
        super().__init__(
            [
                _("Line %(line)s: %(problem)s") % {"line": line, "problem": problem}
                if line
                else problem
                for line, problem in problems
            ]
        )


@dataclass(frozen=True)
class _Row:
    line: int
    email: str
    full_name: str
    team: Team
    programme: Programme
    started_on: date
    fte: Decimal
    supervisor: User | None
    assessor: User | None
    swe_registration_number: str
    employment_type: str
    qualified_on: date | None


def _parse_date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _decode(raw: bytes) -> str:
    if not raw.strip():
        raise CohortImportError([(None, _("The file is empty."))])
    if len(raw) > MAXIMUM_BYTES:
        raise CohortImportError(
            [(None, _("The file is larger than 2 MB. Split it and import each part."))]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CohortImportError(
            [(None, _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”."))]
        ) from None
    if "\x00" in text:
        raise CohortImportError(
            [(None, _("The file contains NUL characters: is it really a CSV?"))]
        )
    return text


def _read_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise CohortImportError([(None, _("The file is empty."))])
        columns = [name.strip().lower() for name in header]
        missing = [name for name in REQUIRED_COLUMNS if name not in columns]
        if missing:
            raise CohortImportError(
                [
                    (
                        1,
                        _("The header is missing the column(s): %(names)s.")
                        % {"names": ", ".join(missing)},
                    )
                ]
            )
        # One count for all columns: list.count per column takes the square of the width,
        # minutes for a 2 MB header.
        duplicated = sorted(name for name, n in Counter(columns).items() if name and n > 1)
        if duplicated:
            raise CohortImportError(
                [
                    (
                        1,
                        _("The header repeats the column(s): %(names)s.")
                        % {"names": ", ".join(duplicated)},
                    )
                ]
            )
        rows = []
        for values in reader:
            if not any(value.strip() for value in values):
                continue  # spreadsheets leave blank lines at the end
            if len(rows) >= MAXIMUM_ROWS:
                raise CohortImportError(
                    [(None, _("The file has more than %(count)s rows.") % {"count": MAXIMUM_ROWS})]
                )
            rows.append(
                (reader.line_num, dict(zip(columns, (v.strip() for v in values), strict=False)))
            )
    except csv.Error as problem:
        raise CohortImportError(
            [
                (
                    reader.line_num,
                    _("The file is not valid CSV here (%(problem)s).") % {"problem": problem},
                )
            ]
        ) from None
    if not rows:
        raise CohortImportError([(None, _("The file has a header but no rows."))])
    return columns, rows


def _check_rows(
    rows: list[tuple[int, dict[str, str]]],
) -> tuple[list[_Row], list[tuple[int | None, str]]]:
    teams = {team.name.casefold(): team for team in Team.objects.all()}
    programmes = {p.code.casefold(): p for p in Programme.objects.all()}
    emails = {value.get("email", "").lower() for _line, value in rows} | {
        value.get(key, "").lower()
        for _line, value in rows
        for key in ("supervisor_email", "assessor_email")
    }
    people = {u.email.lower(): u for u in User.objects.filter(email__in=emails - {""})}
    roles: dict[int, set[str]] = {}
    memberships = RoleMembership.objects.filter(user__in=people.values())
    for user_id, role in memberships.values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    enrolled = {
        email.lower(): cohort
        for email, cohort in Enrolment.objects.current()
        .filter(worker__in=people.values())
        .values_list("worker__email", "cohort__name")
    }
    first_seen: dict[str, int] = {}
    problems: list[tuple[int | None, str]] = []
    checked: list[_Row] = []
    for line, value in rows:
        row_problems: list[str] = []
        email = value.get("email", "").lower()
        if not _EMAIL.match(email):
            row_problems.append(_("“%(email)s” is not an email address.") % {"email": email})
        elif email in first_seen:
            row_problems.append(
                _("duplicate email %(email)s (also on line %(line)s).")
                % {"email": email, "line": first_seen[email]}
            )
        elif email in enrolled:
            row_problems.append(
                _("%(email)s is already enrolled on %(cohort)s.")
                % {"email": email, "cohort": enrolled[email]}
            )
        first_seen.setdefault(email, line)
        full_name = value.get("full_name", "")
        if not full_name:
            row_problems.append(_("the full name is missing."))
        elif len(full_name) > 200:
            row_problems.append(_("the full name is longer than 200 characters."))
        team = teams.get(value.get("team", "").casefold())
        if team is None:
            row_problems.append(_("unknown team “%(team)s”.") % {"team": value.get("team", "")})
        programme = programmes.get(value.get("programme", "").casefold())
        if programme is None:
            row_problems.append(
                _("unknown programme “%(code)s”.") % {"code": value.get("programme", "")}
            )
        started_on = _parse_date(value.get("started_on", ""))
        if started_on is None:
            row_problems.append(
                _("bad date “%(text)s”: use DD/MM/YYYY or YYYY-MM-DD.")
                % {"text": value.get("started_on", "")}
            )
        elif not EARLIEST_DAY <= started_on <= LATEST_DAY:
            row_problems.append(
                _("start date “%(text)s” is not between 2000 and 2099.")
                % {"text": value.get("started_on", "")}
            )
        try:
            fte = Decimal(value.get("fte", ""))
            if not fte.is_finite() or not (MINIMUM_FTE <= fte <= MAXIMUM_FTE):
                raise InvalidOperation
            fte = fte.quantize(Decimal("0.01"))
        except InvalidOperation:
            fte = None
            row_problems.append(
                _("FTE “%(text)s” is outside 0.1–1.0.") % {"text": value.get("fte", "")}
            )
        people_in_roles = {}
        for key, role, label in (
            ("supervisor_email", Role.SUPERVISOR, _("supervisor")),
            ("assessor_email", Role.ASSESSOR, _("assessor")),
        ):
            wanted = value.get(key, "").lower()
            person = people.get(wanted) if wanted else None
            if wanted and (person is None or role not in roles.get(person.pk, set())):
                row_problems.append(
                    _("%(email)s is not a known %(role)s.") % {"email": wanted, "role": label}
                )
            people_in_roles[role] = person
        employment_type = value.get("employment_type", "").lower() or User.EmploymentType.PERMANENT
        if employment_type not in User.EmploymentType.values:
            row_problems.append(
                _("employment type “%(text)s” must be permanent or agency.")
                % {"text": employment_type}
            )
        registration = value.get("swe_registration_number", "")
        if len(registration) > 20:
            row_problems.append(_("the registration number is longer than 20 characters."))
        qualified_text = value.get("qualified_on", "")
        qualified_on = _parse_date(qualified_text) if qualified_text else None
        if qualified_text and qualified_on is None:
            row_problems.append(
                _("bad qualification date “%(text)s”: use DD/MM/YYYY or YYYY-MM-DD.")
                % {"text": qualified_text}
            )
        if row_problems:
            problems.extend((line, problem) for problem in row_problems)
            continue
        checked.append(
            _Row(
                line=line,
                email=email,
                full_name=full_name,
                team=team,
                programme=programme,
                started_on=started_on,
                fte=fte,
                supervisor=people_in_roles[Role.SUPERVISOR],
                assessor=people_in_roles[Role.ASSESSOR],
                swe_registration_number=registration,
                employment_type=employment_type,
                qualified_on=qualified_on,
            )
        )
    return checked, problems


def import_cohort_csv(*, imported_by: User, name: str, intake_on: date, raw: bytes) -> Cohort:
    """Open a cohort and enrol every row of the file, or refuse the file and save nothing."""
    if not can_manage_cohorts(imported_by):
        raise PermissionDenied
    _columns, rows = _read_rows(_decode(raw))
    checked, problems = _check_rows(rows)
    codes = sorted({row.programme.code for row in checked})
    if not problems and len(codes) > 1:
        problems.append(
            (
                None,
                _("A cohort follows one programme, but the file names several: %(codes)s.")
                % {"codes": ", ".join(codes)},
            )
        )
    if problems:
        raise CohortImportError(problems)
    with transaction.atomic():
        cohort = create_cohort(
            created_by=imported_by, programme=checked[0].programme, name=name, intake_on=intake_on
        )
        for row in checked:
            try:
                enrol_worker(
                    enrolled_by=imported_by,
                    cohort=cohort,
                    email=row.email,
                    full_name=row.full_name,
                    team=row.team,
                    started_on=row.started_on,
                    fte=row.fte,
                    supervisor=row.supervisor,
                    assessor=row.assessor,
                    swe_registration_number=row.swe_registration_number,
                    employment_type=row.employment_type,
                    qualified_on=row.qualified_on,
                )
            except ValidationError as refusal:
                raise CohortImportError([(row.line, " ".join(refusal.messages))]) from None
    return cohort
