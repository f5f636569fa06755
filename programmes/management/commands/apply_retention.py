"""Anonymise former workers past the retention period; `--dry-run` first to see who is due."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from programmes.services.retention import apply_retention, report_retention


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--on must be a date as YYYY-MM-DD, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Anonymise people whose programmes all ended more than RETENTION_YEARS ago. "
        "Run with --dry-run first: it lists them (ids and dates only) and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List who is due; change nothing."
        )
        parser.add_argument("--on", type=_day, help="Judge as of this day (default today).")

    def handle(self, *args: object, dry_run: bool, on: date | None, **options: object) -> None:
        on = on or timezone.localdate()
        years = settings.RETENTION_YEARS
        if dry_run:
            due = report_retention(on=on, actor=None, source="manage.py apply_retention --dry-run")
            self.stdout.write(
                f"Dry run on {on}: {len(due)} person(s) past the {years}-year retention period."
            )
            for candidate in due:
                self.stdout.write(
                    f"  person #{candidate.person_id}: last programme ended "
                    f"{candidate.last_ended_on}"
                )
            if due:
                self.stdout.write("Nothing has changed. Run without --dry-run to anonymise them.")
            return
        done = apply_retention(on=on, actor=None, source="manage.py apply_retention")
        for candidate in done:
            self.stdout.write(f"  anonymised person #{candidate.person_id}")
        self.stdout.write(self.style.SUCCESS(f"Anonymised {len(done)} person(s) on {on}."))
