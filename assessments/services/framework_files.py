"""Load a framework version from the authority's file: parse, check every line, then save it all
in one transaction, or nothing (DOMAIN.md, "Frameworks"; the format is in FRAMEWORK_FILES.md).

Every problem found is reported with where it is (a CSV line number or a JSON path) and what to
change, so a lead can fix the file in one pass.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import Framework, Standard, Statement, StatementMapping
from people.audit import save_audited
from people.models import User
from programmes.models import Programme

CSV_REQUIRED = ("standard_number", "standard_title", "statement_code", "statement_text")
CSV_OPTIONAL = ("standard_description", "maps_from")
STANDARD_KEYS = ("number", "title", "description", "statements")
STATEMENT_KEYS = ("code", "text", "maps_from")
HEADER_FIELDS = (
    "code",
    "version",
    "name",
    "effective_from",
    "effective_to",
    "source",
    "description",
)
HEADER_REQUIRED = ("code", "version", "name", "effective_from")
# The model's column lengths, checked here so a long value is reported with its line.
LIMITS = {"code": 40, "version": 40, "name": 200, "source": 300}
STANDARD_NUMBER_LENGTH = 10
STANDARD_TITLE_LENGTH = 300
STATEMENT_CODE_LENGTH = 20


class FrameworkFileError(ValidationError):
    """The file was refused; `problems` lists each one as "where: what to change"."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(self.problems)


@dataclass
class StatementRow:
    code: str
    text: str
    maps_from: list[str]
    where: str  # "line 4" or "standards[0].statements[2]", for messages about this row


@dataclass
class StandardRow:
    number: str
    title: str
    description: str
    where: str
    statements: list[StatementRow] = field(default_factory=list)


@dataclass
class FrameworkFile:
    """A file's contents once read, before it is checked against the database."""

    header: dict[str, str]
    header_where: dict[str, str]  # field name -> where it came from, for messages
    standards: list[StandardRow]


def _decode(content: bytes) -> tuple[str, list[str]]:
    """UTF-8, with or without a byte-order mark (spreadsheets add one)."""
    try:
        return content.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        return "", [
            f"line {line}: the file is not UTF-8 text. Save it as “CSV UTF-8” (or UTF-8 JSON) "
            "and load it again."
        ]


def _option(name: str) -> str:
    """The command's option for a framework field ("version" is Django's own option)."""
    return "--framework-version" if name == "version" else f"--{name.replace('_', '-')}"


