from __future__ import annotations

import datetime as dt
from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sporskifte.core.forms import OneLineCharField
from sporskifte.victims.models import CrimeCategory, MonthlyCount, VictimReferral
from sporskifte.victims.services import CONSENT_TEXT


class InformationForm(forms.Form):
    category = forms.ChoiceField(label=_("Crime category"), choices=CrimeCategory.choices)
    consented = forms.TypedChoiceField(
        label=_("Did the victim consent to being contacted by victim support?"),
        choices=[("yes", _("Yes, read the consent text aloud first")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        help_text=CONSENT_TEXT,
    )
    name = OneLineCharField(label=_("Victim's name"), max_length=200, required=False)
    phone = OneLineCharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[*settings.LANGUAGES, ("other", _("Another language: say so to the adviser"))],
        initial="da",
    )
    preferred_contact = forms.ChoiceField(
        label=_("Preferred contact"), choices=VictimReferral.Contact.choices, initial="phone"
    )

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        try:
            number = phonenumbers.parse(raw, "DK")
        except phonenumbers.NumberParseException as exc:
            raise forms.ValidationError(_("Write a phone number, e.g. 12 34 56 78.")) from exc
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(_("Write a phone number, e.g. 12 34 56 78."))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class MoveForm(forms.Form):
    CHOICES = [
        (VictimReferral.State.CONTACTED, _("Contact made")),
        (VictimReferral.State.DECLINED, _("Declined by the victim")),
        (VictimReferral.State.UNREACHABLE, _("Could not be reached")),
        (VictimReferral.State.CLOSED, _("Close")),
    ]
    to = forms.ChoiceField(choices=CHOICES)


class MonthForm(forms.Form):
    """One number per crime category and channel for a month."""

    month = forms.DateField(
        label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m"]
    )

    def __init__(
        self, *args: Any, initial_counts: dict[tuple[str, str], int] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        initial_counts = initial_counts or {}
        for c, c_label in CrimeCategory.choices:
            for ch, ch_label in MonthlyCount.Channel.choices:
                self.fields[f"n_{c}_{ch}"] = forms.IntegerField(
                    label=f"{c_label}: {ch_label}",
                    min_value=0,
                    max_value=100_000,
                    required=False,
                    initial=initial_counts.get((c, ch), 0),
                )

    def counts(self) -> dict[tuple[str, str], int]:
        return {
            (c, ch): self.cleaned_data.get(f"n_{c}_{ch}") or 0
            for c in CrimeCategory.values
            for ch in MonthlyCount.Channel.values
        }

    def rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (str(label), [self[f"n_{c}_{ch}"] for ch in MonthlyCount.Channel.values])
            for c, label in CrimeCategory.choices
        ]


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)
