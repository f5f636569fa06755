"""The cohort dashboard's filters: a GET form whose choices are only what the reader may see."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, partial
from html import escape as escape_text

from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from programmes.models import Enrolment
from programmes.selectors.filters import filter_choices


class QuickSelect(forms.Select):
    """A select whose options are written in Python, not one template each: a lead's filters
    list every team, supervisor and assessor, and one template per option was most of the
    dashboard's time. The markup is the same as Django's own select."""

    def render(self, name: str, value: object, attrs: dict | None = None, renderer=None) -> str:
        chosen = {str(each) for each in self.format_value(value)}
        # The standard library's escape gives the same text as Django's, without the lazy
        # wrappers that cost more than the escaping itself over 1,500 options.
        options = "".join(
            f'<option value="{escape_text(str(option))}"'
            f"{' selected' if str(option) in chosen else ''}>{escape_text(str(label))}</option>"
            for option, label in self.choices
        )
        final = self.build_attrs(self.attrs, attrs)
        opening = format_html('<select name="{}"{}>', name, flatatt(final))
        return mark_safe(f"{opening}{options}</select>")  # noqa: S308 (every value escaped)


class Listed(BaseChoiceIterator):
    """Choices read as (key, label) pairs when first wanted (drawn, or checked against a value
    given): a CSV with no filter chosen reads none. Django takes an iterator of its own as it
    is, where it would check every pair of a list twice (field and widget): 1,500 for a lead."""

    def __init__(self, pairs: Callable[[], list[tuple[object, str]]]) -> None:
        self.pairs = pairs

    def __iter__(self):
        return iter(self.pairs())


def _listed(label: str) -> forms.TypedChoiceField:
    """A filter on one of the things an enrolment names, by its key; blank is any."""
    return forms.TypedChoiceField(
        label=label, coerce=int, empty_value=None, required=False, widget=QuickSelect
    )


class DashboardFilterForm(forms.Form):
    programme = _listed(_("Programme"))
    cohort = _listed(_("Cohort"))
    team = _listed(_("Team"))
    supervisor = _listed(_("Supervisor"))
    assessor = _listed(_("Assessor"))
    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect)
    attention = forms.BooleanField(label=_("Only those who need attention"), required=False)

    ANY = {
        "programme": _("Any programme"),
        "cohort": _("Any cohort"),
        "team": _("Any team"),
        "supervisor": _("Any supervisor"),
        "assessor": _("Any assessor"),
    }

    def __init__(self, data: object, *, visible: QuerySet[Enrolment]) -> None:
        super().__init__(data)
        self.visible = visible
        # Only what the visible enrolments name can be chosen; a key from elsewhere is refused.
        for name, label in self.ANY.items():
            self.fields[name].choices = Listed(partial(self._choices, name, label))
        self.fields["status"].choices = [("", _("Any status")), *Enrolment.Status.choices]

    @cached_property
    def _lists(self) -> dict[str, list[tuple[int, str]]]:
        return filter_choices(self.visible)  # the five lists in one query, read once

    def _choices(self, name: str, label: str) -> list[tuple[object, str]]:
        return [("", label), *self._lists[name]]

    def lookups(self) -> dict[str, object]:
        """What the valid filters ask of an enrolment, as plain values a cache can keep; a
        filter that does not fit is left out."""
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
        return {lookup: value for lookup, value in lookups.items() if value}

    def filtered(self, visible: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
        """The enrolments the valid filters leave."""
        return visible.filter(**self.lookups())

    @property
    def needs_attention(self) -> bool:
        self.is_valid()
        return bool(self.cleaned_data.get("attention"))
