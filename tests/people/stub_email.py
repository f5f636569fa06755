"""An email backend for the worker tests: it records what a real provider would have accepted.

Loaded by the Celery worker subprocess through EMAIL_BACKEND, and steered by its environment:

- STUB_EMAIL_LOG: a file; each message the "provider" accepts appends one line, the sending
  process's id and the message's subject. Lines are single `O_APPEND` writes, so processes
  sending at once never interleave them.
- STUB_EMAIL_SECONDS: the provider's latency, slept before the line is written. A worker killed
  during the sleep has not recorded the message, just as a provider never answered it.
- STUB_EMAIL_HOLD_AFTER: after this many messages in this process, the next one is never
  answered: its subject goes to `<STUB_EMAIL_LOG>.holding` and the send waits, so a test knows
  exactly where the worker is when it kills it. The wait is bounded; if nobody kills the
  worker, the send fails like a provider that timed out.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

HOLD_SECONDS = 60.0

_sent_by_this_process = 0


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        global _sent_by_this_process  # the count spans every connection this process opens
        log = os.environ["STUB_EMAIL_LOG"]
        latency_seconds = float(os.environ.get("STUB_EMAIL_SECONDS", "0"))
        hold_after = os.environ.get("STUB_EMAIL_HOLD_AFTER")
        for message in email_messages:
            if hold_after is not None and _sent_by_this_process == int(hold_after):
                _append(f"{log}.holding", message.subject)
                time.sleep(HOLD_SECONDS)
                raise TimeoutError("The stub provider held this message and nobody killed it.")
            time.sleep(latency_seconds)
            _append(log, f"{os.getpid()} {message.subject}")
            _sent_by_this_process += 1
        return len(email_messages)


def _append(path: str, line: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, f"{line}\n".encode())
    finally:
        os.close(descriptor)
