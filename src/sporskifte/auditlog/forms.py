from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sporskifte.audit.models import AuditEvent
from sporskifte.core.forms import OneLineCharField
from sporskifte.core.identity import parse_identity
from sporskifte.people.models import Person

ID_KINDS = [
    (Person.IdKind.CPR.value, Person.IdKind.CPR.label),
    (Person.IdKind.PERSONNUMMER.value, Person.IdKind.PERSONNUMMER.label),
]


class PersonLookupForm(forms.Form):
    """An identity number, validated and normalised; the view finds the person in scope."""

    id_kind = forms.ChoiceField(
        label=_("Kind of identity number"), choices=ID_KINDS, initial=Person.IdKind.CPR
    )
    id_number = OneLineCharField(
        label=_("Identity number"),
        help_text=_("CPR as DDMMYY-NNNN, personnummer as YYMMDD-NNNN."),
        max_length=20,
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("id_kind") and data.get("id_number"):
            try:
                data["identity"] = parse_identity(data["id_kind"], data["id_number"])
            except ValidationError as exc:
                self.add_error("id_number", exc)
        return data


class AuditSearchForm(PersonLookupForm):
    date_from = forms.DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *AuditEvent.Action.choices],
    )
    user = OneLineCharField(label=_("User name contains"), required=False, max_length=200)
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        required=False,
        choices=[("", _("All purposes")), *AuditEvent.Purpose.choices],
    )

    # Only the fields that may travel in the URL; the identity number never does.
    URL_FIELDS = ("date_from", "date_to", "action", "user", "purpose")

    field_order = ["date_from", "date_to", "action", "user", "purpose", "id_kind", "id_number"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["id_number"].required = False
        self.fields["id_number"].label = _("Person's identity number")
        self.fields["id_kind"].required = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The to-date is before the from-date."))
        return data
