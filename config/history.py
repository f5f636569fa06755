"""Any audited record's history, for programme leads: who, when, what changed, and why.

History is read here and nowhere written: there is no form, API or admin action that edits or
deletes it (SIMPLE_HISTORY_REVERT_DISABLED turns off the admin's revert too).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from simple_history.models import registered_models

from people.selectors import can_view_history

ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    at: object
    who: str
    action: str
    reason: str
    changes: tuple[Change, ...]


def audited_model(app_label: str, model_name: str) -> type[models.Model]:
    """The audited model with this label, or 404: only models django-simple-history records."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if model not in registered_models.values() or not hasattr(model.objects, "visible_to"):
        raise Http404
    return model


def _display(field: models.Field, value: object, related: dict) -> str:
    if value is None or value == "":
        return _("(none)")
    if isinstance(field, models.ForeignKey):
        return str(related.get((field.related_model, value), f"#{value}"))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def history_entries(model: type[models.Model], rows: list) -> list[Entry]:
    """Newest first; each change names the field and its value before and after.

    `rows` are history rows of one or more records of `model`; each is compared with the
    previous row of the same record.
    """
    pk_name = model._meta.pk.attname
    foreign_keys = {
        f.attname: f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)
    }
    wanted: dict[type, set] = {}
    for row in rows:
        for attname, field in foreign_keys.items():
            if getattr(row, attname) is not None:
                wanted.setdefault(field.related_model, set()).add(getattr(row, attname))
    related = {
        (related_model, pk): obj
        for related_model, pks in wanted.items()
        for pk, obj in related_model._base_manager.in_bulk(pks).items()
    }
    ordered = sorted(rows, key=lambda row: (getattr(row, pk_name), row.history_date, row.pk))
    entries = []
    for index, row in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        changes = []
        if previous is not None and getattr(previous, pk_name) == getattr(row, pk_name):
            for change in row.diff_against(previous).changes:
                field = model._meta.get_field(change.field)
                changes.append(
                    Change(
                        str(field.verbose_name).capitalize(),
                        _display(field, change.old, related),
                        _display(field, change.new, related),
                    )
                )
        entries.append(
            Entry(
                at=row.history_date,
                who=str(row.history_user) if row.history_user else _("The system"),
                action=ACTIONS.get(row.history_type, row.history_type),
                reason=row.history_change_reason or "",
                changes=tuple(changes),
            )
        )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def _parts(model: type[models.Model]) -> list[tuple[type[models.Model], models.ForeignKey]]:
    """Audited models that belong to this one (deleted with it): a pause to its enrolment."""
    return [
        (part, field)
        for part in registered_models.values()
        for field in part._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
        and field.related_model is model
        and field.remote_field.on_delete is models.CASCADE
    ]


def record_history(request: HttpRequest, app_label: str, model_name: str, pk: int) -> HttpResponse:
    model = audited_model(app_label, model_name)
    record = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    if not can_view_history(request.user):
        raise PermissionDenied
    rows = list(record.history.select_related("history_user"))
    sections = []
    for part, field in _parts(model):
        # History rows outlive deleted parts (a removed document), so read them, not the parts.
        part_rows = list(
            part.history.filter(**{field.attname: record.pk}).select_related("history_user")
        )
        if part_rows:
            sections.append((part._meta.verbose_name_plural, history_entries(part, part_rows)))
    context = {
        "record": record,
        "kind": model._meta.verbose_name,
        "entries": history_entries(model, rows),
        "sections": sections,
    }
    return render(request, "history/record_history.html", context)
