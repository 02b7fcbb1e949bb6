from __future__ import annotations

import datetime as dt
from typing import Any

import phonenumbers
from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from sporskifte.core.forms import DateInput, DateTimeInput, OneLineCharField, form_field
from sporskifte.organisations.models import Country, Municipality
from sporskifte.outreach.models import VisitRequest

_https = URLValidator(schemes=["https"])


class WarningForm(forms.Form):
    title = OneLineCharField(label=_("Title"), max_length=160)
    body = forms.CharField(
        label=_("Text"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text. An empty line starts a new paragraph."),
    )
    area = OneLineCharField(
        label=_("Area"), max_length=200, required=False, help_text=_("E.g. Herning and Ikast.")
    )
    starts_on = forms.DateField(label=_("Shown from"), widget=DateInput())
    ends_on = forms.DateField(label=_("Shown until"), required=False, widget=DateInput())
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One https address a line, e.g. the Danish Consumer Ombudsman's page."),
    )

    def clean_links(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(links) > 10:
            raise forms.ValidationError(_("At most ten links."))
        for link in links:
            try:
                _https(link)
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("%(link)s is not an https address.") % {"link": link}
                ) from exc
        return links


class WithdrawForm(forms.Form):
    reason = OneLineCharField(label=_("Why is the warning withdrawn?"), max_length=300)


class VisitRequestForm(forms.ModelForm):
    """The public form. ``website`` is a honeypot: hidden from people, filled in by robots."""

    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.filter(country=Country.DENMARK).order_by("name"),
        empty_label=_("Choose the municipality"),
    )
    website = OneLineCharField(required=False, label=_("Leave this field empty"))

    class Meta:
        model = VisitRequest
        fields = [
            "requester_kind",
            "organisation_name",
            "topic",
            "message",
            "municipality",
            "place",
            "wished_from",
            "wished_to",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        field_classes = {
            "organisation_name": OneLineCharField,
            "place": OneLineCharField,
            "contact_name": OneLineCharField,
            "contact_phone": OneLineCharField,
        }
        widgets = {
            "wished_from": DateInput(),
            "wished_to": DateInput(),
            "message": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "organisation_name": _("A citizen writes their own name."),
            "wished_to": _("Give a period: the unit proposes a time within it."),
            "contact_email": _(
                "We send a link to this address; the request counts once you open it."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1", "class": "form-input"}
        )

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_contact_phone(self) -> str:
        raw = self.cleaned_data["contact_phone"].strip()
        if not raw:
            return ""
        try:
            number = phonenumbers.parse(raw, "DK")
        except phonenumbers.NumberParseException as exc:
            raise forms.ValidationError(_("Write a phone number, e.g. 12 34 56 78.")) from exc
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(_("Write a phone number, e.g. 12 34 56 78."))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class AssignForm(forms.Form):
    officer = forms.ChoiceField(label=_("Officer"))

    def __init__(self, *args: Any, officers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "officer", forms.ChoiceField).choices = [
            ("", _("Choose an officer")),
            *officers,
        ]


class ProposeTimeForm(forms.Form):
    when = forms.DateTimeField(label=_("Proposed time"), widget=DateTimeInput())
    note = OneLineCharField(label=_("Message to the sender"), max_length=500, required=False)


class CloseForm(forms.Form):
    held = forms.TypedChoiceField(
        label=_("Outcome"),
        coerce=lambda v: v == "held",
        choices=[("held", _("The visit was held")), ("declined", _("Declined"))],
        widget=forms.RadioSelect,
    )
    reason = OneLineCharField(
        label=_("Note (sent to the sender when declined)"), max_length=500, required=False
    )


def year_choices(today: dt.date) -> list[int]:
    return list(range(today.year, today.year - 5, -1))


class ContactPointForm(forms.Form):
    school = OneLineCharField(label=_("School"), max_length=200)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    contact_name = OneLineCharField(label=_("School contact"), max_length=200)
    contact_email = forms.EmailField(label=_("School contact's e-mail"))
    police_contact = forms.ChoiceField(label=_("Police contact"))

    def __init__(
        self, *args: Any, district_id: int, officers: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(
            self, "municipality", forms.ModelChoiceField
        ).queryset = Municipality.objects.filter(police_district_id=district_id).order_by("name")
        form_field(self, "police_contact", forms.ChoiceField).choices = [
            ("", _("Choose an officer")),
            *officers,
        ]


class SchoolLinkForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address at the school"))


class SchoolConcernForm(forms.Form):
    place = OneLineCharField(
        label=_("Where"), max_length=200, help_text=_("E.g. the bicycle shed at the east gate.")
    )
    observed = OneLineCharField(
        label=_("When"), max_length=200, help_text=_("E.g. Tuesdays around 15, since October.")
    )
    description = forms.CharField(
        label=_("What was seen"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Describe what happens. Names are not needed."),
    )


class HandleForm(forms.Form):
    note = forms.CharField(
        label=_("What the police did (not shown to the school)"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
