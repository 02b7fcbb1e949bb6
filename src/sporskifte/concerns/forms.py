"""Forms for worry cases. The rules live in the services and in ``person_build``; the forms
collect the input and show the services' messages next to the fields they concern."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sporskifte.concerns.models import ConcernCategory, Conversation, CustodyHolder
from sporskifte.core.forms import OneLineCharField, add_service_errors, form_field
from sporskifte.organisations.models import Municipality
from sporskifte.people.country import person_fields_for_country
from sporskifte.people.models import Person
from sporskifte.people.services import person_build


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        return value.isoformat() if hasattr(value, "isoformat") else super().format_value(value)


class ConcernCaseForm(forms.Form):
    full_name = OneLineCharField(label=_("The young person's full name"), max_length=200)
    id_kind = forms.ChoiceField(
        label=_("Identity number"),
        choices=Person.IdKind.choices,
        initial=Person.IdKind.CPR,
        widget=forms.RadioSelect,
    )
    id_number = OneLineCharField(
        label=_("CPR number or personnummer"),
        required=False,
        max_length=13,
        help_text=_("DDMMYY-NNNN or YYMMDD-NNNN. Leave empty if the young person has none."),
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=DateInput,
        help_text=_("Needed when there is no identity number: the young person must be under 18."),
    )
    home_municipality = forms.ModelChoiceField(
        label=_("Home municipality"),
        queryset=Municipality.objects.order_by("country", "name"),
        required=False,
    )
    concern_date = forms.DateField(
        label=_("Date of the event that gave rise to the concern"),
        widget=DateInput,
        initial=timezone.localdate,
    )
    summary = forms.CharField(
        label=_("What gave rise to the concern"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )

    def __init__(
        self, *args: Any, police_district_id: int, country: str = "DK", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        person_fields_for_country(self, country)
        self.police_district_id = police_district_id
        self.person: Person | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            self.person = person_build(
                police_district_id=self.police_district_id,
                full_name=cleaned.get("full_name", ""),
                id_kind=cleaned.get("id_kind") or Person.IdKind.NONE,
                id_number=cleaned.get("id_number", ""),
                birth_date=cleaned.get("birth_date"),
                home_municipality=cleaned.get("home_municipality"),
            )
        except ValidationError as exc:
            add_service_errors(self, exc)
        return cleaned


class CustodyHolderForm(forms.Form):
    full_name = OneLineCharField(label=_("Full name"), max_length=200)
    relation = forms.ChoiceField(
        label=_("Relation to the young person"),
        choices=CustodyHolder.Relation.choices,
        widget=forms.RadioSelect,
    )
    address = OneLineCharField(
        label=_("Street address"),
        max_length=200,
        required=False,
        help_text=_("Needed to write a worry letter to this person."),
    )
    postal_code = OneLineCharField(label=_("Postal code"), max_length=6, required=False)
    city = OneLineCharField(label=_("Town"), max_length=100, required=False)


class _HoldersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CustodyHolder) -> str:
        return str(obj)


class ConversationForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    place = OneLineCharField(label=_("Place"), max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), choices=Conversation.Status.choices, widget=forms.RadioSelect
    )
    young_person_present = forms.BooleanField(
        label=_("The young person took part"), required=False, initial=True
    )
    custody_holders = _HoldersField(
        label=_("Parents and custody holders who took part"),
        queryset=CustodyHolder.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    police_participants = OneLineCharField(label=_("Police officers who took part"), max_length=300)
    other_participants = OneLineCharField(
        label=_("Others who took part"),
        max_length=300,
        required=False,
        help_text=_("For example the SSP consultant or the social worker, with name and role."),
    )
    categories = forms.MultipleChoiceField(
        label=_("What the concern is about"),
        choices=ConcernCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    concern = forms.CharField(
        label=_("The concern in words"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    agreements = forms.CharField(
        label=_("What was agreed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    follow_up_on = forms.DateField(label=_("Follow-up date"), widget=DateInput, required=False)
    follow_up_by = OneLineCharField(
        label=_("Responsible for the follow-up"), max_length=200, required=False
    )

    def __init__(self, *args: Any, holders: QuerySet[CustodyHolder], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "custody_holders", _HoldersField).queryset = holders

    @classmethod
    def initial_from(cls, conversation: Conversation) -> dict[str, Any]:
        initial = {name: getattr(conversation, name) for name in cls.base_fields}
        initial["custody_holders"] = [h.pk for h in conversation.custody_holders.all()]
        return initial


class LetterForm(forms.Form):
    recipients = _HoldersField(
        label=_("To"),
        queryset=CustodyHolder.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Custody holders at the same address. Write one letter to each address."),
    )
    observation = forms.CharField(
        label=_("What we observed"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text=_(
            "Written to the parents as it stands: plain words, the facts, no internal references."
        ),
    )
    offer_conversation = forms.BooleanField(
        label=_("Offer a worry conversation"), required=False, initial=True
    )
    contact_name = OneLineCharField(label=_("Contact person"), max_length=200)
    contact_phone = OneLineCharField(label=_("Contact phone"), max_length=30, initial="114")
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)

    def __init__(self, *args: Any, holders: QuerySet[CustodyHolder], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "recipients", _HoldersField).queryset = holders
