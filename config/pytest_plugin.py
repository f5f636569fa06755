"""Test-run defaults, set before Django reads its settings (loaded by `-p` in pyproject).

Tests never read a developer's .env secret; CI sets DATABASE_URL/REDIS_URL to the real servers.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API and live_server
os.environ.setdefault("ENV_FILE", "")  # the test run never reads a developer's .env
# The test client speaks plain HTTP: a redirect to HTTPS would answer every request with 301.
# tests/config/test_deploy_check.py proves the production default is on.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
