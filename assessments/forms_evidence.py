"""Web forms for evidence and its sign-off. Field names are the services' keyword names.

Short on purpose: a reflection is a title, a date, three plain boxes and the statements it
shows, ticked under their standards.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from assessments.models import Evidence, SignOff, Statement
from assessments.selectors.evidence import WRITTEN_KINDS
from assessments.services.evidence import text_fields_for
from programmes.forms import date_field
from supervision.forms import NO_NUL, MultilineTextField

KIND_HINTS = {
    Evidence.Kind.REFLECTION: _("What happened, what you learned and what you will do next."),
    Evidence.Kind.FEEDBACK_PERSON: _("Feedback a child, family member or carer gave you."),
    Evidence.Kind.FEEDBACK_PROFESSIONAL: _("Feedback a colleague or other professional gave you."),
    Evidence.Kind.CASE_NOTE: _("An extract of your case notes, with identifying details removed."),
    Evidence.Kind.SUPERVISION: _("A supervision record that shows your practice."),
    Evidence.Kind.LEARNING: _("Training, reading or other learning, and what it changed."),
}


def _text(label: str, *, help_text: str = "", rows: int = 5) -> forms.Field:
    return MultilineTextField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _refuse_nul(form: forms.Form) -> None:
    for name, value in form.cleaned_data.items():
        if isinstance(value, str) and "\x00" in value:
            form.add_error(name, NO_NUL)


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of evidence are you adding?"),
        choices=[(kind.value, kind.label) for kind in WRITTEN_KINDS],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the kind of evidence you are adding"),
            "invalid_choice": _("Choose the kind of evidence you are adding"),
        },
    )


class EvidenceForm(forms.Form):
    """The item's fields for its kind. Text boxes may be left blank in a draft: submitting
    checks they are written, so a half-finished draft can always be saved."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A few words you will recognise later, for example “First home visit”."),
        error_messages={
            "required": _("Enter a title"),
            "max_length": _("The title must be 200 characters or fewer"),
        },
    )
    occurred_on = date_field(_("Date of the practice"))
    what_happened = _text(_("What happened"))
    what_i_learned = _text(_("What I learned"))
    what_i_will_do = _text(_("What I will do next"))
    source_name = forms.CharField(
        label=_("Who gave the feedback"),
        required=False,
        max_length=200,
        help_text=_("A role, not a name, for example “Parent” or “Health visitor”."),
    )
    source_relationship = forms.CharField(
        label=_("Their relationship to the work"), required=False, max_length=200
    )
    body = _text(_("The evidence"), rows=8)
    statements = forms.ModelMultipleChoiceField(
        label=_("Statements this evidence shows"),
        queryset=Statement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachment = forms.FileField(
        label=_("Attach a file"),
        required=False,
        help_text=_("A PDF, Word document (.docx), PNG or JPEG."),
    )
    remove_attachment = forms.BooleanField(label=_("Remove the attached file"), required=False)

    def __init__(
        self,
        *args: object,
        kind: str,
        statements: QuerySet[Statement],
        has_attachment: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["statements"].queryset = statements
        wanted = {"title", "occurred_on", *text_fields_for(kind), "statements", "attachment"}
        if has_attachment:
            wanted.add("remove_attachment")
            self.fields["attachment"].label = _("Replace the attached file")
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if kind in (Evidence.Kind.FEEDBACK_PERSON, Evidence.Kind.FEEDBACK_PROFESSIONAL):
            self.fields["body"].label = _("What they said")

    def clean(self) -> dict:
        cleaned = super().clean()
        _refuse_nul(self)
        return cleaned


class AutosaveForm(forms.Form):
    """The text typed so far; each field is optional and only those sent are saved."""

    title = forms.CharField(required=False, max_length=200)
    what_happened = MultilineTextField(required=False)
    what_i_learned = MultilineTextField(required=False)
    what_i_will_do = MultilineTextField(required=False)
    body = MultilineTextField(required=False)
    source_name = forms.CharField(required=False, max_length=200)
    source_relationship = forms.CharField(required=False, max_length=200)

    def sent(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.data}

    def clean(self) -> dict:
        cleaned = super().clean()
        _refuse_nul(self)
        return cleaned


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (SignOff.Decision.SIGNED_OFF.value, _("Sign it off")),
            (SignOff.Decision.RETURNED.value, _("Return it for changes")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether to sign it off or return it"),
            "invalid_choice": _("Choose whether to sign it off or return it"),
        },
    )
    statements = forms.ModelMultipleChoiceField(
        label=_("Statements it shows"),
        queryset=Statement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = _text(
        _("Comment"),
        help_text=_("Needed when you return it: say what to change. Optional when signing off."),
        rows=4,
    )

    def __init__(self, *args: object, statements: QuerySet[Statement], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["statements"].queryset = statements

    def clean(self) -> dict:
        cleaned = super().clean()
        _refuse_nul(self)
        return cleaned


class ReverseForm(forms.Form):
    reason = MultilineTextField(
        label=_("Why is the sign-off being reversed?"),
        help_text=_("The worker sees this. The sign-off stays in the history."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why the sign-off is being reversed")},
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        _refuse_nul(self)
        return cleaned
