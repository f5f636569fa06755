"""Web forms for programmes. Field names are the services' keyword names."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import Role, Team, User
from programmes.models import (
    CaseloadImportProfile,
    Enrolment,
    EnrolmentDocument,
    EnrolmentPause,
    Programme,
    ProtectedTimeEntry,
)
from programmes.models.caseloads import MOST_CASES
from programmes.rules import MAXIMUM_FTE, MINIMUM_FTE
from programmes.services.caseload_import import COLUMN_LABELS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d", attrs={"class": "govuk-input--width-10"})


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={
            "required": _("Enter the date"),
            "invalid": _("Enter a real date, for example 7 September 2026"),
        },
    )


def _fte_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("FTE"),
        help_text=_("Full-time equivalent, from 0.1 to 1.0. Part-time stretches the programme."),
        min_value=MINIMUM_FTE,
        max_value=MAXIMUM_FTE,
        max_digits=3,
        decimal_places=2,
        initial="1.0",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
        error_messages={
            "required": _("Enter the FTE, for example 1.0 or 0.6"),
            "invalid": _("Enter the FTE as a number, for example 0.6"),
            "min_value": _("FTE must be between 0.1 and 1.0"),
            "max_value": _("FTE must be between 0.1 and 1.0"),
            "max_digits": _("Enter the FTE with at most two decimal places, for example 0.75"),
            "max_decimal_places": _(
                "Enter the FTE with at most two decimal places, for example 0.75"
            ),
        },
    )


def _people_with_role(role: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=User.objects.filter(role_memberships__role=role, is_active=True).order_by(
            "full_name"
        ),
        required=False,
        empty_label=_("Not yet assigned"),
    )


class CohortForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.filter(status=Programme.Status.ACTIVE),
        empty_label=_("Choose a programme"),
        error_messages={"required": _("Choose the programme this cohort follows")},
    )
    name = forms.CharField(
        label=_("Cohort name"),
        max_length=150,
        help_text=_("For example, ASYE September 2026"),
        error_messages={"required": _("Enter a name for the cohort")},
    )
    intake_on = date_field(_("Intake date"))


class EnrolmentForm(forms.Form):
    email = forms.EmailField(
        label=_("Work email address"),
        max_length=254,
        help_text=_("If the person already has an account, it is used."),
        error_messages={
            "required": _("Enter the worker's email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages={"required": _("Enter the worker's full name")},
    )
    swe_registration_number = forms.CharField(
        label=_("Social Work England registration number"), max_length=20, required=False
    )
    qualified_on = date_field(
        _("Qualification date"),
        required=False,
        help_text=_("The day they qualified as a social worker, for example 30 June 2025."),
    )
    employment_type = forms.ChoiceField(
        label=_("Employment type"),
        choices=User.EmploymentType.choices,
        initial=User.EmploymentType.PERMANENT,
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.all(),
        empty_label=_("Choose a team"),
        error_messages={"required": _("Choose the team the worker is in")},
    )
    started_on = date_field(_("Start date"))
    fte = _fte_field()
    supervisor = _people_with_role(Role.SUPERVISOR)
    assessor = _people_with_role(Role.ASSESSOR)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].label = _("Supervisor")
        self.fields["assessor"].label = _("Assessor")


class EnrolmentUpdateForm(forms.Form):
    started_on = date_field(_("Start date"))
    fte = _fte_field()
    supervisor = _people_with_role(Role.SUPERVISOR)
    assessor = _people_with_role(Role.ASSESSOR)
    reason = forms.CharField(
        label=_("Why is this changing?"),
        max_length=500,
        help_text=_("Kept in the enrolment's history."),
        error_messages={"required": _("Say why the enrolment is changing")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].label = _("Supervisor")
        self.fields["assessor"].label = _("Assessor")


class EnrolmentEndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (Enrolment.Status.COMPLETED, _("Completed the programme")),
            (Enrolment.Status.WITHDRAWN, _("Withdrawn (left or stopped the programme)")),
        ],
    )
    ended_on = date_field(_("Last day on the programme"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        error_messages={"required": _("Say why the enrolment is ending")},
    )


class PauseForm(forms.Form):
    starts_on = date_field(_("First day of the pause"))
    ends_on = date_field(
        _("Last day of the pause"),
        required=False,
        help_text=_("Leave blank if the return date is not known yet."),
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=EnrolmentPause.Reason.choices,
        help_text=_("The programme never pauses for capability concerns."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PauseEndForm(forms.Form):
    ends_on = date_field(_("Last day of the pause"))


class ExtensionForm(forms.Form):
    weeks = forms.IntegerField(
        label=_("Length of the extension in weeks"),
        min_value=1,
        max_value=52,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the number of weeks"),
            "invalid": _("Enter the number of weeks as a whole number"),
            "min_value": _("An extension is at least 1 week"),
            "max_value": _("An extension is at most 52 weeks"),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the programme is being extended")},
    )


class CohortImportForm(forms.Form):
    name = forms.CharField(
        label=_("Cohort name"),
        max_length=150,
        help_text=_("A new cohort is opened with this name."),
        error_messages={"required": _("Enter a name for the cohort")},
    )
    intake_on = date_field(_("Intake date"))
    file = forms.FileField(
        label=_("HR export (CSV)"),
        help_text=_(
            "Columns: email, full_name, team, programme, started_on, fte; optional: "
            "swe_registration_number, employment_type, qualified_on, supervisor_email, "
            "assessor_email."
        ),
        error_messages={"required": _("Choose a CSV file to import")},
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it?"), choices=EnrolmentDocument.Kind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example, Learning agreement signed 2 October 2026"),
        error_messages={"required": _("Enter a title for the document")},
    )
    upload = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, Word document (.docx), PNG or JPEG."),
        error_messages={"required": _("Choose a file to upload")},
    )


class DocumentRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it being removed?"),
        max_length=500,
        help_text=_("Kept in the enrolment's history."),
        error_messages={"required": _("Say why the document is being removed")},
    )


class LocalVariantForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=30,
        help_text=_("Letters, numbers and hyphens, for example ASYE-CF-NORTHBRIDGE"),
        error_messages={
            "required": _("Enter a code for the variant"),
            "invalid": _("Use only letters, numbers and hyphens in the code"),
        },
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Enter a name for the variant")},
    )
    description = forms.CharField(
        label=_("What is different locally?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _cases_field(label: str, *, required: bool = True, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        help_text=help_text,
        min_value=0,
        max_value=MOST_CASES,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the number of cases, or 0 if there are none"),
            "invalid": _("Enter the number of cases as a whole number, for example 12"),
            "min_value": _("The number of cases cannot be less than 0"),
            "max_value": _("Enter %(limit_value)s cases or fewer: check the figure"),
        },
    )


class CaseloadSnapshotForm(forms.Form):
    as_of = date_field(_("Date of the figures"))
    open_cases = _cases_field(_("Open cases"), help_text=_("Every case allocated to the worker."))
    child_protection_cases = _cases_field(
        _("Child-protection cases held as lead"),
        required=False,
        help_text=_("Part of the open cases. Leave blank if none."),
    )
    complex_cases = _cases_field(
        _("Complex cases held as lead"),
        required=False,
        help_text=_(
            "Care proceedings, or safeguarding enquiries in adult services. "
            "Leave blank if not counted."
        ),
    )
    weighted_complexity = forms.DecimalField(
        label=_("Weighted complexity"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_("If your case-management system scores it."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
        error_messages={
            "invalid": _("Enter the weighted complexity as a number, for example 21.5"),
            "min_value": _("The weighted complexity cannot be less than 0"),
            "max_digits": _("Enter the weighted complexity as a number below 10,000"),
            "max_decimal_places": _("Enter the weighted complexity with at most two decimals"),
            "max_whole_digits": _("Enter the weighted complexity as a number below 10,000"),
        },
    )

    def clean_child_protection_cases(self) -> int:
        return self.cleaned_data["child_protection_cases"] or 0


class ProtectedTimeForm(forms.Form):
    on = date_field(_("Date"))
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.5"),
        max_value=Decimal("12"),
        decimal_places=1,
        help_text=_("From 0.5 to 12, in half hours or tenths, for example 1.5"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "decimal"}),
        error_messages={
            "required": _("Enter the number of hours"),
            "invalid": _("Enter the hours as a number, for example 1.5"),
            "min_value": _("Log at least half an hour."),
            "max_value": _("Log at most 12 hours for one day."),
            "max_decimal_places": _("Enter the hours with at most one decimal, for example 1.5"),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind of learning"),
        choices=ProtectedTimeEntry.Kind.choices,
        error_messages={"required": _("Choose the kind of learning")},
    )
    note = forms.CharField(
        label=_("What it was"),
        required=False,
        max_length=300,
        help_text=_("For example, the course or the reading."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BreachAcknowledgeForm(forms.Form):
    plan = forms.CharField(
        label=_("How will the caseload come back within the cap?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example, which cases are reallocated, and to whom."),
        error_messages={"required": _("Say how the caseload will come back within the cap.")},
    )
    plan_due_on = date_field(
        _("Back within the cap by"),
        help_text=_("If it is not, the programme lead is told the day after."),
    )


class BreachResolveForm(forms.Form):
    resolution_note = forms.CharField(
        label=_("How was it resolved?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example, the figure that opened it was wrong."),
        error_messages={"required": _("Say how the breach was resolved.")},
    )


class CaseloadImportForm(forms.Form):
    profile = forms.ModelChoiceField(
        label=_("Import profile"),
        queryset=CaseloadImportProfile.objects.none(),
        empty_label=_("Choose a profile"),
        help_text=_("The case-management system, and the export, the file comes from."),
        error_messages={"required": _("Choose the import profile for this file")},
    )
    file = forms.FileField(
        label=_("Caseload export (CSV)"),
        help_text=_("As the case-management system writes it, up to 5 MB."),
        error_messages={"required": _("Choose a CSV file to import")},
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        profiles = CaseloadImportProfile.objects.visible_to(user)
        self.fields["profile"].queryset = profiles
        if len(profiles) == 1:
            self.fields["profile"].initial = profiles[0].pk


class ImportProfileForm(forms.Form):
    """A profile's name, then the heading of each column as the export writes it."""

    name = forms.CharField(
        label=_("Profile name"),
        max_length=100,
        help_text=_(
            "For example, Mosaic weekly export. Saving under a name already used replaces "
            "that profile."
        ),
        error_messages={"required": _("Give the profile a name, for example Mosaic weekly export")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in CaseloadImportProfile.FIELDS:
            self.fields[field] = forms.CharField(
                label=COLUMN_LABELS[field],
                required=field in CaseloadImportProfile.REQUIRED,
                max_length=200,
                help_text=_("The column's heading, exactly as the export writes it."),
                error_messages={"required": _("Give the heading of the column that holds this")},
            )
