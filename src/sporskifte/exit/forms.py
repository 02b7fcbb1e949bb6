from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sporskifte.core.forms import DateInput, OneLineCharField, form_field
from sporskifte.exit.models import Criterion, ExitCase, SupportElement
from sporskifte.organisations.models import Organisation
from sporskifte.people.models import Person


class CaseForm(forms.Form):
    full_name = OneLineCharField(label=_("Candidate's name"), max_length=200)
    id_number = OneLineCharField(
        label=_("CPR number"), max_length=11, help_text=_("Ten digits, e.g. 010190-1234.")
    )
    referred_by = forms.ChoiceField(label=_("Referred by"), choices=ExitCase.Source.choices)
    in_custody = forms.TypedChoiceField(
        label=_("Is the candidate in custody?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    release_date = forms.DateField(
        label=_("Expected release date"), required=False, widget=DateInput()
    )

    id_kind = Person.IdKind.CPR


class ScoreForm(forms.Form):
    def __init__(
        self, *args: Any, criteria: list[Criterion], met: dict[int, bool], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for c in criteria:
            self.fields[f"c{c.pk}"] = forms.BooleanField(
                label=f"{c.text} ({c.weight})", required=False, initial=met.get(c.pk, False)
            )

    def met(self) -> dict[int, bool]:
        return {int(name[1:]): bool(value) for name, value in self.cleaned_data.items()}


class DecisionForm(forms.Form):
    admitted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Admitted")), ("no", _("Rejected"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = OneLineCharField(label=_("Reason"), max_length=500, required=False)


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())


class ElementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Support"), choices=SupportElement.Kind.choices)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=SupportElement.Status.choices)

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "owner", forms.ModelChoiceField).queryset = owners


class MilestoneForm(forms.Form):
    title = OneLineCharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=DateInput())


class EndForm(forms.Form):
    completed = forms.TypedChoiceField(
        label=_("How did the programme end?"),
        choices=[("yes", _("Completed")), ("no", _("Broken off"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Why was it broken off?"),
        choices=[("", _("Choose")), *ExitCase.EndReason.choices],
        required=False,
    )


class AddressForm(forms.Form):
    address = OneLineCharField(label=_("Protected address"), max_length=300)
