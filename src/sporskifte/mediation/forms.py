"""Forms for konfliktråd / medling. They collect input; the rules live in the services, whose
messages appear next to the fields they concern (or at the top)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sporskifte.core.forms import DateInput, DateTimeInput, OneLineCharField, add_service_errors
from sporskifte.mediation.models import (
    MAX_RETENTION_DAYS,
    MIN_RETENTION_DAYS,
    Consent,
    CustodyHolder,
    Meeting,
    Party,
    Source,
    Term,
)
from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.people.models import Person
from sporskifte.people.services import person_build
from sporskifte.referrals.models import Offence

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ProposalForm(forms.Form):
    journal_number = OneLineCharField(label=_("Journal number"), max_length=40, required=False)
    offence = forms.ModelChoiceField(label=_("Offence"), queryset=Offence.objects.none())
    offence_date = forms.DateField(label=_("Date of the offence"), widget=DateInput)
    area = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    neighbour_dispute = forms.BooleanField(label=_("A neighbour dispute"), required=False)
    source = forms.ChoiceField(label=_("Who proposes the case"), choices=[])
    summary = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    offender_name = OneLineCharField(label=_("Offender's full name"), max_length=200)
    offender_id_number = OneLineCharField(
        label=_("Offender's CPR number or personnummer"), max_length=13, required=False
    )
    offender_birth_date = forms.DateField(
        label=_("Offender's birth date"),
        widget=DateInput,
        required=False,
        help_text=_("When there is no identity number: the age at the offence decides the rules."),
    )
    victim_name = OneLineCharField(label=_("Victim's full name"), max_length=200, required=False)
    victim_id_number = OneLineCharField(
        label=_("Victim's CPR number or personnummer"), max_length=13, required=False
    )
    victim_organisation = OneLineCharField(
        label=_("Or the victim is an organisation (a shop, a school)"),
        max_length=200,
        required=False,
    )

    def __init__(self, *args: Any, district: Organisation, police: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.district = district
        self.fields["offence"].queryset = Offence.objects.filter(  # type: ignore[attr-defined]
            country=district.country
        ).order_by("name")
        self.fields["area"].queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            police_district=district
        )
        if police:
            self.fields["journal_number"].required = True
            del self.fields["source"]
        else:
            self.fields["source"].choices = [  # type: ignore[attr-defined]
                c for c in Source.choices if c[0] != Source.POLICE
            ]
        self.parties: list[tuple[str, Person | None, str]] = []

    def _person(self, prefix: str, name: str, number: str, birth: Any) -> Person:
        kind = {"DK": Person.IdKind.CPR, "SE": Person.IdKind.PERSONNUMMER}[self.district.country]
        try:
            return person_build(
                police_district_id=self.district.pk,
                full_name=name,
                id_kind=kind if number else Person.IdKind.NONE,
                id_number=number,
                birth_date=birth,
            )
        except ValidationError as exc:
            raise ValidationError(
                {
                    f"{prefix}_{'id_number' if k == 'id_number' else 'name'}": v
                    for k, v in exc.message_dict.items()
                }
            ) from exc

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            offender = self._person(
                "offender",
                cleaned["offender_name"],
                cleaned.get("offender_id_number", ""),
                cleaned.get("offender_birth_date"),
            )
            parties: list[tuple[str, Person | None, str]] = [(Party.Role.OFFENDER, offender, "")]
            org = cleaned.get("victim_organisation", "")
            if cleaned.get("victim_name") and org:
                raise ValidationError(
                    {"victim_organisation": _("Give the victim as a person or an organisation.")}
                )
            if cleaned.get("victim_name"):
                victim = self._person(
                    "victim", cleaned["victim_name"], cleaned.get("victim_id_number", ""), None
                )
                parties.append((Party.Role.VICTIM, victim, ""))
            elif org:
                parties.append((Party.Role.VICTIM, None, org))
        except ValidationError as exc:
            add_service_errors(self, exc)
            return cleaned
        self.parties = parties
        return cleaned


class ScreenForm(forms.Form):
    suitable = forms.ChoiceField(
        label=_("Suitable for mediation?"), choices=YES_NO, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class _PartyForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.none())

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = Party.objects.filter(case=case).select_related("person")  # type: ignore[attr-defined]
        self.fields["party"].label_from_instance = lambda p: f"{p.name} ({p.get_role_display()})"  # type: ignore[attr-defined]


class ConsentForm(_PartyForm):
    method = forms.ChoiceField(label=_("How consent was given"), choices=Consent.Method.choices)
    custody_holder = forms.ModelChoiceField(
        label=_("Given by the custody holder"),
        queryset=CustodyHolder.objects.none(),
        required=False,
        help_text=_("Only for a party under 18; leave empty for the party's own consent."),
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        self.fields["custody_holder"].queryset = CustodyHolder.objects.filter(  # type: ignore[attr-defined]
            party__case=case
        )


class HolderForm(_PartyForm):
    full_name = OneLineCharField(label=_("Custody holder's full name"), max_length=200)
    phone = OneLineCharField(label=_("Phone"), max_length=20, required=False)


class SupporterForm(_PartyForm):
    full_name = OneLineCharField(label=_("Supporter's full name"), max_length=200)


class ConfessionForm(_PartyForm):
    pass


class FileYesForm(_PartyForm):
    pass


class WithdrawForm(_PartyForm):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PreMeetingForm(_PartyForm):
    held_on = forms.DateField(label=_("Date"), widget=DateInput)


class LetterForm(_PartyForm):
    kind = forms.ChoiceField(
        label=_("Letter"),
        choices=[
            ("invitation", _("Invitation letter")),
            ("confirmation", _("Confirmation of the agreement")),
        ],
    )


class SwedishForm(forms.Form):
    police_report_number = OneLineCharField(
        label=_("Police report number"), max_length=40, required=False
    )
    investigation_closed = forms.BooleanField(
        label=_("The preliminary investigation is closed"), required=False
    )
    ful_name = OneLineCharField(
        label=_("Förundersökningsledare consulted"), max_length=200, required=False
    )
    ful_consulted_at = forms.DateTimeField(
        label=_("Consulted"), widget=DateTimeInput, required=False
    )
    ful_answer = forms.CharField(
        label=_("The answer"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    special_reasons = forms.CharField(
        label=_("Synnerliga skäl (offender under 12)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class AssignForm(forms.Form):
    mediator = forms.TypedChoiceField(label=_("Mediator"), coerce=int, choices=[])


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    place = OneLineCharField(label=_("Neutral place"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput)


class HoldForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting"), queryset=Meeting.objects.none(), widget=forms.HiddenInput
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Who attended"), queryset=Party.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    others_present = OneLineCharField(label=_("Others present"), max_length=300, required=False)

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(case=case, status="booked")  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = Party.objects.filter(case=case).select_related("person")  # type: ignore[attr-defined]


class AgreementForm(forms.Form):
    text = forms.CharField(label=_("The agreement"), widget=forms.Textarea(attrs={"rows": 3}))

    TERMS = 3

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(self.TERMS):
            required = i == 0
            self.fields[f"term{i}_kind"] = forms.ChoiceField(
                label=_("Term %(n)d: kind") % {"n": i + 1},
                choices=[("", "—"), *Term.Kind.choices],
                required=required,
            )
            self.fields[f"term{i}_description"] = OneLineCharField(
                label=_("What"), max_length=300, required=required
            )
            self.fields[f"term{i}_amount"] = forms.DecimalField(
                label=_("Amount (payment)"), required=False, min_value=0, decimal_places=2
            )
            self.fields[f"term{i}_due_on"] = forms.DateField(
                label=_("Due date"), widget=DateInput, required=required
            )


class TermMarkForm(forms.Form):
    term = forms.IntegerField(widget=forms.HiddenInput)
    kept = forms.ChoiceField(label=_("Kept?"), choices=YES_NO, widget=forms.RadioSelect)


class EndForm(forms.Form):
    note = forms.CharField(
        label=_("Why the mediation ends"), widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note (only you can see it)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SatisfactionForm(forms.Form):
    got_what_wanted = forms.ChoiceField(
        label=_("Did you get what you wanted from the meeting?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    fair = forms.ChoiceField(
        label=_("Was the meeting fair?"), choices=YES_NO, widget=forms.RadioSelect
    )
    successful = forms.ChoiceField(
        label=_("Was the meeting successful?"), choices=YES_NO, widget=forms.RadioSelect
    )
    good_service = forms.ChoiceField(
        label=_("Was it good public service?"), choices=YES_NO, widget=forms.RadioSelect
    )

    def answers(self) -> dict[str, bool]:
        return {k: v == "yes" for k, v in self.cleaned_data.items()}


class EmptyForm(forms.Form):
    pass


class RetentionForm(forms.Form):
    retention_days = forms.IntegerField(
        label=_("Days a closed case is kept"),
        help_text=_("Between 365 and 1825 days. Name-free counts stay for the figures."),
        min_value=MIN_RETENTION_DAYS,
        max_value=MAX_RETENTION_DAYS,
    )


class ConsentTextForm(forms.Form):
    text = forms.CharField(
        label=_("Consent text"),
        help_text=_(
            "A new version. Consents already given keep the version they were given under."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
    )
