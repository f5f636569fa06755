"""`manage.py restore FILE --yes` (`make restore FILE=…`): put a backup back, replacing all."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from people.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the embedded SQLite database and every uploaded file with those in a backup "
        "made by `manage.py backup`. Stop the app first. PostgreSQL: see the README."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The .tar.gz archive to restore.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm that the current database and uploaded files are to be replaced.",
        )

    def handle(self, *args: object, file: Path, yes: bool, **options: object) -> None:
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError(
                "restore puts back the embedded SQLite database only. For PostgreSQL use "
                'pg_restore, as the README\'s "Backups" section shows.'
            )
        if not yes:
            # No prompt: CI and scripts have no one to answer it.
            raise CommandError(
                f"This replaces the whole database and every file under {settings.MEDIA_ROOT} "
                f"with those in {file}. Stop the app, then run again with --yes."
            )
        try:
            result = restore_backup(archive_path=file, media_root=Path(settings.MEDIA_ROOT))
        except BackupError as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the database and {result.media_files} uploaded file(s) from {file}."
            )
        )
