"""Load a new framework version (its standards and statements) from a JSON or CSV file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.services.framework_files import FrameworkFileError, load_framework_file

HELP = """Load a framework version from FILE (.json or .csv, UTF-8 with or without a BOM),
all of it or nothing. Format: assessments/FRAMEWORK_FILES.md.

CSV: a header row, then one row per statement, with the columns standard_number,
standard_title, statement_code, statement_text and, optionally, standard_description and
maps_from (codes of statements in the replaced version, separated by ";"). The framework's
own fields come from --code, --framework-version, --name, --effective-from (and optionally
--effective-to, --source, --description).

JSON: {"framework": {"code", "version", "name", "effective_from", ...}, "standards": [{"number",
"title", "statements": [{"code", "text", "maps_from": [...]}]}]}. A field may be given as an
option instead, but not both.

A malformed file is refused with each problem's line (CSV) or path (JSON), and nothing is loaded.
"""


def _format(path: Path, given: str | None) -> str:
    if given:
        return given
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("csv", "json"):
        raise CommandError(f"{path.name}: name the file .csv or .json, or give --format.")
    return suffix


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: object) -> CommandParser:
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter  # keep the help's line breaks
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The .json or .csv file to load.")
        parser.add_argument("--format", choices=("csv", "json"), help="Default: from the name.")
        parser.add_argument("--code", help="The framework's code, e.g. early-career-standards.")
        parser.add_argument(
            "--framework-version", help="Its version, e.g. 2026 (--version is Django's own)."
        )
        parser.add_argument("--name", help="Its full name.")
        parser.add_argument("--effective-from", help="In force from, as YYYY-MM-DD.")
        parser.add_argument("--effective-to", help="In force to (last day), as YYYY-MM-DD.")
        parser.add_argument("--source", help="Where the text was taken from.")
        parser.add_argument("--description", help="A short description.")
        parser.add_argument(
            "--programmes",
            help="Codes of the programmes assessed against it, comma-separated, e.g. ASYE-CF,SWIP "
            "(default: those of the version it replaces; none if it replaces none).",
        )
        parser.add_argument(
            "--replaces",
            metavar="CODE:VERSION",
            help="The version this one replaces; maps_from names its statement codes.",
        )
        parser.add_argument(
            "--close-replaced",
            action="store_true",
            help="End the replaced version the day before this one comes into force.",
        )

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error.strerror}).") from None
        header = {
            "code": options["code"],
            "version": options["framework_version"],
            "name": options["name"],
            "effective_from": options["effective_from"],
            "effective_to": options["effective_to"],
            "source": options["source"],
            "description": options["description"],
        }
        programmes = options["programmes"]
        try:
            loaded = load_framework_file(
                content=content,
                file_format=_format(path, options["format"]),
                header=header,
                programme_codes=programmes.split(",") if programmes is not None else None,
                replaces=options["replaces"],
                close_replaced=options["close_replaced"],
                source_name=f"manage.py load_framework {path.name}",
            )
        except FrameworkFileError as refusal:
            lines = "\n".join(f"  {path.name}, {problem}" for problem in refusal.problems)
            raise CommandError(
                f"Nothing was loaded. Fix the file and load it again:\n{lines}"
            ) from None
        framework = loaded.framework
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {framework.code}:{framework.version} ({framework.name}): "
                f"{loaded.standards} standard(s), {loaded.statements} statement(s), "
                f"{loaded.mappings} mapping(s) from the version it replaces."
            )
        )
        programmes_linked = ", ".join(p.code for p in framework.programmes.all()) or "none"
        self.stdout.write(f"Programmes assessed against it: {programmes_linked}.")
        if loaded.closed is not None:
            closed = loaded.closed
            self.stdout.write(
                f"{closed.code}:{closed.version} now ends on {closed.effective_to.isoformat()}."
            )
