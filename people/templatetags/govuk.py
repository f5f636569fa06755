"""Render Django form fields with GOV.UK Frontend classes, hints and error links."""

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_WIDGET_CLASSES = (
    (forms.Select, "govuk-select"),
    (forms.Textarea, "govuk-textarea"),
    (forms.ClearableFileInput, "govuk-file-upload"),
    (forms.FileInput, "govuk-file-upload"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.widgets.Input, "govuk-input"),
)


@register.filter
def govuk_widget(field: BoundField) -> SafeString:
    """The field's widget, styled, described by its hint and errors, marked when in error."""
    widget = field.field.widget
    css = next((c for kind, c in _WIDGET_CLASSES if isinstance(widget, kind)), "")
    if field.errors and css in ("govuk-input", "govuk-select", "govuk-textarea"):
        css += f" {css}--error"
    if field.errors and css == "govuk-file-upload":
        css += " govuk-file-upload--error"
    existing = widget.attrs.get("class", "")
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs = {"class": f"{css} {existing}".strip()}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)
