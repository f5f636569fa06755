"""Web forms for reviews, concerns, the final assessment and moderation. Field names are the
services' keyword names; the services decide the rules, the forms only read the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import ModerationDecision, Progress, Recommendation, Standard
from programmes.forms import date_field
from supervision.forms import MultilineTextField, _refuse_nul


def _text(label: str, *, required: bool = True, help_text: str = "", rows: int = 4, message=""):
    return MultilineTextField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message or _("Enter the %(label)s") % {"label": label}},
    )


def _weeks(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=52,
        help_text=_("From 1 to 52 weeks."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter the number of weeks as a whole number, for example 12"),
            "min_value": _("An extension must be at least 1 week."),
            "max_value": _("An extension can be at most 52 weeks."),
        },
    )


class CleanTextForm(forms.Form):
    def clean(self) -> dict:
        cleaned = super().clean()
        _refuse_nul(self)
        return cleaned


class ReviewForm(CleanTextForm):
    months = forms.TypedChoiceField(
        label=_("Review point"),
        coerce=int,
        error_messages={
            "required": _("Choose the review point"),
            "invalid_choice": _("Choose one of the review points not yet recorded"),
        },
    )
    held_on = date_field(_("Date the review was held"))
    attendees = _text(
        _("Who attended"),
        help_text=_("Names and roles, for example the worker, their supervisor and assessor."),
        rows=2,
        message=_("Enter who attended the review"),
    )
    progress = forms.ChoiceField(
        label=_("Progress"),
        choices=[("", _("Choose a judgement")), *Progress.choices],
        help_text=_("Causing concern opens a concern with an action plan."),
        error_messages={"required": _("Choose the judgement of progress")},
    )
    summary = _text(
        _("Summary of progress"),
        rows=6,
        message=_("Write the summary of progress against the standards"),
    )
    actions = _text(_("Actions agreed"), required=False, rows=3)
    concern_reason = _text(
        _("What the concern is"),
        required=False,
        help_text=_("Only when progress is causing concern. The summary is used if left blank."),
        rows=3,
    )
    action_plan = _text(
        _("Action plan"),
        required=False,
        help_text=_("Needed when progress is causing concern: what will happen, who, by when."),
        rows=4,
    )
    review_on = date_field(
        _("Review the plan by"),
        required=False,
        help_text=_("Needed when progress is causing concern."),
    )

    def __init__(self, *args: object, points: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = [("", _("Choose a review point")), *points]


class ConcernForm(CleanTextForm):
    reason = _text(_("What the concern is"), rows=4, message=_("Say what the concern is"))
    action_plan = _text(
        _("Action plan"),
        help_text=_("What will happen, who will do it, and by when."),
        rows=5,
        message=_("Write the action plan"),
    )
    review_on = date_field(_("Review the plan by"))


class ConcernCloseForm(CleanTextForm):
    outcome = _text(
        _("Outcome"),
        help_text=_("What changed, and whether anything carries on into supervision."),
        rows=4,
        message=_("Say how the concern was resolved"),
    )
    closed_on = date_field(_("Date closed"))


class FinalAssessmentForm(CleanTextForm):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=[("", _("Choose a recommendation")), *Recommendation.choices],
        error_messages={"required": _("Choose pass, fail or extend the programme")},
    )
    extension_weeks = _weeks(_("Extension recommended (weeks)"))
    summary = _text(
        _("Overall summary"),
        rows=8,
        message=_("Write the overall summary of the worker's practice"),
    )

    def __init__(self, *args: object, standards: list[Standard], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.standards = standards
        for standard in standards:
            self.fields[f"standard_{standard.pk}"] = _text(
                _("Standard %(number)s: %(title)s")
                % {"number": standard.number, "title": standard.title},
                rows=4,
                message=_("Write a summary against standard %(number)s")
                % {"number": standard.number},
            )

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "recommendation": data["recommendation"],
            "extension_weeks": data["extension_weeks"],
            "summary": data["summary"],
            "standard_summaries": {s.pk: data[f"standard_{s.pk}"] for s in self.standards},
        }


class ModerationForm(CleanTextForm):
    panel = _text(
        _("Panel members"),
        help_text=_("Names and roles of those on the panel."),
        rows=2,
        message=_("Enter the names of the panel members"),
    )
    decided_on = date_field(_("Date of the panel"))
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("Choose a decision")), *ModerationDecision.Decision.choices],
        error_messages={"required": _("Choose whether the panel agrees with the recommendation")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome, if the panel disagrees"),
        required=False,
        choices=[("", _("Choose an outcome")), *Recommendation.choices],
    )
    extension_weeks = _weeks(_("Extension (weeks), if the outcome is to extend"))
    reasons = _text(
        _("Reasons"),
        required=False,
        help_text=_("Needed when the panel disagrees."),
        rows=4,
    )
