"""Web form for looking up completion records by Social Work England number."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CompletionLookupForm(forms.Form):
    number = forms.CharField(
        label=_("Social Work England number"),
        help_text=_("For example, SW123456. Spaces and lower case letters are fine."),
        max_length=40,
        error_messages={"required": _("Enter a Social Work England registration number")},
    )

    def clean_number(self) -> str:
        number = self.cleaned_data["number"]
        if "\x00" in number:
            raise forms.ValidationError(_("Remove the unusual character from this text"))
        return number