def _clean(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _read_csv(text: str, header: Mapping[str, str | None]) -> tuple[FrameworkFile, list[str]]:
    problems: list[str] = []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [(name or "").strip() for name in (reader.fieldnames or [])]
    if not columns:
        return FrameworkFile({}, {}, []), ["line 1: the file is empty. Add a header row."]
    reader.fieldnames = columns
    missing = [name for name in CSV_REQUIRED if name not in columns]
    unknown = [name for name in columns if name not in CSV_REQUIRED + CSV_OPTIONAL]
    if missing:
        problems.append(f"line 1: add the missing column(s) {', '.join(missing)}.")
    if unknown:
        known = ", ".join(CSV_REQUIRED + CSV_OPTIONAL)
        problems.append(f"line 1: unknown column(s) {', '.join(unknown)}. The columns are {known}.")
    if problems:
        return FrameworkFile({}, {}, []), problems
    standards: dict[str, StandardRow] = {}
    for row in reader:
        where = f"line {reader.line_num}"
        if None in row:
            problems.append(f"{where}: the row has more cells than the header row has columns.")
            continue
        if all(not _clean(value) for value in row.values()):
            continue  # a blank line between blocks, as spreadsheets often leave
        number = _clean(row["standard_number"])
        title = _clean(row["standard_title"])
        standard = standards.get(number)
        if standard is None:
            standard = StandardRow(number, title, _clean(row.get("standard_description")), where)
            standards[number] = standard
        elif title and title != standard.title:
            problems.append(
                f"{where}: standard {number} is titled “{standard.title}” on "
                f"{standard.where}; give every row of a standard the same title."
            )
        maps_from = [code.strip() for code in (row.get("maps_from") or "").split(";")]
        standard.statements.append(
            StatementRow(
                code=_clean(row["statement_code"]),
                text=_clean(row["statement_text"]),
                maps_from=[code for code in maps_from if code],
                where=where,
            )
        )
    given = {name: _clean(value) for name, value in header.items() if value is not None}
    header_where = {name: _option(name) for name in HEADER_FIELDS}
    return FrameworkFile(given, header_where, list(standards.values())), problems


def _json_text(value: object, where: str, problems: list[str], *, required: bool) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(f"{where}: this is required; it is missing or blank.")
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        problems.append(f"{where}: give this as text in quotes.")
        return ""
    return str(value).strip()


def _unknown_keys(item: dict, known: tuple[str, ...], where: str, problems: list[str]) -> None:
    """A misspelt key is reported, not ignored: its value would otherwise be lost unseen."""
    unknown = sorted(set(item) - set(known))
    if unknown:
        problems.append(
            f"{where}: unknown key(s) {', '.join(unknown)}. The keys are {', '.join(known)}."
        )


def _read_json(text: str, header: Mapping[str, str | None]) -> tuple[FrameworkFile, list[str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return FrameworkFile({}, {}, []), [
            f"line {error.lineno}, column {error.colno}: this is not valid JSON ({error.msg})."
        ]
    if not isinstance(data, dict):
        return FrameworkFile({}, {}, []), [
            "(top level): the file must be an object with “framework” and “standards”."
        ]
    problems: list[str] = []
    unknown = sorted(set(data) - {"framework", "standards"})
    if unknown:
        problems.append(f"(top level): unknown key(s) {', '.join(unknown)}.")
    meta = data.get("framework", {})
    if not isinstance(meta, dict):
        problems.append("framework: give the framework's fields as an object.")
        meta = {}
    extra = sorted(set(meta) - set(HEADER_FIELDS))
    if extra:
        problems.append(
            f"framework: unknown field(s) {', '.join(extra)}. "
            f"The fields are {', '.join(HEADER_FIELDS)}."
        )
    given: dict[str, str] = {}
    header_where: dict[str, str] = {}
    for name in HEADER_FIELDS:
        option = header.get(name)
        if option is not None and name in meta:
            problems.append(
                f"framework.{name}: given both in the file and as {_option(name)}; give it once."
            )
        if option is not None:
            given[name], header_where[name] = _clean(option), _option(name)
        else:
            header_where[name] = f"framework.{name}"
            value = _json_text(meta.get(name), f"framework.{name}", problems, required=False)
            if value:
                given[name] = value
    raw_standards = data.get("standards")
    if not isinstance(raw_standards, list):
        problems.append("standards: give the standards as a list.")
        return FrameworkFile(given, header_where, []), problems
    standards: list[StandardRow] = []
    for index, raw in enumerate(raw_standards):
        where = f"standards[{index}]"
        if not isinstance(raw, dict):
            problems.append(f"{where}: give each standard as an object.")
            continue
        _unknown_keys(raw, STANDARD_KEYS, where, problems)
        standard = StandardRow(
            number=_json_text(raw.get("number"), f"{where}.number", problems, required=True),
            title=_json_text(raw.get("title"), f"{where}.title", problems, required=True),
            description=_json_text(
                raw.get("description"), f"{where}.description", problems, required=False
            ),
            where=where,
        )
        raw_statements = raw.get("statements")
        if not isinstance(raw_statements, list) or not raw_statements:
            problems.append(f"{where}.statements: give the standard's statements as a list.")
            raw_statements = []
        for position, item in enumerate(raw_statements):
            item_where = f"{where}.statements[{position}]"
            if not isinstance(item, dict):
                problems.append(f"{item_where}: give each statement as an object.")
                continue
            _unknown_keys(item, STATEMENT_KEYS, item_where, problems)
            maps_from = item.get("maps_from", [])
            if not isinstance(maps_from, list) or not all(isinstance(c, str) for c in maps_from):
                problems.append(f"{item_where}.maps_from: give a list of statement codes.")
                maps_from = []
            standard.statements.append(
                StatementRow(
                    code=_json_text(
                        item.get("code"), f"{item_where}.code", problems, required=True
                    ),
                    text=_json_text(
                        item.get("text"), f"{item_where}.text", problems, required=True
                    ),
                    maps_from=[code.strip() for code in maps_from if code.strip()],
                    where=item_where,
                )
            )
        standards.append(standard)
    return FrameworkFile(given, header_where, standards), problems


def _check_header(parsed: FrameworkFile, problems: list[str]) -> dict[str, Any]:
    """The framework's own fields: present, short enough, dates as YYYY-MM-DD and in order."""
    values: dict[str, Any] = {}
    for name in HEADER_FIELDS:
        where = parsed.header_where.get(name, name)
        value = parsed.header.get(name, "")
        if not value:
            if name in HEADER_REQUIRED:
                problems.append(f"{where}: give the framework's {name.replace('_', ' ')}.")
            values[name] = None if name.startswith("effective") else ""
            continue
        if "\x00" in value:
            problems.append(f"{where}: remove the unusual (NUL) character.")
        if name in LIMITS and len(value) > LIMITS[name]:
            problems.append(f"{where}: use at most {LIMITS[name]} characters.")
        if name.startswith("effective"):
            try:
                values[name] = date.fromisoformat(value)
            except ValueError:
                problems.append(
                    f"{where}: “{value}” is not a date; write it as YYYY-MM-DD, e.g. 2027-04-01."
                )
                values[name] = None
            continue
        values[name] = value
    starts, ends = values.get("effective_from"), values.get("effective_to")
    if starts and ends and ends < starts:
        where = parsed.header_where.get("effective_to", "effective_to")
        problems.append(f"{where}: the framework must end on or after the day it starts.")
    return values


def _check_rows(
    parsed: FrameworkFile, replaced_codes: set[str] | None, replaces_label: str
) -> list[str]:
    problems: list[str] = []
    if not any(standard.statements for standard in parsed.standards):
        problems.append("the file has no statements: add one row (or entry) per statement.")
    numbers: dict[str, str] = {}
    codes: dict[str, str] = {}
    for standard in parsed.standards:
        if not standard.number:
            problems.append(f"{standard.where}: give the standard's number.")
        elif len(standard.number) > STANDARD_NUMBER_LENGTH:
            problems.append(f"{standard.where}: a standard number has at most 10 characters.")
        elif standard.number in numbers:
            problems.append(
                f"{standard.where}: standard {standard.number} is already on "
                f"{numbers[standard.number]}."
            )
        else:
            numbers[standard.number] = standard.where
        if not standard.title:
            problems.append(f"{standard.where}: give the standard's title (heading).")
        elif len(standard.title) > STANDARD_TITLE_LENGTH:
            problems.append(f"{standard.where}: a standard's title has at most 300 characters.")
        for statement in standard.statements:
            where = statement.where
            if not statement.code:
                problems.append(f"{where}: give the statement's code, e.g. 1.1.")
            elif len(statement.code) > STATEMENT_CODE_LENGTH:
                problems.append(f"{where}: a statement code has at most 20 characters.")
            elif statement.code in codes:
                problems.append(
                    f"{where}: statement code {statement.code} is already used on "
                    f"{codes[statement.code]}; give each statement its own code."
                )
            else:
                codes[statement.code] = where
            if not statement.text:
                problems.append(f"{where}: the statement text is blank; add the text.")
            texts = (standard.title, standard.description, statement.code, statement.text)
            if any("\x00" in text for text in texts):
                problems.append(f"{where}: remove the unusual (NUL) character.")
            if statement.maps_from and replaced_codes is None:
                problems.append(
                    f"{where}: maps_from names statements of the version this one replaces; "
                    "say which with --replaces CODE:VERSION."
                )
            elif replaced_codes is not None:
                unknown = [code for code in statement.maps_from if code not in replaced_codes]
                if unknown:
                    problems.append(
                        f"{where}: maps_from code(s) {', '.join(unknown)} are not statements "
                        f"of {replaces_label}."
                    )
    return problems


def read_framework_file(
    *, content: bytes, file_format: str, header: Mapping[str, str | None] | None = None
) -> tuple[FrameworkFile, list[str]]:
    """Read a JSON or CSV file; the problems found in it so far, each with where it is."""
    text, problems = _decode(content)
    if problems:
        return FrameworkFile({}, {}, []), problems
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return FrameworkFile({}, {}, []), [
            f"line {line}: the file holds a NUL character; save it again as UTF-8 text."
        ]
    header = header or {}
    if file_format == "csv":
        return _read_csv(text, header)
    if file_format == "json":
        return _read_json(text, header)
    return FrameworkFile({}, {}, []), [f"the format must be csv or json, not “{file_format}”."]


def _parse_replaces(replaces: str | None, problems: list[str]) -> Framework | None:
    if not replaces:
        return None
    code, _colon, version = replaces.partition(":")
    if not code or not version:
        problems.append("--replaces: write it as CODE:VERSION, e.g. pqs-child-family:2018.")
        return None
    found = Framework.objects.filter(code=code.strip(), version=version.strip()).first()
    if found is None:
        problems.append(f"--replaces: no framework {code}:{version} is loaded.")
    return found


def _programmes(
    codes: Sequence[str] | None, replaced: Framework | None, problems: list[str]
) -> list[Programme]:
    """The programmes named, or else those using the version it replaces."""
    if codes is None:
        return list(replaced.programmes.all()) if replaced else []
    wanted = [code.strip() for code in codes if code.strip()]
    found = {p.code: p for p in Programme.objects.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        problems.append(f"--programmes: no programme has the code(s) {', '.join(unknown)}.")
    return [found[code] for code in wanted if code in found]


@dataclass(frozen=True)
class LoadedFramework:
    framework: Framework
    standards: int
    statements: int
    mappings: int
    closed: Framework | None  # the replaced version, when its end date was set


def load_framework_file(
    *,
    content: bytes,
    file_format: str,
    header: Mapping[str, str | None] | None = None,
    programme_codes: Sequence[str] | None = None,
    replaces: str | None = None,
    close_replaced: bool = False,
    loaded_by: User | None = None,
    source_name: str = "",
) -> LoadedFramework:
    """Load a new framework version from a file, all of it or (with every problem named) none."""
    parsed, problems = read_framework_file(content=content, file_format=file_format, header=header)
    if problems:
        raise FrameworkFileError(problems)
    values = _check_header(parsed, problems)
    replaced = _parse_replaces(replaces, problems)
    replaced_statements: dict[str, Statement] = {}
    if replaced is not None:
        replaced_statements = {
            s.code: s for s in Statement.objects.filter(standard__framework=replaced)
        }
    label = f"{replaced.code}:{replaced.version}" if replaced else ""
    problems += _check_rows(parsed, set(replaced_statements) if replaced else None, label)
    programmes = _programmes(programme_codes, replaced, problems)
    code, version = values.get("code"), values.get("version")
    if code and version and Framework.objects.filter(code=code, version=version).exists():
        problems.append(
            f"{code}:{version} is already loaded; give the new text a new version "
            "(and --replaces to map evidence across)."
        )
    starts = values.get("effective_from")
    if close_replaced and replaced is None:
        problems.append("--close-replaced: say which version to close with --replaces.")
    elif close_replaced and starts and replaced.effective_from >= starts:
        problems.append(
            f"--close-replaced: {label} starts on {replaced.effective_from.isoformat()}, "
            "so it cannot end before this version starts."
        )
    if problems:
        raise FrameworkFileError(problems)
    with transaction.atomic():
        framework = Framework(
            code=values["code"],
            version=values["version"],
            name=values["name"],
            source=values["source"],
            description=values["description"],
            effective_from=values["effective_from"],
            effective_to=values["effective_to"],
            replaces=replaced,
            loaded_at=timezone.now(),
        )
        try:
            save_audited(framework, by=loaded_by, why=f"Loaded from {source_name or 'a file'}")
        except ValidationError as error:
            raise FrameworkFileError(
                [
                    f"{parsed.header_where.get(name, name)}: {' '.join(messages)}"
                    for name, messages in error.message_dict.items()
                ]
            ) from None
        framework.programmes.set(programmes)
        mappings: list[StatementMapping] = []
        statements = 0
        for position, row in enumerate(parsed.standards, start=1):
            standard = Standard.objects.create(
                framework=framework,
                number=row.number,
                title=row.title,
                description=row.description,
                position=position,
            )
            for order, item in enumerate(row.statements, start=1):
                statement = Statement.objects.create(
                    standard=standard, code=item.code, text=item.text, position=order
                )
                statements += 1
                mappings += [
                    StatementMapping(source=replaced_statements[code], target=statement)
                    for code in dict.fromkeys(item.maps_from)
                ]
        StatementMapping.objects.bulk_create(mappings)
        closed = None
        if close_replaced and replaced is not None:
            day_before = framework.effective_from - timedelta(days=1)
            # A version that already ends sooner keeps its own end: closing never extends it.
            if replaced.effective_to is None or replaced.effective_to > day_before:
                replaced.effective_to = day_before
                save_audited(
                    replaced, by=loaded_by, why=f"Replaced by {framework.code}:{framework.version}"
                )
                closed = replaced
    return LoadedFramework(framework, len(parsed.standards), statements, len(mappings), closed)
