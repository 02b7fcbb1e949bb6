"""Offences, municipalities and the identity type follow the user's country."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sporskifte.organisations.models import Municipality
from sporskifte.people.models import Person
from sporskifte.referrals.models import Offence, Offer

pytestmark = pytest.mark.django_db


def _form(client, name):
    return client.get(reverse(name)).context["form"]


def test_a_swedish_officer_sees_swedish_offences_municipalities_and_personnummer(
    stockholm, as_user
):
    form = _form(as_user(stockholm.officer), "referrals:offer_new")

    assert {o.country for o in form.fields["offence"].queryset} == {"SE"}
    municipalities = form.fields["home_municipality"].queryset
    assert municipalities.exists() and {m.country for m in municipalities} == {"SE"}
    assert form.fields["id_kind"].initial == Person.IdKind.PERSONNUMMER
    assert form.fields["id_kind"].choices[0][0] == Person.IdKind.PERSONNUMMER


def test_a_danish_officer_sees_danish_offences_municipalities_and_cpr(personas, as_user):
    form = _form(as_user(personas.officer_a), "referrals:offer_new")

    assert {o.country for o in form.fields["offence"].queryset} == {"DK"}
    assert {m.country for m in form.fields["home_municipality"].queryset} == {"DK"}
    assert form.fields["id_kind"].initial == Person.IdKind.CPR


def test_the_case_and_programme_forms_offer_only_the_countrys_offences_and_partners(
    stockholm, as_user
):
    case_form = _form(as_user(stockholm.officer), "referrals:case_new")
    programme_form = _form(as_user(stockholm.admin), "referrals:programme_new")

    assert {o.country for o in case_form.fields["offence"].queryset} == {"SE"}
    assert {o.country for o in programme_form.fields["offences"].queryset} == {"SE"}
    assert {p.country for p in programme_form.fields["fixed_partner"].queryset} == {"SE"}


def test_a_danish_offence_posted_by_a_swedish_officer_is_refused(stockholm, as_user):
    response = as_user(stockholm.officer).post(
        reverse("referrals:offer_new"),
        {
            "programme": stockholm.programme.pk,
            "journal_number": "5000-K123456-26",
            "offence": Offence.objects.get(code="ESL-KOEB").pk,
            "offence_date": "2026-01-05",
            "full_name": "Anna Berg",
            "id_kind": "none",
        },
    )
    assert response.status_code == 200
    assert "offence" in response.context["form"].errors
    assert not Offer.objects.exists()


def test_ringa_narkotikabrott_is_refused_by_x_cons_with_what_it_is_for(stockholm, as_user):
    # seeds/004: X-Cons is offered to those detained for grovt narkotikabrott.
    response = as_user(stockholm.officer).post(
        reverse("referrals:offer_new"),
        {
            "programme": stockholm.programme.pk,
            "journal_number": "5000-K123456-26",
            "offence": Offence.objects.get(code="NSL-RING").pk,
            "offence_date": "2026-01-05",
            "full_name": "Anna Berg",
            "id_kind": "none",
            "home_municipality": Municipality.objects.get(country="SE", code="0180").pk,
        },
    )
    message = response.context["form"].errors["offence"][0]
    assert "Grovt narkotikabrott" in message and not Offer.objects.exists()
