"""Production settings pass Django's deployment checks; HTTPS settings follow the environment.

Each test starts a fresh interpreter with a production-like environment: the test run's own
defaults (config/pytest_plugin.py turns the HTTPS redirect off) must not leak in.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Everything these tests decide for themselves, dropped from the inherited environment.
DECIDED_HERE = {
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "TRUSTED_PROXY_SSL_HEADER",
    "HSTS_SECONDS",
    "HSTS_INCLUDE_SUBDOMAINS",
    "HSTS_PRELOAD",
    "LOG_FORMAT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # the browser tests need it; a live system must not have it
}
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'redirect': settings.SECURE_SSL_REDIRECT, "
    "'exempt': settings.SECURE_REDIRECT_EXEMPT, "
    "'proxy_header': settings.SECURE_PROXY_SSL_HEADER, "
    "'hsts_seconds': settings.SECURE_HSTS_SECONDS, "
    "'hsts_subdomains': settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "'hsts_preload': settings.SECURE_HSTS_PRELOAD, "
    "'referrer_policy': settings.SECURE_REFERRER_POLICY, "
    "'frame_options': settings.X_FRAME_OPTIONS}))"
)


def _production(**environment: str) -> dict[str, str]:
    inherited = {key: value for key, value in os.environ.items() if key not in DECIDED_HERE}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ENV_FILE": "",  # no developer's .env
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "footing.example",
        **environment,
    }


def _run(arguments: list[str], **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=_production(**environment),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(**environment: str) -> dict:
    result = _run(["-c", PROBE], **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_passes_with_no_warnings_under_production_settings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output and "?:" not in output, output


def test_check_deploy_still_passes_when_the_council_opts_in_to_hsts_preload():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], HSTS_PRELOAD="true"
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues (0 silenced)" in output, output


def test_production_defaults_redirect_to_https_and_keep_to_it_for_a_year():
    seen = _settings()
    assert seen["redirect"] is True
    assert seen["exempt"] == [r"^healthz$"]
    assert seen["proxy_header"] is None  # no proxy is trusted unless named
    assert (seen["hsts_seconds"], seen["hsts_subdomains"]) == (31_536_000, True)
    assert seen["hsts_preload"] is False  # a commitment the council makes, not a default
    assert (seen["referrer_policy"], seen["frame_options"]) == ("same-origin", "DENY")


def test_under_debug_there_is_no_redirect_and_no_hsts():
    seen = _settings(DEBUG="true")
    assert (seen["redirect"], seen["hsts_seconds"]) == (False, 0)


def test_a_trusted_proxy_header_is_named_as_the_proxy_sends_it():
    seen = _settings(TRUSTED_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert seen["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
