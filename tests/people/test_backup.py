"""`manage.py backup` and `restore` on the embedded default, end to end in fresh processes.

These run manage.py against SQLite files of their own (never the test database), as an operator
would: back one up, restore it over another, and find every row and every file again.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# seed_demo with the fast test hasher: the real one takes a second per person.
SEED = (
    "from django.conf import settings; from django.core.management import call_command; "
    "settings.PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher']; "
    "call_command('seed_demo', '--force', verbosity=0)"
)


def manage(*args: str, database: Path, media: Path, backups: Path) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "BACKUP_DIR", "DEBUG"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        ENV_FILE="",
        SECRET_KEY="backup-test-" + "x" * 40,
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(media),
        BACKUP_DIR=str(backups),
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def row_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        # The table names come from SQLite's own catalogue, not from anyone's input.
        count = 'SELECT COUNT(*) FROM "{}"'
        return {t: connection.execute(count.format(t)).fetchone()[0] for t in tables}


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_a_backup_restored_into_a_fresh_database_holds_every_row_and_file(tmp_path):
    live = {"database": tmp_path / "live.sqlite3", "media": tmp_path / "live-media"}
    spare = {"database": tmp_path / "spare.sqlite3", "media": tmp_path / "spare-media"}
    backups = tmp_path / "backups"
    for step in (("migrate", "--noinput", "-v0"), ("shell", "-c", SEED)):
        result = manage(*step, **live, backups=backups)
        assert result.returncode == 0, result.stderr
    (live["media"] / "documents").mkdir(parents=True, exist_ok=True)  # the demo files some too
    (live["media"] / "documents" / "agreement.pdf").write_bytes(b"%PDF-1.4 \x00\xff signed")
    (live["media"] / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    backed_up = manage("backup", **live, backups=backups)
    assert backed_up.returncode == 0, backed_up.stderr
    archive = Path(backed_up.stdout.strip().splitlines()[-1])
    assert archive.parent == backups and archive.name.startswith("footing-")
    assert archive.name.endswith(".tar.gz")

    # The spare already has a database and a file of its own: the restore replaces both.
    result = manage("migrate", "--noinput", "-v0", **spare, backups=backups)
    assert result.returncode == 0, result.stderr
    spare["media"].mkdir()
    (spare["media"] / "stray.txt").write_text("not in the backup")

    refused = manage("restore", str(archive), **spare, backups=backups)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    assert (spare["media"] / "stray.txt").exists()

    restored = manage("restore", str(archive), "--yes", **spare, backups=backups)
    assert restored.returncode == 0, restored.stderr

    expected = row_counts(live["database"])
    assert expected["people_user"] > 20 and expected["programmes_enrolment"] > 10
    assert row_counts(spare["database"]) == expected
    assert files_under(spare["media"]) == files_under(live["media"])


def test_a_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "not-a-backup.tar.gz"
    bogus.write_bytes(b"hello")
    paths = {"database": tmp_path / "db.sqlite3", "media": tmp_path / "media"}
    result = manage("restore", str(bogus), "--yes", **paths, backups=tmp_path)
    assert result.returncode != 0 and "not a readable backup" in result.stderr


@pytest.mark.parametrize("command", [("backup",), ("restore", "x.tar.gz", "--yes")])
def test_postgresql_is_sent_to_pg_dump_and_pg_restore(tmp_path, command):
    environment_database = "postgres://footing@127.0.0.1:1/footing"  # never connected to
    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ENV_FILE": "",
            "SECRET_KEY": "backup-test-" + "x" * 40,
            "DATABASE_URL": environment_database,
            "BACKUP_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "README" in result.stderr and "pg_" in result.stderr
    assert not list(tmp_path.iterdir())
