from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sporskifte.core.forms import OneLineCharField
from sporskifte.core.identity import IdentityNumber, parse_identity
from sporskifte.organisations.models import Municipality
from sporskifte.screening.figures import Quarter, quarter_label
from sporskifte.screening.models import Notification, PersonRole, ReasonCategory


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in value.replace(";", ",").split(",") if c.strip()]


class RuleForm(forms.Form):
    name = OneLineCharField(label=_("Name"), max_length=120)
    incident_codes = OneLineCharField(
        label=_("Incident codes"), required=False, help_text=_("Separated by commas.")
    )
    offence_codes = OneLineCharField(label=_("Offence codes"), required=False)
    window_days = forms.IntegerField(label=_("Window (days)"), initial=365, min_value=1)
    threshold = forms.IntegerField(label=_("Incidents at least"), initial=2, min_value=1)
    roles = forms.MultipleChoiceField(
        label=_("Roles of the adult"),
        choices=PersonRole.choices,
        initial=[PersonRole.SUSPECT],
        widget=forms.CheckboxSelectMultiple,
    )
    child_min_age = forms.IntegerField(label=_("Child at least (years)"), initial=0, min_value=0)
    child_max_age = forms.IntegerField(label=_("Child at most (years)"), initial=17, max_value=17)
    reason_category = forms.ChoiceField(label=_("Reason category"), choices=ReasonCategory.choices)
    facts_template = forms.CharField(
        label=_("Facts template"),
        widget=forms.Textarea(attrs={"rows": 4}),
        initial="$count incidents within $window_days days:\n$incidents",
        help_text=_("$incidents, $count, $window_days and $rule are filled in."),
    )

    def clean_incident_codes(self) -> list[str]:
        return _codes(self.cleaned_data["incident_codes"])

    def clean_offence_codes(self) -> list[str]:
        return _codes(self.cleaned_data["offence_codes"])


class CodeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("incident", _("Incident code")), ("offence", _("Offence code"))]
    )
    code = OneLineCharField(label=_("Code"), max_length=16)
    label = OneLineCharField(label=_("Label"), max_length=200)


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DraftForm(forms.Form):
    urgent = forms.BooleanField(label=_("Urgent"), required=False)


OUTSIDE_CHANNELS = [c for c in Notification.Channel.choices if c[0] != "sporskifte"]


class SendForm(forms.Form):
    on_call_called_at = forms.DateTimeField(
        label=_("Time of the call to the social on-call service (urgent only)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    channel = forms.ChoiceField(
        label=_("Channel, when the municipality has no users here"),
        required=False,
        choices=[("", "---------"), *OUTSIDE_CHANNELS],
    )


class YesNoForm(forms.Form):
    answer = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )


class QuarterForm(forms.Form):
    """The closed quarter whose notifications the figures count (figures.published_quarters)."""

    kvartal = forms.ChoiceField(label=_("Notifications sent in"), required=False)

    def __init__(self, *args: Any, quarters: list[Quarter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quarters = {q.slug: q for q in quarters}
        self.fields["kvartal"].choices = [  # type: ignore[attr-defined]
            (q.slug, quarter_label(q)) for q in quarters
        ]
        self.fields["kvartal"].error_messages["invalid_choice"] = _(
            "Choose a closed quarter from the list: the notifications of a quarter are counted "
            "once it has ended and nothing approved in it waits to be sent."
        )

    def quarter(self) -> Quarter | None:
        """The chosen quarter, the newest when none is chosen; None when nothing is published
        or the choice is not valid."""
        if not self.is_valid():
            return None
        slug = self.cleaned_data["kvartal"]
        return self.quarters[slug] if slug else next(iter(self.quarters.values()), None)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("File"),
        choices=[("incidents", _("Incident records")), ("households", _("Household file"))],
    )
    file = forms.FileField(label=_("CSV or JSON lines"))


class DirectNotificationForm(forms.Form):
    """A child under 15 detained or questioned: notified without a screening rule."""

    child_id_number = OneLineCharField(label=_("Identity number"), max_length=13)
    child_name = OneLineCharField(label=_("Name"), max_length=200)
    child_address = OneLineCharField(label=_("Address"), max_length=200)
    municipality = forms.ModelChoiceField(
        label=_("The child's municipality"), queryset=Municipality.objects.none()
    )
    detained_at = forms.DateTimeField(
        label=_("Detained or questioned at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 4}))
    urgent = forms.BooleanField(label=_("Urgent"), required=False)

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country = country
        municipalities = Municipality.objects.filter(country=country).order_by("name")
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]

    def clean_child_id_number(self) -> IdentityNumber:
        kind = "personnummer" if self.country == "SE" else "cpr"
        return parse_identity(kind, self.cleaned_data["child_id_number"])
