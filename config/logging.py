"""Logs a service desk can use: each line carries the id of the request it belongs to.

A request's id is the incoming `X-Request-ID` when well formed (a proxy's, so its logs and
ours join up), or is made here; it is echoed in the response and shown on error pages as the
reference a user quotes.
Lines are plain text, or JSON (one object a line) when `LOG_FORMAT=json` for a log shipper.

Logs hold ids, never names, email addresses or case notes: code logs ids, and the formatters
blank out anything shaped like an email address that still gets through (an exception message
quoting a database row, say).

Nothing here imports Django at module level: settings.py imports this module to build LOGGING.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
NO_REQUEST = "-"  # the request_id of a line logged outside any request (a task, a command)
# Short and plain, so a forged id cannot smuggle line breaks or markup into logs and pages.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
REDACTED_EMAIL = "[email address removed]"

_request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def current_request_id() -> str:
    """The id of the request being handled in this context, or "-" outside one."""
    return _request_id.get()


def request_id_for(incoming: str | None) -> str:
    """Keep a well-formed incoming id (a proxy's, so its logs and ours join up); else a new one."""
    if incoming and VALID_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE: every line logged while a request is handled carries its id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            # The path only: a query string can hold what someone searched for (a name).
            logger.info(
                "%s %s %s %dms",
                request.method,
                request.path,
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            return response
        finally:
            _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Give every record a `request_id`, so formatters can always name it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # django.request logs some responses after the middleware has returned; the
            # request it passes along still knows its id.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current_request_id()
        return True


def redact(text: str) -> str:
    return EMAIL_ADDRESS.sub(REDACTED_EMAIL, text)


class TextFormatter(logging.Formatter):
    """One readable line per record (a traceback follows on its own lines)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.request_id = getattr(record, "request_id", NO_REQUEST)
        return redact(super().format(record))

    def formatMessage(self, record: logging.LogRecord) -> str:
        # A message can quote a URL path, which a client chooses: a line break in it would
        # let them write a forged line. (The traceback, added after this, keeps its lines.)
        record.message = record.message.replace("\r", "\\r").replace("\n", "\\n")
        return super().formatMessage(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, and any exception."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", NO_REQUEST),
        }
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            line["exception"] = redact(record.exc_text)
        if record.stack_info:
            line["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(line, ensure_ascii=False)


def build_logging(*, level: str, log_format: str) -> dict:
    """The LOGGING setting: everything to standard error through one handler.

    Django's own loggers are routed through it too (their default handlers are removed), so
    their lines carry request ids and follow LOG_FORMAT. Django's `mail_admins` handler goes
    with them: its reports would carry request details by email.
    """
    if log_format not in ("text", "json"):
        raise ValueError(f"LOG_FORMAT must be 'text' or 'json', not {log_format!r}")
    level = level.upper()
    formatter = JsonFormatter if log_format == "json" else TextFormatter
    # Never DEBUG for Django's loggers: django.db.backends would log SQL with its parameters.
    django_level = level if level in ("WARNING", "ERROR", "CRITICAL") else "INFO"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.logging.RequestIdFilter"}},
        "formatters": {"footing": {"()": f"config.logging.{formatter.__name__}"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "footing",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            name: {"handlers": [], "level": django_level, "propagate": True}
            for name in ("django", "django.server")
        },
    }
