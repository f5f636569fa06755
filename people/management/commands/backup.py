"""`manage.py backup` (`make backup`): the SQLite database and uploaded files in one archive."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from people.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the embedded SQLite database (online, while the app runs) and every uploaded "
        "file into BACKUP_DIR/footing-YYYYmmdd-HHMMSS.tar.gz. PostgreSQL: see the README."
    )

    def handle(self, *args: object, **options: object) -> None:
        try:
            result = create_backup(
                backup_dir=Path(settings.BACKUP_DIR), media_root=Path(settings.MEDIA_ROOT)
            )
        except BackupError as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(f"Backed up the database and {result.media_files} uploaded file(s) to:")
        self.stdout.write(str(result.path))
