"""The one way a service saves an audited record: validated, with who and why on its history row."""

from __future__ import annotations

from django.db import models

from people.models import User

CHANGE_REASON_LENGTH = 100  # django-simple-history's history_change_reason


def save_audited(
    instance: models.Model, *, by: User | None, why: str, validate: bool = True
) -> None:
    """Validate (unless the caller has just done so), then save with a history row naming who and
    why: django-simple-history reads `_history_user` and `_change_reason` as it writes the row."""
    if validate:
        instance.full_clean()
    instance._history_user = by
    instance._change_reason = change_reason(why)
    instance.save()


def change_reason(why: str) -> str:
    """The reason as a history row can hold it: 100 characters, as PostgreSQL enforces. A longer
    reason a person typed stays whole on the record itself; the history row carries its start."""
    if len(why) <= CHANGE_REASON_LENGTH:
        return why
    return f"{why[: CHANGE_REASON_LENGTH - 1]}…"
