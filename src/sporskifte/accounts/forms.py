from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.contrib.auth.signals import user_login_failed
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sporskifte.accounts.models import Role, User
from sporskifte.accounts.tokens import FIT_HELP, NAME_MAX_LENGTH, ROLE_FITS
from sporskifte.core.forms import OneLineCharField
from sporskifte.core.validators import validate_one_line
from sporskifte.organisations.models import Organisation


class LoginForm(AuthenticationForm):
    """Django's form: it calls ``authenticate(request, ...)``, so django-axes sees every try."""

    username = UsernameField(
        widget=forms.TextInput(attrs={"autofocus": True}), validators=[validate_one_line]
    )

    def clean(self) -> dict[str, Any]:
        # Staff of an organisation with an identity provider never log in with a password here
        # (their password is unusable): say where to log in instead of "wrong password". It
        # tells only that the name belongs to such an organisation, whose accounts have no
        # password to guess.
        username = self.cleaned_data.get("username")
        if (
            username
            and User.objects.filter(
                username=username, membership__organisation__identity_provider__isnull=False
            ).exists()
        ):
            raise forms.ValidationError(
                _(
                    "Your organisation logs in through its own identity provider, not with a "
                    "password. Choose your organisation under “Log in through your "
                    "organisation”."
                ),
                code="identity_provider",
            )
        return super().clean()

    def confirm_login_allowed(self, user: User) -> None:
        if getattr(user, "is_service", False):
            # Counted as a failure, and answered exactly like a wrong password, so the form does
            # not tell anyone which accounts are service accounts.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": user.get_username()},
                request=self.request,
            )
            raise self.get_invalid_login_error()
        super().confirm_login_allowed(user)


class TokenForm(forms.Form):
    token = OneLineCharField(
        label=_("Six-digit code"),
        help_text=_("The code your authenticator app shows for Sporskifte."),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, device: TOTPDevice, *args: Any, **kwargs: Any) -> None:
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_token(self) -> str:
        token = re.sub(r"[\s-]", "", self.cleaned_data["token"])
        if not re.fullmatch(r"\d{6}", token):
            raise forms.ValidationError(_("Enter the six digits of the code."), code="format")
        allowed, info = self.device.verify_is_allowed()
        if not allowed:
            until = (info or {}).get("locked_until")
            if until:
                when = formats.time_format(timezone.localtime(until), "TIME_FORMAT")
                raise forms.ValidationError(
                    _("Too many wrong codes. Wait until %(time)s and try again.") % {"time": when},
                    code="throttled",
                )
            raise forms.ValidationError(
                _("Too many wrong codes. Try again later."), code="throttled"
            )
        if self._is_used_code(token):
            # django-otp accepts each 30-second code once (replay protection): a second log-in
            # within the same window must wait for the next code, and is told so.
            raise forms.ValidationError(
                _(
                    "This code has already been used to log in. Wait for the app to show the "
                    "next code (at most 30 seconds) and enter that."
                ),
                code="used",
            )
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                _("The code is wrong or has expired. Enter the code the app shows now."),
                code="invalid",
            )
        return token

    def _is_used_code(self, token: str) -> bool:
        """The right code for a time step already used: valid were it not for replay
        protection. Checked without counting a failure, since the code itself is right."""
        device = self.device
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        for offset in range(-device.tolerance, device.tolerance + 1):
            totp.drift = device.drift + offset
            if totp.t() <= device.last_t and totp.token() == int(token):
                return True
        return False


class UserSearchForm(forms.Form):
    q = OneLineCharField(
        label=_("Search for users"),
        help_text=_("User name, name or organisation. Leave empty to see everyone."),
        required=False,
        max_length=100,
    )


class ApiTokenIssueForm(forms.Form):
    """The organisations offered are those the administrator administers (``scope``)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_(
            "A token for another organisation than your own waits for a second system "
            "administrator's approval."
        ),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(value, label) for value, label in Role.choices if value in ROLE_FITS],
        help_text=FIT_HELP,
    )
    name = OneLineCharField(
        label=_("Name"),
        help_text=_("Which system uses the token, for example the centre's journal system."),
        max_length=NAME_MAX_LENGTH,
    )

    def __init__(self, *args: Any, scope: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = scope.filter(is_active=True).order_by("name")


class UnlockSelfForm(forms.Form):
    """A locked user proves who they are with the second factor, which a stranger who knows
    the user name (and guessed at the password) does not hold."""

    username = OneLineCharField(
        label=_("User name"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )
    token = OneLineCharField(
        label=_("Six-digit code"),
        help_text=_("The code your authenticator app shows for Sporskifte."),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        username, token = data.get("username"), data.get("token")
        if not (username and token):
            return data
        user = User.objects.filter(username=username, is_active=True, is_service=False).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
        # One answer for an unknown user, a user without a second factor and a wrong code.
        wrong = forms.ValidationError(
            _("The user name or the code is wrong, or the code has expired."), code="invalid"
        )
        if device is None:
            raise wrong
        token_form = TokenForm(device, data={"token": token})
        if not token_form.is_valid():
            if token_form.has_error("token", "throttled"):
                raise forms.ValidationError(list(token_form.errors["token"]))
            raise wrong
        data["user"] = user
        return data
