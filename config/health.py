"""/healthz: does the database answer, does the broker answer."""

import logging
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection

logger = logging.getLogger(__name__)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database did not answer")
        return False


def _broker_answers() -> bool:
    url = settings.CELERY_BROKER_URL
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    try:
        if url.startswith("filesystem://"):
            # The file-system transport "connects" to anything: check its folders instead.
            folders = [Path(options["data_folder_in"]), Path(options["processed_folder"])]
            for folder in folders:
                folder.mkdir(parents=True, exist_ok=True)
            return all(folder.is_dir() for folder in folders)
        with Connection(url, connect_timeout=2, transport_options=options) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.exception("Health check: the broker did not answer")
        return False


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_answers(), "broker": _broker_answers()}
    failed = sorted(name for name, ok in checks.items() if not ok)
    body = {
        "status": "ok" if not failed else "unavailable",
        "checks": {name: ("ok" if ok else "failed") for name, ok in checks.items()},
        "failed": failed,
    }
    return JsonResponse(body, status=200 if not failed else 503)
