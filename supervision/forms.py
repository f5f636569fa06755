"""Web forms for supervision. Field names are the services' keyword names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import User
from programmes.forms import date_field
from supervision import rules
from supervision.models import SupervisionSession

NO_NUL = _("Remove the unusual character from this text")


class MultilineTextField(forms.CharField):
    """Browsers send a text box's line breaks as CRLF: kept as LF, so text sent back untouched
    compares equal to what was saved, and an amendment does not log it as changed."""

    def to_python(self, value: object) -> str:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")


def _text(
    label: str,
    *,
    required: bool = False,
    help_text: str = "",
    rows: int = 5,
    required_message: str = "",
) -> forms.Field:
    missing = required_message or _("Enter the %(label)s") % {"label": str(label).lower()}
    return MultilineTextField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing},
    )


def _refuse_nul(form: forms.Form) -> None:
    """PostgreSQL cannot store a NUL character; say so instead of failing on save."""
    for name, value in form.cleaned_data.items():
        if isinstance(value, str) and "\x00" in value:
            form.add_error(name, NO_NUL)


class SessionForm(forms.Form):
    held_on = date_field(_("Date of the session"))
    minutes = forms.IntegerField(
        label=_("Length in minutes"),
        help_text=_("For example, 90 for an hour and a half."),
        min_value=rules.SHORTEST_MINUTES,
        max_value=rules.LONGEST_MINUTES,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter how long the session lasted, in minutes"),
            "invalid": _("Enter the length as a whole number of minutes, for example 90"),
            "min_value": _("A session must last at least 15 minutes."),
            "max_value": _("A session can last at most 8 hours (480 minutes)."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind of session"),
        choices=SupervisionSession.Kind.choices,
        error_messages={"required": _("Choose the kind of session")},
    )
    agenda = _text(_("Agenda"), rows=3)
    notes = _text(
        _("Discussion notes"),
        help_text=_("Cases discussed, decisions, and the worker's development. Needed to sign."),
        rows=8,
    )
    wellbeing = _text(
        _("Wellbeing check"),
        help_text=_("How the worker is, their workload and stress, and any support agreed."),
        rows=3,
    )
    same_day_confirmed = forms.BooleanField(
        label=_("Yes, this is another session on the same day"),
        required=False,
        help_text=_("Tick only if a session is already recorded for this date."),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        _refuse_nul(self)
        return cleaned

    def drop_same_day_question_unless_asked(self, data: object) -> None:
        """Ask whether it is a second session only once one is already recorded that day."""
        asked = self.has_error("same_day_confirmed") or (
            hasattr(data, "get") and data.get("same_day_confirmed")
        )
        if not asked:
            del self.fields["same_day_confirmed"]


class AmendmentForm(SessionForm):
    reason = _text(
        _("Reason for the amendment"),
        required=True,
        help_text=_("Both signed the record: say what was wrong. The earlier version is kept."),
        rows=3,
    )


class CountersignForm(forms.Form):
    worker_reflection = _text(
        _("Your reflection"),
        required=True,
        help_text=_("What you took from the session, and what you will do next."),
        rows=6,
        # "Enter the your reflection" reads wrongly; the service's own words say what to do.
        required_message=_("Write your reflection on the session before you sign."),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        _refuse_nul(self)
        return cleaned


class ActionForm(forms.Form):
    description = MultilineTextField(
        label=_("Action"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Describe the action agreed"),
            "max_length": _("Describe the action in 500 characters or fewer"),
        },
    )
    owner = forms.ModelChoiceField(
        label=_("Who will do it"),
        queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        error_messages={
            "required": _("Choose who will do it"),
            "invalid_choice": _("Choose the worker, the supervisor or the worker's manager."),
        },
    )
    due_on = date_field(_("To be done by"))

    def __init__(self, *args: object, owners: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            pk__in=[person.pk for person in owners]
        ).order_by("full_name")

    def clean(self) -> dict:
        cleaned = super().clean()
        _refuse_nul(self)
        return cleaned


class CompleteActionForm(forms.Form):
    done_on = date_field(
        _("Date it was done"), required=False, help_text=_("Leave blank for today.")
    )
