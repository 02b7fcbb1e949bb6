"""What follows the user's country (Denmark or Sweden): the identity number asked for first
and the municipalities offered. (The language of Swedish users' pages:
``accounts.middleware.CountryLanguageMiddleware``.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from sporskifte.accounts.access import membership_of
from sporskifte.organisations.models import Country, Municipality
from sporskifte.people.models import Person

if TYPE_CHECKING:
    from sporskifte.accounts.models import User

ID_KIND_OF_COUNTRY: dict[str, str] = {
    Country.DENMARK: Person.IdKind.CPR,
    Country.SWEDEN: Person.IdKind.PERSONNUMMER,
}


def country_of(user: User) -> str:
    """DK or SE: the country of the organisation the user acts for (Denmark for no one)."""
    m = membership_of(user)
    return m.organisation.country if m else Country.DENMARK


def person_fields_for_country(form: forms.Form, country: str) -> None:
    """A form's person fields (``id_kind``, ``id_number``, ``home_municipality``) for a user of
    ``country``: its own identity number first and preselected, its own municipalities only."""
    municipality = form.fields["home_municipality"]
    assert isinstance(municipality, forms.ModelChoiceField)
    municipality.queryset = Municipality.objects.filter(country=country).order_by("name")
    id_kind = form.fields["id_kind"]
    assert isinstance(id_kind, forms.ChoiceField)
    own = ID_KIND_OF_COUNTRY.get(country, Person.IdKind.CPR)
    id_kind.initial = own
    id_kind.choices = sorted(Person.IdKind.choices, key=lambda c: c[0] != own)
    number = form.fields["id_number"]
    if own == Person.IdKind.PERSONNUMMER:
        number.label = _("Personal identity number")
        number.help_text = _("YYMMDD-NNNN. Leave empty if the person has none.")
    else:
        number.label = _("CPR number")
        number.help_text = _("DDMMYY-NNNN. Leave empty if the person has none.")
