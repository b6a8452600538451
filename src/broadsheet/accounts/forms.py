"""Sign-in forms: the back-office login with throttling, and the authentication-code forms."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from broadsheet.core.antispam import client_ip

from . import services


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    """The admin login form, refusing while a username or address is locked and counting failures."""

    def clean(self):
        username = self.cleaned_data.get("username")
        ip_address = client_ip(self.request) if self.request else "unknown"
        attempt, refusal = services.begin_attempt(username=username, ip_address=ip_address)
        if refusal:
            raise ValidationError(services.refusal_message(refusal), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            lockout = services.finish_attempt(attempt, succeeded=False)
            if lockout:
                raise ValidationError(services.refusal_message(lockout), code="locked") from None
            raise
        user = self.get_user()
        services.finish_attempt(attempt, succeeded=True, complete=not services.has_second_factor(user))
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Authentication code",
        max_length=64,
        strip=True,
        help_text="The 6-digit code your authenticator app shows now.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "size": 12}),
    )


class SecondStepForm(CodeForm):
    """The code step of signing in: a code from the app, or one of the recovery codes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "code"
        ].help_text = "The 6-digit code your authenticator app shows now, or one of your recovery codes."
