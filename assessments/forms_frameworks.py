"""Web form for moving an enrolment to another framework version. Field names are the
service's keyword names."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _

from assessments.models import Framework

NO_NUL = _("Remove the unusual character from this text")


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Framework) -> str:
        starts = dateformat.format(obj.effective_from, "j F Y")
        return _("%(name)s, version %(version)s (in force from %(starts)s)") % {
            "name": obj.name,
            "version": obj.version,
            "starts": starts,
        }


class MoveFrameworkForm(forms.Form):
    framework = FrameworkChoiceField(
        label=_("Framework version to assess against"),
        queryset=Framework.objects.none(),
        empty_label=_("Choose a version"),
        error_messages={
            "required": _("Choose the framework version to move to"),
            "invalid_choice": _("Choose one of the versions listed"),
        },
    )
    reason = forms.CharField(
        label=_("Why it moves"),
        help_text=_("For example: the cohort agreed to be assessed against the new standards."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the enrolment moves to this version")},
    )

    def __init__(self, *args: object, choices: QuerySet[Framework], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = choices

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        if "\x00" in reason:
            raise forms.ValidationError(NO_NUL)
        return reason
