"""Forms of the account pages (docs/accounts.md): activation by code, "Lupa kata sandi", the
second step of a login and the set-up of an authenticator app."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _


class ActivationForm(forms.Form):
    """Login, the one-time code from the printed list, and the new password twice."""

    login = forms.CharField(
        label=_("Login"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    code = forms.CharField(
        label=_("One-time code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean() or {}
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords differ."))
        return data


class ResetRequestForm(forms.Form):
    login = forms.CharField(
        label=_("Login or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


class TokenForm(forms.Form):
    """A code of the authenticator app, or a recovery code."""

    otp_token = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}
        ),
    )


class EnrolForm(TokenForm):
    """The signed secret shown on the page, and the first code the app shows for it."""

    secret = forms.CharField(widget=forms.HiddenInput)
