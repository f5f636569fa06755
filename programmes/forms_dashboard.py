"""The cohort dashboard's filters: a GET form whose choices are only what the reader may see."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from people.models import Team, User
from programmes.models import Cohort, Enrolment, Programme


class QuickSelect(forms.Select):
    """A select whose options are written in Python, not one template each: a lead's filters
    list every team, supervisor and assessor, and one template per option was most of the
    dashboard's time. The markup is the same as Django's own select."""

    def render(self, name: str, value: object, attrs: dict | None = None, renderer=None) -> str:
        chosen = {str(each) for each in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(str(option))}"'
            f"{' selected' if str(option) in chosen else ''}>{escape(str(label))}</option>"
            for option, label in self.choices
        )
        final = self.build_attrs(self.attrs, attrs)
        opening = format_html('<select name="{}"{}>', name, flatatt(final))
        return mark_safe(f"{opening}{options}</select>")  # noqa: S308 (every value escaped)


class LabelChoiceIterator(ModelChoiceIterator):
    """Choices read as (pk, label) pairs, not built into model instances: hundreds a page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", self.field.label_field)


class LabelChoiceField(forms.ModelChoiceField):
    """A model choice labelled by one of its fields (`label_field`), drawn as a QuickSelect."""

    iterator = LabelChoiceIterator
    widget = QuickSelect

    def __init__(self, *, label_field: str, **kwargs) -> None:
        self.label_field = label_field
        super().__init__(**kwargs)


class DashboardFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False
    )
    cohort = LabelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.none(), required=False, label_field="name"
    )
    team = LabelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, label_field="name"
    )
    supervisor = LabelChoiceField(
        label=_("Supervisor"),
        queryset=User.objects.none(),
        required=False,
        label_field="full_name",
    )
    assessor = LabelChoiceField(
        label=_("Assessor"), queryset=User.objects.none(), required=False, label_field="full_name"
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    attention = forms.BooleanField(label=_("Only those who need attention"), required=False)

    def __init__(self, data: object, *, visible: QuerySet[Enrolment]) -> None:
        super().__init__(data)
        self.fields["programme"].empty_label = _("Any programme")
        # Each list is what the visible enrolments name, as a semi-join (`pk__in` a subquery):
        # DISTINCT over a join with every enrolment costs a lead's page tens of milliseconds.
        self.fields["programme"].queryset = Programme.objects.filter(
            pk__in=visible.values("cohort__programme_id")
        ).order_by("code")
        self.fields["cohort"].empty_label = _("Any cohort")
        self.fields["cohort"].queryset = Cohort.objects.filter(
            pk__in=visible.values("cohort_id")
        ).order_by("-intake_on", "name")
        self.fields["team"].empty_label = _("Any team")
        self.fields["team"].queryset = Team.objects.filter(
            pk__in=visible.values("worker__team_id")
        ).order_by("name")
        self.fields["supervisor"].empty_label = _("Any supervisor")
        self.fields["supervisor"].queryset = User.objects.filter(
            pk__in=visible.values("supervisor_id")
        ).order_by("full_name", "pk")
        self.fields["assessor"].empty_label = _("Any assessor")
        self.fields["assessor"].queryset = User.objects.filter(
            pk__in=visible.values("assessor_id")
        ).order_by("full_name", "pk")
        self.fields["status"].choices = [("", _("Any status")), *Enrolment.Status.choices]

    def filtered(self, visible: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
        """The enrolments the valid filters leave; a filter that does not fit is ignored."""
        self.is_valid()
        chosen = {name: self.cleaned_data.get(name) for name in self.fields}
        lookups = {
            "cohort__programme": chosen["programme"],
            "cohort": chosen["cohort"],
            "worker__team": chosen["team"],
            "supervisor": chosen["supervisor"],
            "assessor": chosen["assessor"],
            "status": chosen["status"],
        }
        return visible.filter(**{lookup: value for lookup, value in lookups.items() if value})

    @property
    def needs_attention(self) -> bool:
        self.is_valid()
        return bool(self.cleaned_data.get("attention"))
