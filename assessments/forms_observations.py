"""Web forms for direct observations and feedback. Field names are the services' keyword names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import FeedbackRequest, ObservationJudgement, Statement
from programmes.forms import date_field
from supervision.forms import MultilineTextField

NO_NUL = _("Remove the unusual character from this text")
JUDGEMENT_PREFIX = "statement_"


def _text(
    label: str, *, required: bool, message: str = "", help_text: str = "", rows: int = 5
) -> forms.Field:
    return MultilineTextField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message},
    )


class _NoNul(forms.Form):
    def clean(self) -> dict:
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, NO_NUL)
        return cleaned


class ObservationForm(_NoNul):
    """The observation, then one judgement per statement of the worker's framework."""

    occurred_on = date_field(_("Date of the observation"))
    setting = forms.CharField(
        label=_("Setting"),
        max_length=200,
        help_text=_("Where and what kind of work, for example a home visit or a core group."),
        error_messages={"required": _("Enter the setting")},
    )
    what_was_observed = _text(
        _("What was observed"), required=True, message=_("Enter what you observed"), rows=8
    )
    feedback = _text(_("Feedback to the worker"), required=False)

    def __init__(self, *args: object, statements: list[Statement], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.statements = statements
        choices = [("", _("Not judged")), *ObservationJudgement.Judgement.choices]
        for statement in statements:
            self.fields[f"{JUDGEMENT_PREFIX}{statement.pk}"] = forms.ChoiceField(
                label=f"{statement.code} {statement.text}",
                choices=choices,
                required=False,
            )

    def judgement_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(JUDGEMENT_PREFIX)]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(JUDGEMENT_PREFIX)]

    def service_values(self) -> dict:
        values = {
            name: value
            for name, value in self.cleaned_data.items()
            if not name.startswith(JUDGEMENT_PREFIX)
        }
        values["judgements"] = {
            int(name.removeprefix(JUDGEMENT_PREFIX)): value
            for name, value in self.cleaned_data.items()
            if name.startswith(JUDGEMENT_PREFIX) and value
        }
        return values


class ReflectionForm(_NoNul):
    worker_reflection = _text(
        _("Your reflection"),
        required=True,
        message=_("Write your reflection on the observation"),
        help_text=_("What you think went well, what you learned, and what you will do next."),
        rows=8,
    )


class FeedbackRequestForm(_NoNul):
    giver = forms.ChoiceField(
        label=_("Who are you asking?"),
        choices=[("", _("Choose one")), *FeedbackRequest.Giver.choices],
        error_messages={"required": _("Choose who you are asking for feedback")},
    )
    recipient_name = forms.CharField(
        label=_("Their name or role"),
        max_length=200,
        help_text=_("For example: Sam's mum, foster carer, health visitor. They will see this."),
        error_messages={"required": _("Enter their name or role")},
    )
    recipient_email = forms.EmailField(
        label=_("Their email address"),
        required=False,
        help_text=_("We will email them the link. Leave it blank to print a page with a code."),
        error_messages={"invalid": _("Enter an email address like name@example.com")},
    )
    about = forms.CharField(
        label=_("What is the feedback about?"),
        max_length=300,
        help_text=_(
            "In plain words they will recognise, for example: my visit to your home on Tuesday."
        ),
        error_messages={"required": _("Enter what the feedback is about")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=20,
        help_text=_("It has 8 letters and numbers, for example ABCD-2346."),
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the code you were given")},
    )


class GiveFeedbackForm(_NoNul):
    """Short, plain questions; nothing about the person beyond what they choose to write."""

    relationship = forms.CharField(
        label=_("Who are you?"),
        max_length=200,
        required=False,
        help_text=_("For example: mum, foster carer, teacher."),
    )
    what_went_well = _text(_("What went well?"), required=False, rows=5)
    what_could_be_better = _text(_("What could be better?"), required=False, rows=5)
    anything_else = _text(_("Anything else?"), required=False, rows=3)
