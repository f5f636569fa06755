from collections.abc import Iterator

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from people import totp
from people.models import User


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )

    def __init__(self, request: HttpRequest, *args: object, **kwargs: object) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            self.user = authenticate(self.request, email=email.lower(), password=password)
            if self.user is None:
                # One message whether or not the account exists: it reveals nothing.
                raise forms.ValidationError(
                    _("The email address or password is not right. Check them and try again.")
                )
        return cleaned


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The app shows a new 6-digit code every 30 seconds."),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": _("Enter the 6-digit code from your authenticator app")},
    )

    def clean_code(self) -> str:
        code = totp.normalise_code(self.cleaned_data["code"])
        if not totp.is_well_formed(code):
            raise forms.ValidationError(_("Enter the code as 6 digits, like 123456"))
        return code


class PasswordResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )

    def get_users(self, email: str) -> Iterator[User]:
        """Active people with this email, in any case, including those with no password yet.

        Django leaves out accounts without a usable password; here a new person sets their
        first password this way (see people.services.find_or_create_person).
        """
        yield from User.objects.filter(email__iexact=email.strip(), is_active=True)


class NewPasswordForm(SetPasswordForm):
    error_messages = {
        "password_mismatch": _(
            "The passwords do not match. Type the same new password in both boxes."
        ),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label = _("New password")
        # Plain words for the validators in settings: 12 characters, not common, not like you.
        first.help_text = _(
            "Use at least 12 characters. Do not use a common password, only numbers, "
            "or anything like your name or email address."
        )
        first.error_messages["required"] = _("Enter a new password")
        second.label = _("Type the new password again")
        second.help_text = ""
        second.error_messages["required"] = _("Type the new password again")


class EmailFrequencyForm(forms.Form):
    email_frequency = forms.ChoiceField(
        label=_("Email me about new notifications"),
        choices=User.EmailFrequency.choices,
        help_text=_("Your inbox in Footing shows every notification either way."),
    )


class AssessorInviteForm(forms.Form):
    """A programme lead's invitation to an assessor from outside the authority."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter the assessor’s full name")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The invitation goes here, and they sign in with it."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the assessor’s email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        help_text=_("Where they work, for example “Anytown University”, or “Independent”."),
        max_length=200,
        error_messages={"required": _("Enter the assessor’s organisation, or “Independent”")},
    )


class InvitationPasswordForm(NewPasswordForm):
    """The first password, chosen from an invitation link: the same rules as a reset."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label = _("Password")
        first.error_messages["required"] = _("Enter a password")
        second.label = _("Type the password again")
        second.error_messages["required"] = _("Type the password again")
