"""The one way a service saves an audited record: validated, with who and why on its history row."""

from __future__ import annotations

from django.db import models

from people.models import User


def save_audited(
    instance: models.Model, *, by: User | None, why: str, validate: bool = True
) -> None:
    """Validate (unless the caller has just done so), then save with a history row naming who and
    why: django-simple-history reads `_history_user` and `_change_reason` as it writes the row."""
    if validate:
        instance.full_clean()
    instance._history_user = by
    instance._change_reason = why
    instance.save()
