"""Forms for the referral pages. Person validation is delegated to ``person_build`` so the web
form, the CSV import and the API share one set of rules and messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sporskifte.core.forms import DateInput, DateTimeInput, OneLineCharField, form_field
from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.people.country import person_fields_for_country
from sporskifte.people.models import Person
from sporskifte.people.services import person_build
from sporskifte.referrals.models import (
    Consent,
    ContactAttempt,
    Offence,
    Offer,
    Programme,
    ProsecutorConsultation,
    Step,
)
from sporskifte.referrals.services import (
    MUNICIPALITY_REQUIRED,
    needs_municipality,
    programme_offence_message,
)


def offences_of_country(form: forms.Form, country: str) -> None:
    offence = form_field(form, "offence", forms.ModelChoiceField)
    offence.queryset = Offence.objects.filter(country=country).order_by("name")


def _now_local() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class PersonFieldsMixin(forms.Form):
    full_name = OneLineCharField(label=_("Full name"), max_length=200)
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
        help_text=_("DDMMYY-NNNN or YYMMDD-NNNN. Leave empty if the person has none."),
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=DateInput,
        help_text=_("Taken from the identity number when there is one."),
    )
    phone = OneLineCharField(label=_("Phone"), required=False, max_length=30)
    email = forms.EmailField(label=_("E-mail"), required=False)
    home_municipality = forms.ModelChoiceField(
        label=_("Home municipality"),
        queryset=Municipality.objects.order_by("country", "name"),
        required=False,
        help_text=_(
            "Required when the programme refers to the centre of the person's municipality."
        ),
    )

    police_district_id: int

    def build_person(self) -> Person | None:
        d = self.cleaned_data
        try:
            return person_build(
                police_district_id=self.police_district_id,
                full_name=d.get("full_name", ""),
                id_kind=d.get("id_kind") or Person.IdKind.NONE,
                id_number=d.get("id_number", ""),
                birth_date=d.get("birth_date"),
                phone=d.get("phone", ""),
                email=d.get("email", ""),
                home_municipality=d.get("home_municipality"),
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
            return None


class OfferForm(PersonFieldsMixin):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    journal_number = OneLineCharField(label=_("Journal number"), max_length=40)
    offence = forms.ModelChoiceField(label=_("Offence"), queryset=Offence.objects.all())
    offence_date = forms.DateField(label=_("Date of the offence"), widget=DateInput)
    detention_facility = OneLineCharField(
        label=_("Detention facility"),
        max_length=200,
        required=False,
        help_text=_("Only for a programme for detained persons, e.g. Häktet Kronoberg."),
    )
    restrictions = forms.CharField(
        label=_("Restrictions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the prosecutor's restrictions allow: visits, letters, phone."),
    )

    field_order = ["programme", "journal_number", "offence", "offence_date"]

    def __init__(
        self,
        *args: Any,
        programmes: Any,
        police_district_id: int,
        country: str = "DK",
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        programme = form_field(self, "programme", forms.ModelChoiceField)
        programme.queryset = programmes.filter(is_active=True)
        if not programme.queryset.filter(for_detained=True).exists():
            del self.fields["detention_facility"], self.fields["restrictions"]
        offences_of_country(self, country)
        person_fields_for_country(self, country)
        self.police_district_id = police_district_id
        self.person: Person | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            self.person = self.build_person()
        offence_date = cleaned.get("offence_date")
        if offence_date and offence_date > timezone.localdate():
            self.add_error("offence_date", _("The date of the offence is in the future."))
        programme, offence = cleaned.get("programme"), cleaned.get("offence")
        if programme and needs_municipality(programme) and not cleaned.get("home_municipality"):
            self.add_error("home_municipality", MUNICIPALITY_REQUIRED)
        if programme and offence and not programme.offences.filter(pk=offence.pk).exists():
            self.add_error("offence", programme_offence_message(programme))
        if programme and programme.for_detained and not cleaned.get("detention_facility"):
            self.add_error(
                "detention_facility", _("Give the detention facility the person is held in.")
            )
        return cleaned


class PersonOfDistrictForm(PersonFieldsMixin):
    """A person added to something the district already has (a case, a detained person's
    offer): the person fields of the user's country, built into an unsaved person on clean."""

    def __init__(
        self, *args: Any, police_district_id: int, country: str = "DK", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        person_fields_for_country(self, country)
        self.police_district_id = police_district_id
        self.person: Person | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            self.person = self.build_person()
        return cleaned


class SuspectForm(PersonOfDistrictForm):
    """One more suspect for a case that already exists: the case gives programme, offence and
    journal number."""

    offence_date = forms.DateField(label=_("Date of the offence"), widget=DateInput)


class DetentionForm(forms.Form):
    detention_facility = OneLineCharField(label=_("Detention facility"), max_length=200)
    restrictions = forms.CharField(
        label=_("Restrictions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the prosecutor's restrictions allow: visits, letters, phone."),
    )


class ConsultationForm(forms.Form):
    """On the offer page next to the answer form: its own ids, so the labels of the two
    "answer" fields do not point at each other's radio buttons."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_consultation_%s")
        super().__init__(*args, **kwargs)

    prosecutor = OneLineCharField(label=_("Prosecutor"), max_length=200)
    consulted_at = forms.DateTimeField(
        label=_("Consulted"), widget=DateTimeInput, initial=_now_local
    )
    answer = forms.ChoiceField(
        label=_("The prosecutor's answer"),
        choices=ProsecutorConsultation.Answer.choices,
        widget=forms.RadioSelect,
    )


class RelativeForm(PersonOfDistrictForm):
    relation = OneLineCharField(
        label=_("Relation to the detained person"),
        max_length=100,
        help_text=_("For example mother, partner, brother."),
    )

    field_order = ["relation"]


class FollowUpForm(forms.Form):
    next_contact_on = forms.DateField(
        label=_("Next contact"),
        widget=DateInput,
        help_text=_(
            "Contact goes on through the prison term: the referral waits in the follow-up tab "
            "until then."
        ),
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("The person's answer"),
        choices=[c for c in Offer.Answer.choices if c[0] != Offer.Answer.NOT_ASKED],
        widget=forms.RadioSelect,
    )
    prevention_conversation = forms.ChoiceField(
        label=_("Conversation with prevention staff"),
        choices=Offer.Prevention.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    consent_method = forms.ChoiceField(
        label=_("How the consent was given"),
        choices=Consent.Method.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Required when the answer is yes."),
    )
    consent_given_at = forms.DateTimeField(
        label=_("Consent given"), widget=DateTimeInput, required=False, initial=_now_local
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Not "(optional)": clean() demands it for a yes, the answer that matters.
        self.fields["consent_method"].required_when = Offer.Answer.YES  # type: ignore[attr-defined]
        if not programme.has_prevention_conversation:
            del self.fields["prevention_conversation"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("answer") == Offer.Answer.YES and not cleaned.get("consent_method"):
            self.add_error("consent_method", _("Record how the consent was given."))
        return cleaned


class ContactCorrectionForm(forms.Form):
    """The officer's correction of where the person lives and how to reach them."""

    home_municipality = forms.ModelChoiceField(
        label=_("Home municipality"),
        queryset=Municipality.objects.order_by("country", "name"),
        required=False,
    )
    phone = OneLineCharField(label=_("Phone"), required=False, max_length=30)

    def __init__(self, *args: Any, country: str = "DK", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The officer's own country's municipalities, as on the offer form.
        municipality = form_field(self, "home_municipality", forms.ModelChoiceField)
        municipality.queryset = Municipality.objects.filter(country=country).order_by("name")


class CaseForm(forms.Form):
    journal_number = OneLineCharField(label=_("Journal number"), max_length=40)
    title = OneLineCharField(label=_("Title"), max_length=200, required=False)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    offence = forms.ModelChoiceField(label=_("Offence"), queryset=Offence.objects.all())

    def __init__(self, *args: Any, programmes: Any, country: str = "DK", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = form_field(self, "programme", forms.ModelChoiceField)
        programme.queryset = programmes.filter(is_active=True)
        offences_of_country(self, country)


class ImportForm(forms.Form):
    MAX_BYTES = 5 * 1024 * 1024
    file = forms.FileField(
        label=_("CSV file with the suspects"),
        help_text=_(
            "Fill in the template, one suspect a row; the identity type is cpr, personnummer or "
            "empty. "
            "Excel's CSV (semicolon-separated) and CSV UTF-8 are both read."
        ),
    )

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        return f


class AttemptForm(forms.Form):
    at = forms.DateTimeField(label=_("When"), widget=DateTimeInput, initial=_now_local)
    method = forms.ChoiceField(
        label=_("How"), choices=ContactAttempt.Method.choices, widget=forms.RadioSelect
    )
    reached = forms.TypedChoiceField(
        label=_("Reached the person"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=(), widget=forms.RadioSelect)
    at = forms.DateTimeField(label=_("When"), widget=DateTimeInput, initial=_now_local)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "step", forms.ChoiceField).choices = programme.step_choices()


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Counselling note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Stays with your organisation. The police never see it."),
    )


class ProgrammeForm(forms.ModelForm):
    consent_text = forms.CharField(
        label=_("Consent text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Changing the text makes a new version; consents already given keep theirs."),
    )
    outcome_steps = forms.MultipleChoiceField(
        label=_("Outcome steps the partner records"),
        choices=Step.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "description",
            "offences",
            "destination",
            "fixed_partner",
            "feedback_level",
            "contact_deadline_days",
            "outcome_steps",
            "has_prevention_conversation",
            "for_detained",
            "prosecutor_consultation",
            "offers_relatives",
            "retention_days",
            "is_active",
        ]
        field_classes = {"name": OneLineCharField}
        widgets = {
            "offences": forms.CheckboxSelectMultiple,
            "destination": forms.RadioSelect,
            "feedback_level": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, country: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fixed_partner = form_field(self, "fixed_partner", forms.ModelChoiceField)
        partners = Organisation.objects.filter(kind__in=Organisation.PARTNER_KINDS, is_active=True)
        offences = form_field(self, "offences", forms.ModelMultipleChoiceField)
        if country:  # a district's programmes are for its own country's offences and partners
            partners = partners.filter(country=country)
            offences.queryset = Offence.objects.filter(country=country).order_by("name")
        fixed_partner.queryset = partners.order_by("name")
        # A made field's min_value alone changes nothing: its validator and the HTML min are
        # set up in __init__ (from the model's 0), so the minimum goes to those as well.
        for name, minimum in (("contact_deadline_days", 1), ("retention_days", 30)):
            field = form_field(self, name, forms.IntegerField)
            field.min_value = minimum
            field.widget.attrs["min"] = minimum
            field.validators = [
                *(v for v in field.validators if not isinstance(v, MinValueValidator)),
                MinValueValidator(minimum),
            ]
