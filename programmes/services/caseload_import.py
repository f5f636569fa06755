"""Caseload figures from a case-management system's CSV export: previewed, then all or nothing.

The file is taken as the case system writes it (Mosaic, LCS, Eclipse): its own column headings,
mapped once in an import profile; UTF-8 with or without a byte-order mark, or Windows-1252;
commas or semicolons; dates as DD/MM/YYYY or YYYY-MM-DD. Every problem is reported with the row
number a spreadsheet shows (the heading is row 1), and one bad row saves nothing.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import os
import re
import secrets
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.models import User
from programmes.models import CaseloadImportProfile, CaseloadSnapshot, Enrolment
from programmes.models.caseloads import MOST_CASES
from programmes.selectors.caseloads import can_import_caseloads
from programmes.services.caseloads import (
    SNAPSHOT_FIGURES,
    IngestResult,
    SnapshotRow,
    _check_figures,
    enrolment_on,
    enrolments_by_worker,
    ingest_caseload_snapshots,
)

MAXIMUM_BYTES = 5 * 1024 * 1024
# A year of daily figures for 50 workers: previewed in under 2 seconds and imported in about 5
# (SQLite or PostgreSQL), well inside a web request's time. A longer file is split.
MAXIMUM_ROWS = 20_000
MOST_WEIGHTED_COMPLEXITY = Decimal("9999.99")  # the column holds six digits, two after the point

# What each field of a profile holds, as a lead reads it on the profile form and in errors.
COLUMN_LABELS = {
    "worker": gettext_lazy("Worker's email or Social Work England number"),
    "as_of": gettext_lazy("Date of the figures"),
    "open_cases": gettext_lazy("Open cases"),
    "child_protection_cases": gettext_lazy("Child-protection cases held as lead"),
    "complex_cases": gettext_lazy("Complex cases held as lead"),
    "weighted_complexity": gettext_lazy("Weighted complexity"),
}

Problem = tuple[int | None, str]


class CaseloadImportError(ValidationError):
    """The file was refused; `problems` lists (row number or None, message), in file order."""

    def __init__(self, problems: list[Problem]) -> None:
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
class _FileRow:
    line: int
    enrolment: Enrolment
    row: SnapshotRow


def _day(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _decode(data: bytes) -> str:
    if len(data) > MAXIMUM_BYTES:
        raise CaseloadImportError(
            [(None, _("The file is larger than 5 MB. Split it and import each part."))]
        )
    if not data.strip():
        raise CaseloadImportError([(None, _("The file is empty."))])
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CaseloadImportError(
            [(None, _("The file is saved as Unicode (UTF-16) text. Save it as CSV instead."))]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Not UTF-8, so most likely Excel's or the case system's Windows default (é, £, ’).
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise CaseloadImportError(
                [(None, _("The file is not text Footing can read. Save it as CSV UTF-8."))]
            ) from None
    if "\x00" in text:
        raise CaseloadImportError(
            [(None, _("The file contains NUL characters: is it really a CSV?"))]
        )
    return text


def _heading(text: str) -> str:
    """A heading as it is compared: without regard to case or runs of spaces."""
    return " ".join(text.split()).casefold()


def _check_profile(profile: CaseloadImportProfile) -> None:
    """A profile saved through the service is sound; one edited elsewhere may not be."""
    problems: list[Problem] = []
    unknown = sorted(set(profile.columns) - set(CaseloadImportProfile.FIELDS))
    if unknown:
        problems.append(
            (
                None,
                _(
                    "The profile “%(profile)s” names fields Footing does not know: %(names)s. "
                    "Save the profile again from the import profiles page."
                )
                % {"profile": profile.name, "names": ", ".join(unknown)},
            )
        )
    for field in CaseloadImportProfile.REQUIRED:
        if not str(profile.columns.get(field) or "").strip():
            problems.append(
                (
                    None,
                    _("The profile “%(profile)s” does not name the column for “%(field)s”.")
                    % {"profile": profile.name, "field": COLUMN_LABELS[field]},
                )
            )
    if problems:
        raise CaseloadImportError(problems)


def _read_records(text: str, profile: CaseloadImportProfile) -> list[tuple[int, dict[str, str]]]:
    """Each non-blank row as {field: value}, numbered as a spreadsheet numbers its rows."""
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 0  # the last row read whole
    records: list[tuple[int, dict[str, str]]] = []
    try:
        headings = [_heading(name) for name in next(reader, None) or []]
        line = 1
        repeated = {name for name, count in Counter(headings).items() if name and count > 1}
        problems: list[Problem] = []
        wanted: dict[str, int] = {}
        for field in CaseloadImportProfile.FIELDS:
            column = str(profile.columns.get(field) or "").strip()
            if not column:
                continue
            names = {"column": column, "field": COLUMN_LABELS[field], "profile": profile.name}
            if _heading(column) in repeated:
                message = _(
                    "The heading “%(column)s” appears more than once, so Footing cannot tell "
                    "which column holds “%(field)s”."
                )
                problems.append((1, message % names))
            elif _heading(column) not in headings:
                message = _(
                    "There is no column headed “%(column)s” (%(field)s). The profile "
                    "“%(profile)s” expects one: check this is that system's export."
                )
                problems.append((1, message % names))
            else:
                wanted[field] = headings.index(_heading(column))
        if problems:
            raise CaseloadImportError(problems)
        for line, values in enumerate(reader, start=2):
            if not any(value.strip() for value in values):
                continue  # spreadsheets leave blank rows, often at the end
            if len(records) == MAXIMUM_ROWS:
                message = _("The file has more than %(count)s rows. Split it and import each part.")
                raise CaseloadImportError([(None, message % {"count": f"{MAXIMUM_ROWS:,}"})])
            record = {
                field: values[index].strip() if index < len(values) else ""
                for field, index in wanted.items()
            }
            records.append((line, record))
    except csv.Error as problem:
        # Reading stopped inside the row after the last one read whole.
        message = _("The file is not valid CSV here (%(problem)s).") % {"problem": problem}
        raise CaseloadImportError([(line + 1, message)]) from None
    if not records:
        raise CaseloadImportError([(None, _("The file has a heading but no rows."))])
    return records


@functools.lru_cache(maxsize=1024)  # a file repeats a few dates many times
def _parse_date(text: str) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _whole_number(field: str, text: str, problems: list[str]) -> int | None:
    label = COLUMN_LABELS[field]
    if not re.fullmatch(r"\d+", text):
        problems.append(
            _("%(figure)s “%(text)s” is not a whole number of cases, zero or more.")
            % {"figure": label, "text": text}
        )
        return None
    number = int(text)
    if number > MOST_CASES:
        problems.append(
            _("%(figure)s “%(text)s” is more than %(most)s: check the figure.")
            % {"figure": label, "text": text, "most": MOST_CASES}
        )
        return None
    return number


def _weighted_complexity(text: str, problems: list[str]) -> Decimal | None:
    try:
        number = Decimal(text)
        if not number.is_finite() or number < 0:
            raise InvalidOperation
        number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if number > MOST_WEIGHTED_COMPLEXITY:
            raise InvalidOperation
    except InvalidOperation:
        problems.append(
            _("Weighted complexity “%(text)s” is not a number from 0 to 9999.99.") % {"text": text}
        )
        return None
    return number


def _figures(value: dict[str, str], problems: list[str]) -> dict[str, object]:
    """The row's figures; a blank optional one is left out (stored as 0, or as none)."""
    figures: dict[str, object] = {}
    if not value["open_cases"]:
        problems.append(_("The number of open cases is missing."))
    else:
        figures["open_cases"] = _whole_number("open_cases", value["open_cases"], problems)
    for field in ("child_protection_cases", "complex_cases"):
        if value.get(field):
            figures[field] = _whole_number(field, value[field], problems)
    if value.get("weighted_complexity"):
        figures["weighted_complexity"] = _weighted_complexity(
            value["weighted_complexity"], problems
        )
    return figures


