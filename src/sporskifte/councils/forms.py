"""Forms for councils and plans. The rules live in the services; these collect input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sporskifte.core.forms import DateInput, OneLineCharField, form_field
from sporskifte.councils.models import (
    Council,
    CouncilMember,
    FocusArea,
    Indicator,
    IndicatorStatus,
    PreventionArea,
)
from sporskifte.organisations.models import Municipality, Organisation

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class MemberForm(forms.Form):
    name = OneLineCharField(label=_("Name"), max_length=200)
    title = OneLineCharField(label=_("Title"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=CouncilMember.Role.choices)
    standing = forms.ChoiceField(
        label=_("Standing"),
        choices=CouncilMember.Standing.choices,
        widget=forms.RadioSelect,
        help_text=_("Community members are never named on public pages."),
    )
    term_start = forms.DateField(label=_("Term starts"), widget=DateInput)
    term_end = forms.DateField(label=_("Term ends"), widget=DateInput, required=False)


def seat_organisations(council: Council) -> QuerySet[Organisation]:
    """Organisations a member can sit for: the district, its units and the organisations of its
    municipalities."""
    district_id = council.police_district_id
    return Organisation.objects.filter(
        Q(pk=district_id)
        | Q(parent_id=district_id)
        | Q(municipality__police_district_id=district_id)
    ).order_by("name")


class MemberChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=CouncilMember.Role.choices)
    title = OneLineCharField(label=_("Title"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    term_end = forms.DateField(label=_("Term ends"), widget=DateInput, required=False)
    substitute_for = forms.ModelChoiceField(
        label=_("Substitute for"), queryset=CouncilMember.objects.none(), required=False
    )

    def __init__(self, *args: Any, member: CouncilMember, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "organisation", forms.ModelChoiceField).queryset = seat_organisations(
            member.council
        )
        form_field(
            self, "substitute_for", forms.ModelChoiceField
        ).queryset = member.council.members.exclude(pk=member.pk)


class TermEndForm(forms.Form):
    on = forms.DateField(
        label=_("Last day of the term"),
        widget=DateInput,
        help_text=_("From the next day the member no longer sits in the council."),
    )


class MeetingsForm(forms.Form):
    dates = forms.CharField(
        label=_("Dates"),
        widget=TEXTAREA,
        help_text=_("One date and time a line, e.g. 2026-03-10 14:00."),
    )
    place = OneLineCharField(label=_("Place"), max_length=200)


class AgendaForm(forms.Form):
    title = OneLineCharField(label=_("Agenda item"), max_length=200)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=TEXTAREA)


class ActionForm(forms.Form):
    description = OneLineCharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none())
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput)

    def __init__(self, *args: object, council: Council, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["owner"].queryset = owners_of(council)  # type: ignore[attr-defined]


def owners_of(council: Council):  # type: ignore[no-untyped-def]
    district = council.police_district
    return Organisation.objects.filter(pk=district.pk) | Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY, municipality__police_district=district
    )


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = OneLineCharField(label=_("Title"), max_length=200)


class SectionForm(forms.Form):
    part = forms.IntegerField(label=_("Part"), min_value=1, max_value=9)
    number = OneLineCharField(label=_("Number"), max_length=16)
    title = OneLineCharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=TEXTAREA, required=False)


class FocusAreaForm(forms.Form):
    scope = forms.ChoiceField(label=_("Scope"), choices=FocusArea.Scope.choices)
    title = OneLineCharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=TEXTAREA, required=False)
    internal_note = forms.CharField(
        label=_("Internal note (never published)"), widget=TEXTAREA, required=False
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none())
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities covered"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    last_year = forms.IntegerField(
        label=_("Runs until (year)"), min_value=2000, max_value=2100, required=False
    )

    def __init__(self, *args: object, council: Council, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["owner"].queryset = owners_of(council)  # type: ignore[attr-defined]
        self.fields["municipalities"].queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            police_district=council.police_district
        )


class ActivityForm(forms.Form):
    description = OneLineCharField(label=_("Activity"), max_length=500)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none())
    areas = forms.ModelMultipleChoiceField(
        label=_("Prevention areas (forebyggelsesområder)"),
        queryset=PreventionArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only areas in the municipalities the focus area covers."),
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "owner", forms.ModelChoiceField).queryset = owners_of(council)
        form_field(
            self, "areas", forms.ModelMultipleChoiceField
        ).queryset = PreventionArea.objects.filter(
            municipality__police_district_id=council.police_district_id
        ).select_related("municipality")

    def service_data(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d["area_ids"] = [a.pk for a in d.pop("areas")]
        return d


class IndicatorForm(forms.Form):
    definition = OneLineCharField(label=_("Definition"), max_length=300)
    source = OneLineCharField(label=_("Source"), max_length=200)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=12, decimal_places=2)
    target = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2)
    direction = forms.ChoiceField(label=_("Direction"), choices=Indicator.Direction.choices)
    feed = forms.ChoiceField(label=_("Fed by"), choices=Indicator.Feed.choices, required=False)


class StatusForm(forms.Form):
    value = forms.DecimalField(label=_("Value"), max_digits=12, decimal_places=2)
    rag = forms.ChoiceField(
        label=_("Status"), choices=IndicatorStatus.Rag.choices, widget=forms.RadioSelect
    )
    comment = OneLineCharField(label=_("Comment"), max_length=500, required=False)


class YearEndForm(forms.Form):
    text = forms.CharField(label=_("Input to next year's district plan"), widget=TEXTAREA)


class StatusFileForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Semicolon-separated, UTF-8: the template below, with vaerdi (value) and, if you "
            "wish, status (grøn, gul, rød) and kommentar filled in."
        ),
    )


class AreasForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Semicolon-separated, UTF-8, with the columns kommunekode; omraade; aar; beboere; "
            "ikke_vestlige_pct; uden_arbejde_pct; doemte_gange_landsgns; grundskole_pct; "
            "indkomst_pct; anmeldelser."
        ),
    )


class Refusal(forms.Form):
    """No fields: carries a service's refusal of a one-button action to the error summary."""
