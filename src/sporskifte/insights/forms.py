"""The filter form (GET) shared by the report page, the exports and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from sporskifte.core.forms import OneLineCharField
from sporskifte.insights.audiences import AUDIENCES, PERIOD_FIELDS
from sporskifte.insights.selectors import AGE_BANDS, Filters, InsightScope, Period
from sporskifte.insights.suppression import WITHHELD
from sporskifte.organisations.models import Municipality, Organisation
from sporskifte.people.models import Person
from sporskifte.referrals.models import Case, Offence, Programme

PERIODS = [
    ("", _("All time")),
    ("year", _("A year")),
    ("quarter", _("A quarter")),
    ("month", _("A month")),
    ("range", _("From a date to a date")),
]


class DateInput(forms.DateInput):
    input_type = "date"


def _optional_int(choices: list[tuple[Any, Any]], label: Any, empty: Any) -> forms.Field:
    return forms.TypedChoiceField(
        label=label, choices=[("", empty), *choices], coerce=int, empty_value=None, required=False
    )


class FilterForm(forms.Form):
    programme = forms.TypedChoiceField(
        label=_("Programme"), coerce=int, empty_value=None, required=False
    )
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = _optional_int([(q, str(q)) for q in range(1, 5)], _("Quarter"), WITHHELD)
    month = _optional_int(list(MONTHS.items()), _("Month"), WITHHELD)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To (inclusive)"), required=False, widget=DateInput)
    police_district = forms.TypedChoiceField(
        label=_("Police district"), coerce=int, empty_value=None, required=False
    )
    municipality = forms.TypedChoiceField(
        label=_("Home municipality"), coerce=int, empty_value=None, required=False
    )
    offence = forms.TypedChoiceField(
        label=_("Offence"), coerce=int, empty_value=None, required=False
    )
    age_band = forms.ChoiceField(
        label=_("Age at the offer"),
        choices=[("", _("All ages")), *[(k, k) for k in AGE_BANDS]],
        required=False,
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", _("All")), *Person.Sex.choices], required=False
    )
    # A case is asked by its journal number: a district has thousands of cases, too many for
    # a list. ``case`` (its id) is the API's; the page shows it as its journal number.
    journal_number = OneLineCharField(
        label=_("Case (journal number)"), max_length=40, required=False
    )
    case = forms.IntegerField(
        label=_("Case (journal number)"), required=False, widget=forms.HiddenInput
    )

    PERIOD_ONLY = ("period", "year", "quarter", "month", "date_from", "date_to")
    # What most readers change; the rest is folded away until used (report.html).
    COMMON = ("programme", *PERIOD_ONLY)

    def __init__(
        self,
        *args: Any,
        scope: InsightScope,
        programmes: list[Programme],
        period_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._programme_ids = [p.pk for p in programmes]
        self._districts = {p.police_district_id for p in programmes}
        self._case_shown: tuple[str, int] | None = None  # (journal number, id), found by id
        if self.is_bound and not self.data.get("year"):
            # "A year" means this year until another is chosen: shown in the field, not an error.
            data = self.data.copy() if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
            data.update({} if isinstance(self.data, QueryDict) else self.data)
            data["year"] = str(timezone.localdate().year)
            self.data = data
        # What this audience may ask (insights.audiences); anything else is not offered and,
        # when sent anyway, ignored.
        audience = AUDIENCES[scope.kind]
        allowed = audience.filters & PERIOD_FIELDS if period_only else audience.filters
        for name in list(self.fields):
            if name not in allowed:
                del self.fields[name]
        period = self.fields["period"]
        assert isinstance(period, forms.ChoiceField)
        period.choices = [(k, v) for k, v in PERIODS if k in audience.periods]
        if period_only:
            return
        ids = [p.pk for p in programmes]
        districts = {p.police_district_id for p in programmes}
        self._choices("programme", [(p.pk, p.name) for p in programmes], _("All programmes"))
        self._choices(
            "police_district",
            Organisation.objects.filter(pk__in=districts).values_list("pk", "name"),
        )
        if "municipality" in self.fields:
            municipalities = Municipality.objects.filter(police_district__in=districts)
            self._choices("municipality", municipalities.values_list("pk", "name"))
        offences = Offence.objects.filter(programme__in=ids).distinct()
        self._choices("offence", offences.values_list("pk", "name"))
        if (
            "journal_number" in self.fields
            and self.is_bound
            and not self.data.get("journal_number")
        ):
            self._show_case_as_journal_number()

    def _cases(self) -> QuerySet[Case]:
        # The district first: a journal number is unique in it (its index).
        return Case.objects.filter(
            police_district__in=self._districts, programme__in=self._programme_ids
        )

    def _show_case_as_journal_number(self) -> None:
        """A case asked by its id (an API address opened in the browser) is shown, and then
        sent again, as its journal number."""
        try:
            case_id = int(self.data.get("case") or "")
        except ValueError:
            return
        number = self._cases().filter(pk=case_id).values_list("journal_number", flat=True)
        if number:
            data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            data["journal_number"] = number[0]
            self.data = data
            self._case_shown = (number[0], case_id)

    def hidden_fields(self) -> list[forms.BoundField]:
        return [f for f in super().hidden_fields() if f.name != "case"]

    def common_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name in self.COMMON]

    def more_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in (*self.COMMON, "case")]

    def more_in_use(self) -> bool:
        """Open the folded filters when one of them is set or wrong, so nothing chosen hides."""
        return any(f.errors or f.value() not in (None, "") for f in self.more_fields())

    def _choices(self, name: str, rows: Iterable[tuple[int, str]], empty: Any = None) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", empty or _("All")), *rows]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("period") or ""
        needs = {
            "year": ["year"],
            "quarter": ["year", "quarter"],
            "month": ["year", "month"],
            "range": ["date_from", "date_to"],
        }.get(kind, [])
        for name in needs:
            if data.get(name) in (None, ""):
                self.add_error(name, _("Fill this in for the period you chose."))
        start, end = data.get("date_from"), data.get("date_to")
        if kind == "range" and start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        if "case" in self.fields:
            data["case"] = self._chosen_case(data)
        return data

    def _chosen_case(self, data: dict[str, Any]) -> int | None:
        """The case asked for, by journal number or by id, among the cases of the programmes
        this user may see: one that is not there is the same error whether or not it exists."""
        number = data.get("journal_number")
        if self._case_shown and number == self._case_shown[0]:
            return self._case_shown[1]  # found by its id above, in the same scope
        if number:
            found = self._cases().filter(journal_number=number).order_by("pk")
            case_id = found.values_list("pk", flat=True).first()
            if case_id is None:
                self.add_error(
                    "journal_number",
                    _("No case with this journal number in the programmes you can see."),
                )
            return case_id
        case_id = data.get("case")
        if case_id is not None and not self._cases().filter(pk=case_id).exists():
            self.add_error("case", _("No such case in the programmes you can see."))
            return None
        return case_id

    def chosen_period(self) -> Period:
        data = self.cleaned_data
        kind = data.get("period") or ""
        if kind == "range":
            return Period.between(data["date_from"], data["date_to"] + dt.timedelta(days=1), kind)
        if kind in ("year", "quarter", "month"):
            year = data["year"]
            first_month = {"year": 1, "quarter": 3 * ((data.get("quarter") or 1) - 1) + 1}.get(
                kind, data.get("month") or 1
            )
            months = {"year": 12, "quarter": 3, "month": 1}[kind]
            end_month = first_month + months
            after = dt.date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1)
            return Period.between(dt.date(year, first_month, 1), after, kind)
        return Period()

    def chosen_programmes(self, programmes: list[Programme]) -> list[Programme]:
        chosen = self.cleaned_data.get("programme")
        return [p for p in programmes if chosen is None or p.pk == chosen]

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            period=self.chosen_period(),
            police_district=data.get("police_district"),
            municipality=data.get("municipality"),
            offence=data.get("offence"),
            age_band=data.get("age_band") or "",
            sex=data.get("sex") or "",
            case=data.get("case"),
        )