def _check_records(
    records: list[tuple[int, dict[str, str]]],
) -> tuple[list[_FileRow], list[Problem]]:
    enrolments = enrolments_by_worker(value.get("worker", "") for _line, value in records)
    first_seen: dict[tuple[int, date], _FileRow] = {}
    checked: list[_FileRow] = []
    problems: list[Problem] = []
    for line, value in records:
        row_problems: list[str] = []
        key = value["worker"]
        if not key:
            row_problems.append(_("The worker's email or Social Work England number is missing."))
        elif key.strip().lower() not in enrolments:
            row_problems.append(
                _(
                    "Nobody enrolled in Footing has the email or Social Work England number "
                    "“%(key)s”."
                )
                % {"key": key}
            )
        as_of = _parse_date(value["as_of"])
        if not value["as_of"]:
            row_problems.append(_("The date is missing."))
        elif as_of is None:
            row_problems.append(
                _("Bad date “%(text)s”: use DD/MM/YYYY or YYYY-MM-DD.") % {"text": value["as_of"]}
            )
        figures = _figures(value, row_problems)
        enrolment = None
        if not row_problems:
            worker_enrolments = enrolments[key.strip().lower()]
            enrolment = enrolment_on(worker_enrolments, as_of)
            if enrolment is None:
                row_problems.append(
                    _("%(name)s was not on a programme on %(day)s.")
                    % {"name": worker_enrolments[0].worker.full_name, "day": _day(as_of)}
                )
        if not row_problems:
            row = SnapshotRow(
                enrolment_id=enrolment.pk,
                as_of=as_of,
                open_cases=figures["open_cases"],
                child_protection_cases=figures.get("child_protection_cases") or 0,
                complex_cases=figures.get("complex_cases"),
                weighted_complexity=figures.get("weighted_complexity"),
            )
            row_problems.extend(_check_figures(row).values())
            earlier = first_seen.get((row.enrolment_id, row.as_of))
            if earlier is not None and earlier.row != row:
                row_problems.append(
                    _("Line %(line)s has different figures for %(name)s on %(day)s.")
                    % {
                        "line": earlier.line,
                        "name": enrolment.worker.full_name,
                        "day": _day(as_of),
                    }
                )
            if not row_problems and earlier is None:
                first_seen[(row.enrolment_id, row.as_of)] = _FileRow(line, enrolment, row)
                checked.append(first_seen[(row.enrolment_id, row.as_of)])
        problems.extend((line, problem) for problem in row_problems)
    return checked, problems


