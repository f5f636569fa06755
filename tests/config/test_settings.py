"""Settings come from the environment only; checked in fresh interpreters."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'debug': settings.DEBUG, 'engine': db['ENGINE'], "
    "'options': db.get('OPTIONS', {}), 'broker': settings.CELERY_BROKER_URL, "
    "'cache': settings.CACHES['default']['BACKEND'], 'tz': settings.TIME_ZONE, "
    "'secure_cookie': settings.SESSION_COOKIE_SECURE}))"
)


def _settings_with(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "SECURE_COOKIES"}
    }
    env = {**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "ENV_FILE": "", **environment}
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True
    )


def test_there_is_no_default_secret_key(tmp_path):
    result = _settings_with(tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_embedded_default_is_sqlite_in_wal_mode_with_a_file_system_broker(tmp_path):
    result = _settings_with(tmp_path, SECRET_KEY="x" * 50)
    seen = json.loads(result.stdout)
    assert seen["engine"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in seen["options"]["init_command"]
    assert seen["options"]["transaction_mode"] == "IMMEDIATE"
    assert seen["broker"] == "filesystem://"
    assert (seen["debug"], seen["tz"], seen["secure_cookie"]) == (False, "Europe/London", True)


def test_postgresql_and_redis_are_used_when_their_urls_are_set(tmp_path):
    result = _settings_with(
        tmp_path,
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/footing",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    seen = json.loads(result.stdout)
    assert seen["engine"] == "django.db.backends.postgresql"
    assert seen["broker"] == "redis://127.0.0.1:6379/0"
    assert seen["cache"] == "django.core.cache.backends.redis.RedisCache"


def test_debug_is_on_only_when_asked(tmp_path):
    result = _settings_with(tmp_path, SECRET_KEY="x" * 50, DEBUG="true")
    seen = json.loads(result.stdout)
    assert seen["debug"] is True and seen["secure_cookie"] is False


def test_celery_acknowledges_late_and_takes_one_task_at_a_time():
    from config.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.timezone == "Europe/London"


def test_every_setting_read_from_the_environment_is_documented_in_env_example():
    source = (ROOT / "config" / "settings.py").read_text()
    example = (ROOT / ".env.example").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", example, flags=re.MULTILINE))
    assert read, "the pattern found no settings: it is broken"
    assert read <= documented, f"undocumented: {sorted(read - documented)}"
