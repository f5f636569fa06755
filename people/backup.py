"""Backups of the embedded default: the SQLite database and every uploaded file, in one archive.

The database is copied with SQLite's online backup API, which reads a consistent snapshot while
the web, worker and beat processes carry on writing (WAL included); copying the file itself
could catch a write half-done. PostgreSQL deployments use pg_dump and pg_restore instead (README,
"Backups"), since only the database server can take a consistent copy of itself.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from django.utils import timezone

FORMAT = "footing-backup/1"
DATABASE_MEMBER = "database.sqlite3"
MANIFEST_MEMBER = "manifest.json"
MEDIA_MEMBER = "media"


class BackupError(Exception):
    """Refused, with a message that says what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    media_files: int


def _sqlite_path(alias: str = "default") -> Path:
    connection = connections[alias]
    if connection.vendor != "sqlite":
        raise BackupError(
            f"This deployment's database is {connection.vendor}, not the embedded SQLite: back it "
            "up with pg_dump and restore it with pg_restore, and copy MEDIA_ROOT alongside, as "
            'the README\'s "Backups" section shows.'
        )
    return Path(connection.settings_dict["NAME"])


def _media_files(media_root: Path) -> list[Path]:
    """Regular files only: a symbolic link could point anywhere on the server."""
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def create_backup(*, backup_dir: Path, media_root: Path) -> BackupResult:
    """Write footing-YYYYmmdd-HHMMSS.tar.gz into backup_dir; returns its path."""
    _sqlite_path()
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"footing-{stamp}.tar.gz"
    if target.exists():
        raise BackupError(f"{target} already exists: wait a second and run the backup again.")
    media = _media_files(media_root)
    with tempfile.TemporaryDirectory(dir=backup_dir) as scratch:
        copy = Path(scratch) / DATABASE_MEMBER
        connection = connections["default"]
        connection.ensure_connection()
        destination = sqlite3.connect(copy)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        manifest = Path(scratch) / MANIFEST_MEMBER
        manifest.write_text(
            json.dumps(
                {
                    "format": FORMAT,
                    "created_at": timezone.now().isoformat(),
                    "media_files": len(media),
                }
            )
        )
        # Written under another name and renamed: a backup cut short is never mistaken for one.
        partial = Path(scratch) / "partial.tar.gz"
        with tarfile.open(partial, "x:gz") as archive:
            archive.add(manifest, arcname=MANIFEST_MEMBER)
            archive.add(copy, arcname=DATABASE_MEMBER)
            for path in media:
                relative = path.relative_to(media_root).as_posix()
                archive.add(path, arcname=f"{MEDIA_MEMBER}/{relative}", recursive=False)
        os.replace(partial, target)
    return BackupResult(path=target, media_files=len(media))


def restore_backup(*, archive_path: Path, media_root: Path) -> BackupResult:
    """Replace the database and the uploaded files with the archive's."""
    database = _sqlite_path()
    if not archive_path.is_file():
        raise BackupError(f"There is no file at {archive_path}.")
    database.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=database.parent) as scratch:
        unpacked = Path(scratch)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                # The "data" filter refuses absolute paths, ".." and links out of the folder.
                archive.extractall(unpacked, filter="data")
        except (tarfile.TarError, OSError) as problem:
            raise BackupError(f"{archive_path} is not a readable backup ({problem}).") from None
        try:
            manifest = json.loads((unpacked / MANIFEST_MEMBER).read_text())
        except (OSError, ValueError):
            manifest = {}
        if manifest.get("format") != FORMAT or not (unpacked / DATABASE_MEMBER).is_file():
            raise BackupError(f"{archive_path} is not a Footing backup made by `manage.py backup`.")
        source = sqlite3.connect(unpacked / DATABASE_MEMBER)
        try:
            if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"The database in {archive_path} is damaged: nothing changed.")
            connections.close_all()  # nothing of ours holds the old database open
            # The backup API writes every page under SQLite's own lock, so the live file, its
            # WAL and any other reader stay consistent: safer than swapping the file underneath.
            destination = sqlite3.connect(database, timeout=30)
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
        media = _replace_folder(unpacked / MEDIA_MEMBER, media_root)
    return BackupResult(path=archive_path, media_files=media)


def _replace_folder(new: Path, target: Path) -> int:
    """Put `new`'s files at `target`, swapping whole folders so no mix of the two is left."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.parent / f".{target.name}.restoring"
    retired = target.parent / f".{target.name}.replaced"
    for leftover in (staged, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    if new.is_dir():
        shutil.copytree(new, staged)
    else:
        staged.mkdir()
    if target.exists():
        target.rename(retired)
    staged.rename(target)
    shutil.rmtree(retired, ignore_errors=True)
    return len(_media_files(target))