def _read(data: bytes, profile: CaseloadImportProfile) -> tuple[list[_FileRow], list[Problem]]:
    try:
        _check_profile(profile)
        return _check_records(_read_records(_decode(data), profile))
    except CaseloadImportError as refusal:
        return [], refusal.problems


def read_caseload_file(
    data: bytes, profile: CaseloadImportProfile
) -> tuple[list[SnapshotRow], list[Problem]]:
    """The file's figures, each matched to its enrolment, and every problem with its row number.

    A row repeated with the same figures counts once. Reads only: nothing is saved.
    """
    checked, problems = _read(data, profile)
    return [file_row.row for file_row in checked], problems


@dataclass(frozen=True)
class FigureChange:
    """One figure of a row: what is stored now (None if nothing), and what the file says."""

    field: str
    old: object
    new: object

    @property
    def is_changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class PreviewRow:
    line: int
    enrolment: Enrolment
    as_of: date
    is_new: bool
    figures: tuple[FigureChange, ...]


@dataclass(frozen=True)
class CaseloadImportPreview:
    """What confirming the file would do; `rows` holds only the new and changed figures."""

    profile: CaseloadImportProfile
    created: int
    changed: int
    unchanged: int
    rows: tuple[PreviewRow, ...]
    figures: tuple[tuple[str, str], ...]  # (field, label) shown in the table, in file order
    problems: tuple[Problem, ...]

    @property
    def can_confirm(self) -> bool:
        return not self.problems


