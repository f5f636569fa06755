"""The moderation sample's forms: the GET filter, and the choice of portfolios to sample."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.selectors.samples import MOST_IN_A_SAMPLE
from programmes.models import Cohort, Enrolment, Programme


class SampleFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.none(), required=False
    )

    def __init__(self, data: object, *, finished: QuerySet[Enrolment]) -> None:
        super().__init__(data)
        self.fields["programme"].empty_label = _("Any programme")
        self.fields["programme"].queryset = (
            Programme.objects.filter(cohorts__enrolments__in=finished).distinct().order_by("code")
        )
        self.fields["cohort"].empty_label = _("Any cohort")
        self.fields["cohort"].queryset = (
            Cohort.objects.filter(enrolments__in=finished).distinct().order_by("-intake_on", "name")
        )

    def chosen(self) -> dict[str, object]:
        """The valid filters; one that does not fit is left out."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in ("programme", "cohort")}


class SampleChoiceForm(forms.Form):
    enrolments = forms.TypedMultipleChoiceField(
        label=_("Finished portfolios"), coerce=int, required=False
    )
    count = forms.IntegerField(
        label=_("Or draw this many at random"),
        required=False,
        min_value=1,
        max_value=MOST_IN_A_SAMPLE,
    )

    def __init__(self, data: object, *, listed: Sequence[Enrolment]) -> None:
        super().__init__(data)
        self.fields["enrolments"].choices = [
            (enrolment.pk, enrolment.worker.full_name) for enrolment in listed
        ]
        count = self.fields["count"]
        most = {"most": MOST_IN_A_SAMPLE}
        count.help_text = (
            gettext("From 1 to %(most)s: drawn from those you tick, or from all listed if none.")
            % most
        )
        out_of_range = gettext("Enter a number from 1 to %(most)s.") % most
        count.error_messages.update(
            {"min_value": out_of_range, "max_value": out_of_range, "invalid": out_of_range}
        )
        count.widget.attrs.update({"class": "govuk-input--width-2"})
