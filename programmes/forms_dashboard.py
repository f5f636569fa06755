"""The cohort dashboard's filters: a GET form whose choices are only what the reader may see."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from people.models import Team, User
from programmes.models import Cohort, Enrolment, Programme


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name


class DashboardFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.none(), required=False
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    supervisor = PersonChoiceField(
        label=_("Supervisor"), queryset=User.objects.none(), required=False
    )
    assessor = PersonChoiceField(label=_("Assessor"), queryset=User.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    attention = forms.BooleanField(label=_("Only those who need attention"), required=False)

    def __init__(self, data: object, *, visible: QuerySet[Enrolment]) -> None:
        super().__init__(data)
        self.fields["programme"].empty_label = _("Any programme")
        self.fields["programme"].queryset = (
            Programme.objects.filter(cohorts__enrolments__in=visible).distinct().order_by("code")
        )
        self.fields["cohort"].empty_label = _("Any cohort")
        self.fields["cohort"].queryset = (
            Cohort.objects.filter(enrolments__in=visible).distinct().order_by("-intake_on", "name")
        )
        self.fields["team"].empty_label = _("Any team")
        self.fields["team"].queryset = (
            Team.objects.filter(members__enrolments__in=visible).distinct().order_by("name")
        )
        self.fields["supervisor"].empty_label = _("Any supervisor")
        self.fields["supervisor"].queryset = (
            User.objects.filter(supervised_enrolments__in=visible)
            .distinct()
            .order_by("full_name", "pk")
        )
        self.fields["assessor"].empty_label = _("Any assessor")
        self.fields["assessor"].queryset = (
            User.objects.filter(assessed_enrolments__in=visible)
            .distinct()
            .order_by("full_name", "pk")
        )
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