def preview_caseload_import(
    *, previewed_by: User, data: bytes, profile: CaseloadImportProfile
) -> CaseloadImportPreview:
    """What the file would create, change and leave alone, old figure beside new; saves nothing.

    Three queries whatever the size of the file: the enrolments, their stored figures for the
    file's dates, and nothing per row.
    """
    if not can_import_caseloads(previewed_by):
        raise PermissionDenied
    checked, problems = _read(data, profile)
    stored = {
        (snapshot.enrolment_id, snapshot.as_of): snapshot
        for snapshot in CaseloadSnapshot.objects.filter(
            enrolment_id__in={file_row.row.enrolment_id for file_row in checked},
            as_of__in={file_row.row.as_of for file_row in checked},
        )
    }
    rows, unchanged = [], 0
    for file_row in checked:
        snapshot = stored.get((file_row.row.enrolment_id, file_row.row.as_of))
        figures = tuple(
            FigureChange(
                field=name,
                old=getattr(snapshot, name) if snapshot else None,
                new=getattr(file_row.row, name),
            )
            for name in SNAPSHOT_FIGURES
        )
        if snapshot is not None and not any(figure.is_changed for figure in figures):
            unchanged += 1
            continue
        rows.append(
            PreviewRow(
                line=file_row.line,
                enrolment=file_row.enrolment,
                as_of=file_row.row.as_of,
                is_new=snapshot is None,
                figures=figures,
            )
        )
    # The table shows the figures the profile maps, and any other the file would change: a
    # figure the export leaves out is stored as 0 or none, over one that was entered by hand.
    changed_fields = {
        figure.field
        for row in rows
        if not row.is_new
        for figure in row.figures
        if figure.is_changed
    }
    shown = tuple(
        name for name in SNAPSHOT_FIGURES if name in profile.columns or name in changed_fields
    )
    created = sum(row.is_new for row in rows)
    return CaseloadImportPreview(
        profile=profile,
        created=created,
        changed=len(rows) - created,
        unchanged=unchanged,
        rows=tuple(
            replace(row, figures=tuple(f for f in row.figures if f.field in shown)) for row in rows
        ),
        figures=tuple((name, str(COLUMN_LABELS[name])) for name in shown),
        problems=tuple(problems),
    )


def import_caseload_file(
    *, imported_by: User, data: bytes, profile: CaseloadImportProfile
) -> IngestResult:
    """Store every figure in the file, or refuse it and save nothing.

    The same file twice changes nothing the second time; a changed figure replaces the stored
    one and the history keeps the old. Breach detection is queued when the figures commit.
    """
    if not can_import_caseloads(imported_by):
        raise PermissionDenied
    rows, problems = read_caseload_file(data, profile)
    if problems:
        raise CaseloadImportError(problems)
    return ingest_caseload_snapshots(
        rows=rows, source=CaseloadSnapshot.Source.CSV, recorded_by=imported_by
    )


# --- Holding a file between its preview and its confirmation.
# The bytes wait on the server under a random token that only the session knows, so what is
# confirmed is what was previewed, and the browser cannot swap it. Files are private to
# MEDIA_ROOT (never served), and removed on confirmation or once older than a session lasts.

_HELD_FOLDER = "caseload-imports"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def _held_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / _HELD_FOLDER


def hold_caseload_file(data: bytes) -> str:
    """Keep an uploaded file until it is confirmed; the token names it."""
    if len(data) > MAXIMUM_BYTES:
        raise CaseloadImportError(
            [(None, _("The file is larger than 5 MB. Split it and import each part."))]
        )
    folder = _held_folder()
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale(folder)
    token = secrets.token_urlsafe(24)
    descriptor = os.open(folder / f"{token}.csv", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as held:
        held.write(data)
    return token


def held_caseload_file(token: str) -> bytes | None:
    """The file held under `token`, or None if it was never held or has been removed."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    try:
        return (_held_folder() / f"{token}.csv").read_bytes()
    except FileNotFoundError:
        return None


def release_caseload_file(token: str) -> None:
    if _TOKEN.fullmatch(token or ""):
        (_held_folder() / f"{token}.csv").unlink(missing_ok=True)


def _remove_stale(folder: Path) -> None:
    oldest = time.time() - settings.SESSION_COOKIE_AGE
    for path in folder.glob("*.csv"):
        try:
            if path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)
        except FileNotFoundError:
            continue  # another request removed it first
